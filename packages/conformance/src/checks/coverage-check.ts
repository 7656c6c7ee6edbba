import { isDifferentiable, OP_NAMES } from '@ltssl/core';
import { loadAllGoldenCases } from '@ltssl/core/golden';
import { generatedCases } from '../cases/generated-cases.js';
import { vjpCases } from '../cases/vjp-cases.js';
import { fail, type Check } from '../check.js';

/** Fails when an op of the op set lacks golden cases, generated cases, or (if differentiable) a VJP check. */
export function coverageCheck(): Check {
  return {
    id: 'coverage/op-set',
    run: async () => {
      const golden = new Set(loadAllGoldenCases().filter((f) => f.cases.length > 0).map((f) => f.op));
      const generated = new Set(generatedCases().map((c) => c.op));
      const vjp = new Set(vjpCases().map((c) => c.op));
      const gaps = OP_NAMES.flatMap((op) => [
        ...(golden.has(op) ? [] : [`${op}: no golden case`]),
        ...(generated.has(op) ? [] : [`${op}: no generated case`]),
        ...(!isDifferentiable(op) || vjp.has(op) ? [] : [`${op}: no VJP check`]),
      ]);
      if (gaps.length > 0) fail(gaps.join('; '));
    },
  };
}
