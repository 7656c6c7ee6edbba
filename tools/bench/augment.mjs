// Augmentation throughput: augmented images per second, two views each, on the
// host, for 28x28x1 (Fashion-MNIST) and 32x32x3 (CIFAR-10) images with the
// SimSiam preset. A plain Node script on the built package, not a test (it
// measures time, which a test must never assert on). Build first:
//
//   npx tsc --build packages/experiments/tsconfig.lib.json && node tools/bench/augment.mjs
//
// Options: --seconds S per measurement (default 3), --batch B (default 64, the
// study's small-CNN batch), --workers 0,2 (counts to measure; 0 = the main
// thread), --step-images-per-second X (the training step's rate, which the
// augmentation must beat tenfold; default 300, PyTorch's small-CNN step of
// ~216 ms per 64 images on the 2-core development machine).
//
// The worker rows use a minimal pool written here, so the throughput of the
// augmentation alone is measured; the pool training uses is
// packages/experiments/src/data/augment/augment-pool.ts, sized by
// augmentWorkerCount to the cores the engine's threads leave (none on a 2-core
// machine running ORT's CPU provider on 2 threads, so there the main thread
// augments; all of them beside a GPU engine). On the 2-core development machine
// one thread already beats the step 28-165 times (docs/performance.md), so the
// pool matters where a GPU step outruns one thread. The pool here checks that
// its batches equal the main thread's, bit for bit.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Augmenter, simsiamAugmentation } from '@ltssl/experiments';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '64' },
    workers: { type: 'string', default: '0,2' },
    'step-images-per-second': { type: 'string', default: '300' },
  },
});
const seconds = Number(values.seconds);
const batchSize = Number(values.batch);
const workerCounts = values.workers.split(',').map(Number);
const stepRate = Number(values['step-images-per-second']);

/** A set of `count` pseudo-random images (the content does not change the work done). */
function makeSet(channels, side, count, shared) {
  const bytes = count * channels * side * side;
  const pixels = new Uint8Array(shared ? new SharedArrayBuffer(bytes) : bytes);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return { name: `bench-${channels}x${side}x${side}`, count, channels, height: side, width: side, pixels, labels: new Int32Array(count), classes: 1 };
}

// Each worker fills pieces [from, to) of views of a batch in shared memory.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import('@ltssl/experiments').then(({ Augmenter }) => {
  const augmenter = new Augmenter(workerData.set, workerData.config);
  parentPort.on('message', (t) => {
    augmenter.augmentInto(t.indices, t.key, t.view, new Float32Array(t.out), t.from, t.to);
    parentPort.postMessage(t.id);
  });
});`;

/** A minimal pool: each view of a batch cut into one contiguous piece per worker. */
function workerPool(set, config, workers) {
  const pending = new Map();
  let nextId = 0;
  const threads = Array.from({ length: workers }, () => {
    const worker = new Worker(WORKER, { eval: true, workerData: { set, config } });
    worker.on('message', (id) => {
      pending.get(id)();
      pending.delete(id);
    });
    return worker;
  });
  const imageLength = new Augmenter(set, config).imageLength;
  return {
    async augment(indices, key, views) {
      const buffers = Array.from({ length: views }, () => new SharedArrayBuffer(indices.length * imageLength * 4));
      const jobs = [];
      for (let view = 0; view < views; view++) {
        for (let w = 0; w < workers; w++) {
          const from = Math.floor((w * indices.length) / workers);
          const to = Math.floor(((w + 1) * indices.length) / workers);
          const id = nextId++;
          jobs.push(new Promise((resolve) => pending.set(id, resolve)));
          threads[w].postMessage({ id, indices, key, view, from, to, out: buffers[view] });
        }
      }
      await Promise.all(jobs);
      return buffers.map((b) => new Float32Array(b));
    },
    close: () => Promise.all(threads.map((t) => t.terminate())),
  };
}

/** Images per second of `augment(indices, key)`, keeping `inFlight` batches outstanding (prefetching). */
async function measure(augment, count, inFlight) {
  const batches = Array.from({ length: Math.floor(count / batchSize) }, (_, b) => Int32Array.from({ length: batchSize }, (_, i) => b * batchSize + i));
  for (let b = 0; b < 8; b++) await augment(batches[b % batches.length], { seed: 1, epoch: 1000 }); // warm-up: JIT, worker start
  const queue = [];
  let images = 0;
  const start = performance.now();
  for (let epoch = 0; performance.now() - start < seconds * 1000; epoch++) {
    for (const batch of batches) {
      queue.push(augment(batch, { seed: 1, epoch }));
      if (queue.length >= inFlight) await queue.shift();
      images += batch.length;
    }
  }
  await Promise.all(queue);
  return images / ((performance.now() - start) / 1000);
}

function sameBatches(a, b) {
  return a.length === b.length && a.every((view, v) => view.length === b[v].length && view.every((x, i) => Object.is(x, b[v][i])));
}

console.log(`augmentation throughput, SimSiam preset, 2 views per image, batch ${batchSize}, ${availableParallelism()} CPUs, Node ${process.version}`);
console.log(`target: 10 x the training step's ${stepRate} images/s = ${10 * stepRate} images/s`);
for (const [channels, side] of [[1, 28], [3, 32]]) {
  const set = makeSet(channels, side, 8192, workerCounts.some((w) => w > 0));
  const config = simsiamAugmentation({ mean: new Array(channels).fill(0.5), std: new Array(channels).fill(0.25) });
  const single = new Augmenter(set, config);
  for (const workers of workerCounts) {
    let rate;
    let label;
    if (workers === 0) {
      rate = await measure(async (indices, key) => single.augment(indices, key, 2), set.count, 1);
      label = 'main thread';
    } else {
      const pool = workerPool(set, config, workers);
      const probe = Int32Array.from({ length: 37 }, (_, i) => (i * 211) % set.count);
      if (!sameBatches(await pool.augment(probe, { seed: 3, epoch: 5 }, 2), single.augment(probe, { seed: 3, epoch: 5 }, 2))) {
        throw new Error(`${workers} workers produced different batches from the main thread`);
      }
      rate = await measure((indices, key) => pool.augment(indices, key, 2), set.count, 2);
      await pool.close();
      label = `${workers} worker${workers > 1 ? 's' : ''}, 2 batches in flight`;
    }
    const verdict = rate >= 10 * stepRate ? 'meets' : 'MISSES';
    console.log(`${channels}x${side}x${side}  ${label.padEnd(30)} ${Math.round(rate).toString().padStart(7)} images/s  (${(rate / stepRate).toFixed(0)} x the step; ${verdict} the 10x target)`);
  }
}
