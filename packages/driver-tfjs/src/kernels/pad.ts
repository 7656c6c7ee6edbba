import { pad } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { passDemand } from './layout-rules.js';

/** Any layout: the [before, after] pairs are permuted onto physical axes. Zeros, as the IR says. */
export const padKernel: TfjsKernel<'pad'> = {
  layout: ({ node, inputs: [x] }) => {
    const p = x!.perm;
    return { inputs: [p], output: p, attrs: { pads: p.map((a) => node.attrs.pads[a]!) } };
  },
  demand: passDemand(),
  run: ([x], { pads }) => pad(x!, pads.map(([before, after]) => [before!, after!] as [number, number])),
};
