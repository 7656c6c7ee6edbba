import { existsSync } from 'node:fs';
import type * as Experiments from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The augmentation pool on real worker threads. A worker runs JavaScript, so
 * this test loads @ltssl/experiments from its build (the tests depend on the
 * packages' builds) rather than from the TypeScript sources the other tests
 * use. A batch built by the workers, in pieces, ahead of the step that asks
 * for it, must be bit for bit the batch the calling thread builds.
 */
const DIST = new URL('../../../packages/experiments/dist/index.js', import.meta.url);
let X: typeof Experiments;
let set: Experiments.ImageSet;
let config: Experiments.AugmentationConfig;

beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST.pathname} is missing: build @ltssl/experiments first (npx nx run @ltssl/experiments:build)`);
  X = (await import(DIST.href)) as typeof Experiments;
  const data = X.separableDataset();
  set = data.train;
  config = X.simsiamAugmentation(data.normalization);
});

const pools: Experiments.AugmentPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const bits = (views: Float32Array[]): Uint32Array[] => views.map((v) => new Uint32Array(v.buffer, v.byteOffset, v.length));

describe('AugmentPool', () => {
  it('builds the batches the calling thread builds, in pieces and ahead of time', () => {
    const direct = new X.Augmenter(set, config);
    for (const workers of [1, 3]) {
      const pool = new X.AugmentPool(set, config, workers);
      pools.push(pool);
      const a = Int32Array.from({ length: 64 }, (_, i) => (i * 7) % set.count);
      const b = Int32Array.from({ length: 5 }, (_, i) => (i + 40) % set.count); // fewer images than a piece
      const first = pool.start(a, { seed: 2, epoch: 3 }, 2);
      const second = pool.start(b, { seed: 2, epoch: 4 }, 2);
      expect(bits(second.wait())).toEqual(bits(direct.augment(b, { seed: 2, epoch: 4 }, 2)));
      expect(bits(first.wait())).toEqual(bits(direct.augment(a, { seed: 2, epoch: 3 }, 2)));
    }
  });

  it("feeds a training loop's steps exactly as the Augmenter does", () => {
    const pool = new X.AugmentPool(set, config, 2);
    pools.push(pool);
    const plan = (augmenter: Experiments.Augmenter | Experiments.AugmentPool) =>
      X.imageEpochs({ set, indices: Int32Array.from({ length: 80 }, (_, i) => i % set.count), batch: 16, augmenter, height: set.height, width: set.width, seed: 9, views: 2, labels: true });
    const [withPool, alone] = [plan(pool)(1), plan(new X.Augmenter(set, config))(1)];
    expect(withPool.steps).toBe(5);
    for (let step = 0; step < withPool.steps; step++) {
      const [p, a] = [withPool.feeds(step), alone.feeds(step)];
      for (const name of ['x1', 'x2']) expect(bits([p[name]!.data as Float32Array])).toEqual(bits([a[name]!.data as Float32Array]));
      expect(p['labels']!.data).toEqual(a['labels']!.data);
    }
  });

  it("reports a worker's error", () => {
    const pool = new X.AugmentPool(set, config, 2);
    pools.push(pool);
    expect(() => pool.augment([0, set.count + 3], { seed: 0, epoch: 0 })).toThrow(/augmentation worker: image index \d+ \(batch position 1\) is outside/);
  });
});

describe('augmentWorkerCount', () => {
  const info = (details: Record<string, string>, kind: 'cpu' | 'gpu' = 'cpu', software?: boolean): Experiments.CellContext['info'] => ({ driver: 'd', device: 'd', kind, dtypes: ['float32'], details, ...(software === undefined ? {} : { software }) });
  it('gives the pool the cores the engine leaves, one at most beside a CPU engine', () => {
    expect(X.augmentWorkerCount(info({ intraOpThreads: '2' }), 2)).toBe(0);
    expect(X.augmentWorkerCount(info({ intraOpThreads: '1' }), 2)).toBe(1);
    // A one-thread cell on a 64-core node it shares unpinned: one worker, not 63.
    expect(X.augmentWorkerCount(info({ intraOpThreads: '1' }), 64)).toBe(X.MAX_CPU_ENGINE_AUGMENT_WORKERS);
    expect(X.augmentWorkerCount(info({}), 8)).toBe(0); // an engine that takes every core
  });
  it('gives a hardware GPU engine every core, and a software one none beyond its threads', () => {
    expect(X.augmentWorkerCount(info({}, 'gpu'), 8)).toBe(8);
    expect(X.augmentWorkerCount(info({}, 'gpu', true), 8)).toBe(0);
  });
});
