import { invert } from '../layout/perm.js';
import type { TfjsKernel } from './kernel.js';
import { noDemand } from './layout-rules.js';

/**
 * Free: the output is the input's memory under another label. With the input
 * held in layout p, output logical axis k is input axis perm[k], so physical
 * axis j (input axis p[j]) is output axis perm^-1[p[j]]. A consumer that needs
 * another layout converts, once.
 */
export const transposeKernel: TfjsKernel<'transpose'> = {
  layout: ({ node, inputs: [x] }) => {
    const inverse = invert(node.attrs.perm);
    return { inputs: [x!.perm], output: x!.perm.map((a) => inverse[a]!), attrs: node.attrs };
  },
  demand: noDemand(),
  run: ([x]) => x!,
};
