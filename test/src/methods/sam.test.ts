import { describe, expect, it } from 'vitest';
import { CounterRng, hostTensor, RNG_STREAMS, type Feeds, type StateDict } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { buildTrainStep, createMethod, kdeWeights, labelWeights, type Method, type SamOptions } from '@ltssl/experiments';

const shape = { batch: 8, channels: 1, height: 8, width: 8, classes: 4 };
const encoder = { arch: 'small-cnn', width: 4, inChannels: 1 } as const;
const simsiam = createMethod('simsiam', { projectorDim: 16, predictorDim: 8 });

function feeds(method: Method, extra: Record<string, Feeds[string]> = {}): Feeds {
  const out: Record<string, Feeds[string]> = {};
  (method.views === 1 ? ['x'] : ['x1', 'x2']).forEach((name, v) => {
    const data = new Float32Array(8 * 64);
    new CounterRng(5, RNG_STREAMS.data, v).fillNormal(data);
    out[name] = hostTensor('float32', [8, 1, 8, 8], data);
  });
  if (method.usesLabels) out['labels'] = hostTensor('int32', [8], [0, 1, 2, 3, 0, 1, 2, 3]);
  out['lr'] = hostTensor('float32', [], [0.5]);
  return { ...out, ...extra };
}

/** One step from the initial state: the state after it. */
async function stepState(method: Method, sam: SamOptions | undefined, extra: Record<string, Feeds[string]> = {}): Promise<StateDict> {
  const driver = new ReferenceDriver();
  await driver.init();
  const executable = await driver.compile(buildTrainStep(method, { encoder, shape, seed: 2, momentum: 0, weightDecay: 0, ...(sam ? { sam } : {}) }));
  await executable.run(feeds(method, extra), []);
  const state = await executable.readState();
  executable.dispose();
  return state;
}

function distance(a: StateDict, b: StateDict, filter: (name: string) => boolean): number {
  let s = 0;
  for (const name of Object.keys(a).filter(filter)) a[name]!.data.forEach((v, i) => (s += (v - b[name]!.data[i]!) ** 2));
  return Math.sqrt(s);
}

const isParam = (n: string): boolean => n.endsWith('.weight') || n.endsWith('.bias');
const isRunning = (n: string): boolean => n.includes('running_');
const weights = (values: number[]): Record<string, Feeds[string]> => ({ weights: hostTensor('float32', [8], values) });

describe('SAM, ASAM and rwSAM steps', () => {
  it('take the gradient at the perturbed point: SAM differs from plain SGD, and tends to it as rho -> 0', async () => {
    const plain = await stepState(simsiam, undefined);
    const sam = await stepState(simsiam, { rho: 0.5, adaptive: false, reweighted: false });
    const tiny = await stepState(simsiam, { rho: 1e-7, adaptive: false, reweighted: false });
    expect(distance(plain, sam, isParam)).toBeGreaterThan(1e-4);
    expect(distance(plain, tiny, isParam)).toBeLessThan(1e-3 * distance(plain, sam, isParam));
  });

  it('leave BatchNorm running statistics to the first pass only', async () => {
    const plain = await stepState(simsiam, undefined);
    const sam = await stepState(simsiam, { rho: 0.5, adaptive: true, reweighted: false });
    expect(distance(plain, sam, isRunning)).toBe(0);
    expect(distance(plain, sam, (n) => n.endsWith('num_batches_tracked'))).toBe(0);
  });

  it('rwSAM: changing the weights changes the update; scaling them does not (SAM normalises the ascent)', async () => {
    const sam = { rho: 0.5, adaptive: false, reweighted: true } as const;
    const uniform = await stepState(simsiam, sam, weights([1, 1, 1, 1, 1, 1, 1, 1]));
    const doubled = await stepState(simsiam, sam, weights([2, 2, 2, 2, 2, 2, 2, 2]));
    const skewed = await stepState(simsiam, sam, weights([4, 0.2, 0.2, 0.2, 4, 0.2, 0.2, 0.2]));
    expect(distance(uniform, skewed, isParam)).toBeGreaterThan(1e-5);
    expect(distance(uniform, doubled, isParam)).toBeLessThan(1e-9 + 1e-6 * distance(uniform, skewed, isParam));
    // With uniform weights rwSAM is SAM.
    const plainSam = await stepState(simsiam, { ...sam, reweighted: false });
    expect(distance(uniform, plainSam, isParam)).toBeLessThan(1e-9);
  });

  it('reweights supervised cross-entropy as well, and refuses MoCo (its step updates state twice)', async () => {
    const supervised = createMethod('supervised');
    const a = await stepState(supervised, { rho: 0.5, adaptive: true, reweighted: true }, weights([1, 1, 1, 1, 1, 1, 1, 1]));
    const b = await stepState(supervised, { rho: 0.5, adaptive: true, reweighted: true }, weights([1, 1, 1, 8, 1, 1, 1, 8]));
    expect(distance(a, b, isParam)).toBeGreaterThan(1e-5);
    const moco = createMethod('mocov2', { queueSize: 16, batchNormSplits: 2, projectorDim: 8, projectorHiddenDim: 16 });
    expect(() => buildTrainStep(moco, { encoder, shape, seed: 2, momentum: 0, weightDecay: 0, sam: { rho: 0.5, adaptive: false, reweighted: false } })).toThrow(
      "SAM: mocov2 updates state inside its step (MoCo's queue and key encoder), which a second pass would update twice; use mocov2 without SAM",
    );
  });
});

describe('rwSAM weights', () => {
  it('are larger in low-density regions and have mean 1', () => {
    // Nine points clustered at (1, 0) and one alone at (0, 1): the lone point is rare, so it weighs most.
    const values = new Float32Array([...Array.from({ length: 9 }, (_, i) => [1, 0.01 * i]).flat(), 0, 1]);
    const w = kdeWeights({ values, count: 10, dim: 2, labels: new Int32Array(10) }, { seed: 0, bandwidth: 0.3 });
    expect(w.reduce((a, b) => a + b, 0) / 10).toBeCloseTo(1, 6);
    expect(w[9]).toBeGreaterThan(3 * Math.max(...w.slice(0, 9)));
    // temperature 0: uniform.
    const flat = kdeWeights({ values, count: 10, dim: 2, labels: new Int32Array(10) }, { seed: 0, temperature: 0 });
    expect(Array.from(flat)).toEqual(new Array(10).fill(1));
  });

  it("follow the paper's label oracle 1.2^label, normalised to mean 1", () => {
    const w = labelWeights([0, 1, 2], 1.2);
    expect(w[1]! / w[0]!).toBeCloseTo(1.2, 6);
    expect(w[2]! / w[0]!).toBeCloseTo(1.44, 6);
    expect((w[0]! + w[1]! + w[2]!) / 3).toBeCloseTo(1, 6);
  });
});
