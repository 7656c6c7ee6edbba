import { describe, expect, it } from 'vitest';
import { Tracer } from '../trace/tracer.js';
import { grad, vjp } from './grad.js';
import { VJPS } from './vjp/registry.js';
import { OP_NAMES } from '../ops/registry.js';

describe('autodiff', () => {
  it('has a rule or a stated reason for every op', () => {
    for (const op of OP_NAMES) expect(VJPS[op], op).toBeDefined();
  });

  it('differentiates with respect to an intermediate activation (Grad-CAM)', () => {
    const t = new Tracer('cam');
    const x = t.input('x', 'float32', [2, 3]);
    const h = x.relu(); // the activation Grad-CAM needs
    const score = h.mul(h).sum();
    const [gh] = grad(score, [h]);
    expect(gh!.shape).toEqual([2, 3]);
    // d(sum h^2)/dh = 2h: the gradient reads h, not x's relu mask.
    const node = t.graph.node(gh!.id);
    expect(node.kind).toBe('op');
  });

  it('passes no gradient through stopGradient and gives zeros for unreachable inputs', () => {
    const t = new Tracer('sg');
    const x = t.input('x', 'float32', [3]);
    const y = t.input('y', 'float32', [3]);
    const loss = x.stopGradient().mul(x).sum();
    const [gx, gy] = grad(loss, [x, y]);
    // Only the un-stopped factor contributes: d/dx (sg(x) * x) = sg(x).
    const gxNode = t.graph.node(gx!.id);
    expect(gxNode.kind === 'op' && gxNode.op).not.toBe('constant');
    const gyNode = t.graph.node(gy!.id);
    expect(gyNode.kind === 'op' && gyNode.op).toBe('constant');
    expect(gy!.shape).toEqual([3]);
  });

  it('accumulates the cotangents of a value used twice', () => {
    const t = new Tracer('fanout');
    const x = t.input('x', 'float32', [2]);
    const [g] = grad(x.add(x).sum(), [x]);
    const node = t.graph.node(g!.id);
    expect(node.kind === 'op' && node.op).toBe('add');
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
