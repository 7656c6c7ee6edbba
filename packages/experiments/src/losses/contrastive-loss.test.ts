import { Tracer } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import { contrastiveLoss } from './contrastive-loss.js';

describe('contrastiveLoss', () => {
  it('returns a scalar of the embeddings dtype, and builds no n x n constant', () => {
    const tracer = new Tracer('loss');
    const z = tracer.input('z', 'float32', [64, 8]);
    const ids = tracer.input('ids', 'int32', [64]);
    const loss = contrastiveLoss(z, ids, 0.5);
    expect([loss.dtype, loss.shape]).toEqual(['float32', []]);
    const constants = tracer.graph.nodes.filter((n) => n.kind === 'op' && n.op === 'constant');
    expect(Math.max(...constants.map((n) => n.shape.reduce((a, b) => a * b, 1)))).toBeLessThanOrEqual(64);
  });

  it('checks its inputs and names what is wrong', () => {
    const tracer = new Tracer('loss');
    const z = tracer.input('z', 'float32', [4, 2]);
    expect(() => contrastiveLoss(z, tracer.input('f', 'float32', [4]), 0.5)).toThrow('ids must be int32 [4] (one per embedding), got float32[4]');
    expect(() => contrastiveLoss(z, tracer.input('short', 'int32', [3]), 0.5)).toThrow('ids must be int32 [4]');
    expect(() => contrastiveLoss(z, tracer.input('ids', 'int32', [4]), 0)).toThrow('temperature must be positive');
    expect(() => contrastiveLoss(tracer.input('one', 'float32', [1, 2]), tracer.input('id1', 'int32', [1]), 0.5)).toThrow('needs at least 2 embeddings');
    expect(() => contrastiveLoss(tracer.input('flat', 'float32', [4]), tracer.input('id4', 'int32', [4]), 0.5)).toThrow('embeddings must be float [n, d]');
  });
});
