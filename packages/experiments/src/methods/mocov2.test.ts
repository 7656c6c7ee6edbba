import type { Program, StateSlot } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import type { BatchShape } from './method.js';
import { initialQueue, KEY_ENCODER_PREFIX, KEY_PROJECTOR_PREFIX, mocov2, QUEUE_SLOT, type MocoV2Options } from './mocov2.js';
import { METHODS } from './registry.js';
import { buildTrainStep } from './train-step.js';

const encoder = { arch: 'small-cnn', width: 4, inChannels: 1 } as const;
const shape: BatchShape = { batch: 8, channels: 1, height: 8, width: 8, classes: 4 };
const small: MocoV2Options = { queueSize: 16, projectorHiddenDim: 12, projectorDim: 8, batchNormSplits: 2 };

function build(options: MocoV2Options = small, batch = shape.batch): Program {
  return buildTrainStep(mocov2(options), { encoder, shape: { ...shape, batch }, seed: 3, momentum: 0.9, weightDecay: 5e-4 });
}

function slots(program: Program, prefix: string): StateSlot[] {
  return program.state.filter((s) => s.name.startsWith(prefix));
}

describe('mocov2', () => {
  const program = build();

  it('takes two views and the learning rate, and outputs the loss, the gradient norm and the positive top-1', () => {
    expect(program.inputs.map((i) => `${i.name}:${i.dtype}[${i.shape.join(',')}]`)).toEqual(['x1:float32[8,1,8,8]', 'x2:float32[8,1,8,8]', 'lr:float32[]']);
    expect(program.outputs.map((o) => o.name)).toEqual(['loss', 'gradNorm', 'positiveTop1']);
  });

  it('declares a key copy of every query slot, not trainable, with the same shape and initial value', () => {
    for (const [query, key] of [['encoder.', KEY_ENCODER_PREFIX], ['projector.', KEY_PROJECTOR_PREFIX]] as const) {
      const q = slots(program, query);
      const k = slots(program, key);
      expect(q.length).toBeGreaterThan(0);
      expect(k.map((s) => s.name)).toEqual(q.map((s) => key + s.name.slice(query.length)));
      k.forEach((slot, i) => {
        expect(slot.trainable).toBe(false);
        expect([slot.dtype, slot.shape]).toEqual([q[i]!.dtype, q[i]!.shape]);
        expect(slot.init).toEqual(q[i]!.init);
      });
    }
    // A random initialiser really was drawn (so equality above is not equality of two fills).
    expect(program.state.find((s) => s.name === 'encoder_k.conv1.weight')!.init.kind).toBe('values');
  });

  it('trains the query side only: SGD momentum slots exist for encoder.* and projector.* parameters, none for the key side', () => {
    const trainable = program.state.filter((s) => s.trainable).map((s) => s.name);
    expect(trainable.every((n) => n.startsWith('encoder.') || n.startsWith('projector.'))).toBe(true);
    expect(trainable).toContain('projector.2.weight');
    const momenta = program.state.filter((s) => s.name.startsWith('optimizer.')).map((s) => s.name);
    expect(momenta.length).toBe(trainable.length);
    expect(momenta.some((n) => n.includes('_k.'))).toBe(false);
  });

  it('has a [K, d] queue of unit keys drawn from the seed, updated every step with the key side', () => {
    const queue = program.state.find((s) => s.name === QUEUE_SLOT)!;
    expect([queue.dtype, queue.shape, queue.trainable]).toEqual(['float32', [16, 8], false]);
    const values = (queue.init as { values: ArrayLike<number> }).values;
    for (let r = 0; r < 16; r++) {
      const norm = Math.hypot(...Array.from({ length: 8 }, (_, j) => values[r * 8 + j]!));
      expect(norm).toBeCloseTo(1, 6);
    }
    expect(Array.from(values)).toEqual(Array.from(initialQueue(3, 16, 8)));
    expect(Array.from(initialQueue(4, 16, 8))).not.toEqual(Array.from(values));
    const updated = program.updates.map((u) => u.slot);
    expect(updated).toContain(QUEUE_SLOT);
    // The EMA writes every key parameter; the key encoder's own BatchNorm passes write its running statistics.
    for (const slot of [...slots(program, KEY_ENCODER_PREFIX), ...slots(program, KEY_PROJECTOR_PREFIX)]) expect(updated).toContain(slot.name);
  });

  it('sizes the head from the encoder by default (MoCo v2: hidden = feature dim, d = 128) and uses the demo defaults', () => {
    const method = METHODS.mocov2.create();
    expect(method.defaults).toEqual({ baseLr: 0.03, momentum: 0.9, weightDecay: 5e-4, batch: 512 });
    const p = buildTrainStep(mocov2({ queueSize: 16, batchNormSplits: 2 }), { encoder, shape, seed: 3, momentum: 0.9, weightDecay: 0 });
    const byName = new Map(p.state.map((s) => [s.name, s.shape]));
    expect(byName.get('projector.0.weight')).toEqual([16, 16]); // SmallCnn width 4: features 4w = 16
    expect(byName.get('projector.2.weight')).toEqual([128, 16]);
    expect(byName.get(QUEUE_SLOT)).toEqual([16, 128]);
  });

  it('refuses a queue size that is not a multiple of the batch, naming both', () => {
    expect(() => build({ ...small, queueSize: 20 })).toThrow('mocov2: the queue size K = 20 must be a multiple of the batch B = 8');
    expect(() => build({ ...small, queueSize: 4 })).toThrow('K = 4 must be a multiple of the batch B = 8');
    expect(() => build({ ...small, queueSize: 8 })).not.toThrow();
  });

  it('refuses batch-norm splits that do not divide the batch, and bad options', () => {
    expect(() => build({ ...small, batchNormSplits: 3 })).toThrow('mocov2: batchNormSplits = 3 must divide the batch B = 8');
    expect(() => mocov2({ keyMomentum: 1 })).toThrow('mocov2: keyMomentum: must be in [0, 1) (at 1 the key encoder never moves), got 1');
    expect(() => mocov2({ temperature: 0 })).toThrow('mocov2: temperature: must be a positive number, got 0');
    expect(() => mocov2({ queueSize: 0 })).toThrow('mocov2: queueSize: must be a positive integer, got 0');
  });

  it('uses split BatchNorm in training: per-split statistics are [1, S, C, 1, 1] reductions', () => {
    const splitMeans = program.graph.nodes.filter((n) => n.kind === 'op' && n.op === 'reduceSum' && n.shape.length === 5 && n.shape[1] === 2);
    expect(splitMeans.length).toBeGreaterThan(0);
    const plain = build({ ...small, batchNormSplits: 1 });
    expect(plain.graph.nodes.some((n) => n.kind === 'op' && n.op === 'reduceSum' && n.shape.length === 5)).toBe(false);
  });
});
