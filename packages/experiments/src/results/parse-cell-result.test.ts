import { describe, expect, it } from 'vitest';
import { parseCellResult } from './parse-cell-result.js';
import { sampleCellResult, sampleFailedCell } from './sample-cell-results.js';

/** A result as its file holds it: through JSON, so NaN is null and undefined fields are gone. */
const asFile = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseCellResult', () => {
  it('accepts what runCells and a finished cell write', () => {
    for (const r of [sampleCellResult(), sampleFailedCell()]) expect(parseCellResult('c.json', asFile(r))).toEqual(r);
  });

  it('names the field that is wrong', () => {
    const good = sampleCellResult();
    const cases: [unknown, string][] = [
      [[], 'the file must be a JSON object (got [])'],
      [{ ...good, metrics: { 'id.linear': Number.NaN } }, 'metrics.id.linear must be a finite number (got null)'],
      [{ ...good, cell: { ...good.cell, family: 'semi' } }, 'cell.family must be one of ssl, sl, random (got "semi")'],
      [{ ...good, cell: { ...good.cell, id: '../escape' } }, 'cell.id must be a file-name-safe id'],
      [{ ...good, epochs: [good.epochs![0], { ...good.epochs![1], loss: 'low' }] }, 'epochs[1].loss must be a finite number (got "low")'],
      [{ ...good, perClass: { 'id.linear': [0.5, null] } }, 'perClass.id.linear[1] must be a finite number (got null)'],
      [{ ...good, classCounts: [5, -1] }, 'classCounts[1] must be an integer of at least 0 (got -1)'],
      [{ ...good, finishedAt: 'yesterday' }, 'finishedAt must be an ISO date and time (got "yesterday")'],
      [{ ...good, environment: undefined }, 'environment must be an object (got nothing)'],
      [{ ...good, environment: { ...good.environment, packages: { onnx: 1 } } }, 'environment.packages.onnx must be a string (got 1)'],
      [{ ...good, memory: { peakRssBytes: 1.5 } }, 'memory.peakRssBytes must be an integer of at least 0 (got 1.5)'],
    ];
    for (const [value, message] of cases) expect(() => parseCellResult('dir/cells/c.json', asFile(value)), message).toThrow(`dir/cells/c.json: not a valid cell result: ${message}`);
  });
});
