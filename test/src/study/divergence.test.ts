import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceInfo } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { ReferenceDriver } from '@ltssl/driver-reference';
import {
  RunClock,
  buildFeatureProgram,
  createMethod,
  doneCellResult,
  fineTune,
  imbalanceCells,
  linearProbeAugmented,
  linearProbeCached,
  parseImbalanceConfig,
  parseToyConfig,
  pretrain,
  probeAugmentation,
  readCellResult,
  runCells,
  runImbalanceCell,
  runToyCell,
  separableDataset,
  toyCells,
  toyClassCounts,
  toyGaussians,
  trainBatches,
  TrainingDivergedError,
  trainToySl,
  trainToySsl,
  type CellResult,
  type CellSpec,
  type FeatureMatrix,
  type LoadedDataset,
} from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * "Done when" of the one training loop: a NaN planted in each caller of fit,
 * through its real inputs (an infinite learning rate, a NaN example, images
 * whose normalisation overflows float32), stops it with the step
 * named, and a cell whose training or evaluation diverges is recorded as
 * failed with that reason. Before fit, the probes fetched nothing and scored
 * whatever a NaN head predicted.
 */
const onnx = new OnnxDriver();
const reference = new ReferenceDriver();
let info: DeviceInfo;
const root = mkdtempSync(join(tmpdir(), 'ltssl-divergence-'));
beforeAll(async () => {
  info = await onnx.init();
  await reference.init();
});
afterAll(async () => {
  await onnx.dispose();
  await reference.dispose();
  rmSync(root, { recursive: true, force: true });
});

const data = separableDataset();
const encoder = { arch: 'small-cnn', width: 4, inChannels: 1 } as const;
const first = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
/** What an awaited call threw (fails the test when it did not throw). */
async function thrown(run: Promise<unknown>): Promise<TrainingDivergedError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrainingDivergedError);
  return error as TrainingDivergedError;
}
/** The step after an infinite learning rate's first update: epoch 1, step 2, after one finite loss. */
const SECOND_STEP = (what: string): RegExp => new RegExp(`^${what} diverged at epoch 1, step 2: loss \\S+, gradient norm \\S+; the last finite loss was \\d`);

/**
 * The same images under a normalisation whose std (1e-45, positive, so it
 * passes the augmenter's check) overflows every normalised pixel off the
 * mean to +-Infinity in float32: the encoder's features are NaN. Pixels are
 * uint8, so this is how a NaN reaches an image; the protocols' configs have
 * no probe or fine-tuning learning rate to raise.
 */
function overflowing(set: LoadedDataset): LoadedDataset {
  return { ...set, name: 'overflowing', normalization: { mean: set.normalization.mean, std: set.normalization.std.map(() => 1e-45) } };
}

describe('a diverging caller of fit stops with the step named', () => {
  it('pre-training: an infinite learning rate stops the second step, after the first loss it reported', async () => {
    const method = createMethod('supervised', {});
    const losses: number[] = [];
    const augmentation = probeAugmentation(data.normalization);
    const config = { method, encoder, set: data.train, indices: first(128), normalization: data.normalization, augmentation, epochs: 1, batch: 32, lr: Number.POSITIVE_INFINITY, momentum: 0.9, weightDecay: 5e-4, seed: 0 };
    const error = await thrown(pretrain(onnx, config, { onStep: (_e, _s, _n, loss) => void losses.push(loss) }));
    expect(error.message).toMatch(SECOND_STEP('supervised'));
    expect(losses).toHaveLength(1);
    expect(error.lastFiniteLoss).toBe(losses[0]);
  });

  it('the cached linear probe: an infinite learning rate, or a NaN feature at the first step', async () => {
    const features = (count: number): FeatureMatrix => ({ values: Float32Array.from({ length: count * 4 }, (_, i) => Math.sin(i) + ((i >> 2) % 3 === i % 4 ? 2 : 0)), count, dim: 4, labels: Int32Array.from({ length: count }, (_, i) => i % 3) });
    const [train, test] = [features(60), features(30)];
    const options = { classes: 3, epochs: 2, batch: 20, seed: 0 };
    expect((await linearProbeCached(reference, train, test, options)).top1).toBeGreaterThan(0.5); // the same probe is fine at its own rate
    expect((await thrown(linearProbeCached(reference, train, test, { ...options, lr: Number.POSITIVE_INFINITY }))).message).toMatch(SECOND_STEP('linear probe'));
    const poisoned = { ...train, values: train.values.map((v, i) => (i === 17 ? Number.NaN : v)) };
    expect((await thrown(linearProbeCached(reference, poisoned, test, options))).message).toMatch(/^linear probe diverged at epoch 1, step 1: loss NaN, gradient norm NaN \(no step had finished\)/);
  });

  it('the augmented linear probe: an infinite learning rate', async () => {
    const features = await onnx.compile(buildFeatureProgram(encoder, 256, 8, 8));
    const o = { encoder, train: { set: data.train, indices: first(128) }, test: data.test, normalization: data.normalization, height: 8, width: 8, epochs: 1, batch: 32, lr: Number.POSITIVE_INFINITY, seed: 0 };
    expect((await thrown(linearProbeAugmented(onnx, features, o))).message).toMatch(SECOND_STEP('augmented linear probe'));
    features.dispose();
  });

  it('fine-tuning: an infinite learning rate', async () => {
    const source = await onnx.compile(buildFeatureProgram(encoder, 256, 8, 8));
    const o = { encoder, train: { set: data.train, indices: first(128) }, test: data.test, normalization: data.normalization, height: 8, width: 8, epochs: 1, batch: 32, lr: Number.POSITIVE_INFINITY, seed: 0 };
    expect((await thrown(fineTune(onnx, source, o))).message).toMatch(SECOND_STEP('fine-tune'));
    source.dispose();
  });

  describe('the toy arms: a NaN in one training example', () => {
    const tiny = parseToyConfig({ dim: 12, width: 4, frequentCount: 20, ratios: [0.25], seeds: 1, sl: { steps: 30 }, ssl: { steps: 20, batch: 8 }, probe: { shotsPerClass: 3, testPerClass: 20, steps: 30 } });
    const clean = toyGaussians({ dim: tiny.dim, tau: tiny.tau, rho: tiny.rho, counts: toyClassCounts(tiny, 0.25), seed: 0 });
    const poisoned = (example: number) => ({ ...clean, features: clean.features.map((v, i) => (i === example * tiny.dim + 3 ? Number.NaN : v)) });

    it('SL sees the whole set every step: its first step', async () => {
      expect((await thrown(trainToySl(onnx, tiny, poisoned(5), 0))).message).toMatch(/^toy-sl diverged at epoch 1, step 1: loss NaN, gradient norm NaN \(no step had finished\)/);
    });

    it("SSL: the step of the first batch that holds it, in the epoch's seeded order", async () => {
      const example = trainBatches(clean.count, tiny.ssl.batch, { seed: 0, epoch: 0 })[2]!.indices[0]!;
      const error = await thrown(trainToySsl(onnx, tiny, poisoned(example), 0));
      expect([error.what, error.epoch, error.step]).toEqual(['toy-ssl', 0, 2]);
      expect(error.message).toMatch(/^toy-ssl diverged at epoch 1, step 3: loss NaN, gradient norm NaN; the last finite loss was -?\d/);
    });
  });
});

describe('a cell whose training or evaluation diverges is recorded as failed, with the reason', () => {
  /** Runs cells the way a sweep does, and returns their result files. */
  async function sweep(name: string, cells: readonly CellSpec[], runCell: (cell: CellSpec) => Promise<CellResult>): Promise<CellResult[]> {
    const dir = join(root, name);
    const summary = await runCells({ dir, protocol: cells[0]!.protocol, config: {}, configHash: name, cells, runCell });
    expect(summary.failed).toBe(cells.length);
    return Promise.all(cells.map(async (c) => (await readCellResult(dir, c.id))!));
  }

  it('toy: an arm or its probe at a learning rate that overflows float32', async () => {
    const base = { dim: 12, width: 4, frequentCount: 20, ratios: [0.25], seeds: 1, sl: { steps: 30 }, ssl: { steps: 20, batch: 8 }, probe: { shotsPerClass: 3, testPerClass: 20, steps: 30 } };
    const toyRun = (config: ReturnType<typeof parseToyConfig>) => async (cell: CellSpec) => {
      const outcome = await runToyCell(onnx, cell, config);
      return doneCellResult(cell, { configHash: 'toy', info }, new RunClock(), { counts: outcome.classCounts, metrics: outcome.metrics, perClass: outcome.perClass, epochs: outcome.epochs, data: outcome.data });
    };
    const arms = parseToyConfig({ ...base, sl: { ...base.sl, lr: 1e300 }, ssl: { ...base.ssl, lr: 1e300 } });
    const [ssl, sl] = await sweep('toy-arms', toyCells(arms), toyRun(arms));
    expect([ssl!.cell.method, ssl!.status]).toEqual(['toy-ssl', 'failed']);
    expect(ssl!.error).toMatch(/^toy-ssl diverged at epoch 1, step 2: /);
    expect([sl!.cell.method, sl!.status]).toEqual(['toy-sl', 'failed']);
    expect(sl!.error).toMatch(/^toy-sl diverged at epoch 2, step 1: /); // full batch: a step is an epoch
    const probe = parseToyConfig({ ...base, arms: ['toy-ssl'], probe: { ...base.probe, lr: 1e300 } });
    const [probed] = await sweep('toy-probe', toyCells(probe), toyRun(probe));
    expect(probed!.error).toMatch(/^linear probe diverged at epoch 2, step 1: /);
  });

  describe('imbalance (separable images, small CNN)', () => {
    const config = (o: Record<string, unknown>) =>
      parseImbalanceConfig({
        protocol: 'imbalance',
        data: 'separable',
        oodData: null,
        methods: ['supervised'],
        ratios: [1],
        sizes: [128],
        seeds: 1,
        encoder: { arch: 'small-cnn', width: 4 },
        pretrain: { epochs: 1, batch: 32, checkpointEvery: 1 },
        probe: { epochs: 1, fewShot: [], oodPerClass: 32 },
        ...o,
      });
    const imbalanceRun = (c: ReturnType<typeof config>, inDomain: LoadedDataset, ood?: LoadedDataset, name = 'x') => (cell: CellSpec) =>
      runImbalanceCell(cell, c, { driver: onnx, info, data: inDomain, ...(ood ? { ood } : {}), studyDir: join(root, name), configHash: name });
    const only = (c: ReturnType<typeof config>, family: string) => imbalanceCells(c).filter((cell) => cell.family === family);

    it('pre-training at a learning rate that overflows float32', async () => {
      const c = config({ randomInit: false, pretrain: { epochs: 1, batch: 32, checkpointEvery: 1, baseLr: { supervised: 1e300 } } });
      const [cell] = await sweep('imb-pretrain', only(c, 'sl'), imbalanceRun(c, data, undefined, 'imb-pretrain'));
      expect(cell!.status).toBe('failed');
      expect(cell!.error).toMatch(SECOND_STEP('supervised'));
    });

    it.each([
      ['cached', 'linear probe'],
      ['augmented', 'augmented linear probe'],
    ] as const)('the %s probe of images that overflow float32 fails at its first step', async (kind, what) => {
      const c = config({ probe: { kind, epochs: 1, fewShot: [], oodPerClass: 32 } });
      const [cell] = await sweep(`imb-${kind}`, only(c, 'random'), imbalanceRun(c, overflowing(data)));
      expect(cell!.error).toMatch(new RegExp(`^${what} diverged at epoch 1, step 1: loss NaN, gradient norm NaN \\(no step had finished\\)`));
    });

    it('fine-tuning on out-of-domain images that overflow float32 fails the cell after the in-domain probes passed', async () => {
      const c = config({ probe: { epochs: 1, fewShot: [], oodPerClass: 32, ood: 'finetune', oodEpochs: 1 } });
      const [cell] = await sweep('imb-finetune', only(c, 'random'), imbalanceRun(c, data, overflowing(data)));
      expect(cell!.error).toMatch(/^fine-tune diverged at epoch 1, step 1: loss NaN, gradient norm NaN \(no step had finished\)/);
    });
  });
});
