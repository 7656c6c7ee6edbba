import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellLeaseName, tryLease } from '@ltssl/experiments';
import { sampleResult, sampleSpec, writeSampleStudy } from './sample-study.js';
import { cli } from './test-io.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ltssl-cli-status-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('ltssl status', () => {
  it('counts done, pending and failed cells, with each error on one line and stale configurations called out', async () => {
    const [done, failed, failedOld, stale, pending] = [sampleSpec('simsiam', 1, 0), sampleSpec('simsiam', 0.1, 0), sampleSpec('simsiam', 0.1, 1), sampleSpec('supervised', 1, 0), sampleSpec('supervised', 0.1, 0)];
    await writeSampleStudy(
      dir,
      [done, failed, failedOld, stale, pending],
      [
        sampleResult(done),
        sampleResult(failed, { status: 'failed', error: 'training diverged at epoch 3\n  loss NaN' }),
        sampleResult(failedOld, { status: 'failed', error: 'out of memory', configHash: 'cfg-0' }),
        sampleResult(stale, { configHash: 'cfg-0' }),
        sampleResult(sampleSpec('mocov2', 1, 0)),
      ],
    );
    await writeFile(join(dir, 'cells', 'torn.json'), '{');
    const { code, stdout, stderr } = await cli('status', dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      `study ${dir}: imbalance, configuration cfg-1, 5 cells planned`,
      'done 1, pending 2, failed 2',
      'failed:',
      `  ${failed.id}: training diverged at epoch 3 | loss NaN`,
      `  ${failedOld.id}: out of memory [configuration cfg-0, not the plan's cfg-1: will be recomputed]`,
      'pending:',
      `  ${stale.id} [finished under configuration cfg-0, not the plan's cfg-1: will be recomputed]`,
      `  ${pending.id}`,
      'not in the plan (kept, not counted): imbalance_mocov2_n600_r1_s0',
      expect.stringMatching(new RegExp(`^rejected \\(its cell counts as pending\\): ${dir}/cells/torn\\.json: not valid JSON \\(.*\\); it is damaged or truncated: delete it and rerun the study to recompute the cell$`)),
      `'ltssl run' with --out ${dir} computes the pending and failed cells; finished ones are never recomputed`,
      `'ltssl collect ${dir}' stores the finished cells in its results.sqlite and results.csv`,
      '',
    ]);
  });

  it('lists the first pending cells and counts the rest', async () => {
    const cells = Array.from({ length: 14 }, (_, seed) => sampleSpec('simclr', 0.1, seed));
    await writeSampleStudy(dir, cells, [sampleResult(cells[13]!)]);
    const { code, stdout } = await cli('status', dir);
    expect(code).toBe(0);
    expect(stdout).toContain('done 1, pending 13, failed 0\npending:\n');
    expect(stdout).toContain(`  ${cells[9]!.id}\n  ... and 3 more\n`);
    expect(stdout).not.toContain(cells[10]!.id);
  });

  it('names the cells being computed now, and by whom (their lease is held)', async () => {
    const cells = [sampleSpec('simclr', 1, 0), sampleSpec('simclr', 0.1, 0)];
    await writeSampleStudy(dir, cells, []);
    const taken = await tryLease(cellLeaseName(dir, cells[1]!.id), 'ltssl cell on a worker');
    if (!('lease' in taken)) throw new Error('expected the lease');
    try {
      const { stdout } = await cli('status', dir);
      expect(stdout).toMatch(new RegExp(`^computing now: ${cells[1]!.id.replace(/\./g, '\\.')}, by pid ${process.pid} on \\S+ \\(ltssl cell on a worker, since .*\\)$`, 'm'));
      expect(stdout).not.toContain(`computing now: ${cells[0]!.id}`);
    } finally {
      await taken.lease.release();
    }
  });

  it('is one line and exit 1 when the folder is not a study folder', async () => {
    const { code, stdout, stderr } = await cli('status', dir);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`ltssl: ${dir}: not a study folder (no plan.json); give the --out folder of 'ltssl run', which writes plan.json\n`);
    const missing = await cli('status', join(dir, 'absent'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ltssl: .*absent: not a study folder \(no such folder\); .*\n$/);
  });
});
