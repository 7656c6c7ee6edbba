import { CounterRng, hostTensor, RNG_STREAMS, sizeOf, type Driver, type Feeds, type Program, type StateDict } from '@ltssl/core';
import { simsiamStep, STEP_TOLERANCE, supervisedStep } from '@ltssl/conformance';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { TfjsDriver } from '@ltssl/driver-tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The same three training steps, from the same initial state and feeds, on the
 * float64 reference, ONNX Runtime (CPU) and TensorFlow.js (wasm): every loss
 * within STEP_TOLERANCE.loss relative of the reference's, every state tensor's
 * change within STEP_TOLERANCE.update of the reference change's norm, and the
 * two engines within twice that of each other.
 */
interface StepCase {
  readonly name: string;
  readonly program: () => Program;
  readonly feeds: (step: number) => Feeds;
  readonly lr: number;
}

const STEPS = 3;

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
    // lr 0.05: the loss falls over the three steps. At larger rates the third step of this
    // tiny ResNet is chaotic (the reference restarted from any float32 engine's step-2 weights
    // lands 1e-2 away from itself), and a comparison would measure the chaos, not the engines.
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
    for (let step = 0; step < STEPS; step++) {
      const { loss } = await executable.run({ ...c.feeds(step), lr: hostTensor('float32', [], [c.lr]) }, ['loss']);
      losses.push(loss!.data[0]!);
    }
    return { initial, final: await executable.readState(), losses };
  } finally {
    executable.dispose();
  }
}

const norm = (values: ArrayLike<number>): number => Math.sqrt(Array.from(values).reduce((s, v) => s + v * v, 0));

/** Per float slot: |change(a) - change(b)| / |change(b)|, b being the yardstick. */
function updateErrors(a: Trained, b: Trained): Map<string, number> {
  const errors = new Map<string, number>();
  for (const [name, w0] of Object.entries(b.initial)) {
    if (w0.dtype === 'int32') continue;
    const want = b.final[name]!.data.map((v, i) => v - w0.data[i]!);
    const diff = a.final[name]!.data.map((v, i) => v - a.initial[name]!.data[i]! - want[i]!);
    errors.set(name, norm(diff) / Math.max(norm(want), 1e-7 / STEP_TOLERANCE.update));
  }
  return errors;
}

const worst = (errors: Map<string, number>): [string, number] => [...errors].reduce((w, e) => (e[1] > w[1] ? e : w), ['', 0]);

describe('the same training steps on reference, onnx and tfjs', () => {
  const drivers = { reference: new ReferenceDriver(), onnx: new OnnxDriver({ provider: 'cpu' }), tfjs: new TfjsDriver({ backend: 'tfjs-wasm' }) };

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
      const tfjs = await train(drivers.tfjs, c);
      // The steps move the weights (>= 1%), so agreeing updates mean something.
      const moved = Object.keys(reference.initial).filter((n) => reference.initial[n]!.dtype !== 'int32' && !n.startsWith('optimizer.') && !n.includes('running_'));
      const change = Math.sqrt(moved.reduce((s, n) => s + norm(reference.final[n]!.data.map((v, i) => v - reference.initial[n]!.data[i]!)) ** 2, 0));
      expect(change / Math.sqrt(moved.reduce((s, n) => s + norm(reference.initial[n]!.data) ** 2, 0))).toBeGreaterThan(STEP_TOLERANCE.minRelativeUpdate);
      for (const engine of [onnx, tfjs]) {
        engine.losses.forEach((loss, step) => expect(Math.abs(loss - reference.losses[step]!)).toBeLessThanOrEqual(STEP_TOLERANCE.loss * Math.abs(reference.losses[step]!)));
        expect(worst(updateErrors(engine, reference))[1]).toBeLessThanOrEqual(STEP_TOLERANCE.update);
        // int32 state (BatchNorm's num_batches_tracked) is exact everywhere.
        for (const [name, w] of Object.entries(reference.final)) if (w.dtype === 'int32') expect(Array.from(engine.final[name]!.data)).toEqual(Array.from(w.data));
      }
      expect(worst(updateErrors(tfjs, onnx))[1]).toBeLessThanOrEqual(2 * STEP_TOLERANCE.update);
    }, 120_000);
  }
});
