import { bindModel, CounterRng, hostTensor, l2Normalize, RNG_STREAMS, sizeOf, Tracer, type Driver, type Executable, type Feeds, type StateDict } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { ReferenceDriver } from '@ltssl/driver-reference';
import {
  buildTrainStep,
  contrastiveHead,
  createEncoder,
  KEY_ENCODER_PREFIX,
  KEY_PROJECTOR_PREFIX,
  mocov2,
  QUEUE_SLOT,
  shuffleAcrossSplits,
  simclr,
  SplitBatchNorm,
  supcon,
  unshuffleAcrossSplits,
  type BatchShape,
  type EncoderSpec,
  type Method,
} from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// issue 6's smoke setting: small CNN of width 4 on 8x8 single-channel images, batch 8, small heads, K = 16.
const ENCODER: EncoderSpec = { arch: 'small-cnn', width: 4, inChannels: 1 };
const SHAPE: BatchShape = { batch: 8, channels: 1, height: 8, width: 8, classes: 4 };
const SEED = 3;
const LR = 0.1;
const HEAD = { projectorHiddenDim: 16, projectorDim: 8 };
const MOCO = { ...HEAD, queueSize: 16, batchNormSplits: 2 };

const CASES: readonly (readonly [string, () => Method])[] = [
  ['simclr', () => simclr(HEAD)],
  ['supcon', () => supcon(HEAD)],
  ['mocov2', () => mocov2(MOCO)],
];

function normal(shape: number[], step: number): Feeds[string] {
  const data = new Float32Array(sizeOf(shape));
  new CounterRng(11, RNG_STREAMS.data, step).fillNormal(data);
  return hostTensor('float32', shape, data);
}

/** One batch, fed at both steps, so the second loss differs from the first only because the step updated the state. */
function feeds(method: Method): Feeds {
  const image = [SHAPE.batch, SHAPE.channels, SHAPE.height, SHAPE.width];
  const rng = new CounterRng(11, RNG_STREAMS.data, 100);
  return {
    x1: normal(image, 1),
    x2: normal(image, 2),
    ...(method.usesLabels ? { labels: hostTensor('int32', [SHAPE.batch], Array.from({ length: SHAPE.batch }, (_, i) => rng.int(i, SHAPE.classes))) } : {}),
    lr: hostTensor('float32', [], [LR]),
  };
}

interface Run {
  readonly losses: number[];
  /** Every output of each step: loss, gradNorm and the method's monitors. */
  readonly outputs: Record<string, number>[];
  readonly states: StateDict[];
  readonly executable: Executable;
}

/** Two steps from the seeded state; the state before and after each step. The caller disposes the executable. */
async function twoSteps(driver: Driver, method: Method): Promise<Run> {
  const executable = await driver.compile(buildTrainStep(method, { encoder: ENCODER, shape: SHAPE, seed: SEED, momentum: method.defaults.momentum, weightDecay: method.defaults.weightDecay }));
  const batch = feeds(method);
  const states = [await executable.readState()];
  const outputs: Record<string, number>[] = [];
  for (let step = 0; step < 2; step++) {
    const fetched = await executable.run(batch);
    outputs.push(Object.fromEntries(Object.entries(fetched).map(([name, t]) => [name, t.data[0]!])));
    states.push(await executable.readState());
  }
  return { losses: outputs.map((o) => o['loss']!), outputs, states, executable };
}

const reference = new ReferenceDriver();
const onnx = new OnnxDriver({ provider: 'cpu' });
beforeAll(async () => {
  await reference.init();
  await onnx.init();
});
afterAll(async () => {
  await reference.dispose();
  await onnx.dispose();
});

describe.each(CASES)('%s: two training steps on the reference and ONNX drivers', (_name, method) => {
  let ref: Run;
  let ort: Run;
  beforeAll(async () => {
    ref = await twoSteps(reference, method());
    ort = await twoSteps(onnx, method());
  });
  afterAll(() => {
    ref?.executable.dispose();
    ort?.executable.dispose();
  });

  it('gives finite losses that agree within 1e-4 relative', () => {
    expect([...ref.losses, ...ort.losses].every(Number.isFinite)).toBe(true);
    ort.losses.forEach((loss, step) => expect(Math.abs(loss - ref.losses[step]!)).toBeLessThanOrEqual(1e-4 * Math.abs(ref.losses[step]!)));
  });

  it('agrees on the gradient norm and the monitors too', () => {
    ort.outputs.forEach((outputs, step) => {
      expect(Object.keys(outputs).sort()).toEqual(Object.keys(ref.outputs[step]!).sort());
      for (const [name, value] of Object.entries(outputs)) expect(Math.abs(value - ref.outputs[step]![name]!), name).toBeLessThanOrEqual(1e-4 * Math.abs(ref.outputs[step]![name]!) + 1e-7);
    });
  });

  it('updates: the same batch scores differently at the second step', () => {
    for (const { losses } of [ref, ort]) expect(Math.abs(losses[1]! - losses[0]!)).toBeGreaterThan(1e-3 * Math.abs(losses[0]!));
  });
});

function rows(t: StateDict[string], begin: number, count: number, width: number): number[] {
  return Array.from(t.data.subarray(begin * width, (begin + count) * width));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('mocov2 state after a step (reference driver)', () => {
  const { batch: b } = SHAPE;
  const { queueSize: k, projectorDim: d } = MOCO;
  let executable: Executable;
  /** The state before step 1, after step 1 and after step 2. */
  const states: StateDict[] = [];
  /** The key branch alone, run on the key weights step 1 wrote, on step 1's view 2. */
  let keys: number[];
  beforeAll(async () => {
    const method = mocov2(MOCO);
    executable = await reference.compile(buildTrainStep(method, { encoder: ENCODER, shape: SHAPE, seed: SEED, momentum: 0.9, weightDecay: 5e-4 }));
    states.push(await executable.readState());
    await executable.run(feeds(method), ['loss']);
    states.push(await executable.readState());
    keys = await keysFromState(executable, feeds(method).x2!);
    await executable.run(feeds(method), ['loss']);
    states.push(await executable.readState());
  });
  afterAll(() => executable?.dispose());

  /** The key side traced on its own, on the slots the step wrote (shared state): what the step's keys must be. */
  async function keysFromState(step: Executable, x2: Feeds[string]): Promise<number[]> {
    const tracer = new Tracer('moco-keys');
    const encoder = createEncoder(ENCODER, (c) => new SplitBatchNorm(c, MOCO.batchNormSplits));
    const head = contrastiveHead(encoder.featureDim, MOCO.projectorHiddenDim, d);
    const ev = bindModel(tracer, encoder, { seed: SEED, prefix: KEY_ENCODER_PREFIX, trainable: false });
    const hv = bindModel(tracer, head, { seed: SEED, prefix: KEY_PROJECTOR_PREFIX, trainable: false });
    const x = shuffleAcrossSplits(tracer.input('x2', 'float32', [b, 1, 8, 8]), MOCO.batchNormSplits);
    const z = head.apply(hv, encoder.apply(ev, x, { training: true, prefix: KEY_ENCODER_PREFIX }), { training: true, prefix: KEY_PROJECTOR_PREFIX });
    tracer.output('keys', unshuffleAcrossSplits(l2Normalize(z), MOCO.batchNormSplits));
    const exec = await reference.compile(tracer.build(), { shareState: step });
    try {
      return Array.from((await exec.run({ x2 })).keys!.data);
    } finally {
      exec.dispose();
    }
  }

  it("holds the step's keys in its first B rows and the old first K - B rows after them", () => {
    const [before, after] = states as [StateDict, StateDict];
    expect(maxAbsDiff(rows(after[QUEUE_SLOT]!, 0, b, d), keys)).toBeLessThan(1e-6);
    expect(rows(after[QUEUE_SLOT]!, b, k - b, d)).toEqual(rows(before[QUEUE_SLOT]!, 0, k - b, d));
    // The keys are new: unit rows unlike the noise they displaced.
    expect(maxAbsDiff(keys, rows(before[QUEUE_SLOT]!, 0, b, d))).toBeGreaterThan(0.1);
    for (let r = 0; r < b; r++) expect(Math.hypot(...keys.slice(r * d, (r + 1) * d))).toBeCloseTo(1, 5);
  });

  it('moves the key encoder from the pre-step query weights: k1 = q0 (it starts equal), k2 = m q0 + (1 - m) q1', () => {
    const [s0, s1, s2] = states as [StateDict, StateDict, StateDict];
    const m = 0.99;
    let discriminating = 0;
    for (const name of Object.keys(s0).filter((n) => /^(encoder|projector)\./.test(n) && !/running_|num_batches/.test(n))) {
      const key = name.replace(/^encoder\./, KEY_ENCODER_PREFIX).replace(/^projector\./, KEY_PROJECTOR_PREFIX);
      const [q0, q1, q2] = [s0[name]!.data, s1[name]!.data, s2[name]!.data];
      expect(Array.from(s0[key]!.data)).toEqual(Array.from(q0)); // initialised equal
      expect(maxAbsDiff(s1[key]!.data, q0)).toBeLessThan(1e-7);
      const pre = q0.map((v, i) => m * v + (1 - m) * q1[i]!);
      const post = q0.map((v, i) => m * v + (1 - m) * q2[i]!); // what averaging the post-step weights would give
      expect(maxAbsDiff(s2[key]!.data, pre)).toBeLessThan(1e-7);
      if (maxAbsDiff(pre, post) > 1e-6) discriminating++;
    }
    // For most parameters the check tells pre-step from post-step weights apart, so it tests more than that the EMA ran.
    expect(discriminating).toBeGreaterThan(5);
  });
});
