import { concat } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { cheapestLayout, passDemand } from './layout-rules.js';

/** Every input in one layout (the cheapest to reach); the axis is where that layout holds it. */
export const concatKernel: TfjsKernel<'concat'> = {
  layout: ({ node, inputs, want }) => {
    const output = cheapestLayout(node.shape, inputs, want);
    return { inputs: inputs.map(() => output), output, attrs: { axis: output.indexOf(node.attrs.axis) } };
  },
  demand: passDemand(),
  run: (xs, { axis }) => (xs.length === 1 ? xs[0]! : concat([...xs], axis)),
};
