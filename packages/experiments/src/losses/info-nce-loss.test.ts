import { Tracer } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import { infoNceLoss } from './info-nce-loss.js';

describe('infoNceLoss', () => {
  it('scores [B, 1 + K] logits into a scalar loss and a scalar top-1 monitor', () => {
    const tracer = new Tracer('infonce');
    const q = tracer.input('q', 'float32', [4, 3]);
    const { loss, positiveTop1 } = infoNceLoss(q, tracer.input('k', 'float32', [4, 3]), tracer.input('queue', 'float32', [8, 3]), 0.2);
    expect([loss.shape, positiveTop1.shape, positiveTop1.dtype]).toEqual([[], [], 'float32']);
    expect(tracer.graph.nodes.some((n) => n.kind === 'op' && n.op === 'concat' && n.shape.join() === '4,9')).toBe(true);
  });

  it('checks shapes and temperature', () => {
    const tracer = new Tracer('infonce');
    const q = tracer.input('q', 'float32', [4, 3]);
    const k = tracer.input('k', 'float32', [4, 3]);
    expect(() => infoNceLoss(q, tracer.input('k2', 'float32', [2, 3]), tracer.input('queue', 'float32', [8, 3]), 0.2)).toThrow('queries and keys must both be [B, d]');
    expect(() => infoNceLoss(q, k, tracer.input('queue5', 'float32', [8, 5]), 0.2)).toThrow('the queue must be [K, 3], got [8, 5]');
    expect(() => infoNceLoss(q, k, tracer.input('queue3', 'float32', [8, 3]), -1)).toThrow('temperature must be positive');
  });
});
