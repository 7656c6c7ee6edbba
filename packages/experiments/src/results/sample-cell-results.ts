import type { CellResult, MethodFamily } from '../study/cell.js';

/**
 * Generated cell results for the results tests: every optional field present
 * in done cells (per-class values, class counts, epochs with and without kNN,
 * device memory, out-of-domain data, lockfile and git commit), and a failed
 * cell with only what runCells writes for a failure. Values are distinct
 * per cell and field, so a column mixed up on the way shows.
 */
export function sampleCellResult(o: { method?: string; family?: MethodFamily; n?: number; r?: number; seed?: number; finishedAt?: string; configHash?: string } = {}): CellResult {
  const method = o.method ?? 'simsiam';
  const n = o.n ?? 600;
  const r = o.r ?? 0.1;
  const seed = o.seed ?? 0;
  const base = n / 1000 + seed / 100 + r / 10;
  return {
    cell: { id: `imbalance_${method}_n${n}_r${r}_s${seed}`, protocol: 'imbalance', method, family: o.family ?? 'ssl', n, r, seed },
    configHash: o.configHash ?? 'cfg-1',
    status: 'done',
    startedAt: '2026-11-27T10:00:00.000Z',
    finishedAt: o.finishedAt ?? '2026-11-27T10:05:00.000Z',
    seconds: 300.25 + seed,
    classCounts: [240, 130, 70, 40, 24].map((c) => c + seed),
    metrics: { 'id.linear': 0.5 + base / 10, 'id.knn': 0.45 + base / 10, 'ood.linear': 0.3 + base / 20, 'id.tail': 0.2 + base / 30 },
    perClass: {
      'id.linear': [0.9, 0.7, 0.5, 0.3, 0.1 + base / 100],
      'id.knn': [0.8, 0.6, 0.4, 0.2, 0.05 + base / 100],
    },
    epochs: [
      { epoch: 0, loss: -0.1 - base, monitors: { std: 0.02, 'collapse.std': 0.015 }, seconds: 10.5 },
      { epoch: 1, loss: -0.5 - base, monitors: { std: 0.03, 'collapse.std': 0.02 }, knnAccuracy: 0.41 + base / 10, seconds: 11.25 },
    ],
    memory: { peakRssBytes: 512_000_000 + seed, deviceBytes: 2_000_000_000 + n },
    environment: {
      driver: 'onnx',
      device: 'CPU, ONNX Runtime 1.30.0',
      node: 'v20.20.2',
      platform: 'linux-x64',
      ltsslVersion: '0.1.0',
      packages: { 'onnxruntime-node': '1.30.0', '@ltssl/core': '0.1.0' },
      lockfileHash: 'abc123',
      gitCommit: '17f9ff2',
    },
    data: { inDomain: 'fashion-mnist', outOfDomain: 'mnist' },
  };
}

/** A failed cell as runCells writes it, with an error message that needs CSV quoting. */
export function sampleFailedCell(o: { method?: string; seed?: number; configHash?: string; error?: string } = {}): CellResult {
  const method = o.method ?? 'supervised';
  const seed = o.seed ?? 1;
  return {
    cell: { id: `imbalance_${method}_n600_r0.01_s${seed}`, protocol: 'imbalance', method, family: 'sl', n: 600, r: 0.01, seed },
    configHash: o.configHash ?? 'cfg-1',
    status: 'failed',
    error: o.error ?? 'training diverged at epoch 3, step 2: loss is "NaN"',
    startedAt: '2026-11-27T11:00:00.000Z',
    finishedAt: '2026-11-27T11:00:42.500Z',
    seconds: 42.5,
    metrics: {},
    memory: { peakRssBytes: 300_000_000 },
    environment: { driver: '', device: '', node: 'v20.20.2', platform: 'linux-x64', ltsslVersion: '', packages: {} },
    data: { inDomain: '' },
  };
}
