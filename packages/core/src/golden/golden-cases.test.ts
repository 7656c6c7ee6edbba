import { describe, expect, it } from 'vitest';
import { inferOp } from '../ir/graph.js';
import { sizeOf } from '../ir/shape.js';
import { OP_NAMES } from '../ops/registry.js';
import { loadAllGoldenCases } from './load-golden.js';

describe('golden op cases', () => {
  const files = loadAllGoldenCases();

  it('cover every op of the op set', () => {
    expect(files.map((f) => f.op)).toEqual(OP_NAMES);
    for (const file of files) expect(file.cases.length, file.op).toBeGreaterThan(0);
  });

  // PyTorch computed the expected outputs, so its shapes check the IR's shape rules.
  it.each(files.flatMap((f) => f.cases.map((c) => [f.op, c.name, c] as const)))('%s/%s: the op rule infers the expected type', (op, _name, c) => {
    for (const t of [...c.inputs, c.expected]) expect(t.data.length).toBe(sizeOf(t.shape));
    const { type } = inferOp(op, c.inputs, c.attrs);
    expect(type).toEqual({ dtype: c.expected.dtype, shape: c.expected.shape });
  });
});
