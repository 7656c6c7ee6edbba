import { BatchNorm, bindModel, grad, Linear, Sequential, Tracer, type Program } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import { bindMomentumCopy, momentumUpdate } from './momentum-encoder.js';

const names = { prefix: 'net_k.', sourcePrefix: 'net.' };

describe('bindMomentumCopy', () => {
  it("declares non-trainable slots under the copy's names, starting at the source's values for the same seed", () => {
    const tracer = new Tracer('copy');
    const model = new Sequential(new Linear(3, 4), new BatchNorm(4));
    bindModel(tracer, model, { seed: 9, prefix: 'net.' });
    const copy = bindMomentumCopy(tracer, model, { ...names, seed: 9 });
    const program: Program = (tracer.output('w', copy.get('net_k.0.weight')), tracer.build());
    const slot = (name: string) => program.state.find((s) => s.name === name)!;
    for (const local of ['0.weight', '0.bias', '1.weight', '1.running_var', '1.num_batches_tracked']) {
      expect(slot(`net_k.${local}`).trainable).toBe(false);
      expect(slot(`net_k.${local}`).init).toEqual(slot(`net.${local}`).init);
    }
    expect(slot('net_k.0.weight').init.kind).toBe('values');
    expect(copy.parameters()).toEqual([]);
  });

  it('starts elsewhere for another seed, as the source would', () => {
    const init = (seed: number) => {
      const tracer = new Tracer('copy');
      bindMomentumCopy(tracer, new Linear(3, 4), { ...names, seed });
      return (tracer.output('x', tracer.constant(0)), tracer.build()).state.find((s) => s.name === 'net_k.weight')!.init;
    };
    expect(init(1)).not.toEqual(init(2));
  });
});

describe('momentumUpdate', () => {
  it('averages parameters only, k <- m k + (1 - m) q, and passes no gradient to the source', () => {
    const tracer = new Tracer('ema');
    const model = new Sequential(new Linear(3, 4), new BatchNorm(4));
    const source = bindModel(tracer, model, { seed: 9, prefix: 'net.' });
    const copy = bindMomentumCopy(tracer, model, { ...names, seed: 9 });
    momentumUpdate(copy, source, model, { ...names, momentum: 0.9 });
    expect(copy.changedBuffers().map((b) => b.name)).toEqual(['net_k.0.weight', 'net_k.0.bias', 'net_k.1.weight', 'net_k.1.bias']);
    const averaged = copy.get('net_k.0.weight');
    const node = tracer.graph.node(averaged.id);
    expect(node.kind === 'op' ? node.op : node.kind).toBe('add');
    const [g] = grad(averaged.sum(), [source.get('net.0.weight')]);
    const gNode = tracer.graph.node(g!.id);
    expect(gNode.kind === 'op' ? gNode.op : gNode.kind).toBe('constant'); // zeros: no path reaches the source
  });
});
