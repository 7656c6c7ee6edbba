import { CounterRng, hostTensor, RNG_STREAMS, sizeOf, type Driver, type Feeds, type Program, type StateDict } from '@ltssl/core';
import { simsiamStep, STEP_TOLERANCE, supervisedStep } from '@ltssl/conformance';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { WebGpuDriver } from '@ltssl/driver-webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The cases of cross-driver-steps.test.ts on the WebGPU driver (whatever adapter
 * this machine has: llvmpipe in CI): three steps from the same initial state and
 * feeds as the float64 reference and ONNX Runtime; losses within
 * STEP_TOLERANCE.loss of the reference's, each state tensor's change within
 * STEP_TOLERANCE.update of the reference change's norm, WebGPU and ONNX Runtime
 * within twice that of each other.
 */
interface StepCase {
  readonly name: string;
  readonly program: () => Program;
  readonly feeds: (step: number) => Feeds;
  readonly lr: number;
}

function normal(shape: number[], step: number, stream: number): Feeds[string] {
  const data = new Float32Array(sizeOf(shape));
  new CounterRng(23, RNG_STREAMS.data, step * 16 + stream).fillNormal(data);
  return hostTensor('float32', shape, data);
}

function labels(batch: number, classes: number, step: number): Feeds[string] {
  const rng = new CounterRng(23, RNG_STREAMS.data, 1000 + step);
  return hostTensor('int32', [batch], Array.from({ length: batch }, (_, i) => rng.int(i, classes)));
}

const CASES: readonly StepCase[] = [
  {
    name: 'supervised small CNN, 3 channels',
    program: () => supervisedStep({ encoder: 'small-cnn', width: 8, channels: 3, size: 12, batch: 8, classes: 4, seed: 1 }),
    feeds: (step) => ({ x: normal([8, 3, 12, 12], step, 0), labels: labels(8, 4, step) }),
    lr: 0.2,
  },
  {
    // lr 0.05, as cross-driver-steps.test.ts: larger rates make the third step of this tiny ResNet chaotic.
    name: 'supervised ResNet-18 (width 8)',
    program: () => supervisedStep({ encoder: 'resnet18', width: 8, channels: 3, size: 8, batch: 8, classes: 3, seed: 2 }),
    feeds: (step) => ({ x: normal([8, 3, 8, 8], step, 0), labels: labels(8, 3, step) }),
    lr: 0.05,
  },
  {
    name: 'SimSiam small CNN',
    program: () => simsiamStep({ width: 4, channels: 3, size: 8, batch: 8, projectorDim: 16, predictorDim: 8, seed: 3 }),
    feeds: (step) => ({ x1: normal([8, 3, 8, 8], step, 0), x2: normal([8, 3, 8, 8], step, 1) }),
    lr: 0.5,
  },
];

interface Trained {
  readonly initial: StateDict;
  readonly final: StateDict;
  readonly losses: number[];
}

async function train(driver: Driver, c: StepCase): Promise<Trained> {
  const executable = await driver.compile(c.program());
  try {
    const initial = await executable.readState();
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      const { loss } = await executable.run({ ...c.feeds(step), lr: hostTensor('float32', [], [c.lr]) }, ['loss']);
      losses.push(loss!.data[0]!);
    }
    return { initial, final: await executable.readState(), losses };
  } finally {
    executable.dispose();
  }
}

const norm = (values: ArrayLike<number>): number => Math.sqrt(Array.from(values).reduce((s, v) => s + v * v, 0));

/** The worst float slot's |change(a) - change(b)| / |change(b)|. */
function worstUpdateError(a: Trained, b: Trained): number {
  let worst = 0;
  for (const [name, w0] of Object.entries(b.initial)) {
    if (w0.dtype === 'int32') continue;
    const want = b.final[name]!.data.map((v, i) => v - w0.data[i]!);
    const diff = a.final[name]!.data.map((v, i) => v - a.initial[name]!.data[i]! - want[i]!);
    worst = Math.max(worst, norm(diff) / Math.max(norm(want), 1e-7 / STEP_TOLERANCE.update));
  }
  return worst;
}

describe('the same training steps on reference, onnx and webgpu', () => {
  const drivers = { reference: new ReferenceDriver(), onnx: new OnnxDriver({ provider: 'cpu' }), webgpu: new WebGpuDriver() };

  beforeAll(async () => {
    for (const d of Object.values(drivers)) await d.init();
  });
  afterAll(async () => {
    for (const d of Object.values(drivers)) await d.dispose();
  });

  for (const c of CASES) {
    it(`${c.name}: losses and updates agree`, async () => {
      const reference = await train(drivers.reference, c);
      const onnx = await train(drivers.onnx, c);
      const webgpu = await train(drivers.webgpu, c);
      webgpu.losses.forEach((loss, step) => expect(Math.abs(loss - reference.losses[step]!)).toBeLessThanOrEqual(STEP_TOLERANCE.loss * Math.abs(reference.losses[step]!)));
      expect(worstUpdateError(webgpu, reference)).toBeLessThanOrEqual(STEP_TOLERANCE.update);
      for (const [name, w] of Object.entries(reference.final)) if (w.dtype === 'int32') expect(Array.from(webgpu.final[name]!.data)).toEqual(Array.from(w.data));
      expect(worstUpdateError(webgpu, onnx)).toBeLessThanOrEqual(2 * STEP_TOLERANCE.update);
    }, 120_000);
  }
});
