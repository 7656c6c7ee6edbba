import { isDifferentiable, type OpCaseTensor } from '@ltssl/core';
import { CaseData } from './case-data.js';
import { generatedCases, type GeneratedCase } from './generated-cases.js';

/**
 * Cases for checking VJPs by finite differences: the generated cases of every
 * differentiable op whose inputs are all float (int32 inputs carry no
 * gradient), with inputs kept at least 1e-3 from kinks: relu's and log's
 * inputs already are (see generatedCases); maximum's two inputs are drawn from
 * interleaved grids so they never come closer than 0.05.
 */
export function vjpCases(seed = 2): GeneratedCase[] {
  const d = new CaseData(seed);
  return generatedCases(seed)
    .filter((c) => isDifferentiable(c.op) && c.inputs.length > 0 && c.inputs.every((t) => t.dtype !== 'int32'))
    .filter((c) => c.op !== 'cast' || c.attrs['to'] !== 'int32')
    .map((c): GeneratedCase => {
      if (c.op !== 'maximum') return c;
      const [a, b] = c.inputs as [OpCaseTensor, OpCaseTensor];
      return { ...c, inputs: [d.grid(a.shape, 0.1, 0.05), d.grid(b.shape, 0.1, 0)] };
    });
}
