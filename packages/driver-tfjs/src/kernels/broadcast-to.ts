import { broadcastTo } from '@tensorflow/tfjs-core';
import { physicalShape } from '../layout/perm.js';
import { broadcastFast } from './broadcast.js';
import type { TfjsKernel } from './kernel.js';
import { cheapestLayout, passDemand } from './layout-rules.js';

/**
 * The input comes padded to the output's rank in the output's layout; the
 * target shape is permuted alike. Floats broadcast by a multiply with ones
 * (see broadcast.ts); int32 through tfjs's broadcastTo, exact for any value.
 */
export const broadcastToKernel: TfjsKernel<'broadcastTo'> = {
  layout: ({ node, inputs, want }) => {
    const output = cheapestLayout(node.shape, inputs, want);
    return { inputs: [output], output, attrs: { shape: physicalShape(node.attrs.shape, output) } };
  },
  demand: passDemand(),
  run: ([x], { shape }) => (x!.dtype === 'int32' ? broadcastTo(x!, [...shape]) : broadcastFast(x!, shape)),
};
