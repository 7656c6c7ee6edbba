#!/usr/bin/env node
// The scale-out benchmark of docs/scale.md: one sweep of about 8 small imbalance cells computed four ways,
// each timed from its first command to its last cell:
//
//   run-2t    `ltssl run` as a user runs it (ONNX Runtime's default thread count, 2 on a 2-core machine);
//   queue-1   one `ltssl queue worker` with one engine thread (LTSSL_ONNX_THREADS=1);
//   queue-2   two such workers on the same queue and shared folder;
//   slurm-2   `ltssl submit slurm --concurrency 2` on a single-node Slurm cluster started for the benchmark
//             (root and slurm-wlm needed; skipped otherwise), one engine thread per task.
//
// Prints each time with the load average around it (the machine may be shared), the speed-ups, and whether
// the one-thread tables are identical. Redis and Slurm are Debian's redis-server and slurm-wlm, started by
// @ltssl/testing's helpers on free ports and stopped at the end.
//
//   npx nx run-many -t build -p @ltssl/cli @ltssl/testing && node tools/scale/bench.mjs [--seeds 2] [--epochs 4] [--keep DIR]
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

const { values: flags } = parseArgs({ options: { seeds: { type: 'string', default: '2' }, epochs: { type: 'string', default: '4' }, keep: { type: 'string' } } });
const root = flags.keep ? resolve(flags.keep) : mkdtempSync(join(tmpdir(), 'ltssl-scale-bench-'));
mkdirSync(root, { recursive: true });

// 2 methods x 2 ratios x seeds cells on the embedded Fashion-MNIST: each a few seconds of training and
// probing, so a process's start (about 2 s) is a small part of it.
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
const oneThread = { ...process.env, LTSSL_ONNX_THREADS: '1', NO_COLOR: '1' };
const defaults = { ...process.env, NO_COLOR: '1' };
delete defaults.LTSSL_ONNX_THREADS;

const ltssl = (args, env) => {
  const run = spawnSync(process.execPath, [bin, '--backend', 'onnx', ...args], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`ltssl ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
};
const background = (args, env) =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, '--backend', 'onnx', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
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

const figures = [];
/** Times `work` (an async function that fills `dir`) and records it with the load average before and after. */
async function timed(name, what, dir, work) {
  const before = load();
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  figures.push({ name, what, seconds, before, after: load() });
  process.stdout.write(`${name}: ${seconds.toFixed(1)} s (${what}; the cells' own compute ${cellSeconds(dir).toFixed(1)} s; load average ${before} -> ${load()})\n`);
  return seconds;
}

process.stdout.write(`scale-out benchmark in ${root}: ${4 * Number(flags.seeds)} imbalance cells, ${flags.epochs} epochs each; ${availableParallelism()} CPUs, load average ${load()}\n`);
const dirs = { run: join(root, 'run-2t'), q1: join(root, 'queue-1'), q2: join(root, 'queue-2'), slurm: join(root, 'slurm-2') };
try {
  await timed('run-2t', "ltssl run, ONNX Runtime's default threads", dirs.run, async () => ltssl(['run', 'imbalance', '--config', config, '--out', dirs.run], defaults));

  if (!REDIS.present()) process.stdout.write(`queue: skipped (${REDIS.what} is not installed: ${REDIS.install})\n`);
  else {
    const redis = await startRedis();
    try {
      for (const [name, workers, dir] of [['queue-1', 1, dirs.q1], ['queue-2', 2, dirs.q2]]) {
        await timed(name, `${workers} queue worker${workers > 1 ? 's' : ''}, 1 engine thread each`, dir, async () => {
          ltssl(['queue', 'add', '--config', config, '--protocol', 'imbalance', '--out', dir, '--redis', redis.url, '--queue-name', name], oneThread);
          await Promise.all(Array.from({ length: workers }, () => background(['queue', 'worker', '--redis', redis.url, '--out', dir, '--queue-name', name, '--drain'], oneThread)));
        });
        ltssl(['collect', dir], oneThread);
      }
    } finally {
      await redis.stop();
    }
  }

  if (process.getuid?.() !== 0 || !SLURM.present()) process.stdout.write(`slurm: skipped (needs root and ${SLURM.what}: ${SLURM.install})\n`);
  else {
    const slurm = await startSlurm();
    try {
      await timed('slurm-2', 'sbatch job array, 2 tasks at a time, 1 engine thread each', dirs.slurm, async () => {
        const submitted = ltssl(['submit', 'slurm', '--config', config, '--protocol', 'imbalance', '--out', dirs.slurm, '--concurrency', '2'], { ...oneThread, ...slurm.env, LTSSL_ONNX_THREADS: '1' });
        const job = /^submitted batch job (\d+)/.exec(submitted)[1];
        await waitFor(`Slurm job ${job}`, () => (slurm.run('squeue', ['-h', '-j', job]).stdout.trim() === '' ? true : undefined), 3_600_000, 500);
      });
      ltssl(['collect', dirs.slurm], oneThread);
    } finally {
      await slurm.stop();
    }
  }

  const by = Object.fromEntries(figures.map((f) => [f.name, f.seconds]));
  const ratio = (a, b) => (by[a] && by[b] ? `${(by[a] / by[b]).toFixed(2)}x` : 'n/a');
  process.stdout.write(
    [
      '',
      `two queue workers vs one (1 thread each): ${ratio('queue-1', 'queue-2')} (goal >= 1.8x)`,
      `two queue workers vs ltssl run (default threads): ${ratio('run-2t', 'queue-2')}`,
      `sbatch, 2 tasks at a time, vs one queue worker: ${ratio('queue-1', 'slurm-2')}; vs ltssl run: ${ratio('run-2t', 'slurm-2')}`,
      `one-thread tables identical (queue-1, queue-2, slurm-2): ${[dirs.q2, dirs.slurm].filter((d) => existsSync(join(d, 'results.csv'))).every((d) => table(d) === table(dirs.q1))}`,
      `ltssl run (default threads) table identical to them: ${existsSync(join(dirs.q1, 'results.csv')) && table(dirs.run) === table(dirs.q1)}`,
      `load average now (1, 5, 15 min): ${load()} on ${availableParallelism()} CPUs`,
      '',
    ].join('\n'),
  );
} finally {
  if (!flags.keep) rmSync(root, { recursive: true, force: true });
}
