import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STUDY_FILES, writeCellResult, type CellResult, type CellSpec, type StudyPlan } from '@ltssl/experiments';

/** A planned cell of the imbalance protocol, with the id `ltssl run` gives it. */
export function sampleSpec(method: string, r: number, seed: number): CellSpec {
  return { id: `imbalance_${method}_n600_r${r}_s${seed}`, protocol: 'imbalance', method, family: method === 'supervised' ? 'sl' : 'ssl', n: 600, r, seed };
}

/** A cell result as `ltssl cell` writes it: done with metrics, or failed with its error (what the collect and status tests use). */
export function sampleResult(cell: CellSpec, o: { status?: 'done' | 'failed'; error?: string; configHash?: string; finishedAt?: string; linear?: number } = {}): CellResult {
  const failed = o.status === 'failed';
  return {
    cell,
    configHash: o.configHash ?? 'cfg-1',
    status: failed ? 'failed' : 'done',
    ...(failed ? { error: o.error ?? 'training diverged' } : {}),
    startedAt: '2026-11-27T10:00:00.000Z',
    finishedAt: o.finishedAt ?? '2026-11-27T10:05:00.000Z',
    seconds: 300,
    ...(failed ? {} : { classCounts: [300, 200, 100] }),
    metrics: failed ? {} : { 'id.linear': o.linear ?? 0.6, 'id.knn': 0.55 },
    ...(failed ? {} : { perClass: { 'id.linear': [0.8, 0.6, 0.4] }, epochs: [{ epoch: 0, loss: -0.2, monitors: { std: 0.02 }, seconds: 10 }] }),
    memory: { peakRssBytes: 400_000_000 },
    environment: { driver: failed ? '' : 'reference', device: failed ? '' : 'CPU, TypeScript interpreter', node: 'v20.20.2', platform: 'linux-x64', ltsslVersion: '0.1.0', packages: {} },
    data: { inDomain: failed ? '' : 'fashion-mnist' },
  };
}

/** A study folder as `ltssl run` leaves it: study.json, plan.json and some cell files. */
export async function writeSampleStudy(dir: string, cells: readonly CellSpec[], results: readonly CellResult[], configHash = 'cfg-1'): Promise<void> {
  const plan: StudyPlan = { protocol: 'imbalance', configHash, cells };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, STUDY_FILES.config), JSON.stringify({ protocol: 'imbalance', configHash, config: { seeds: 2 } }));
  await writeFile(join(dir, STUDY_FILES.plan), JSON.stringify(plan));
  for (const r of results) await writeCellResult(dir, r);
}
