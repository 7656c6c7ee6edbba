import type { DType } from '../ir/dtype.js';
import type { Attrs } from '../ir/op-def.js';
import type { Shape } from '../ir/shape.js';
import type { AttrsOf, OpName } from '../ops/registry.js';
import type { Program } from './program.js';
import { ProgramBuilder } from './program-builder.js';

/**
 * A Program that applies one op to fed inputs `x0`, `x1`, ... and outputs `y`:
 * how op cases run on a driver.
 */
export function singleOpProgram(op: OpName, inputs: readonly { dtype: DType; shape: Shape }[], attrs: Attrs): Program {
  const builder = new ProgramBuilder(`op:${op}`);
  const ids = inputs.map((t, i) => builder.input(`x${i}`, t.dtype, t.shape));
  builder.output('y', builder.op(op, ids, attrs as AttrsOf<typeof op>));
  return builder.build();
}
