import { bindModel, CounterRng, hostTensor, l2Normalize, RNG_STREAMS, sizeOf, Tracer, type Driver, type Executable, type Feeds, type StateDict } from '@ltssl/core';
import { STEP_TOLERANCE } from '@ltssl/conformance';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { TfjsDriver } from '@ltssl/driver-tfjs';
import { WebGpuDriver } from '@ltssl/driver-webgpu';
import {
  barlowTwins,
  buildTrainStep,
  byol,
  contrastiveHead,
  createEncoder,
  KEY_ENCODER_PREFIX,
  KEY_PROJECTOR_PREFIX,
  mocov2,
  QUEUE_SLOT,
  scheduledFeeds,
  sdclr,
  shuffleAcrossSplits,
  simclr,
  simsiam,
  SplitBatchNorm,
  supcon,
  supervised,
  TARGET_ENCODER_PREFIX,
  TARGET_MOMENTUM_INPUT,
  TARGET_PROJECTOR_PREFIX,
  unshuffleAcrossSplits,
  vicreg,
  type BatchShape,
  type EncoderSpec,
  type Method,
} from '@ltssl/experiments';
import { presentOrReport, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// issue 6's smoke setting: small CNN of width 4 on 8x8 single-channel images, batch 8, small heads, K = 16.
const ENCODER: EncoderSpec = { arch: 'small-cnn', width: 4, inChannels: 1 };
const SHAPE: BatchShape = { batch: 8, channels: 1, height: 8, width: 8, classes: 4 };
const SEED = 3;
const LR = 0.1;
const HEAD = { projectorHiddenDim: 16, projectorDim: 8 };
const MOCO = { ...HEAD, queueSize: 16, batchNormSplits: 2 };

// Every method at its default momentum and weight decay, at lr 0.1 rather than its base rate scaled
// to batch 8 (9e-4 for MoCo v2 to 6e-3 for supervised), so one step lowers the batch's loss by far
// more than float32 rounding on every engine (the check asks for 1e-3 of the loss at least).
const CASES: readonly (readonly [string, () => Method])[] = [
  ['supervised', () => supervised()],
  ['simsiam', () => simsiam({ projectorDim: 16, predictorDim: 8 })],
  ['simclr', () => simclr(HEAD)],
  ['supcon', () => supcon(HEAD)],
  ['mocov2', () => mocov2(MOCO)],
  ['byol', () => byol({ projectorHiddenDim: 16, projectorDim: 8, predictorHiddenDim: 16 })],
  ['barlow-twins', () => barlowTwins(HEAD)],
  ['vicreg', () => vicreg(HEAD)],
  // Half the kernels pruned (masks set before the first step, as pretrain does before epoch 0).
  ['sdclr', () => sdclr({ ...HEAD, pruneFraction: 0.5 })],
  ['simclr, cosine temperature', () => simclr({ ...HEAD, temperatureSchedule: { periodEpochs: 4 } })],
];

/** Where the smoke steps stand: the first two steps of a 10-step, 2-epoch run (what the schedules read). */
const AT = { epoch: 0, step: 0, steps: 10, epochs: 2 };

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
    ...(method.views === 1 ? { x: normal(image, 1) } : { x1: normal(image, 1), x2: normal(image, 2) }),
    ...(method.usesLabels ? { labels: hostTensor('int32', [SHAPE.batch], Array.from({ length: SHAPE.batch }, (_, i) => rng.int(i, SHAPE.classes))) } : {}),
    lr: hostTensor('float32', [], [LR]),
    ...scheduledFeeds(method, AT),
  };
}

interface Run {
  readonly losses: number[];
  /** Every output of each step: loss, gradNorm and the method's monitors. */
  readonly outputs: Record<string, number>[];
}

/**
 * Two steps on one batch from the seeded state. MoCo's first step enqueues this batch's keys, which
 * at the second step would be negatives almost equal to their own positives and raise the loss
 * whatever the update did; so before the second step its queue is put back to the one the first
 * step saw, and both losses score the same negatives: only the update (and the key encoder's EMA
 * move) differ.
 */
async function twoSteps(driver: Driver, method: Method): Promise<Run> {
  const executable = await driver.compile(buildTrainStep(method, { encoder: ENCODER, shape: SHAPE, seed: SEED, momentum: method.defaults.momentum, weightDecay: method.defaults.weightDecay }));
  try {
    const batch = feeds(method);
    if (method.beforeEpoch) await executable.writeState(method.beforeEpoch(await executable.readState(), 0));
    const queue = method.name === 'mocov2' ? await executable.readState([QUEUE_SLOT]) : undefined;
    const outputs: Record<string, number>[] = [];
    for (let step = 0; step < 2; step++) {
      if (step > 0 && queue) await executable.writeState(queue);
      const fetched = await executable.run(batch);
      outputs.push(Object.fromEntries(Object.entries(fetched).map(([name, t]) => [name, t.data[0]!])));
    }
    return { losses: outputs.map((o) => o['loss']!), outputs };
  } finally {
    executable.dispose();
  }
}

const reference = new ReferenceDriver();
beforeAll(() => reference.init());
afterAll(() => reference.dispose());

describe('two training steps on one batch, on every built-in driver', () => {
  const withWebGpu = presentOrReport(SOFTWARE_WEBGPU, 'webgpu takes part');
  const engines: Record<string, Driver> = { onnx: new OnnxDriver({ provider: 'cpu' }), tfjs: new TfjsDriver({ backend: 'tfjs-wasm' }), ...(withWebGpu ? { webgpu: new WebGpuDriver() } : {}) };
  beforeAll(async () => {
    for (const d of Object.values(engines)) await d.init();
  });
  afterAll(async () => {
    for (const d of Object.values(engines)) await d.dispose();
  });

  describe.each(CASES)('%s', (_name, method) => {
    const runs: Record<string, Run> = {};
    beforeAll(async () => {
      runs['reference'] = await twoSteps(reference, method());
      for (const [name, driver] of Object.entries(engines)) runs[name] = await twoSteps(driver, method());
    });

    it('lowers the loss of the batch it stepped on, on every driver', () => {
      for (const [name, { losses }] of Object.entries(runs)) {
        expect(losses.every(Number.isFinite), name).toBe(true);
        expect(losses[1]!, `${name}: loss after the step`).toBeLessThan(losses[0]!);
      }
      // By more than float32 noise: the fall is a real update.
      const [before, after] = runs['reference']!.losses as [number, number];
      expect(before - after).toBeGreaterThan(1e-3 * Math.abs(before));
    });

    it("agrees with the reference's losses, gradient norm and monitors at every step", () => {
      const want = runs['reference']!.outputs;
      for (const [name, run] of Object.entries(runs)) {
        run.outputs.forEach((outputs, step) => {
          expect(Object.keys(outputs).sort(), name).toEqual(Object.keys(want[step]!).sort());
          for (const [output, value] of Object.entries(outputs)) {
            const target = want[step]![output]!;
            expect(Math.abs(value - target), `${name} ${output}, step ${step + 1}`).toBeLessThanOrEqual(STEP_TOLERANCE.loss * Math.abs(target) + 1e-7);
          }
        });
      }
    });
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
    expectPreStepEma(states as [StateDict, StateDict, StateDict], 0.99, { 'encoder.': KEY_ENCODER_PREFIX, 'projector.': KEY_PROJECTOR_PREFIX });
  });
});

/**
 * The EMA copy of each parameter (copy prefix by source prefix) after two steps from states s0, s1,
 * s2: equal at the start, c1 = q0, c2 = m q0 + (1 - m) q1 (the pre-step weights), and for most
 * parameters distinguishable from averaging the post-step weights, so the check tests more than
 * that an average ran.
 */
function expectPreStepEma([s0, s1, s2]: readonly [StateDict, StateDict, StateDict], m: number, copies: Readonly<Record<string, string>>): void {
  let discriminating = 0;
  const prefixes = Object.keys(copies);
  for (const name of Object.keys(s0).filter((n) => prefixes.some((p) => n.startsWith(p)) && !/running_|num_batches/.test(n))) {
    const source = prefixes.find((p) => name.startsWith(p))!;
    const copy = copies[source]! + name.slice(source.length);
    const [q0, q1, q2] = [s0[name]!.data, s1[name]!.data, s2[name]!.data];
    expect(Array.from(s0[copy]!.data), copy).toEqual(Array.from(q0)); // initialised equal
    // Within a few float32 ulps of values near 1: the engine rounds m c + (1 - m) q once per product.
    expect(maxAbsDiff(s1[copy]!.data, q0)).toBeLessThan(4e-7);
    const pre = q0.map((v, i) => m * v + (1 - m) * q1[i]!);
    const post = q0.map((v, i) => m * v + (1 - m) * q2[i]!); // what averaging the post-step weights would give
    expect(maxAbsDiff(s2[copy]!.data, pre), copy).toBeLessThan(4e-7);
    if (maxAbsDiff(pre, post) > 1e-6) discriminating++;
  }
  expect(discriminating).toBeGreaterThan(5);
}

/** Two steps on the reference driver from the seeded state, with `batch`; the state before, after one and after two. */
async function statesOverTwoSteps(method: Method, batch: Feeds): Promise<StateDict[]> {
  const executable = await reference.compile(buildTrainStep(method, { encoder: ENCODER, shape: SHAPE, seed: SEED, momentum: 0.9, weightDecay: 5e-4 }));
  try {
    if (method.beforeEpoch) await executable.writeState(method.beforeEpoch(await executable.readState(), 0));
    const states = [await executable.readState()];
    for (let step = 0; step < 2; step++) {
      await executable.run(batch, ['loss']);
      states.push(await executable.readState());
    }
    return states;
  } finally {
    executable.dispose();
  }
}

describe('byol state after a step (reference driver)', () => {
  const method = byol({ projectorHiddenDim: 16, projectorDim: 8, predictorHiddenDim: 16 });

  it("moves the target from the pre-step online weights by the fed tau: xi1 = theta0, xi2 = tau theta0 + (1 - tau) theta1; the predictor has no target", async () => {
    // tau fed as 0.9 rather than the schedule's 0.99, so the check sees the fed value, not a constant.
    const states = await statesOverTwoSteps(method, { ...feeds(method), [TARGET_MOMENTUM_INPUT]: hostTensor('float32', [], [0.9]) });
    expectPreStepEma(states as [StateDict, StateDict, StateDict], 0.9, { 'encoder.': TARGET_ENCODER_PREFIX, 'projector.': TARGET_PROJECTOR_PREFIX });
    expect(Object.keys(states[0]!).some((n) => n.startsWith('target_predictor'))).toBe(false);
  });
});

describe('sdclr state after a step (reference driver)', () => {
  it('keeps the masks the epoch set, moves the pruned branch’s own BatchNorm statistics, and scores the masked kernels', async () => {
    const method = sdclr({ ...HEAD, pruneFraction: 0.5 });
    const [s0, s1] = (await statesOverTwoSteps(method, feeds(method))) as [StateDict, StateDict];
    const masks = Object.keys(s0).filter((n) => n.startsWith('prune_mask.'));
    expect(masks).toHaveLength(3);
    const kept = masks.reduce((n, m) => n + Array.from(s0[m]!.data).reduce((a, v) => a + v, 0), 0) / masks.reduce((n, m) => n + s0[m]!.data.length, 0);
    expect(kept).toBeGreaterThan(0.45);
    expect(kept).toBeLessThanOrEqual(0.5);
    for (const m of masks) expect(Array.from(s1[m]!.data)).toEqual(Array.from(s0[m]!.data));
    // Each branch normalises its own view with its own statistics.
    const stats = (s: StateDict, prefix: string) => Array.from(s[`${prefix}bn1.running_mean`]!.data);
    expect(stats(s1, 'encoder_pruned.')).not.toEqual(stats(s0, 'encoder_pruned.'));
    expect(stats(s1, 'encoder_pruned.')).not.toEqual(stats(s1, 'encoder.'));
    // The masks enter the step: the same batch from the same weights scores differently with all kernels kept.
    const loss = async (state: StateDict): Promise<number> => {
      const executable = await reference.compile(buildTrainStep(method, { encoder: ENCODER, shape: SHAPE, seed: SEED, momentum: 0.9, weightDecay: 5e-4 }));
      try {
        await executable.writeState(state);
        return (await executable.run(feeds(method), ['loss'])).loss!.data[0]!;
      } finally {
        executable.dispose();
      }
    };
    const allKept = Object.fromEntries(masks.map((m) => [m, hostTensor('float32', [...s0[m]!.shape], new Float32Array(s0[m]!.data.length).fill(1))]));
    expect(Math.abs((await loss(s0)) - (await loss({ ...s0, ...allKept })))).toBeGreaterThan(1e-3);
  });
});
