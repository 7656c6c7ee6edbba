import type { ConstantAttrs, Program } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import type { BatchShape, Method } from './method.js';
import { METHODS } from './registry.js';
import { simclr } from './simclr.js';
import { supcon } from './supcon.js';
import { buildTrainStep } from './train-step.js';

const encoder = { arch: 'small-cnn', width: 4, inChannels: 1 } as const;
const shape: BatchShape = { batch: 8, channels: 1, height: 8, width: 8, classes: 4 };

function build(method: Method): Program {
  return buildTrainStep(method, { encoder, shape, seed: 3, momentum: 0.9, weightDecay: 1e-4 });
}

describe('simclr and supcon', () => {
  it('take two views; supcon also takes labels', () => {
    const signature = (p: Program) => p.inputs.map((i) => `${i.name}:${i.dtype}[${i.shape.join(',')}]`);
    expect(signature(build(simclr({ projectorHiddenDim: 12, projectorDim: 6 })))).toEqual(['x1:float32[8,1,8,8]', 'x2:float32[8,1,8,8]', 'lr:float32[]']);
    expect(signature(build(supcon({ projectorHiddenDim: 12, projectorDim: 6 })))).toEqual(['x1:float32[8,1,8,8]', 'x2:float32[8,1,8,8]', 'labels:int32[8]', 'lr:float32[]']);
  });

  it('bind the encoder and a Linear-ReLU-Linear head under encoder. and projector., all trained', () => {
    for (const method of [simclr({ projectorHiddenDim: 12, projectorDim: 6 }), supcon({ projectorHiddenDim: 12, projectorDim: 6 })]) {
      const program = build(method);
      const head = program.state.filter((s) => s.name.startsWith('projector.')).map((s) => `${s.name}[${s.shape.join(',')}]`);
      expect(head).toEqual(['projector.0.weight[12,16]', 'projector.0.bias[12]', 'projector.2.weight[6,12]', 'projector.2.bias[6]']);
      expect(program.state.filter((s) => s.trainable).every((s) => s.name.startsWith('encoder.') || s.name.startsWith('projector.'))).toBe(true);
      // One pass over both views: the encoder's first convolution sees a batch of 2B.
      const conv = program.graph.nodes.find((n) => n.kind === 'op' && n.op === 'conv2d')!;
      expect(conv.shape[0]).toBe(16);
    }
  });

  it('ship their documented defaults: head 2048 -> 128, tau 0.5 (SimCLR) and 0.1 (SupCon), SupContrast SGD', () => {
    for (const name of ['simclr', 'supcon'] as const) {
      const method = METHODS[name].create();
      expect([method.name, method.views, method.usesLabels]).toEqual([name, 2, name === 'supcon']);
      expect(method.defaults).toEqual({ baseLr: 0.125, momentum: 0.9, weightDecay: 1e-4, batch: 1024 });
      const program = build(method);
      const shapes = new Map(program.state.map((s) => [s.name, s.shape]));
      expect([shapes.get('projector.0.weight'), shapes.get('projector.2.weight')]).toEqual([[2048, 16], [128, 2048]]);
      // The temperature divides the similarity matrix z z^T [2B, 2B].
      const node = (id: number) => program.graph.node(id);
      const scale = program.graph.nodes.find((n) => n.kind === 'op' && n.op === 'div' && n.shape.join() === '16,16' && ((m) => m.kind === 'op' && m.op === 'matmul')(node(n.inputs[0]!)));
      const divisor = scale?.kind === 'op' ? node(scale.inputs[1]!) : undefined;
      expect(divisor?.kind === 'op' && divisor.op === 'constant' ? (divisor.attrs as ConstantAttrs).value : undefined).toBe(name === 'simclr' ? 0.5 : 0.1);
    }
  });

  it('refuse bad options, and supcon refuses a step without labels', () => {
    expect(() => simclr({ temperature: 0 })).toThrow('simclr: temperature: must be a positive number, got 0');
    expect(() => supcon({ projectorDim: 1.5 })).toThrow('supcon: projectorDim: must be a positive integer, got 1.5');
    const noLabels: Method = { ...supcon(), usesLabels: false };
    expect(() => build(noLabels)).toThrow('supcon: the step needs labels');
  });
});
