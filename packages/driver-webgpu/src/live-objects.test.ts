import { afterAll, beforeAll, expect, it } from 'vitest';
import { bindModel, CounterRng, crossEntropy, hostTensor, Linear, minimize, RNG_STREAMS, Sgd, SmallCnn, Tracer, type Feeds, type Program } from '@ltssl/core';
import { describeNeeding, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { WebGpuDriver } from './webgpu-driver.js';

const BATCH = 4;
const encoder = (): SmallCnn => new SmallCnn({ inChannels: 3, width: 2 });

/** A small CNN's SGD step on 8x8 images: conv, BatchNorm, ReLU, pooling, a linear head, cross-entropy. */
function trainStep(): Program {
  const t = new Tracer('live-objects-step');
  const x = t.input('x', 'float32', [BATCH, 3, 8, 8]);
  const labels = t.input('labels', 'int32', [BATCH]);
  const lr = t.input('lr', 'float32', []);
  const cnn = encoder();
  const head = new Linear(cnn.featureDim, 3);
  const ev = bindModel(t, cnn, { seed: 0, prefix: 'encoder.' });
  const hv = bindModel(t, head, { seed: 0, prefix: 'head.' });
  const loss = crossEntropy(head.apply(hv, cnn.apply(ev, x, { training: true, prefix: 'encoder.' }), { training: true, prefix: 'head.' }), labels);
  const gradNorm = minimize(t, loss, [ev, hv], new Sgd({ momentum: 0.9 }), lr);
  t.output('loss', loss);
  t.output('gradNorm', gradNorm);
  return t.build();
}

/** The encoder's features in eval mode, sharing the step's state (a kNN monitor's program). */
function featureProgram(): Program {
  const t = new Tracer('live-objects-features');
  const x = t.input('x', 'float32', [BATCH, 3, 8, 8]);
  const cnn = encoder();
  const ev = bindModel(t, cnn, { seed: 0, prefix: 'encoder.' });
  t.output('features', cnn.apply(ev, x, { training: false, prefix: 'encoder.' }));
  return t.build();
}

describeNeeding(SOFTWARE_WEBGPU, "the WebGPU driver's device objects over a training loop", () => {
  let driver: WebGpuDriver;
  const data = new Float32Array(BATCH * 3 * 8 * 8);
  new CounterRng(3, RNG_STREAMS.data, 0).fillNormal(data);
  const feeds: Feeds = {
    x: hostTensor('float32', [BATCH, 3, 8, 8], data),
    labels: hostTensor('int32', [BATCH], [0, 1, 2, 1]),
    lr: hostTensor('float32', [], [0.05]),
  };
  beforeAll(async () => {
    driver = new WebGpuDriver();
    await driver.init();
  });
  afterAll(() => driver.dispose());

  it('holds the same buffers, bind groups and pipelines at step 50 as at step 1', async () => {
    const step = await driver.compile(trainStep());
    const live = () => driver.context!.live;
    await step.run(feeds, ['loss']);
    const first = live();
    const losses: number[] = [];
    for (let i = 1; i < 50; i++) losses.push((await step.run(feeds, ['loss'])).loss!.data[0]!);
    expect(live()).toEqual(first);
    // The steps did train: the loss on this one batch went down.
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    // One staging buffer per fetched output, none left from reads; one uniform buffer per fetch set planned.
    expect(first.buffers['fetch staging']).toBe(1);
    expect(first.buffers['read staging']).toBe(0);
    expect(first.buffers.uniform).toBe(2); // the compile-time plan of every output, and the ['loss'] plan
    step.dispose();
  });

  it('is constant over repeated runs with changing fetch sets, state reads and writes', async () => {
    const step = await driver.compile(trainStep());
    const live = () => driver.context!.live;
    const round = async (): Promise<void> => {
      await step.run(feeds);
      await step.run(feeds, ['gradNorm']);
      await step.run(feeds, []);
      const state = await step.readState(['head.weight', 'encoder.bn1.running_mean']);
      await step.writeState(state);
    };
    await round();
    const first = live();
    for (let i = 0; i < 10; i++) await round();
    expect(live()).toEqual(first);
    step.dispose();
  });

  it('returns to the same objects after a probe program is compiled, run and disposed, again and again', async () => {
    const step = await driver.compile(trainStep());
    await step.run(feeds, ['loss']);
    const probe = async (): Promise<void> => {
      const features = await driver.compile(featureProgram(), { shareState: step });
      await features.run({ x: feeds.x! });
      features.dispose();
      await step.run(feeds, ['loss']);
    };
    await probe(); // compiles the probe's pipelines once: they are the driver's, kept for every later program
    const before = driver.context!.live;
    for (let i = 0; i < 5; i++) await probe();
    expect(driver.context!.live).toEqual(before);
    step.dispose();
    // With the last executable gone, nothing but the compiled pipelines and layouts is left.
    const empty = driver.context!.live;
    expect(Object.values(empty.buffers).every((n) => n === 0)).toBe(true);
    expect(empty.bindGroups).toBe(0);
    expect(empty.bufferBytes).toBe(0);
  });
});
