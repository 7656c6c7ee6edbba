import { bindModel, commitBuffers, hostTensor, Tracer, type Executable, type Program } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { shuffleAcrossSplits, SplitBatchNorm, unshuffleAcrossSplits } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const driver = new ReferenceDriver();
beforeAll(() => driver.init());
afterAll(() => driver.dispose());

const EPS = 1e-5;

function bnProgram(training: boolean, shape: number[]): Program {
  const tracer = new Tracer(`split-bn-${training ? 'train' : 'eval'}`);
  const bn = new SplitBatchNorm(2, 2);
  const vars = bindModel(tracer, bn, { seed: 1, prefix: 'bn.' });
  tracer.output('y', bn.apply(vars, tracer.input('x', 'float32', shape), { training, prefix: 'bn.' }));
  commitBuffers(tracer, vars);
  return tracer.build();
}

/*
 * x [4, 2], two splits: sample n is in split n mod 2, as the demo's view(N/S, S*C).
 *   channel 0: 1, 10, 3, 20  -> split 0 {1, 3}: mean 2, var 1;  split 1 {10, 20}: mean 15, var 25
 *   channel 1: 0,  4, 2,  4  -> split 0 {0, 2}: mean 1, var 1;  split 1 {4, 4}:   mean 4, var 0
 * y = (x - mean_split) / sqrt(var_split + eps) * weight + bias, with weight (2, 3) and bias (0.5, -1),
 * so for example y[1, 0] = (10 - 15) / sqrt(25 + eps) * 2 + 0.5 = -1.5 and y[1, 1] = 0 * 3 - 1 = -1.
 * Running statistics (momentum 0.1, from mean 0 and var 1), averaged over the splits,
 * the variance unbiased within a split (2 values: x2):
 *   running_mean = 0.1 * ((2 + 15) / 2, (1 + 4) / 2)          = (0.85, 0.25)
 *   running_var  = 0.9 + 0.1 * ((2 + 50) / 2, (2 + 0) / 2)    = (3.5, 1.0)
 * A plain BatchNorm would give running_mean (0.85, 0.25) too but running_var 0.9 + 0.1 * (73.67, 3.67) (unbiased variance of all four values).
 */
const X = [1, 0, 10, 4, 3, 2, 20, 4];

describe('SplitBatchNorm on the reference driver', () => {
  let train: Executable;
  beforeAll(async () => {
    train = await driver.compile(bnProgram(true, [4, 2]));
    await train.writeState({ 'bn.weight': hostTensor('float32', [2], [2, 3]), 'bn.bias': hostTensor('float32', [2], [0.5, -1]) });
  });
  afterAll(() => train.dispose());

  it('normalises each split with its own statistics, then scales and shifts per channel', async () => {
    const { y } = await train.run({ x: hostTensor('float32', [4, 2], X) });
    const n = (x: number, m: number, v: number) => (x - m) / Math.sqrt(v + EPS);
    const expected = [
      [n(1, 2, 1) * 2 + 0.5, n(0, 1, 1) * 3 - 1],
      [n(10, 15, 25) * 2 + 0.5, n(4, 4, 0) * 3 - 1],
      [n(3, 2, 1) * 2 + 0.5, n(2, 1, 1) * 3 - 1],
      [n(20, 15, 25) * 2 + 0.5, n(4, 4, 0) * 3 - 1],
    ].flat();
    Array.from(y!.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect([y!.data[2], y!.data[3]]).toEqual([expect.closeTo(-1.5, 4), -1]); // a split of equal values normalises to 0
  });

  it('keeps the running statistics averaged over the splits, and counts the batch', async () => {
    const state = await train.readState(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
    expect(Array.from(state['bn.running_mean']!.data)).toEqual([expect.closeTo(0.85, 6), expect.closeTo(0.25, 6)]);
    expect(Array.from(state['bn.running_var']!.data)).toEqual([expect.closeTo(3.5, 6), expect.closeTo(1.0, 6)]);
    expect(Array.from(state['bn.num_batches_tracked']!.data)).toEqual([1]);
  });

  it('is BatchNorm with the running statistics in eval mode, over the whole batch', async () => {
    const evalStep = await driver.compile(bnProgram(false, [4, 2]), { shareState: train });
    try {
      const { y } = await evalStep.run({ x: hostTensor('float32', [4, 2], X) });
      const mean = [0.85, 0.25];
      const variance = [3.5, 1.0];
      const [w, b] = [[2, 3], [0.5, -1]];
      X.forEach((x, i) => expect(y!.data[i]).toBeCloseTo(((x - mean[i % 2]!) / Math.sqrt(variance[i % 2]! + EPS)) * w![i % 2]! + b![i % 2]!, 5));
    } finally {
      evalStep.dispose();
    }
  });

  it('normalises [N, C, H, W] over the split and the pixels', async () => {
    const exec = await driver.compile(bnProgram(true, [2, 2, 1, 2]));
    try {
      // Two splits of one sample each: every (sample, channel) pair is normalised over its 2 pixels.
      const { y } = await exec.run({ x: hostTensor('float32', [2, 2, 1, 2], [0, 2, 5, 5, 1, 7, -3, -1]) });
      const s = 1 / Math.sqrt(1 + EPS);
      const t = 1 / Math.sqrt(9 + EPS);
      [-s, s, 0, 0, -3 * t, 3 * t, -s, s].forEach((v, i) => expect(y!.data[i]).toBeCloseTo(v, 5));
    } finally {
      exec.dispose();
    }
  });
});

describe('shuffleAcrossSplits on the reference driver', () => {
  async function permute(splits: number, batch: number): Promise<{ shuffled: number[]; restored: number[] }> {
    const tracer = new Tracer('shuffle');
    const x = tracer.input('x', 'float32', [batch, 2]);
    const shuffled = shuffleAcrossSplits(x, splits);
    tracer.output('shuffled', shuffled);
    tracer.output('restored', unshuffleAcrossSplits(shuffled, splits));
    const exec = await driver.compile(tracer.build());
    try {
      // Row i holds (i, 100 + i), so a row is read back whole.
      const out = await exec.run({ x: hostTensor('float32', [batch, 2], Array.from({ length: batch }, (_, i) => [i, 100 + i]).flat()) });
      const rows = (t: ArrayLike<number>) => Array.from({ length: batch }, (_, i) => (expect(t[2 * i + 1]).toBe(100 + t[2 * i]!), t[2 * i]!));
      return { shuffled: rows(out['shuffled']!.data), restored: rows(out['restored']!.data) };
    } finally {
      exec.dispose();
    }
  }

  it('reads the batch column-wise from its [N/S, S] grid, and unshuffles back', async () => {
    // 2 splits of 4: split 0 = {0, 2, 4, 6} goes to positions 0-3, which fall in splits 0, 1, 0, 1.
    expect(await permute(2, 8)).toEqual({ shuffled: [0, 2, 4, 6, 1, 3, 5, 7], restored: [0, 1, 2, 3, 4, 5, 6, 7] });
    expect(await permute(4, 8)).toEqual({ shuffled: [0, 4, 1, 5, 2, 6, 3, 7], restored: [0, 1, 2, 3, 4, 5, 6, 7] });
  });
});
