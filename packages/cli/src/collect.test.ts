import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '@ltssl/experiments';
import { sampleResult, sampleSpec, writeSampleStudy } from './sample-study.js';
import { cli } from './test-io.js';

let root: string;
let home: string;
let other: string;
const [a, b, c, f] = [sampleSpec('simsiam', 1, 0), sampleSpec('simsiam', 0.1, 0), sampleSpec('supervised', 1, 0), sampleSpec('supervised', 0.1, 0)];
const cOld = sampleResult(c, { finishedAt: '2026-11-27T10:00:00.000Z', linear: 0.5 });
const cNew = sampleResult(c, { finishedAt: '2026-11-27T12:00:00.000Z', linear: 0.7 });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ltssl-cli-collect-'));
  home = join(root, 'study');
  other = join(root, 'machine2');
  await writeSampleStudy(home, [a, b, c, f], [sampleResult(a), cOld, sampleResult(f, { status: 'failed', error: 'out of memory, at "conv1"' })]);
  await writeSampleStudy(other, [a, b, c, f], [sampleResult(a), sampleResult(b), cNew]);
});

afterEach(async () => rm(root, { recursive: true, force: true }));

describe('ltssl collect', () => {
  it('merges another machine\'s folder into the study, says what it copied and which copy of a conflict it kept', async () => {
    const { code, stdout, stderr } = await cli('collect', home, other);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      `collected 4 cells from 2 folders into ${home}`,
      `  copied 2 cell files into ${home}/cells (1 replacing an older result)`,
      `  conflict: ${c.id} differs between folders; kept ${other}/cells/${c.id}.json (finished 2026-11-27T12:00:00.000Z, done: newer finishedAt); not kept: ${home}/cells/${c.id}.json (finished 2026-11-27T10:00:00.000Z, done)`,
      `store ${home}/results.sqlite: 4 added, 0 replaced, 0 unchanged; 1 failed cell (see 'ltssl status ${home}')`,
      `wrote ${home}/results.csv: 7 rows`,
      '',
    ]);
    expect((await readdir(join(home, 'cells'))).sort()).toEqual([a, b, c, f].map((s) => `${s.id}.json`).sort());
    const csv = await readFile(join(home, 'results.csv'), 'utf8');
    expect(csv).toContain(`${f.id},imbalance,supervised,sl,600,0.1,0,failed,"out of memory, at ""conv1""",cfg-1,`);
    const store = openStore(join(home, 'results.sqlite'));
    try {
      expect(store.cell(c.id)).toEqual(cNew);
    } finally {
      store.close();
    }
  });

  it('collects the rest and exits 1 when a file is not a cell result, naming it on stderr', async () => {
    await cli('collect', home, other);
    await writeFile(join(other, 'cells', 'half-written.json'), '{"cell": {');
    const { code, stdout, stderr } = await cli('collect', home, other);
    expect(code).toBe(1);
    expect(stdout).toContain(`store ${home}/results.sqlite: 0 added, 0 replaced, 4 unchanged; 1 failed cell`);
    expect(stderr).toMatch(new RegExp(`^ltssl: 1 file not collected:\\n  ${other}/cells/half-written\\.json: not valid JSON \\(.*\\); it is damaged or truncated: delete it and rerun the study to recompute the cell\\n$`));
  });

  it('is one line and exit 1 for a folder that does not exist; exit 2 without a folder', async () => {
    const missing = await cli('collect', join(root, 'nope'));
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `ltssl: ${join(root, 'nope')}: no such folder; give the study folder (the --out of 'ltssl run')\n` });
    const none = await cli('collect');
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("ltssl: missing required argument 'dir'\n");
  });
});
