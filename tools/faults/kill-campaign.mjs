#!/usr/bin/env node
// The fault campaign of docs/study.md ("Integrity"): a sweep of the built CLI killed with SIGKILL again and
// again (at random moments, and half way through checkpoint, cell-file, results.csv and store writes, planted
// with LTSSL_FAULT), rerun until it completes, then compared with an uninterrupted run of the same
// configuration. Prints the figures: kills by kind, whether the final table is identical, finished cells
// recomputed, epoch rows lost (cell files and store), temporary files and leases left.
//
//   npx nx run @ltssl/cli:build && node tools/faults/kill-campaign.mjs [--protocol imbalance|toy] [--kills 20] [--seed 1] [--keep DIR]
//
// Not a test: it takes minutes, and its kills are timed at random (a test plants faults on events only).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = join(repo, 'packages', 'cli', 'dist', 'main.js');
const Database = createRequire(join(repo, 'packages', 'experiments', 'package.json'))('better-sqlite3');

const { values: flags } = parseArgs({
  options: { protocol: { type: 'string', default: 'imbalance' }, kills: { type: 'string', default: '20' }, seed: { type: 'string', default: '1' }, keep: { type: 'string' } },
});
if (!existsSync(built)) throw new Error(`${built} is missing: build the CLI first (npx nx run @ltssl/cli:build)`);

// Small sweeps on the embedded data: every cell of the imbalance one checkpoints each epoch, so kills land in
// checkpoint writes too; the toy one has no checkpoints, only cell files and the store.
const CONFIGS = {
  imbalance: {
    methods: ['simclr', 'supervised'],
    sizes: [300],
    ratios: [1, 0.004],
    seeds: 1,
    encoder: { arch: 'small-cnn', width: 4 },
    pretrain: { epochs: 3, batch: 64, checkpointEvery: 1 },
    methodOptions: { simclr: { projectorDim: 16, projectorHiddenDim: 32 } },
    probe: { kind: 'cached', epochs: 3, fewShot: [5], oodPerClass: 30 },
  },
  toy: { dim: 20, frequentCount: 20, ratios: [1, 0.1, 0.05], seeds: 3, sl: { steps: 300 }, ssl: { steps: 200 }, probe: { testPerClass: 50, steps: 100 } },
};
const protocol = flags.protocol;
if (!(protocol in CONFIGS)) throw new Error(`--protocol: one of ${Object.keys(CONFIGS).join(', ')}`);
const kills = Number(flags.kills);

// A seeded generator, so a campaign can be repeated.
let state = Number(flags.seed) >>> 0 || 1;
const random = () => ((state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), state / 2 ** 32);

const root = flags.keep ? resolve(flags.keep) : mkdtempSync(join(tmpdir(), 'ltssl-campaign-'));
mkdirSync(root, { recursive: true });
/**
 * A copy of the built packages (and links to the installed dependencies), so a rebuild of the checkout
 * during the minutes of a campaign cannot change the CLI under it.
 */
function snapshot(into) {
  for (const name of readdirSync(join(repo, 'packages'))) {
    cpSync(join(repo, 'packages', name), join(into, 'packages', name), { recursive: true, filter: (src) => !/\/(src|node_modules)$|\.tsbuildinfo$/.test(src) });
  }
  mkdirSync(join(into, 'node_modules', '@ltssl'), { recursive: true });
  for (const dep of readdirSync(join(repo, 'node_modules'))) if (dep !== '@ltssl') symlinkSync(join(repo, 'node_modules', dep), join(into, 'node_modules', dep));
  for (const name of readdirSync(join(into, 'packages'))) symlinkSync(join(into, 'packages', name), join(into, 'node_modules', '@ltssl', name));
  return join(into, 'packages', 'cli', 'dist', 'main.js');
}
const bin = snapshot(join(root, 'snapshot'));
const config = join(root, 'config.json');
writeFileSync(config, JSON.stringify(CONFIGS[protocol]));

/** Runs the sweep once; resolves with how it ended and what it printed. `killAfterMs` sends SIGKILL after that long. */
function sweep(out, { fault, killAfterMs } = {}) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, 'run', protocol, '--config', config, '--backend', 'onnx', '--out', out], {
      env: { ...process.env, ...(fault ? { LTSSL_FAULT: fault } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const cellFiles = (dir) => (existsSync(join(dir, 'cells')) ? readdirSync(join(dir, 'cells')).filter((f) => f.endsWith('.json') && !f.startsWith('.')) : []);
const readCell = (dir, file) => JSON.parse(readFileSync(join(dir, 'cells', file), 'utf8'));
/** What must not change: each cell's status, metrics, per-class values and epochs without their times. */
function table(dir) {
  return Object.fromEntries(
    cellFiles(dir)
      .sort()
      .map((f) => {
        const c = readCell(dir, f);
        return [f, JSON.stringify({ status: c.status, metrics: c.metrics, perClass: c.perClass, epochs: c.epochs?.map(({ seconds, ...e }) => e) })];
      }),
  );
}
function storeRows(dir) {
  const db = new Database(join(dir, 'results.sqlite'), { readonly: true });
  try {
    const epochs = Object.fromEntries(db.prepare('SELECT cell, COUNT(*) AS n FROM epoch_metrics GROUP BY cell').all().map((r) => [r.cell, r.n]));
    const metrics = Object.fromEntries(db.prepare('SELECT cell, name, value FROM metrics ORDER BY cell, name').all().map((r) => [`${r.cell}/${r.name}`, r.value]));
    return { epochs, metrics };
  } finally {
    db.close();
  }
}
const leftovers = (dir) => readdirSync(dir, { recursive: true }).filter((n) => /\.tmp$|\.lock$|\.owner\.[^/]*\.json$/.test(String(n)));

console.log(`campaign: ${protocol}, ${kills} kills, seed ${flags.seed}, in ${root}`);
const reference = join(root, 'reference');
const whole = await sweep(reference);
if (whole.code !== 0) throw new Error(`the uninterrupted run failed: ${whole.stderr}`);
const cellsTotal = cellFiles(reference).length;
console.log(`uninterrupted run: ${cellsTotal} cells in ${whole.seconds.toFixed(1)} s`);

// Planted kills: half way through the Nth write of a kind (LTSSL_FAULT=POINT:TEXT:N), or inside the Nth store transaction.
const planted = [
  ...(protocol === 'imbalance' ? [() => `write:checkpoints/:${1 + Math.floor(random() * 4)}`, () => `rename:checkpoints/:${1 + Math.floor(random() * 4)}`] : []),
  () => `write:cells/:${1 + Math.floor(random() * 2)}`,
  () => `rename:cells/:1`,
  () => 'store::1',
  () => 'write:results.csv:1',
  () => 'write:plan.json:1',
];
const out = join(root, 'killed');
const byKind = {};
let recomputed = 0;
let plantedRuns = 0;
let runs = 0;
let delivered = 0;
while (delivered < kills) {
  // Finished cells before this run: none of them may be written again.
  const before = Object.fromEntries(cellFiles(out).map((f) => [f, readFileSync(join(out, 'cells', f), 'utf8')]));
  const useFault = random() < 0.5;
  // Planted kinds in turn, so every kind of write is hit; the N within a kind at random.
  const fault = useFault ? planted[plantedRuns++ % planted.length]() : undefined;
  const killAfterMs = useFault ? undefined : 500 + random() * Math.max(2000, (whole.seconds * 1000) / 2);
  const result = await sweep(out, { fault, killAfterMs });
  runs++;
  for (const [f, text] of Object.entries(before)) {
    const now = existsSync(join(out, 'cells', f)) ? readFileSync(join(out, 'cells', f), 'utf8') : '';
    if (JSON.parse(text).status === 'done' && now !== text) recomputed++;
  }
  if (result.signal === 'SIGKILL') {
    delivered++;
    const kind = fault ? fault.replace(/:\d+$/, '').replace(/:$/, '') : 'random moment';
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  } else if (result.code !== 0) {
    throw new Error(`run ${runs} ended with ${result.code}: ${result.stderr}`);
  } else if (cellFiles(out).length === cellsTotal) {
    // It finished before the kill: start over in a fresh folder so the remaining kills still land in a sweep.
    rmSync(out, { recursive: true, force: true });
  }
}
const final = await sweep(out);
runs++;
if (final.code !== 0) throw new Error(`the final run failed: ${final.stderr}`);

const want = table(reference);
const got = table(out);
const differing = Object.keys({ ...want, ...got }).filter((k) => want[k] !== got[k]);
const refRows = storeRows(reference);
const rows = storeRows(out);
const epochRowsLost =
  Object.entries(refRows.epochs).reduce((lost, [cell, n]) => lost + Math.max(0, n - (rows.epochs[cell] ?? 0)), 0) +
  Object.keys(want).reduce((lost, f) => lost + Math.max(0, (readCell(reference, f).epochs?.length ?? 0) - (readCell(out, f).epochs?.length ?? 0)), 0);
const storeDiffers = JSON.stringify(refRows.metrics) !== JSON.stringify(rows.metrics);
const left = leftovers(out);

console.log(`kills: ${delivered} SIGKILLs over ${runs} runs (${Object.entries(byKind).map(([k, n]) => `${n} ${k}`).join(', ')})`);
console.log(`final table: ${differing.length === 0 ? 'identical' : `DIFFERS in ${differing.join(', ')}`} (${Object.keys(got).length} cells)`);
console.log(`store: ${storeDiffers ? 'DIFFERS from the reference store' : 'the same metrics as the reference store'}`);
console.log(`finished cells recomputed: ${recomputed}`);
console.log(`epoch rows lost: ${epochRowsLost}`);
console.log(`temporary files and leases left: ${left.length}${left.length ? ` (${left.join(', ')})` : ''}`);
if (!flags.keep) rmSync(root, { recursive: true, force: true });
process.exitCode = differing.length === 0 && !storeDiffers && recomputed === 0 && epochRowsLost === 0 && left.length === 0 ? 0 : 1;
