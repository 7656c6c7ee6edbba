import { describe, expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode } from '../errors.js';
import { ProgramBuilder } from './program-builder.js';
import { validateProgram } from './validate-program.js';
import type { Program } from './program.js';

function programError(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(hasErrorCode(error, ERROR_CODES.programInvalid)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a program validation error');
}

/** w <- w - lr * x: the smallest program with an input, a slot, an update and an output. */
function sgdLike(): ProgramBuilder {
  const b = new ProgramBuilder('step');
  const x = b.input('x', 'float32', [3]);
  const lr = b.input('lr', 'float32', []);
  const w = b.state({ name: 'w', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 1 }, trainable: true });
  const next = b.op('sub', [w, b.op('mul', [lr, x], {})], {});
  b.update('w', next);
  b.output('w_next', next);
  return b;
}

describe('ProgramBuilder', () => {
  it('builds a frozen, validated Program with its signature', () => {
    const program = sgdLike().build();
    expect(program.inputs.map((i) => i.name)).toEqual(['x', 'lr']);
    expect(program.state.map((s) => [s.name, s.trainable])).toEqual([['w', true]]);
    expect(program.updates).toHaveLength(1);
    expect(() => program.graph.addInput('late', { dtype: 'float32', shape: [] })).toThrow(/cannot change/);
  });

  it('rejects duplicate names', () => {
    const b = sgdLike();
    b.input('x', 'float32', [3]);
    expect(programError(() => b.build())).toBe("program 'step': input 'x' is declared twice");
    const c = sgdLike();
    c.output('w_next', 0);
    expect(programError(() => c.build())).toContain("output 'w_next' is declared twice");
    const d = sgdLike();
    d.update('w', 2);
    expect(programError(() => d.build())).toContain("update of slot 'w' is declared twice");
  });

  it('rejects updates of unknown slots or of another type', () => {
    const b = sgdLike();
    b.update('v', 0);
    expect(programError(() => b.build())).toContain("update targets unknown slot 'v'");
    const c = new ProgramBuilder('bad-update');
    const lr = c.input('lr', 'float32', []);
    c.state({ name: 'w', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 0 }, trainable: true });
    c.update('w', lr);
    expect(programError(() => c.build())).toContain("the update of 'w' is float32[] but the slot is float32[3]");
  });

  it('rejects init values of the wrong size and programs that do nothing', () => {
    const b = new ProgramBuilder('bad-init');
    const w = b.state({ name: 'w', dtype: 'float32', shape: [2, 2], init: { kind: 'values', values: [1, 2, 3] }, trainable: false });
    b.output('w', w);
    expect(programError(() => b.build())).toContain("state slot 'w' [2,2] holds 4 values but its init gives 3");
    const c = new ProgramBuilder('idle');
    c.input('x', 'float32', [1]);
    expect(programError(() => c.build())).toContain('no outputs and no state updates');
  });

  it('re-checks hand-made programs: a node whose recorded type disagrees with its rule', () => {
    const program = sgdLike().build();
    const nodes = program.graph.nodes.map((n) => (n.kind === 'op' && n.op === 'mul' ? { ...n, shape: [4] } : n));
    const forged = { ...program, graph: { nodes, node: (id: number) => nodes[id]! } } as unknown as Program;
    expect(programError(() => validateProgram(forged))).toContain('(mul) records float32[4] but its rule gives float32[3]');
  });
});
