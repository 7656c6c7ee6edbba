import { describe, expect, it } from 'vitest';
import type { CellResult } from '../study/cell.js';
import type { CellResultFile } from './cell-result-files.js';
import { cellContentHash } from './content-hash.js';
import { mergeCellFiles } from './merge-cell-files.js';
import { sampleCellResult, sampleFailedCell } from './sample-cell-results.js';

const file = (path: string, result: CellResult): CellResultFile => ({ file: path, result, hash: cellContentHash(result) });

describe('mergeCellFiles', () => {
  it('keeps one copy of equal results, preferring the first folder, with no conflict', () => {
    const r = sampleCellResult();
    // Same content, other key order (as another JSON writer may produce): still the same result.
    const { metrics, ...rest } = r;
    const reordered = JSON.parse(JSON.stringify({ metrics, ...rest })) as CellResult;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(r));
    const { winners, conflicts } = mergeCellFiles([[file('a', r)], [file('b', reordered)]]);
    expect(winners.map((w) => w.file)).toEqual(['a']);
    expect(conflicts).toEqual([]);
  });

  it('keeps the newer finishedAt of two different results, and reports the conflict', () => {
    const old = sampleCellResult({ finishedAt: '2026-11-27T10:00:00.000Z' });
    const recomputed = { ...sampleCellResult({ finishedAt: '2026-11-28T10:00:00.000Z' }), metrics: { 'id.linear': 0.9 } };
    const other = sampleCellResult({ seed: 4 });
    const { winners, conflicts } = mergeCellFiles([[file('home/old', old), file('home/other', other)], [file('m2/new', recomputed)]]);
    expect(winners.map((w) => w.file)).toEqual(['m2/new', 'home/other']);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ id: old.cell.id, kept: { file: 'm2/new' }, dropped: [{ file: 'home/old' }], reason: 'newer finishedAt' });
    // The order of the folders does not change who wins on time.
    expect(mergeCellFiles([[file('m2/new', recomputed)], [file('home/old', old)]]).winners[0]!.file).toBe('m2/new');
  });

  it('keeps the first folder on a tie, and says so', () => {
    const a = sampleCellResult();
    const b = { ...a, metrics: { 'id.linear': 0.1 } };
    const { winners, conflicts } = mergeCellFiles([[file('home', a)], [file('m2', b)]]);
    expect(winners[0]!.file).toBe('home');
    expect(conflicts[0]!.reason).toBe('same finishedAt; kept the first folder given');
  });

  it('never lets a newer failure displace a finished result of the same configuration', () => {
    const done = sampleCellResult({ method: 'supervised', family: 'sl', r: 0.01, seed: 1 });
    const failure = { ...sampleFailedCell(), finishedAt: '2026-11-29T00:00:00.000Z' };
    expect(failure.cell.id).toBe(done.cell.id);
    const same = mergeCellFiles([[file('home', failure)], [file('m2', done)]]);
    expect(same.winners[0]!.file).toBe('m2');
    expect(same.conflicts[0]!.reason).toBe('a finished result of the same configuration beats a newer failure');
    // Under another configuration the done result is stale anyway: the newer failure wins.
    const stale = mergeCellFiles([[file('home', failure)], [file('m2', { ...done, configHash: 'cfg-0' })]]);
    expect(stale.winners[0]!.file).toBe('home');
  });
});
