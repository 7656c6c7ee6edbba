import { caseInDType, compareTensors, type OpCase, type OpName } from '@ltssl/core';
import { loadAllGoldenCases } from '@ltssl/core/golden';
import { asOpCase, generatedCases } from '../cases/generated-cases.js';
import { fail, type Check } from '../check.js';
import { runOpCase } from '../run-op-case.js';

/** Runs `c` on the driver in its dtype and compares with `expected` values. */
async function expectOp(ctx: Parameters<Check['run']>[0], op: OpName, c: OpCase): Promise<void> {
  const inDType = caseInDType(c, ctx.dtype);
  const y = await runOpCase(ctx.driver, op, inDType);
  const problem = compareTensors(y, inDType.expected, ctx.opTolerance);
  if (problem) fail(`${op} '${c.name}': ${problem}`);
}

/** Every golden case (expected values from PyTorch in float64) on the driver. */
export function goldenOpChecks(): Check[] {
  return loadAllGoldenCases().flatMap((file) =>
    file.cases.map((c) => ({
      id: `op/golden/${file.op}/${c.name}`,
      run: (ctx) => expectOp(ctx, file.op, c),
    })),
  );
}

/** Every generated case on the driver against the float64 reference. */
export function generatedOpChecks(): Check[] {
  return generatedCases().map((g) => ({
    id: `op/generated/${g.op}/${g.name}`,
    run: async (ctx) => {
      const oracle = await runOpCase(ctx.reference, g.op, asOpCase(g, { dtype: 'float64', shape: [], data: [] }));
      await expectOp(ctx, g.op, asOpCase(g, { dtype: oracle.dtype, shape: oracle.shape, data: Array.from(oracle.data) }));
    },
  }));
}
