import { describe, expect, it } from 'vitest';
import { ProgramBuilder, type Program } from '@ltssl/core';
import { kernelsOf } from '../testing/kernels-of.js';
import { planStep } from './step-plan.js';
import { buildUnits } from './units.js';

/** x -> a = exp(x) -> r = reshape(a) -> b = neg(r) -> c = exp(b); outputs c and (optionally) a. */
function program(): Program {
  const p = new ProgramBuilder('plan');
  const x = p.input('x', 'float32', [64]);
  const a = p.op('exp', [x], {});
  const r = p.op('reshape', [a], { shape: [8, 8] });
  const b = p.op('neg', [r], {});
  const c = p.op('exp', [b], {});
  const unused = p.op('sqrt', [x], {});
  p.output('c', c);
  p.output('a', a);
  p.output('unused', unused);
  return p.build();
}

describe('step plans', () => {
  it('computes only what the fetches and updates need, in graph order', () => {
    const prog = program();
    const plan = planStep(prog, buildUnits(prog, kernelsOf(prog), []), ['c']);
    expect(plan.dispatches.map((d) => d.dispatch.kernel)).toEqual(['exp', 'neg', 'exp']);
    expect(plan.feeds).toEqual(['x']);
  });

  it('reuses a slot once its value (and every alias of it) is read for the last time', () => {
    const prog = program();
    const plan = planStep(prog, buildUnits(prog, kernelsOf(prog), []), ['c']);
    const [a, b, c] = plan.dispatches.map((d) => d.buffers.at(-1)!);
    // a (seen through the reshape) is last read by neg, so c may take a's slot; b is still being read by c's kernel.
    expect(a).toEqual({ kind: 'pool', slot: 0 });
    expect(b).toEqual({ kind: 'pool', slot: 1 });
    expect(c).toEqual({ kind: 'pool', slot: 0 });
    expect(plan.slotBytes).toEqual([256, 256]);
  });

  it('keeps fetched values to the end of the step', () => {
    const prog = program();
    const plan = planStep(prog, buildUnits(prog, kernelsOf(prog), []), ['c', 'a']);
    const slots = plan.dispatches.map((d) => (d.buffers.at(-1) as { slot: number }).slot);
    expect(new Set(slots).size).toBe(3);
    expect(plan.outputs.map((o) => [o.name, o.from])).toEqual([
      ['c', { kind: 'pool', slot: slots[2] }],
      ['a', { kind: 'pool', slot: slots[0] }],
    ]);
  });
});
