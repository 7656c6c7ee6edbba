import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCellResult, type CellSpec } from '@ltssl/experiments';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleResult } from '../sample-study.js';
import { arrayRanges } from '../scale/slurm-script.js';
import { CLI_MAIN } from '../scale/ltssl-command.js';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-submit-slurm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const toy = join(dir, 'toy.json');
writeFileSync(toy, JSON.stringify({ dim: 20, frequentCount: 20, ratios: [1, 0.2, 0.1], seeds: 2 }));

/** The one script a dry run wrote into DIR/slurm/. */
function script(out: string): { file: string; text: string } {
  const names = readdirSync(join(out, 'slurm')).filter((f) => f.endsWith('.sbatch'));
  expect(names).toHaveLength(1);
  const file = join(out, 'slurm', names[0]!);
  return { file, text: readFileSync(file, 'utf8') };
}

describe('arrayRanges', () => {
  it('writes consecutive plan indices as ranges, in order, once each', () => {
    expect(arrayRanges([9, 0, 1, 2, 3, 7, 10, 3])).toBe('0-3,7,9-10');
    expect(arrayRanges([5])).toBe('5');
  });
});

describe('ltssl submit slurm', () => {
  it("writes a job array of the pending cells' plan indices, with --requeue and the task's ltssl cell --index line, and the study.json the tasks read", async () => {
    const out = join(dir, 'study');
    const first = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', out, '--dry-run');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { configHash: string; cells: CellSpec[] };
    expect(plan.cells).toHaveLength(12);
    // Cells 0, 1, 2 and 5 finished (5 with a failure, which counts as pending), 6 under another configuration.
    for (const i of [0, 1, 2]) await writeCellResult(out, sampleResult(plan.cells[i]!, { configHash: plan.configHash }));
    await writeCellResult(out, sampleResult(plan.cells[5]!, { configHash: plan.configHash, status: 'failed' }));
    await writeCellResult(out, sampleResult(plan.cells[6]!, { configHash: 'another' }));

    const run = await cli('--backend', 'reference', 'submit', 'slurm', '--config', join(out, 'study.json'), '--out', out, '--concurrency', '3', '--gres', 'gpu:1', '--partition', 'gpu', '--time', '04:00:00', '--cpus-per-task', '4', '--dry-run');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { file, text } = script(out);
    expect(run.stdout).toBe(`wrote ${file}: 9 array tasks (plan indices 3-11 of 12, at most 3 at a time); submit it with: sbatch ${file}\n`);
    expect(statSync(file).mode & 0o111).not.toBe(0);
    const lines = text.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines.filter((l) => l.startsWith('#SBATCH '))).toEqual([
      '#SBATCH --job-name=ltssl-toy',
      '#SBATCH --array=3-11%3',
      '#SBATCH --requeue',
      '#SBATCH --open-mode=append',
      `#SBATCH --output=${out}/slurm/%A_%a.out`,
      `#SBATCH --chdir=${process.cwd()}`,
      '#SBATCH --signal=B:TERM@120',
      '#SBATCH --gres=gpu:1',
      '#SBATCH --partition=gpu',
      '#SBATCH --time=04:00:00',
      '#SBATCH --cpus-per-task=4',
    ]);
    expect(lines.at(-2)).toBe(`exec ${process.execPath} ${CLI_MAIN} --backend reference cell --config ${out}/study.json --index "$SLURM_ARRAY_TASK_ID" --config-hash ${plan.configHash} --out ${out}`);
    // The tasks read the folder's own study.json: the same configuration, so the same hash and plan.
    expect((JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')) as { configHash: string }).configHash).toBe(plan.configHash);
  });

  it('says there is nothing to submit when every cell is done', async () => {
    const out = join(dir, 'done');
    expect((await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', out, '--dry-run')).code).toBe(0);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { configHash: string; cells: CellSpec[] };
    for (const cell of plan.cells) await writeCellResult(out, sampleResult(cell, { configHash: plan.configHash }));
    const done = `all 12 cells of ${out} are done (configuration ${plan.configHash}): nothing to submit; 'ltssl collect ${out}' merges them\n`;
    const run = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', out);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: done });
    // The same answer off the cluster, where sbatch is missing: nothing needs it.
    const path = process.env['PATH'];
    try {
      process.env['PATH'] = join(dir, 'empty-bin');
      const offCluster = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', out);
      expect({ code: offCluster.code, stdout: offCluster.stdout }).toEqual({ code: 0, stdout: done });
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('refuses in one line (exit 2), before writing anything: sbatch missing, a folder it cannot write, a file of fields without --protocol, a bad --concurrency', async () => {
    const path = process.env['PATH'];
    const out = join(dir, 'no-sbatch');
    try {
      process.env['PATH'] = join(dir, 'empty-bin');
      const run = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', out);
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).toBe("ltssl: sbatch is not on PATH: run 'ltssl submit slurm' on a machine of the Slurm cluster (a login node), or write the script with --dry-run and submit it there with sbatch\n");
    } finally {
      process.env['PATH'] = path;
    }
    expect(existsSync(out)).toBe(false);

    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const unwritable = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', join(file, 'study'), '--dry-run');
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr.split('\n')).toHaveLength(2);
    expect(unwritable.stderr).toMatch(/^ltssl: .*a-file\/study.*\n$/);

    const plain = await cli('submit', 'slurm', '--config', toy, '--out', out, '--dry-run');
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(`ltssl: ${toy} is a file of fields, which names no protocol: add --protocol (one of imbalance, toy, rwsam, semi-synthetic), or give the study.json a run wrote\n`);
    const zero = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', out, '--concurrency', '0', '--dry-run');
    expect(zero.stderr).toBe('ltssl: --concurrency 0: give at least 1 task at a time\n');
    const spaced = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', join(dir, 'a folder'), '--dry-run');
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toMatch(/^ltssl: --out .*a folder: it holds whitespace, .*\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
