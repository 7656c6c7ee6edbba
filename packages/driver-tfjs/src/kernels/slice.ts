import { slice } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { passDemand } from './layout-rules.js';

/** Any layout: the box is permuted onto physical axes. */
export const sliceKernel: TfjsKernel<'slice'> = {
  layout: ({ node, inputs: [x] }) => {
    const p = x!.perm;
    return { inputs: [p], output: p, attrs: { begin: p.map((a) => node.attrs.begin[a]!), size: p.map((a) => node.attrs.size[a]!) } };
  },
  demand: passDemand(),
  run: ([x], { begin, size }) => slice(x!, [...begin], [...size]),
};
