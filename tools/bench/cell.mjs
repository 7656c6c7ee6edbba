#!/usr/bin/env node
// Benchmark (not a test): whole quick-preset imbalance cells, end to end, timed by phase, on ltssl's
// onnx driver beside the same cell written in PyTorch (tools/bench/torch_cell.py), interleaved in one
// run: every round runs each configuration once, the order rotating between rounds, so load that comes
// and goes falls on every row alike. Prints the medians of the rounds and the load average each
// process started under, and writes reports/bench/cell.json. Build first (npm run build).
//
// node tools/bench/cell.mjs [--rounds 3] [--methods simclr,supervised] [--n N (default: the preset's largest)] [--r 1] [--seed 0] [--epochs 20]
//   [--ltssl NAME=DIR[:spin=0|1][:workers=N],...]  the ltssl rows: a checkout whose built packages run the
//       cell, ORT's intra-op spinning (default: the driver's) and augmentation worker threads (default: the
//       cell's rule); default 'ltssl=<this checkout>'. E.g. before=/tmp/ltssl-before:spin=0,after=.
//       (tools/bench/before-tree.sh makes the tree of commit 0f245e2 with the phase timers)
//   [--torch cpu|none] [--python /usr/bin/python3] [--loader-workers 0] [--threads 2]
//
// PyTorch is paired fairly with ltssl on a shared 2-core machine: torch.set_num_threads(2),
// OMP_WAIT_POLICY=PASSIVE (its OpenMP threads otherwise spin between ops and starve everything else),
// OpenBLAS's OpenMP build first on LD_LIBRARY_PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const rounds = Number(option('rounds', '3'));
const methods = option('methods', 'simclr,supervised').split(',');
const n = option('n', '');
const nArgs = n ? ['--n', n] : [];
const r = option('r', '1');
const seed = option('seed', '0');
const epochs = option('epochs', '');
const threads = option('threads', '2');
const rowsOfLtssl = option('ltssl', `ltssl=${root}`)
  .split(',')
  .map((spec) => {
    const [head, ...settings] = spec.split(':');
    const [name, dir] = head.includes('=') ? head.split('=') : [head, head];
    const setting = (key) => settings.find((s) => s.startsWith(`${key}=`))?.slice(key.length + 1) ?? 'default';
    return { name, dir: resolve(dir), spinning: setting('spin'), workers: setting('workers') };
  });
const torchDevice = option('torch', 'cpu');
const python = option('python', '/usr/bin/python3');
const loaderWorkers = option('loader-workers', '0');
const PHASES = ['compile', 'augmentation', 'step', 'checkpoint', 'features', 'probes', 'knn', 'store'];

for (const t of rowsOfLtssl) {
  if (!existsSync(join(t.dir, 'tools', 'bench', 'cell-worker.mjs'))) throw new Error(`--ltssl ${t.name}=${t.dir}: no tools/bench/cell-worker.mjs there`);
  if (!existsSync(join(t.dir, 'packages', 'experiments', 'dist', 'index.js'))) throw new Error(`--ltssl ${t.name}=${t.dir}: not built (run 'npx nx run @ltssl/cli:build' there)`);
}
const openblas = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const torchEnv = {
  ...process.env,
  OMP_NUM_THREADS: threads,
  OMP_WAIT_POLICY: 'PASSIVE',
  ...(existsSync(openblas) ? { LD_LIBRARY_PATH: `${openblas}:${process.env.LD_LIBRARY_PATH ?? ''}` } : {}),
};
const torchWhyNot = torchDevice === 'none' ? '--torch none' : !existsSync(python) ? `no ${python}` : spawnSync(python, ['-c', 'import torch, torchvision'], { env: torchEnv }).status !== 0 ? `${python} cannot import torch and torchvision` : undefined;

function runJson(command, commandArgs, env, cwd) {
  const load = loadavg()[0];
  const start = performance.now();
  const run = spawnSync(command, commandArgs, { encoding: 'utf8', env, cwd, maxBuffer: 1 << 26 });
  const processSeconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${run.stderr}`);
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()), processSeconds, load };
}

// One configuration per row: the ltssl rows, then PyTorch.
const describeRow = (t) => [t.spinning === 'default' ? '' : `spin ${t.spinning}`, t.workers === 'default' ? '' : `${t.workers} aug workers`].filter(Boolean).join(', ');
const configs = methods.flatMap((method) => [
  ...rowsOfLtssl.map((t) => ({ method, engine: `${t.name} onnx${describeRow(t) ? ` (${describeRow(t)})` : ''}`, tree: t, spinning: t.spinning, workers: t.workers })),
  ...(torchWhyNot ? [] : [{ method, engine: `pytorch (${threads} threads, PASSIVE${loaderWorkers !== '0' ? `, ${loaderWorkers} loader workers` : ''})`, torch: true }]),
]);
const scratch = mkdtempSync(join(tmpdir(), 'ltssl-bench-'));
const planFor = new Map();
function torchPlan(method) {
  if (!planFor.has(method)) {
    const file = join(scratch, `plan-${method}.json`);
    const tree = rowsOfLtssl[rowsOfLtssl.length - 1];
    const worker = join(tree.dir, 'tools', 'bench', 'cell-worker.mjs');
    const run = spawnSync(process.execPath, [worker, '--method', method, ...nArgs, '--r', r, '--seed', seed, '--threads', threads, ...(epochs ? ['--epochs', epochs] : []), '--plan', file], { encoding: 'utf8', cwd: tree.dir });
    if (run.status !== 0) throw new Error(`writing the PyTorch plan failed:\n${run.stderr}`);
    const plan = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...plan, loaderWorkers: Number(loaderWorkers) }));
    planFor.set(method, file);
  }
  return planFor.get(method);
}

const samples = new Map(configs.map((c) => [c, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round, so no configuration always runs first (or after the slowest).
  const order = configs.map((_, i) => configs[(i + round) % configs.length]);
  for (const c of order) {
    process.stderr.write(`round ${round + 1}/${rounds}: ${c.method} ${c.engine} (load ${loadavg()[0].toFixed(2)})...\n`);
    const sample = c.torch
      ? runJson(python, [join(here, 'torch_cell.py'), torchPlan(c.method)], torchEnv)
      : runJson(process.execPath, [join(c.tree.dir, 'tools', 'bench', 'cell-worker.mjs'), '--method', c.method, ...nArgs, '--r', r, '--seed', seed, '--threads', threads, '--spinning', c.spinning, ...(c.workers === 'default' ? [] : ['--augment-workers', c.workers]), ...(epochs ? ['--epochs', epochs] : [])], process.env, c.tree.dir);
    samples.get(c).push(sample);
  }
}
rmSync(scratch, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = configs.map((c) => {
  const runs = samples.get(c);
  const phases = Object.fromEntries(PHASES.map((p) => [p, median(runs.map((s) => (s.phases[p] ?? 0) / 1000))]));
  const cellSeconds = median(runs.map((s) => s.cellSeconds));
  const other = median(runs.map((s) => s.cellSeconds - PHASES.reduce((a, p) => a + (s.phases[p] ?? 0) / 1000, 0)));
  const metrics = Object.fromEntries(Object.keys(runs[0].metrics).map((k) => [k, median(runs.map((s) => s.metrics[k]))]));
  return { method: c.method, engine: c.engine, runs: runs.length, processSeconds: median(runs.map((s) => s.processSeconds)), cellSeconds, phases, other, peakRssMiB: median(runs.map((s) => s.peakRssMiB)), loads: runs.map((s) => s.load), metrics, samples: runs };
});

const pad = (s, n) => String(s).padEnd(n);
const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const loads = rows.flatMap((row) => row.loads);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${rounds} round(s), medians; cell n = ${n || "the preset's largest"}, r = ${r}, seed ${seed}${torchWhyNot ? `; no PyTorch rows: ${torchWhyNot}` : ''}`);
console.log(`load average (1 min) as each process started: median ${median(loads).toFixed(2)}, min ${Math.min(...loads).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}`);
console.log(`${pad('method', 11)}${pad('engine', 34)}${pad('process', 8)}${pad('cell', 7)}${PHASES.map((p) => pad(p.slice(0, 7), 8)).join('')}${pad('other', 7)}${pad('RSS MiB', 8)}cell vs PyTorch`);
for (const row of rows) {
  const torch = rows.find((t) => t.method === row.method && t.engine.startsWith('pytorch'));
  console.log(
    `${pad(row.method, 11)}${pad(row.engine, 34)}${pad(f(row.processSeconds), 8)}${pad(f(row.cellSeconds), 7)}${PHASES.map((p) => pad(f(row.phases[p]), 8)).join('')}${pad(f(row.other), 7)}${pad(row.peakRssMiB.toFixed(0), 8)}${torch ? (row.cellSeconds / torch.cellSeconds).toFixed(2) : '-'}`,
  );
}
console.log('metrics (medians):');
for (const row of rows) console.log(`  ${pad(row.method, 11)}${pad(row.engine, 34)}${Object.entries(row.metrics).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}`).join('  ')}`);
mkdirSync(join(root, 'reports', 'bench'), { recursive: true });
const out = join(root, 'reports', 'bench', 'cell.json');
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, cpu: cpus()[0]?.model, rounds, n: n ? Number(n) : 'the preset\'s largest', r, seed, rows }, null, 2));
console.log(`written to ${out}`);
