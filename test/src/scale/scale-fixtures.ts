import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cellLeaseName, leaseOwner } from '@ltssl/experiments';
import { writeSyntheticIdxFolder } from '../study/synthetic-idx-folder.js';

/** The built CLI the scale-out tests run, as a scheduler's task would. */
export const BIN = join(createRequire(import.meta.url).resolve('@ltssl/cli/package.json'), '..', 'dist', 'main.js');

/**
 * One engine thread everywhere (workers, tasks and the reference run): ONNX
 * Runtime's results then do not depend on the thread count, so the tables
 * compare exactly, and the comparison is fair.
 */
export const ENV = { ...process.env, LTSSL_ONNX_THREADS: '1', NO_COLOR: '1' };

/** `ltssl ARGS` on the ONNX Runtime CPU driver, to completion. */
export function ltssl(args: readonly string[], env: NodeJS.ProcessEnv = ENV): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, '--backend', 'onnx', ...args], { encoding: 'utf8', env, timeout: 300_000 });
}

/** `ltssl ARGS` in the background, its output collected. */
export function ltsslInBackground(args: readonly string[], env: NodeJS.ProcessEnv = ENV): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, '--backend', 'onnx', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

export interface TinyStudies {
  /** 2 toy cells (SSL and SL at r = 0.1, 1 seed). */
  readonly toy: string;
  /** 4 imbalance cells (SimCLR and supervised, r in {1, 0.1}, 1 seed) of a width-4 CNN on a synthetic IDX set: 5 epochs of 10 steps, a checkpoint after each, so a stop sent at the first one lands in pre-training (40 steps on), not in the evaluation. */
  readonly imbalance: string;
  /** One cell of it (supervised at r = 1). */
  readonly imbalanceOne: string;
}

/** The tiny studies the scale-out tests sweep, written under `root`. */
export function writeTinyStudies(root: string): TinyStudies {
  const data = writeSyntheticIdxFolder(join(root, 'data'), { perClass: 40, testPerClass: 10, seed: 1 });
  const ood = writeSyntheticIdxFolder(join(root, 'ood'), { perClass: 20, testPerClass: 10, seed: 2 });
  const toy = join(root, 'toy.json');
  writeFileSync(toy, JSON.stringify({ dim: 20, frequentCount: 20, ratios: [0.1], seeds: 1, sl: { steps: 100 }, ssl: { steps: 40 }, probe: { testPerClass: 50, steps: 100 } }));
  const imbalance = join(root, 'imbalance.json');
  const fields = {
    data,
    oodData: ood,
    methods: ['simclr', 'supervised'],
    randomInit: false,
    sizes: [160],
    ratios: [1, 0.1],
    seeds: 1,
    encoder: { arch: 'small-cnn', width: 4 },
    pretrain: { epochs: 5, batch: 16, checkpointEvery: 1 },
    methodOptions: { simclr: { projectorDim: 16, projectorHiddenDim: 32 } },
    probe: { kind: 'cached', epochs: 5, fewShot: [2], oodPerClass: 20 },
  };
  writeFileSync(imbalance, JSON.stringify(fields));
  const imbalanceOne = join(root, 'imbalance-one.json');
  writeFileSync(imbalanceOne, JSON.stringify({ ...fields, methods: ['supervised'], ratios: [1] }));
  return { toy, imbalance, imbalanceOne };
}

/** Columns of results.csv that say when and how fast a cell ran, not what it computed. */
const TIMING = new Set(['started_at', 'finished_at', 'seconds', 'peak_rss_bytes', 'device_bytes']);

/** A CSV line's fields (RFC 4180 quoting, as results.csv writes it). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') fields.push(field), (field = '');
    else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * A study folder's results.csv without its timing columns, one string per
 * row, sorted: what the cells computed. Also checks that no (cell, metric)
 * row appears twice, so a cell collected twice would show.
 */
export function resultsTable(dir: string): string[] {
  const [header, ...rows] = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
  const names = csvFields(header!);
  const keep = names.map((n) => !TIMING.has(n));
  const table = rows.map((row) => csvFields(row).filter((_, i) => keep[i]).join('|')).sort();
  const keys = rows.map((row) => {
    const f = csvFields(row);
    return `${f[names.indexOf('cell_id')]}|${f[names.indexOf('metric')]}`;
  });
  expect(new Set(keys).size, `${dir}/results.csv holds a (cell, metric) row twice`).toBe(keys.length);
  return table;
}

/** The ids of the cell result files in a study folder. */
export function cellFiles(dir: string): string[] {
  const cells = join(dir, 'cells');
  return existsSync(cells) ? readdirSync(cells).filter((f) => f.endsWith('.json') && !f.startsWith('.')).map((f) => f.slice(0, -'.json'.length)).sort() : [];
}

/** The plan's cell ids, in plan order (their plan indices). */
export function planCells(dir: string): string[] {
  return (JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { cells: { id: string }[] }).cells.map((c) => c.id);
}

/** The first cell of `dir` with a finished checkpoint file (checkpoints/<cell>/epoch-*.safetensors), once one exists. */
export function firstCheckpointedCell(dir: string): string | undefined {
  const root = join(dir, 'checkpoints');
  if (!existsSync(root)) return undefined;
  return readdirSync(root).find((cell) => {
    try {
      return readdirSync(join(root, cell)).some((f) => /^epoch-.*\.safetensors$/.test(f));
    } catch {
      return false;
    }
  });
}

/** True while process `pid` runs (a zombie, dead but not yet reaped by its new parent, does not count). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The pid of `pid`'s parent process. */
export function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Running processes whose command line mentions `text` (a study folder: no ltssl process may be left computing in it). */
export function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text) && isRunning(Number(p));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The pid of the process that holds a cell's lease (the one computing it), as its owner file says. */
export async function leaseHolderPid(dir: string, cell: string): Promise<number | undefined> {
  return (await leaseOwner(cellLeaseName(dir, cell)))?.pid;
}
