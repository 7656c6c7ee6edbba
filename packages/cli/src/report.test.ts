import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCellResult, type CellResult, type MethodFamily } from '@ltssl/experiments';
import { cli } from './test-io.js';

/** A finished cell of the imbalance protocol with one metric. */
function cell(method: string, family: MethodFamily, r: number, seed: number, accuracy: number): CellResult {
  return {
    cell: { id: `imbalance_${method}_n1000_r${r}_s${seed}`, protocol: 'imbalance', method, family, n: 1000, r, seed },
    configHash: 'c0ffee12',
    status: 'done',
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: '2025-01-01T10:01:00.000Z',
    seconds: 60,
    classCounts: r === 1 ? Array(10).fill(100) : [245, 189, 147, 113, 88, 68, 53, 41, 32, 24],
    metrics: { 'id.linear': accuracy },
    memory: { peakRssBytes: 1e9 },
    environment: { driver: 'reference', device: 'CPU', node: 'v20.20.2', platform: 'linux-x64', ltsslVersion: '0.1.0', packages: {} },
    data: { inDomain: 'fashion-mnist' },
  };
}

describe('ltssl report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ltssl-report-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders DIR/report from DIR/cells and prints the files and the verdicts', async () => {
    const study = join(dir, 'study');
    // SimSiam loses ~1% of its accuracy at r = 0.1, supervised ~10%, over three seeds with little spread.
    const accuracies: [string, MethodFamily, number, number][] = [
      ['simsiam', 'ssl', 0.8, 0.792],
      ['supervised', 'sl', 0.85, 0.765],
    ];
    for (const [method, family, balanced, imbalanced] of accuracies)
      for (const seed of [0, 1, 2]) {
        await writeCellResult(study, cell(method, family, 1, seed, balanced + seed * 0.002));
        await writeCellResult(study, cell(method, family, 0.1, seed, imbalanced + seed * 0.0025));
      }
    await writeCellResult(study, { ...cell('supervised', 'sl', 0.1, 3, 0), status: 'failed', error: 'out of memory', metrics: {} });

    const { code, stdout, stderr } = await cli('report', study, '--title', 'Quick study');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = join(study, 'report');
    expect(stdout).toContain(`report of 13 cells (12 done, 1 failed) in ${out}\n`);
    expect(stdout).toContain(`  ${join(out, 'report.md')}\n  ${join(out, 'report.html')}\n`);
    expect(stdout).toContain(`2 figures in ${join(out, 'figures')}: delta-id-linear, accuracy-id-linear (.svg and .png)`);
    const meanDelta = ([, , balanced, imbalanced]: (typeof accuracies)[number]): string =>
      (([0, 1, 2].map((s) => (balanced + s * 0.002 - (imbalanced + s * 0.0025)) / (balanced + s * 0.002)).reduce((a, b) => a + b) / 3) * 100).toFixed(2);
    expect(stdout).toMatch(
      new RegExp(`\\n {2}id\\.linear n=1000 r=0\\.1: simsiam Δ ${meanDelta(accuracies[0]!)}% ± 0\\.\\d\\d \\(3 seeds\\) vs supervised Δ ${meanDelta(accuracies[1]!)}% ± 0\\.\\d\\d \\(3 seeds\\); .*: SSL more robust: the 95% interval of Δ_SL − Δ_SSL is above 0\\n`),
    );
    expect(stdout).toContain('missing:\n  1 cell failed and is left out of every mean');
    for (const f of ['report.md', 'report.html', 'figures/delta-id-linear.svg', 'figures/delta-id-linear.png']) await access(join(out, f));
    expect(await readFile(join(out, 'report.md'), 'utf8')).toMatch(/^# Quick study\n\n13 cell results from .*study\. /);
  }, 30_000);

  it('fails with one line and exit 1 when DIR has no cell results, or is not a folder', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const none = await cli('report', empty);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(`ltssl: ${join(empty, 'cells')}: no cell results (*.json) to report; run the study first ('ltssl run ... --out ${empty}') or collect its cells here\n`);
    const missing = await cli('report', join(dir, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ltssl: .*nowhere: no such study folder; pass the folder 'ltssl run' wrote \(it holds cells\/\*\.json\)\n$/);
  });

  it('fails with exit 1 naming the file when a cell result is not JSON', async () => {
    const broken = join(dir, 'broken');
    await mkdir(join(broken, 'cells'), { recursive: true });
    await writeFile(join(broken, 'cells', 'imbalance_simsiam_n1000_r1_s0.json'), '{"cell": ');
    const { code, stderr } = await cli('report', broken);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toMatch(/^ltssl: left out of the report: .*imbalance_simsiam_n1000_r1_s0\.json: not valid JSON .*; it is damaged or truncated: delete it and rerun the study to recompute the cell$/);
    expect(stderr.split('\n')[1]).toMatch(/: no cell results \(\*\.json\) to report/);
  });

  it('leaves out a bad cell file with its reason and reports the others (one verdict for run, status, collect and report)', async () => {
    const study = join(dir, 'one-bad');
    await writeCellResult(study, cell('simsiam', 'ssl', 1, 0, 0.8));
    await writeCellResult(study, cell('simsiam', 'ssl', 0.1, 0, 0.79));
    // A wrong-typed value: JSON, a cell id, but not a cell result.
    const bad = join(study, 'cells', 'imbalance_supervised_n1000_r1_s0.json');
    await writeFile(bad, JSON.stringify({ ...cell('supervised', 'sl', 1, 0, 0.85), seconds: 'sixty' }));
    const { code, stdout, stderr } = await cli('report', study);
    expect(stderr).toBe(`ltssl: left out of the report: ${bad}: not a valid cell result: seconds must be a finite number (got "sixty"); remove the file or rerun the cell\n`);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^report of 2 cells \(2 done, 0 failed\)/);
  });

  it('exits 2 on a command-line mistake', async () => {
    const noDir = await cli('report');
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toBe("ltssl: missing required argument 'dir'\n");
    const flag = await cli('report', dir, '--colour');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^ltssl: unknown option '--colour'; options of 'report': --title/);
  });
});
