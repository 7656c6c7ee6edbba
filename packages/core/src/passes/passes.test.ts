import { describe, expect, it } from 'vitest';
import type { OpNode } from '../ir/graph.js';
import type { Program } from '../program/program.js';
import { Tracer } from '../trace/tracer.js';
import { algebraicSimplification } from './algebraic-simplification.js';
import { commonSubexpressions } from './common-subexpressions.js';
import { constantFolding, FOLD_LIMIT } from './constant-folding.js';
import { deadState } from './dead-state.js';
import { liveOpCount } from './graph-pass.js';
import { optimizeProgram } from './registry.js';

/** The op names of the nodes an output or update needs, in order. */
function liveOps(p: Program): string[] {
  return deadState.run(p).graph.nodes.flatMap((n) => (n.kind === 'op' ? [n.op] : []));
}

/** The node an output reads. */
function outputNode(p: Program, name = 'y'): OpNode | undefined {
  const node = p.graph.node(p.outputs.find((o) => o.name === name)!.node);
  return node.kind === 'op' ? node : undefined;
}

describe('algebraic simplification', () => {
  it('sees through reshape chains, no-op layouts, double negation and products with one', () => {
    const t = new Tracer('simplify');
    const x = t.input('x', 'float32', [2, 3]);
    const chain = x.reshape([3, 2]).reshape([6]).reshape([2, 3]); // back to x's shape
    const twice = x.transpose([1, 0]).transpose([1, 0]);
    t.output('y', chain.add(twice).neg().neg().mul(1).broadcastTo([2, 3]));
    const p = algebraicSimplification.run(t.build({ passes: [] }));
    expect(liveOps(p)).toEqual(['add']);
  });

  it('composes a transpose of a transpose, and keeps x + 0 (it turns -0 into +0)', () => {
    const t = new Tracer('compose');
    const x = t.input('x', 'float32', [2, 3, 4]);
    t.output('y', x.transpose([1, 2, 0]).transpose([1, 2, 0]).add(0));
    const p = algebraicSimplification.run(t.build({ passes: [] }));
    expect(liveOps(p)).toEqual(['transpose', 'constant', 'add']);
    const transpose = deadState.run(p).graph.nodes.find((n) => n.kind === 'op' && n.op === 'transpose') as OpNode<'transpose'>;
    expect(transpose.attrs.perm).toEqual([2, 0, 1]);
  });

  it('keeps x * 1 when the one broadcasts x to a larger shape', () => {
    const t = new Tracer('broadcasting-one');
    const x = t.input('x', 'float32', [3]);
    t.output('y', x.mul(t.constant(1, 'float32', [2, 3])));
    expect(liveOps(algebraicSimplification.run(t.build({ passes: [] })))).toEqual(['constant', 'mul']);
  });
});

describe('constant folding', () => {
  it('computes constant chains as a float32 engine would, rounding after every op', () => {
    const t = new Tracer('fold');
    const x = t.input('x', 'float32', [2]);
    const third = t.constant(1).div(3).neg(); // float32: -fround(1 / 3)
    t.output('y', x.mul(third));
    const p = constantFolding.run(t.build({ passes: [] }));
    const folded = p.graph.node(outputNode(p)!.inputs[1]!) as OpNode<'constant'>;
    expect(folded.op).toBe('constant');
    expect(folded.attrs.value).toBe(-Math.fround(1 / 3));
    expect(liveOps(p)).toEqual(['constant', 'mul']);
  });

  it('turns a broadcast fill into one fill of any size, and small tensors into literals', () => {
    const t = new Tracer('fills');
    const big = t.constant(0.5, 'float32', [1]).broadcastTo([64, 64]);
    const iota = t.constant([0, 1, 2], 'int32', [3]);
    const eye = iota.reshape([3, 1]).equal(iota.reshape([1, 3])).cast('float32'); // [3, 3]
    t.output('big', t.input('x', 'float32', [64, 64]).mul(big));
    t.output('y', eye);
    const p = constantFolding.run(t.build({ passes: [] }));
    const fill = p.graph.node(outputNode(p, 'big')!.inputs[1]!) as OpNode<'constant'>;
    expect(fill.attrs).toEqual({ dtype: 'float32', shape: [64, 64], value: 0.5 });
    const literal = p.graph.node(p.outputs.find((o) => o.name === 'y')!.node) as OpNode<'constant'>;
    expect(literal.attrs.value).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('leaves non-finite results and large non-uniform tensors to the driver', () => {
    const t = new Tracer('unfolded');
    const n = Math.ceil(Math.sqrt(FOLD_LIMIT)) + 1;
    const iota = t.constant(Array.from({ length: n }, (_, i) => i), 'int32', [n]);
    t.output('eye', iota.reshape([n, 1]).equal(iota.reshape([1, n]))); // [n, n] > FOLD_LIMIT
    t.output('y', t.constant(0).log());
    const p = constantFolding.run(t.build({ passes: [] }));
    expect(outputNode(p, 'eye')!.op).toBe('equal');
    expect(outputNode(p, 'y')!.op).toBe('log');
  });

  it('wraps int32 arithmetic and truncates casts to int32 toward zero', () => {
    const t = new Tracer('int32');
    t.output('y', t.constant(2 ** 30, 'int32').mul(4).add(t.constant(-2.7).cast('int32')));
    const p = constantFolding.run(t.build({ passes: [] }));
    expect((outputNode(p) as OpNode<'constant'>).attrs.value).toBe(-2);
  });
});

describe('common subexpressions', () => {
  it('merges equal constants and equal ops, commutative ones in either order', () => {
    const t = new Tracer('cse');
    const x = t.input('x', 'float32', [4]);
    const w = t.input('w', 'float32', [4]);
    const a = x.mul(w).add(1e-5);
    const b = w.mul(x).add(1e-5);
    t.output('y', a.sub(b).add(x.sub(w)).add(w.sub(x))); // sub is not commutative: both stay
    const p = commonSubexpressions.run(t.build({ passes: [] }));
    expect(liveOps(p).sort()).toEqual(['add', 'add', 'add', 'constant', 'mul', 'sub', 'sub', 'sub'].sort());
  });
});

describe('dead state', () => {
  it("drops ops nothing reads and updates that write a slot's own value, and keeps every slot", () => {
    const t = new Tracer('dead');
    const w = t.state({ name: 'w', dtype: 'float32', shape: [2], init: { kind: 'fill', value: 1 }, trainable: true });
    const v = t.state({ name: 'v', dtype: 'float32', shape: [2], init: { kind: 'fill', value: 0 }, trainable: false });
    const x = t.input('x', 'float32', [2]);
    x.exp(); // unused
    t.update('w', w.add(x));
    t.update('v', v.reshape([2])); // v <- v, once simplified
    const p = optimizeProgram(t.build({ passes: [] }));
    expect(p.updates.map((u) => u.slot)).toEqual(['w']);
    expect(p.state.map((s) => s.name)).toEqual(['w', 'v']);
    expect(liveOpCount(p)).toBe(1);
    expect(p.graph.nodes.some((n) => n.kind === 'op' && n.op === 'exp')).toBe(false);
  });
});
