import { describe, expect, it } from 'vitest';
import { Tracer } from '../trace/tracer.js';
import { grad, vjp } from './grad.js';
import { isDifferentiable, VJPS } from './vjp/registry.js';
import type { NotDifferentiable } from './vjp/vjp-rule.js';
import { OP_NAMES } from '../ops/registry.js';

/** The ids of every node `id` is computed from, itself included. */
function ancestors(t: Tracer, id: number): Set<number> {
  const seen = new Set<number>();
  const visit = (n: number): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const node = t.graph.node(n);
    if (node.kind === 'op') node.inputs.forEach(visit);
  };
  visit(id);
  return seen;
}

/** The ops `id` is computed from. */
function opsOf(t: Tracer, id: number): string[] {
  return [...ancestors(t, id)].map((n) => t.graph.node(n)).flatMap((node) => (node.kind === 'op' ? [node.op] : []));
}

describe('autodiff', () => {
  it('has a VJP rule for every op but the four it states a reason for', () => {
    expect(Object.keys(VJPS).sort()).toEqual([...OP_NAMES].sort());
    const stated = OP_NAMES.filter((op) => !isDifferentiable(op));
    expect(stated).toEqual(['constant', 'greater', 'equal', 'argMax']);
    for (const op of stated) expect((VJPS[op] as NotDifferentiable).notDifferentiable, op).toMatch(/\w{4}/);
    for (const op of OP_NAMES.filter(isDifferentiable)) expect(typeof VJPS[op], op).toBe('function');
  });

  it('differentiates with respect to an intermediate activation (Grad-CAM): d(sum h^2)/dh = 2h reads h, not the relu mask', () => {
    const t = new Tracer('cam');
    const x = t.input('x', 'float32', [2, 3]);
    const h = x.relu(); // the activation Grad-CAM needs
    const score = h.mul(h).sum();
    const [gh, gx] = grad(score, [h, x]);
    expect(gh!.shape).toEqual([2, 3]);
    // 2h: h times the cotangent, twice (h is both factors), and no relu mask greater(x, 0).
    expect(ancestors(t, gh!.id).has(h.id)).toBe(true);
    expect(opsOf(t, gh!.id)).not.toContain('greater');
    expect(t.graph.node(gh!.id)).toMatchObject({ kind: 'op', op: 'add' });
    // Through to x, the relu mask does enter: the check above tells the two apart.
    expect(opsOf(t, gx!.id)).toContain('greater');
  });

  it('passes no gradient through stopGradient and gives zeros for unreachable inputs', () => {
    const t = new Tracer('sg');
    const x = t.input('x', 'float32', [3]);
    const y = t.input('y', 'float32', [3]);
    const stopped = x.stopGradient();
    const [gx, gy] = grad(stopped.mul(x).sum(), [x, y]);
    // d/dx (sg(x) * x) = sg(x): one term, the stopped factor; without the stop it is x + x, an add.
    const gxNode = t.graph.node(gx!.id);
    expect(gxNode).toMatchObject({ kind: 'op', op: 'mul' });
    expect(gxNode.kind === 'op' && gxNode.inputs).toContain(stopped.id);
    expect(opsOf(t, gx!.id)).not.toContain('add');
    const [free] = grad(x.mul(x).sum(), [x]);
    expect(t.graph.node(free!.id)).toMatchObject({ kind: 'op', op: 'add' });
    // y is unreachable: a constant 0 of its shape.
    expect(t.graph.node(gy!.id)).toMatchObject({ kind: 'op', op: 'constant', attrs: { value: 0, dtype: 'float32', shape: [3] } });
  });

  it('accumulates the cotangents of a value used twice: d(sum(x + x))/dx = g + g', () => {
    const t = new Tracer('fanout');
    const x = t.input('x', 'float32', [2]);
    const [g] = grad(x.add(x).sum(), [x]);
    const node = t.graph.node(g!.id);
    // Both uses receive the same cotangent (the sum's ones), added once.
    expect(node.kind === 'op' && node.op).toBe('add');
    expect(node.kind === 'op' && node.inputs[0] === node.inputs[1]).toBe(true);
    const [once] = grad(x.sum(), [x]);
    expect(opsOf(t, once!.id)).not.toContain('add');
  });

  it('rejects what cannot be differentiated, naming it', () => {
    const t = new Tracer('bad');
    const x = t.input('x', 'float32', [2]);
    const labels = t.input('labels', 'int32', [2]);
    expect(() => grad(x.mul(2), [x])).toThrow('the loss must be a scalar, got shape [2]');
    expect(() => grad(x.sum(), [labels])).toThrow('cannot differentiate with respect to a int32 tensor');
    expect(() => vjp([x], [t.input('v', 'float32', [3])], [x])).toThrow('cotangent 0 is float32[3] but output 0 is float32[2]');
  });
});
