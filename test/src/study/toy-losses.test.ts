import { hostTensor, Tracer, type Executable, type Feeds, type Program } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { buildToySlStep, buildToySslStep, minMargin, multiclassHinge, toySslLoss } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const driver = new ReferenceDriver();
beforeAll(() => driver.init());
afterAll(() => driver.dispose());

async function runOnce(program: Program, feeds: Feeds): Promise<Record<string, number>> {
  const executable = await driver.compile(program);
  try {
    const out = await executable.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data[0]!]));
  } finally {
    executable.dispose();
  }
}

/** The losses of a program run `steps` times on the same feeds. */
async function losses(program: Program, feeds: Feeds, steps: number): Promise<number[]> {
  const executable: Executable = await driver.compile(program);
  try {
    const out: number[] = [];
    for (let s = 0; s < steps; s++) out.push((await executable.run(feeds, ['loss']))['loss']!.data[0]!);
    return out;
  } finally {
    executable.dispose();
  }
}

const lr = hostTensor('float32', [], [0.05]);
const rows = (count: number, dim: number, f: (k: number, j: number) => number) => hostTensor('float32', [count, dim], Array.from({ length: count * dim }, (_, i) => f(Math.floor(i / dim), i % dim)));

describe('toy losses (float64 on the reference)', () => {
  it('multiclass hinge and the smallest margin on a hand case', async () => {
    // Row 0, label 0: s = (2, 0.5, 1.8): max(0, 1 + 0.5 - 2) + max(0, 1 + 1.8 - 2) = 0.8; margin 2 - 1.8 = 0.2.
    // Row 1, label 2: s = (0, 0, 0): 1 + 1 = 2; margin 0.
    // Row 2, label 1: s = (-1, 3, 0.5): 0; margin 3 - 0.5 = 2.5.
    // Mean hinge (0.8 + 2 + 0) / 3; smallest margin 0.
    const tracer = new Tracer('hinge');
    const scores = tracer.input('scores', 'float64', [3, 3]);
    const labels = tracer.input('labels', 'int32', [3]);
    tracer.output('hinge', multiclassHinge(scores, labels));
    tracer.output('margin', minMargin(scores, labels));
    const out = await runOnce(tracer.build(), { scores: hostTensor('float64', [3, 3], [2, 0.5, 1.8, 0, 0, 0, -1, 3, 0.5]), labels: hostTensor('int32', [3], [0, 2, 1]) });
    expect(out['hinge']).toBeCloseTo(2.8 / 3, 12);
    expect(out['margin']).toBeCloseTo(0, 12);
  });

  it("the SSL objective -mean z1.z2 + 0.5 ||W W^T||_F^2 on a hand case", async () => {
    // W = [[1, 0], [0, 2]]: W W^T = diag(1, 4), 0.5 * 17 = 8.5. z1 = (1, 2), z2 = (3, 1) and (0, 0): mean z1.z2 = (5 + 0) / 2.
    const tracer = new Tracer('ssl-loss');
    const z1 = tracer.input('z1', 'float64', [2, 2]);
    const z2 = tracer.input('z2', 'float64', [2, 2]);
    const w = tracer.input('w', 'float64', [2, 2]);
    tracer.output('loss', toySslLoss(z1, z2, w));
    const out = await runOnce(tracer.build(), { z1: hostTensor('float64', [2, 2], [1, 2, 5, 5]), z2: hostTensor('float64', [2, 2], [3, 1, 0, 0]), w: hostTensor('float64', [2, 2], [1, 0, 0, 2]) });
    expect(out['loss']).toBeCloseTo(8.5 - 2.5, 12);
  });

  it('a few steps of either arm lower its loss', async () => {
    const shape = { dim: 5, width: 3 };
    const x = rows(6, 5, (k, j) => Math.sin(1 + k * 5 + j) + (j === k % 3 ? 2 : 0));
    const sl = await losses(buildToySlStep(shape, 6, 1e-3, 1), { x, labels: hostTensor('int32', [6], [0, 1, 2, 0, 1, 2]), lr }, 5);
    const ssl = await losses(buildToySslStep(shape, 6, 0.3, 1), { x, xi1: rows(6, 5, (k, j) => Math.cos(k + 7 * j)), xi2: rows(6, 5, (k, j) => Math.sin(3 * k - j)), lr }, 5);
    for (const curve of [sl, ssl]) {
      expect(curve.every(Number.isFinite)).toBe(true);
      for (let s = 1; s < curve.length; s++) expect(curve[s]).toBeLessThan(curve[s - 1]!);
    }
  });
});
