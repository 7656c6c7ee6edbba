import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellLeaseName, tryLease } from '@ltssl/experiments';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleResult, sampleSpec, writeSampleStudy } from '../sample-study.js';
import { cli } from '../test-io.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ltssl-status-cells-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('ltssl status --cells', () => {
  it('lists every planned cell with its plan index and state: done, pending, running (its lease held) or failed', async () => {
    const cells = [sampleSpec('simsiam', 1, 0), sampleSpec('simsiam', 0.1, 0), sampleSpec('supervised', 1, 0), sampleSpec('supervised', 0.1, 0), sampleSpec('simclr', 1, 0)];
    await writeSampleStudy(dir, cells, [sampleResult(cells[0]!), sampleResult(cells[2]!, { status: 'failed' }), sampleResult(cells[4]!, { configHash: 'cfg-0' })]);
    const attempt = await tryLease(cellLeaseName(dir, cells[3]!.id), 'a test computing it');
    if (!('lease' in attempt)) throw new Error('the test could not take the lease');
    try {
      const { code, stdout } = await cli('status', dir, '--cells');
      expect(code).toBe(0);
      expect(stdout).toContain(
        [
          'done 1, pending 3, failed 1',
          'cells (plan index, state, id):',
          `  0  done     ${cells[0]!.id}`,
          `  1  pending  ${cells[1]!.id}`,
          `  2  failed   ${cells[2]!.id}`,
          `  3  running  ${cells[3]!.id}`,
          `  4  pending  ${cells[4]!.id}`,
          'failed:',
        ].join('\n'),
      );
    } finally {
      await attempt.lease.release();
    }
    const after = await cli('status', dir, '--cells');
    expect(after.stdout).toContain(`  3  pending  ${cells[3]!.id}\n`);
    // Without --cells, the summary alone.
    expect((await cli('status', dir)).stdout).not.toContain('plan index');
  });
});
