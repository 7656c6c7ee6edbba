import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-cell-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const toy = join(dir, 'toy.json');
writeFileSync(toy, JSON.stringify({ dim: 20, frequentCount: 20, ratios: [1, 0.1], seeds: 1, sl: { steps: 100 }, ssl: { steps: 40 }, probe: { testPerClass: 50, steps: 100 } }));

/** The study.json of the toy study (as `ltssl submit slurm --dry-run` writes it, without computing anything) and its plan. */
async function toyStudy(out: string): Promise<{ study: string; hash: string; cells: string[] }> {
  const dry = await cli('submit', 'slurm', '--config', toy, '--protocol', 'toy', '--out', out, '--dry-run');
  expect(dry.code, dry.stderr).toBe(0);
  const study = join(out, 'study.json');
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { configHash: string; cells: { id: string }[] };
  return { study, hash: plan.configHash, cells: plan.cells.map((c) => c.id) };
}

describe('ltssl cell --index', () => {
  it("computes the plan's cell at that index, the one --cell names", async () => {
    const out = join(dir, 'by-index');
    const { study, hash, cells } = await toyStudy(out);
    expect(cells).toHaveLength(4);
    const run = await cli('cell', '--backend', 'onnx', '--config', study, '--index', '3', '--config-hash', hash, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^\\[1/1\\] ${cells[3]}: toy\\.e2Ratio`, 'm'));
    const byId = join(dir, 'by-id');
    expect((await cli('cell', '--backend', 'onnx', '--config', study, '--cell', cells[3]!, '--out', byId)).code).toBe(0);
    const metrics = (d: string): unknown => (JSON.parse(readFileSync(join(d, 'cells', `${cells[3]}.json`), 'utf8')) as { metrics: unknown }).metrics;
    expect(metrics(out)).toEqual(metrics(byId));
    const status = await cli('status', out, '--cells');
    expect(status.stdout).toContain(['cells (plan index, state, id):', `  0  pending  ${cells[0]}`, `  1  pending  ${cells[1]}`, `  2  pending  ${cells[2]}`, `  3  done     ${cells[3]}`].join('\n'));
  }, 120_000);

  it('refuses, before any work and in one line (exit 2), an index outside the plan, both or neither of --cell and --index, and a study.json changed since its cells were handed out', async () => {
    const out = join(dir, 'refused');
    const { study, hash, cells } = await toyStudy(out);
    const outside = await cli('cell', '--config', study, '--index', '4', '--out', out);
    expect({ code: outside.code, stderr: outside.stderr }).toEqual({ code: 2, stderr: `ltssl: --index 4: the toy study of ${study} plans 4 cells, indices 0-3\n` });
    for (const args of [['--index', '0', '--cell', cells[0]!], []]) {
      const wrong = await cli('cell', '--config', study, ...args, '--out', out);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/^ltssl: give exactly one of --cell ID and --index I .*\n$/);
    }
    // A plain file of fields names no protocol: --index needs the study.json.
    const plain = await cli('cell', '--config', toy, '--index', '0', '--out', out);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^ltssl: .*toy\.json is a file of fields, which names no protocol: .*for --index the study\.json .*\n$/);

    const before = readFileSync(study, 'utf8');
    const changed = await cli('cell', '--config', study, '--index', '0', '--config-hash', `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`, '--out', out);
    expect(changed.code).toBe(2);
    expect(changed.stderr.split('\n')).toHaveLength(2);
    expect(changed.stderr).toMatch(new RegExp(`^ltssl: ${study} is configuration ${hash}, but this cell was handed out for configuration [0-9a-f]+: the study changed after its cells were submitted or enqueued, and no cell of it was computed; .*`));
    expect(existsSync(join(out, 'cells'))).toBe(false);
    expect(readFileSync(study, 'utf8')).toBe(before);
  }, 60_000);
});
