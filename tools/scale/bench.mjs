#!/usr/bin/env node
// The scale-out benchmark of docs/scale.md: one sweep of about 8 small imbalance cells computed five ways,
// each timed from its first command to its last cell:
//
//   run-2t            `ltssl run` as a user runs it (ONNX Runtime's default thread count, 2 on a 2-core machine);
//   queue-1           one `ltssl queue worker` pinned to one core (taskset -c 0): ltssl sizes its engine threads
//                     and augmentation workers to the CPUs it may run on, so one engine thread and no pool;
//   queue-2           two such workers on the same queue and shared folder, pinned to cores 0 and 1;
//   queue-1-unpinned  one worker with LTSSL_ONNX_THREADS=1 and no pinning: one engine thread, but its
//                     augmentation worker, garbage collector and compiler threads use the other core;
//   queue-2-unpinned  two such workers;
//   slurm-2           `ltssl submit slurm --concurrency 2` on a single-node Slurm cluster started for the
//                     benchmark with TaskPlugin=task/affinity, so each task is bound to its CPU as on a
//                     production cluster (root and slurm-wlm needed; skipped otherwise).
//
// The ways run one after another, in rounds (--rounds, default 3), so a slow spell of a shared machine
// falls on every way; it prints each time with the load average around it, then the medians, the speed-ups
// of the medians, and whether every table is identical. Redis and Slurm are Debian's redis-server and slurm-wlm, started by
// @ltssl/testing's helpers on free ports and stopped at the end; taskset is util-linux's.
//
//   npx nx run-many -t build -p @ltssl/cli @ltssl/testing && node tools/scale/bench.mjs [--seeds 2] [--epochs 8] [--ways run-2t,queue-1,...] [--rounds 3] [--keep DIR]
//
// Not a test: it takes minutes, and its figures depend on the machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REDIS, SLURM, startRedis, startSlurm, waitFor } from '@ltssl/testing';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repo, 'packages', 'cli', 'dist', 'main.js');
if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (npx nx run-many -t build -p @ltssl/cli @ltssl/testing)`);

const WAYS = ['run-2t', 'queue-1', 'queue-2', 'queue-1-unpinned', 'queue-2-unpinned', 'slurm-2'];
const { values: flags } = parseArgs({ options: { seeds: { type: 'string', default: '2' }, epochs: { type: 'string', default: '8' }, ways: { type: 'string', default: WAYS.join(',') }, rounds: { type: 'string', default: '3' }, keep: { type: 'string' } } });
const ways = new Set(flags.ways.split(','));
for (const way of ways) if (!WAYS.includes(way)) throw new Error(`--ways: '${way}' is not one of ${WAYS.join(', ')}`);
const root = flags.keep ? resolve(flags.keep) : mkdtempSync(join(tmpdir(), 'ltssl-scale-bench-'));
mkdirSync(root, { recursive: true });

// 2 methods x 2 ratios x seeds cells on the embedded Fashion-MNIST: at 8 epochs each is 4-7 s of training and
// probing on one core, so a cell process's start (about 1.5 s on one core, mostly loading modules) is a
// fifth of it; at 4 epochs it is a third, and the speed-ups are lower (docs/scale.md).
const config = join(root, 'bench.json');
writeFileSync(
  config,
  JSON.stringify({
    methods: ['simclr', 'supervised'],
    randomInit: false,
    sizes: [1000],
    ratios: [1, 0.004],
    seeds: Number(flags.seeds),
    encoder: { arch: 'small-cnn', width: 8 },
    pretrain: { epochs: Number(flags.epochs), batch: 64, checkpointEvery: 2 },
    methodOptions: { simclr: { projectorDim: 32, projectorHiddenDim: 64 } },
    probe: { kind: 'cached', epochs: 10, fewShot: [10], oodPerClass: 100 },
  }),
);
const defaults = { ...process.env, NO_COLOR: '1' };
delete defaults.LTSSL_ONNX_THREADS;
delete defaults.LTSSL_AUGMENT_WORKERS;
const oneThread = { ...defaults, LTSSL_ONNX_THREADS: '1' };
if (availableParallelism() < 2) throw new Error(`the benchmark pins two workers to cores 0 and 1, and this process may run on ${availableParallelism()} CPU`);
if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) throw new Error("taskset does not run here: install util-linux (apt-get install util-linux)");

const ltssl = (args, env) => {
  const run = spawnSync(process.execPath, [bin, '--backend', 'onnx', ...args], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`ltssl ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
};
/** `ltssl ARGS` in the background, on the CPUs of `cpus` (taskset -c) when given. */
const background = (args, env, cpus) =>
  new Promise((done, fail) => {
    const command = [process.execPath, bin, '--backend', 'onnx', ...args];
    const child = cpus === undefined ? spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] }) : spawn('taskset', ['-c', cpus, ...command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`ltssl ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
/** results.csv without the columns that say when and how fast: what the cells computed. */
const table = (dir) => {
  const [header, ...rows] = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
  const skip = new Set(['started_at', 'finished_at', 'seconds', 'peak_rss_bytes', 'device_bytes', 'device']);
  const names = header.split(',');
  return rows.map((r) => r.replace(/"[^"]*"/g, (q) => q.replace(/,/g, ';')).split(',').filter((_, i) => !skip.has(names[i])).join(',')).sort().join('\n');
};

/** The cells' own compute time in a study folder (the sum of their results' seconds): what a run got of the CPU. */
const cellSeconds = (dir) =>
  readdirSync(join(dir, 'cells'))
    .filter((f) => f.endsWith('.json'))
    .reduce((sum, f) => sum + JSON.parse(readFileSync(join(dir, 'cells', f), 'utf8')).seconds, 0);

const rounds = Number(flags.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds ${flags.rounds}: give a positive integer`);

const figures = [];
/** Times `work` (an async function that fills `dir`) and records it with the load average before and after. */
async function timed(name, round, what, dir, work) {
  const before = load();
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const compute = cellSeconds(dir);
  figures.push({ name, round, dir, seconds, compute });
  process.stdout.write(`round ${round} ${name}: ${seconds.toFixed(1)} s (${what}; the cells' own compute ${compute.toFixed(1)} s; load average ${before} -> ${load()})\n`);
}

const queueAsked = [...ways].some((w) => w.startsWith('queue-'));
if (queueAsked && !REDIS.present()) process.stdout.write(`queue: skipped (${REDIS.what} is not installed: ${REDIS.install})\n`);
const slurmAsked = ways.has('slurm-2');
if (slurmAsked && (process.getuid?.() !== 0 || !SLURM.present())) process.stdout.write(`slurm: skipped (needs root and ${SLURM.what}: ${SLURM.install})\n`);

process.stdout.write(`scale-out benchmark in ${root}: ${4 * Number(flags.seeds)} imbalance cells, ${flags.epochs} epochs each, ${rounds} round(s); ${availableParallelism()} CPUs, load average ${load()}\n`);
const redis = queueAsked && REDIS.present() ? await startRedis() : undefined;
const slurm = slurmAsked && process.getuid?.() === 0 && SLURM.present() ? await startSlurm({ bindTasks: true }) : undefined;

/** One sweep through a queue: `workers` are [environment, taskset CPU list or undefined] of each worker. */
const queueSweep = (queue, dir, workers) => async () => {
  ltssl(['queue', 'add', '--config', config, '--protocol', 'imbalance', '--out', dir, '--redis', redis.url, '--queue-name', queue], defaults);
  await Promise.all(workers.map(([env, cpus]) => background(['queue', 'worker', '--redis', redis.url, '--out', dir, '--queue-name', queue, '--drain'], env, cpus)));
};
const slurmSweep = (dir) => async () => {
  const submitted = ltssl(['submit', 'slurm', '--config', config, '--protocol', 'imbalance', '--out', dir, '--concurrency', '2'], { ...defaults, ...slurm.env });
  const job = /^submitted batch job (\d+)/.exec(submitted)[1];
  await waitFor(`Slurm job ${job}`, () => (slurm.run('squeue', ['-h', '-j', job]).stdout.trim() === '' ? true : undefined), 3_600_000, 500);
};
/** name -> [what it is, whether it can run here, the sweep into a folder of round `round`]. */
const sweeps = {
  'run-2t': ["ltssl run, ONNX Runtime's default threads", true, (dir) => async () => ltssl(['run', 'imbalance', '--config', config, '--out', dir], defaults)],
  'queue-1': ['one queue worker pinned to core 0', redis, (dir, queue) => queueSweep(queue, dir, [[defaults, '0']])],
  'queue-2': ['two queue workers pinned to cores 0 and 1', redis, (dir, queue) => queueSweep(queue, dir, [[defaults, '0'], [defaults, '1']])],
  'queue-1-unpinned': ['one queue worker, LTSSL_ONNX_THREADS=1, not pinned', redis, (dir, queue) => queueSweep(queue, dir, [[oneThread]])],
  'queue-2-unpinned': ['two queue workers, LTSSL_ONNX_THREADS=1, not pinned', redis, (dir, queue) => queueSweep(queue, dir, [[oneThread], [oneThread]])],
  'slurm-2': ['sbatch job array, 2 tasks at a time, each bound to its CPU', slurm, (dir) => slurmSweep(dir)],
};

try {
  for (let round = 1; round <= rounds; round++) {
    for (const name of WAYS.filter((w) => ways.has(w) && sweeps[w][1])) {
      const [what, , sweep] = sweeps[name];
      const dir = join(root, `${name}-${round}`);
      await timed(name, round, what, dir, sweep(dir, `${name}-${round}`));
      if (name !== 'run-2t') ltssl(['collect', dir], defaults);
    }
  }
} finally {
  await redis?.stop();
  await slurm?.stop();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const of = (name) => figures.filter((f) => f.name === name);
const by = Object.fromEntries(WAYS.filter((w) => of(w).length > 0).map((w) => [w, median(of(w).map((f) => f.seconds))]));
const ratio = (a, b) => (by[a] && by[b] ? `${(by[a] / by[b]).toFixed(2)}x` : 'n/a');
const tables = figures.map((f) => table(f.dir));
process.stdout.write(
  [
    '',
    `medians of ${rounds} round(s) (the lower middle of an even count):`,
    ...Object.entries(by).map(([w, t]) => `  ${w}: ${t.toFixed(1)} s (the cells' own compute ${median(of(w).map((f) => f.compute)).toFixed(1)} s)`),
    `two pinned queue workers vs one (a core each): ${ratio('queue-1', 'queue-2')} (goal >= 1.8x)`,
    `two pinned queue workers vs ltssl run (default threads): ${ratio('run-2t', 'queue-2')}`,
    `two unpinned one-thread workers vs one: ${ratio('queue-1-unpinned', 'queue-2-unpinned')}; vs ltssl run: ${ratio('run-2t', 'queue-2-unpinned')}`,
    `sbatch, 2 bound tasks at a time, vs one pinned queue worker: ${ratio('queue-1', 'slurm-2')}; vs ltssl run: ${ratio('run-2t', 'slurm-2')}`,
    `every table identical (${figures.length} sweeps): ${tables.every((t) => t === tables[0])}`,
    `load average now (1, 5, 15 min): ${load()} on ${availableParallelism()} CPUs`,
    '',
  ].join('\n'),
);
if (!flags.keep) rmSync(root, { recursive: true, force: true });
