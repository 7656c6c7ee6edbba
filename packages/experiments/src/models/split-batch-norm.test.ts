import { BatchNorm, bindModel, Tracer, type Module, type Program } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import { shuffleAcrossSplits, SplitBatchNorm, unshuffleAcrossSplits } from './split-batch-norm.js';

function trace(module: Module, shape: number[], training: boolean): Program {
  const tracer = new Tracer('bn');
  const vars = bindModel(tracer, module, { seed: 1 });
  tracer.output('y', module.apply(vars, tracer.input('x', 'float32', shape), { training }));
  return tracer.build();
}

/** The op sequence of a program, for comparing two traces' structure. */
function ops(program: Program): string[] {
  return program.graph.nodes.map((n) => (n.kind === 'op' ? `${n.op}[${n.shape.join(',')}]` : n.kind));
}

describe('SplitBatchNorm', () => {
  it("has BatchNorm's parameters and buffers, names, shapes and initial values", () => {
    expect(new SplitBatchNorm(3, 2).specs('bn.')).toEqual(new BatchNorm(3).specs('bn.'));
    expect(new SplitBatchNorm(3, 2, { affine: false }).specs()).toEqual(new BatchNorm(3, { affine: false }).specs());
  });

  it('is BatchNorm in eval mode, and in training with one split', () => {
    expect(ops(trace(new SplitBatchNorm(3, 2), [4, 3, 2, 2], false))).toEqual(ops(trace(new BatchNorm(3), [4, 3, 2, 2], false)));
    expect(ops(trace(new SplitBatchNorm(3, 1), [4, 3, 2, 2], true))).toEqual(ops(trace(new BatchNorm(3), [4, 3, 2, 2], true)));
  });

  it('normalises over [N/S, H, W] per split in training and updates the three buffers', () => {
    const program = trace(new SplitBatchNorm(3, 2), [4, 3, 2, 2], true);
    const reductions = program.graph.nodes.filter((n) => n.kind === 'op' && n.op === 'reduceSum').map((n) => n.shape.join(','));
    expect(reductions).toContain('1,2,3,1,1');
    expect(ops(program)).not.toEqual(ops(trace(new BatchNorm(3), [4, 3, 2, 2], true)));
    expect(trace(new SplitBatchNorm(3, 2), [4, 3], true).outputs.map((o) => program.graph.node(o.node).shape)).toEqual([[4, 3, 2, 2]]);
  });

  it('refuses a batch the splits do not divide, or splits with a single value per channel', () => {
    expect(() => trace(new SplitBatchNorm(3, 4), [6, 3, 2, 2], true)).toThrow('SplitBatchNorm: 4 splits must divide the batch 6');
    expect(() => trace(new SplitBatchNorm(3, 4), [4, 3], true)).toThrow('needs more than one value per channel and split');
    expect(() => new SplitBatchNorm(3, 0)).toThrow('splits must be a positive integer');
  });
});

describe('shuffleAcrossSplits', () => {
  it('is the identity when there is one split or one sample per split, and checks the batch', () => {
    const tracer = new Tracer('shuffle');
    const x = tracer.input('x', 'float32', [8, 3]);
    expect(shuffleAcrossSplits(x, 1)).toBe(x);
    expect(unshuffleAcrossSplits(x, 8)).toBe(x);
    expect(shuffleAcrossSplits(x, 2).shape).toEqual([8, 3]);
    expect(() => shuffleAcrossSplits(x, 3)).toThrow('shuffleAcrossSplits: 3 splits must divide the batch 8');
  });
});
