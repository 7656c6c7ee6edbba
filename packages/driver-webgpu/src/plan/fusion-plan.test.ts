import { describe, expect, it } from 'vitest';
import { bindModel, crossEntropy, Linear, minimize, ProgramBuilder, Sgd, SmallCnn, Tracer, type Program } from '@ltssl/core';
import { kernelsOf } from '../testing/kernels-of.js';
import { planFusion } from './fusion-plan.js';
import { planStep } from './step-plan.js';
import { buildUnits } from './units.js';

const LIMITS = { maxStorageBuffers: 8 };

/** BatchNorm's apply and ReLU over NCHW: relu((x - mean) * inverseStd * weight + bias), per-channel statistics. */
function batchNormApply(fetchCentered: boolean): Program {
  const b = new ProgramBuilder('bn-apply');
  const x = b.input('x', 'float32', [2, 3, 4, 4]);
  const mean = b.input('mean', 'float32', [1, 3, 1, 1]);
  const inverseStd = b.input('inverseStd', 'float32', [1, 3, 1, 1]);
  const weight = b.state({ name: 'weight', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 1 }, trainable: true });
  const bias = b.state({ name: 'bias', dtype: 'float32', shape: [3], init: { kind: 'fill', value: 0 }, trainable: true });
  const centered = b.op('sub', [x, mean], {});
  const scaled = b.op('mul', [b.op('mul', [centered, inverseStd], {}), b.op('reshape', [weight], { shape: [1, 3, 1, 1] })], {});
  const y = b.op('relu', [b.op('add', [scaled, b.op('reshape', [bias], { shape: [1, 3, 1, 1] })], {})], {});
  b.output('y', y);
  if (fetchCentered) b.output('centered', centered);
  return b.build();
}

function groupsOf(program: Program) {
  return planFusion(program, kernelsOf(program), LIMITS);
}

function smallCnnStep(): Program {
  const t = new Tracer('small-cnn-step');
  const x = t.input('x', 'float32', [8, 3, 16, 16]);
  const labels = t.input('labels', 'int32', [8]);
  const lr = t.input('lr', 'float32', []);
  const cnn = new SmallCnn({ inChannels: 3, width: 4 });
  const head = new Linear(cnn.featureDim, 10);
  const ev = bindModel(t, cnn, { seed: 0, prefix: 'encoder.' });
  const hv = bindModel(t, head, { seed: 0, prefix: 'head.' });
  const loss = crossEntropy(head.apply(hv, cnn.apply(ev, x, { training: true, prefix: 'encoder.' }), { training: true, prefix: 'head.' }), labels);
  minimize(t, loss, [ev, hv], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  t.output('loss', loss);
  return t.build();
}

describe('the fusion plan', () => {
  it("fuses BatchNorm's apply and ReLU into one kernel that writes only the result", () => {
    const program = batchNormApply(false);
    const [group, ...rest] = groupsOf(program);
    expect(rest).toEqual([]);
    expect(group!.members.map((m) => (program.graph.node(m) as { op: string }).op)).toEqual(['sub', 'mul', 'mul', 'add', 'relu']);
    expect(group!.writes).toEqual([program.outputs[0]!.node]);
    // x, the two statistics and the two state slots (read through their reshapes): five buffers, no copies.
    expect(group!.reads.map((r) => program.graph.node(r)).map((n) => (n.kind === 'op' ? n.op : n.name))).toEqual(['x', 'mean', 'inverseStd', 'weight', 'bias']);
    const plan = planStep(program, buildUnits(program, kernelsOf(program), [group!]), ['y']);
    expect(plan.dispatches).toHaveLength(1);
    expect(plan.slotBytes).toEqual([2 * 3 * 4 * 4 * 4]);
  });

  it('keeps a fused value that is fetched', () => {
    const program = batchNormApply(true);
    const [group] = groupsOf(program);
    expect(group!.writes).toEqual([program.outputs[1]!.node, program.outputs[0]!.node]);
  });

  it('does not fuse across a reduction of the chain itself (the group would wait on its own output)', () => {
    const b = new ProgramBuilder('softmax-like');
    const x = b.input('x', 'float32', [4, 5]);
    const e = b.op('exp', [b.op('neg', [x], {})], {});
    const total = b.op('reduceSum', [e], { axes: [1], keepDims: true });
    const y = b.op('div', [e, total], {}); // reads e element for element, and the reduction of e
    b.output('y', b.op('sqrt', [y], {}));
    const program = b.build();
    const groups = groupsOf(program);
    expect(groups.map((g) => g.members.map((m) => (program.graph.node(m) as { op: string }).op))).toEqual([['neg', 'exp'], ['div', 'sqrt']]);
    // exp is read by the reduction outside its group: written; neg is not.
    expect(groups[0]!.writes).toEqual([e]);
    buildUnits(program, kernelsOf(program), groups); // a DAG: throws on a cycle
  });

  it('puts scalar constants in the uniform and reads a broadcastTo through its source', () => {
    const b = new ProgramBuilder('scalars');
    const x = b.input('x', 'float32', [6, 4]);
    const row = b.input('row', 'float32', [6, 1]);
    const wide = b.op('broadcastTo', [row], { shape: [6, 4] });
    const y = b.op('mul', [b.op('add', [x, wide], {}), b.op('constant', [], { dtype: 'float32', shape: [], value: 0.5 })], {});
    b.output('y', y);
    const program = b.build();
    const [group] = groupsOf(program);
    expect(group!.reads).toEqual([x, row]);
    expect(group!.plan.kind === 'dispatch' && group!.plan.dispatches[0]!.shader).toContain('bitcast<f32>(prm(4u))');
  });

  it('never binds more storage buffers than the device allows', () => {
    const b = new ProgramBuilder('wide-sum');
    let sum = b.input('x0', 'float32', [16]);
    for (let i = 1; i < 12; i++) sum = b.op('add', [sum, b.input(`x${i}`, 'float32', [16])], {});
    b.output('y', sum);
    const program = b.build();
    const groups = planFusion(program, kernelsOf(program), { maxStorageBuffers: 5 });
    for (const g of groups) expect(g.reads.length + g.writes.length).toBeLessThanOrEqual(5);
    expect(groups.reduce((n, g) => n + g.members.length, 0)).toBeGreaterThan(6);
  });

  it("runs the small CNN's training step in under half the dispatches", () => {
    const program = smallCnnStep();
    const kernels = kernelsOf(program);
    const unfused = planStep(program, buildUnits(program, kernels, []), ['loss']).dispatches.length;
    const fused = planStep(program, buildUnits(program, kernels, planFusion(program, kernels, LIMITS)), ['loss']).dispatches.length;
    expect(fused).toBeLessThan(unfused / 2);
  });
});
