import { reshape } from '@tensorflow/tfjs-core';
import { identity, sameMemory } from '../layout/perm.js';
import type { TfjsKernel } from './kernel.js';
import { noDemand } from './layout-rules.js';

/**
 * Row-major order is the IR's, so the input comes in its logical layout (free
 * when only size-1 axes differ). The output may be labelled with the layout
 * its consumers want when that is the same memory ([C] -> [1, C, 1, 1] is
 * already NHWC), so no transpose follows.
 */
export const reshapeKernel: TfjsKernel<'reshape'> = {
  layout: ({ node, inputs: [x], want }) => {
    const rank = node.shape.length;
    const output = want && want.length === rank && sameMemory(node.shape, identity(rank), want) ? want : identity(rank);
    return { inputs: [identity(x!.type.shape.length)], output, attrs: { shape: output.map((a) => node.shape[a]!) } };
  },
  demand: noDemand(),
  run: ([x], { shape }) => reshape(x!, [...shape]),
};
