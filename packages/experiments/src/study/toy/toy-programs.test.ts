import type { Program } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import { buildHeadPredict, buildHeadStep, PROBE_PREFIX } from '../../eval/probe-programs.js';
import { buildToyFeatures, TOY_WEIGHT_SLOT } from './toy-encoder.js';
import { buildToySlStep } from './toy-sl.js';
import { buildToySslStep } from './toy-ssl.js';

const shape = { dim: 6, width: 3 };
const signature = (p: Program, kind: 'inputs' | 'state'): string[] => p[kind].map((s) => `${s.name}:${s.dtype}[${s.shape.join(',')}]`);
const initial = (p: Program, slot: string): unknown => p.state.find((s) => s.name === slot)!.init;

describe('toy programs', () => {
  const sl = buildToySlStep(shape, 10, 1e-3, 5);
  const ssl = buildToySslStep(shape, 4, 0.3, 5);

  it('SL: the whole training set and its labels in, W [m, d] and U [3, m] trained by Adam', () => {
    expect(signature(sl, 'inputs')).toEqual(['x:float32[10,6]', 'labels:int32[10]', 'lr:float32[]']);
    expect(sl.state.filter((s) => s.trainable).map((s) => `${s.name}[${s.shape.join(',')}]`)).toEqual(['encoder.weight[3,6]', 'head.weight[3,3]']);
    expect(sl.state.map((s) => s.name)).toContain('optimizer.encoder.weight.exp_avg_sq');
    expect(sl.outputs.map((o) => o.name)).toEqual(['loss', 'gradNorm', 'minMargin', 'trainAccuracy']);
  });

  it('SSL: a batch and its two noise draws in (no labels, no random op), only W trained, by plain SGD', () => {
    expect(signature(ssl, 'inputs')).toEqual(['x:float32[4,6]', 'xi1:float32[4,6]', 'xi2:float32[4,6]', 'lr:float32[]']);
    expect(signature(ssl, 'state')).toEqual([`${TOY_WEIGHT_SLOT}:float32[3,6]`]);
    expect(ssl.updates.map((u) => u.slot)).toEqual([TOY_WEIGHT_SLOT]);
    expect(ssl.outputs.map((o) => o.name)).toEqual(['loss', 'gradNorm']);
  });

  it('SL, SSL and the feature program share W by name, and a seed gives both arms the same initial W', () => {
    const w = initial(ssl, TOY_WEIGHT_SLOT) as { kind: string; values: ArrayLike<number> };
    expect(w.kind).toBe('values');
    expect(initial(sl, TOY_WEIGHT_SLOT)).toEqual(w);
    expect(initial(buildToySslStep(shape, 4, 0.3, 6), TOY_WEIGHT_SLOT)).not.toEqual(w);
    // PyTorch's Linear default: U(-1/sqrt(d), 1/sqrt(d)).
    expect(Math.max(...Array.from(w.values, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(6));
    expect(signature(buildToyFeatures(shape, 7), 'state')).toEqual([`${TOY_WEIGHT_SLOT}:float32[3,6]`]);
  });

  it("the toy's form of the linear probe is a bias-free V [3, m] from zero, shared by its step and its predictions, with no momentum buffer", () => {
    const form = { bias: false, zeroInit: true };
    const step = buildHeadStep(3, 3, 9, { momentum: 0, weightDecay: 1e-3 }, 0, form);
    expect(step.state.map((s) => [s.name, s.shape, s.init])).toEqual([[`${PROBE_PREFIX}weight`, [3, 3], { kind: 'fill', value: 0 }]]);
    expect(signature(buildHeadPredict(3, 3, 20, form), 'state')).toEqual([`${PROBE_PREFIX}weight:float32[3,3]`]);
    // The default form: PyTorch's Linear, a bias and a seeded weight.
    expect(buildHeadStep(3, 3, 9, { momentum: 0, weightDecay: 0 }, 0).state.map((s) => [s.name, s.init.kind])).toEqual([
      [`${PROBE_PREFIX}weight`, 'values'],
      [`${PROBE_PREFIX}bias`, 'values'],
    ]);
  });
});
