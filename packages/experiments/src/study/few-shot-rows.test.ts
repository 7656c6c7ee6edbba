import { describe, expect, it } from 'vitest';
import { fewShotRows } from './few-shot-rows.js';

// 4 classes x 30 rows, in file order by class; image indices 100 + row.
const labels = Array.from({ length: 120 }, (_, row) => Math.floor(row / 30));
const images = labels.map((_, row) => 100 + row);

describe('the few-shot draw', () => {
  it('takes `shots` rows of every class, drawn by the seed rather than the first in file order', () => {
    const rows = fewShotRows(labels, images, 5, 0);
    expect(rows).toHaveLength(20);
    for (let c = 0; c < 4; c++) expect(rows.filter((r) => labels[r] === c)).toHaveLength(5);
    const firstInFileOrder = [0, 1, 2, 3, 4];
    expect(rows.filter((r) => labels[r] === 0)).not.toEqual(firstInFileOrder);
    expect(fewShotRows(labels, images, 5, 1)).not.toEqual(rows);
    expect(fewShotRows(labels, images, 5, 0)).toEqual(rows);
  });

  it('depends on the images, not on the order of the rows, and nests across shots', () => {
    const order = labels.map((_, i) => (i * 7) % 120); // a permutation of the rows
    const picked = fewShotRows(order.map((i) => labels[i]!), order.map((i) => images[i]!), 5, 3).map((r) => images[order[r]!]!);
    expect(picked.sort((a, b) => a - b)).toEqual(fewShotRows(labels, images, 5, 3).map((r) => images[r]!));
    const ten = new Set(fewShotRows(labels, images, 10, 3));
    expect(fewShotRows(labels, images, 5, 3).every((r) => ten.has(r))).toBe(true);
    expect(fewShotRows(labels, images, 50, 3)).toHaveLength(120);
    expect(() => fewShotRows([0, 1], [5], 1, 0)).toThrow('fewShotRows: 2 labels but 1 image indices; give one of each per row');
  });
});
