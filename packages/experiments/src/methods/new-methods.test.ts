import { hostTensor, type Program, type StateDict } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import { barlowTwins } from './barlow-twins.js';
import { byol, byolMomentum, TARGET_MOMENTUM_INPUT } from './byol.js';
import { magnitudePruneMasks } from './magnitude-pruning.js';
import type { BatchShape, Method } from './method.js';
import { createMethod } from './registry.js';
import { scheduledFeeds } from './scheduled-feeds.js';
import { repruneMasks, sdclr } from './sdclr.js';
import { simclr, TEMPERATURE_INPUT } from './simclr.js';
import { cosineTemperature } from './temperature-schedule.js';
import { buildTrainStep } from './train-step.js';
import { vicreg } from './vicreg.js';

const encoder = { arch: 'small-cnn', width: 4, inChannels: 1 } as const;
const shape: BatchShape = { batch: 8, channels: 1, height: 8, width: 8, classes: 4 };
const build = (method: Method): Program => buildTrainStep(method, { encoder, shape, seed: 3, momentum: 0.9, weightDecay: 1e-4 });
const signature = (p: Program) => p.inputs.map((i) => `${i.name}:${i.dtype}[${i.shape.join(',')}]`);
const slots = (p: Program, prefix: string) => p.state.filter((s) => s.name.startsWith(prefix)).map((s) => `${s.name}[${s.shape.join(',')}]${s.trainable ? '' : ' fixed'}`);

describe('byol', () => {
  const method = byol({ projectorHiddenDim: 12, projectorDim: 6, predictorHiddenDim: 10 });

  it("takes two views and the target momentum as a per-step input; the target network is untrained state", () => {
    const program = build(method);
    expect(signature(program)).toEqual(['x1:float32[8,1,8,8]', 'x2:float32[8,1,8,8]', 'lr:float32[]', 'targetMomentum:float32[]']);
    expect(slots(program, 'predictor.').filter((s) => s.includes('weight'))).toEqual(['predictor.0.weight[10,6]', 'predictor.1.weight[10]', 'predictor.3.weight[6,10]']);
    expect(slots(program, 'target_projector.').filter((s) => s.endsWith('weight[12,16] fixed') || s.endsWith('weight[6,12] fixed'))).toEqual(['target_projector.0.weight[12,16] fixed', 'target_projector.3.weight[6,12] fixed']);
    expect(program.state.filter((s) => s.trainable).every((s) => /^(encoder|projector|predictor)\./.test(s.name))).toBe(true);
    // The target starts as a copy of the online network.
    const init = (name: string) => program.state.find((s) => s.name === name)!.init;
    expect(init('target_encoder.conv1.weight')).toEqual(init('encoder.conv1.weight'));
  });

  it('schedules tau from tau_base to 1 by a half cosine, feeding step k the tau of step k - 1', () => {
    expect(byolMomentum(0.99, 0, 100)).toBeCloseTo(0.99, 15);
    expect(byolMomentum(0.99, 50, 100)).toBeCloseTo(0.995, 15);
    expect(byolMomentum(0.99, 100, 100)).toBeCloseTo(1, 15);
    const fed = (epoch: number, step: number) => scheduledFeeds(method, { epoch, step, steps: 10, epochs: 5 })[TARGET_MOMENTUM_INPUT]!.data[0]!;
    expect(fed(0, 0)).toBeCloseTo(0.99, 7);
    expect(fed(0, 1)).toBeCloseTo(0.99, 7);
    expect(fed(2, 6)).toBeCloseTo(byolMomentum(0.99, 25, 50), 7);
    expect(fed(4, 9)).toBeCloseTo(byolMomentum(0.99, 48, 50), 7);
  });

  it('refuses a base momentum of 1 (the target would never move)', () => {
    expect(() => byol({ baseMomentum: 1 })).toThrow('byol: baseMomentum: must be in [0, 1) (at 1 the target network never moves), got 1');
  });
});

describe('barlow twins and vicreg', () => {
  it('project each view through a three-layer BatchNorm MLP (Barlow Twins without biases) and train encoder and projector only', () => {
    const bt = build(barlowTwins({ projectorHiddenDim: 12, projectorDim: 10 }));
    expect(slots(bt, 'projector.').filter((s) => /\.\d+\.(weight|bias)\[/.test(s) && !/\.(1|4)\./.test(s))).toEqual(['projector.0.weight[12,16]', 'projector.3.weight[12,12]', 'projector.6.weight[10,12]']);
    const vr = build(vicreg({ projectorHiddenDim: 12, projectorDim: 10 }));
    expect(slots(vr, 'projector.6.')).toEqual(['projector.6.weight[10,12]', 'projector.6.bias[10]']);
    expect(vr.outputs.map((o) => o.name)).toEqual(['loss', 'gradNorm', 'invariance', 'variance', 'covariance']);
    for (const p of [bt, vr]) expect(signature(p)).toEqual(['x1:float32[8,1,8,8]', 'x2:float32[8,1,8,8]', 'lr:float32[]']);
  });

  it('refuse bad loss weights, naming the method and the field', () => {
    expect(() => vicreg({ varianceWeight: -1 })).toThrow('vicreg: varianceWeight: must be a positive number, got -1');
    expect(() => barlowTwins({ lambda: 0 })).toThrow('barlow-twins: lambda: must be a positive number, got 0');
  });
});

describe('sdclr', () => {
  const method = sdclr({ projectorHiddenDim: 12, projectorDim: 6, pruneFraction: 0.5 });

  it('holds a 0/1 mask per convolution kernel and its own BatchNorm layers for the pruned branch; the kernels are shared', () => {
    const program = build(method);
    expect(slots(program, 'prune_mask.')).toEqual(['prune_mask.encoder.conv1.weight[4,1,3,3] fixed', 'prune_mask.encoder.conv2.weight[8,4,3,3] fixed', 'prune_mask.encoder.conv3.weight[16,8,3,3] fixed']);
    expect(program.state.find((s) => s.name === 'prune_mask.encoder.conv1.weight')!.init).toEqual({ kind: 'fill', value: 1 });
    expect(slots(program, 'encoder_pruned.')).toEqual(
      [1, 2, 3].flatMap((i) => [`encoder_pruned.bn${i}.weight[${2 ** (i + 1)}]`, `encoder_pruned.bn${i}.bias[${2 ** (i + 1)}]`, `encoder_pruned.bn${i}.running_mean[${2 ** (i + 1)}] fixed`, `encoder_pruned.bn${i}.running_var[${2 ** (i + 1)}] fixed`, `encoder_pruned.bn${i}.num_batches_tracked[] fixed`]),
    );
    // The pruned branch's running statistics are committed by the step.
    expect(program.updates.map((u) => u.slot)).toContain('encoder_pruned.bn3.running_var');
    expect(program.updates.map((u) => u.slot).some((s) => s.startsWith('prune_mask.'))).toBe(false);
    expect(program.outputs.map((o) => o.name)).toContain('maskDensity');
  });

  it('re-prunes globally by magnitude before each epoch, from the kernels in the state', () => {
    const state: StateDict = {
      'encoder.conv1.weight': hostTensor('float32', [2, 2], [0.5, -0.1, 0.3, -0.9]),
      'encoder.conv2.weight': hostTensor('float32', [2], [0.05, -0.7]),
      'prune_mask.encoder.conv1.weight': hostTensor('float32', [2, 2], [1, 1, 1, 1]),
      'prune_mask.encoder.conv2.weight': hostTensor('float32', [2], [1, 1]),
      'encoder.bn1.weight': hostTensor('float32', [2], [1, 1]),
    };
    const masks = method.beforeEpoch!(state, 3);
    expect(Object.keys(masks).sort()).toEqual(['prune_mask.encoder.conv1.weight', 'prune_mask.encoder.conv2.weight']);
    // Half of the 6 weights: |w| 0.05, 0.1 and 0.3 go; the threshold is the 4th smallest, 0.5.
    expect(Array.from(masks['prune_mask.encoder.conv1.weight']!.data)).toEqual([1, 0, 0, 1]);
    expect(Array.from(masks['prune_mask.encoder.conv2.weight']!.data)).toEqual([0, 1]);
    expect(() => repruneMasks({ 'prune_mask.encoder.x.weight': hostTensor('float32', [1], [1]) }, 0.5)).toThrow("sdclr: the state has the mask 'prune_mask.encoder.x.weight' but not the kernel 'encoder.x.weight' it prunes");
  });

  it('prunes ceil(p N) weights (ties at the threshold kept), nothing at p = 0, and refuses p outside [0, 1)', () => {
    expect(magnitudePruneMasks([[3, -1, 2, 0.5, -4]], 0.5).map((m) => Array.from(m))).toEqual([[1, 0, 0, 0, 1]]); // ceil(2.5) = 3 pruned
    expect(magnitudePruneMasks([[1, 2], [3]], 0).map((m) => Array.from(m))).toEqual([[1, 1], [1]]);
    expect(magnitudePruneMasks([[1, 1, 1, 2]], 0.5).map((m) => Array.from(m))).toEqual([[1, 1, 1, 1]]); // the threshold 1 ties three weights: all kept
    expect(() => magnitudePruneMasks([[1]], 1)).toThrow('magnitudePruneMasks: the fraction to prune must be in [0, 1), got 1');
    expect(() => sdclr({ pruneFraction: 1 })).toThrow('sdclr: pruneFraction: must be in [0, 1) (at 1 the self-competitor has no weights), got 1');
  });
});

describe("simclr's temperature schedule", () => {
  it('is an option: a per-step input, from tau_+ down to tau_- at half the period and back', () => {
    const s = { min: 0.1, max: 1, periodEpochs: 200 };
    expect(cosineTemperature(s, 0)).toBeCloseTo(1, 15);
    expect(cosineTemperature(s, 100)).toBeCloseTo(0.1, 15);
    expect(cosineTemperature(s, 50)).toBeCloseTo(0.55, 15);
    expect(cosineTemperature(s, 200)).toBeCloseTo(1, 15);
    const scheduled = simclr({ projectorHiddenDim: 12, projectorDim: 6, temperatureSchedule: { periodEpochs: 4 } });
    expect(signature(build(scheduled))).toEqual(['x1:float32[8,1,8,8]', 'x2:float32[8,1,8,8]', 'lr:float32[]', 'temperature:float32[]']);
    expect(scheduledFeeds(scheduled, { epoch: 1, step: 5, steps: 10, epochs: 20 })[TEMPERATURE_INPUT]!.data[0]).toBeCloseTo(cosineTemperature({ ...s, periodEpochs: 4 }, 1.5), 6);
    // Without a schedule the temperature stays a constant of the program, as before.
    expect(signature(build(simclr({ projectorHiddenDim: 12, projectorDim: 6 })))).toEqual(['x1:float32[8,1,8,8]', 'x2:float32[8,1,8,8]', 'lr:float32[]']);
  });

  it('refuses a fixed and a scheduled temperature together, and bounds in the wrong order', () => {
    expect(() => createMethod('simclr', { temperature: 0.5, temperatureSchedule: {} })).toThrow('simclr: give temperature (a fixed tau) or temperatureSchedule (a scheduled one), not both');
    expect(() => simclr({ temperatureSchedule: { min: 1, max: 0.5 } })).toThrow(/simclr: temperatureSchedule: min must be below max/);
  });
});
