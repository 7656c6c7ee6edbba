import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { DeviceInfo } from '@ltssl/core';
import type { ImageSet } from '../image-set.js';
import type { AugmentJob, AugmentWorkerInit } from './augment-worker.js';
import type { AugmentKey } from './draws.js';
import { Augmenter, type AugmentationConfig } from './pipeline.js';

/** How long a batch may take before the pool gives up on its workers. */
const BATCH_TIMEOUT_MS = 10 * 60 * 1000;
/** How long the workers may take to start (load the script, take the set) before the pool gives up. */
const START_TIMEOUT_MS = 60 * 1000;
/**
 * The workers' script, beside this module. It exists in the build; run from
 * the TypeScript sources (vitest), it does not, and a worker thread cannot
 * load a .ts file on Node 20.
 */
const WORKER_SCRIPT = new URL('./augment-worker.js', import.meta.url);
/** The fewest images a worker is given of one view. */
const MIN_PIECE = 16;

/** A batch being built by the workers; wait() blocks until it is done and returns its views. */
export interface PendingBatch {
  wait(): Float32Array[];
}

/**
 * Augmentation on worker threads, overlapped with the training step: start()
 * hands the next batch to the workers and returns at once; the training loop
 * runs the current step (ONNX Runtime blocks the calling thread while its own
 * threads compute, and the workers run meanwhile) and wait() collects the
 * batch when the step is done. Each view is cut into one contiguous piece per
 * worker, which runs the same Augmenter.augmentInto on it, so a batch is bit
 * for bit what the calling thread would build: every draw is keyed by seed,
 * epoch, image and view. The pixels are shared with the workers once. The
 * wait is synchronous (Atomics), so the loop's feeds stay synchronous.
 * close() ends the workers; a pool left open keeps the process alive.
 */
export class AugmentPool {
  readonly imageLength: number;
  readonly #workers: Worker[];
  readonly #errors: MessagePort[];

  constructor(set: ImageSet, config: AugmentationConfig, workers: number) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`an augmentation pool needs at least one worker, got ${workers}`);
    // Checks the set and the transforms here, so a bad configuration fails before any worker starts.
    this.imageLength = new Augmenter(set, config).imageLength;
    const pixels = new SharedArrayBuffer(set.pixels.byteLength);
    new Uint8Array(pixels).set(set.pixels);
    const { name, count, channels, height, width, classes } = set;
    if (!existsSync(WORKER_SCRIPT)) throw new Error(`augmentation workers: ${fileURLToPath(WORKER_SCRIPT)} is missing; build @ltssl/experiments (npx nx run @ltssl/experiments:build) or set LTSSL_AUGMENT_WORKERS=0`);
    this.#errors = [];
    const started = new SharedArrayBuffer(4);
    this.#workers = Array.from({ length: workers }, () => {
      // No inherited flags: a parent's --conditions (vitest's '@ltssl/source') would resolve the
      // worker's imports to TypeScript sources, which a worker thread cannot load.
      const worker = new Worker(WORKER_SCRIPT, { execArgv: [] });
      const { port1, port2 } = new MessageChannel();
      this.#errors.push(port1);
      worker.postMessage({ set: { name, count, channels, height, width, classes, pixels }, config, errors: port2, started } satisfies AugmentWorkerInit, [port2]);
      return worker;
    });
    // Waits here for every worker: a worker that cannot start (its script fails to load) never counts
    // itself, and without this check the first batch would wait out BATCH_TIMEOUT_MS instead.
    const startedCount = new Int32Array(started);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let ready = Atomics.load(startedCount, 0); ready < workers; ready = Atomics.load(startedCount, 0)) {
      if (Date.now() > deadline) {
        for (const w of this.#workers) void w.terminate();
        throw new Error(`augmentation workers: ${ready} of ${workers} started within ${START_TIMEOUT_MS / 1000} s; set LTSSL_AUGMENT_WORKERS=0 to augment on the calling thread`);
      }
      Atomics.wait(startedCount, 0, ready, 200);
    }
  }

  /** Starts building `views` views of the images at `indices` (keyed by `key`), as Augmenter.augment would. */
  start(indices: ArrayLike<number>, key: AugmentKey, views = 1): PendingBatch {
    const batch = Int32Array.from(indices);
    // Pieces of at least MIN_PIECE images: a message per piece costs more than augmenting a few small images.
    const pieces = Math.max(1, Math.min(this.#workers.length, Math.floor(batch.length / MIN_PIECE)));
    const outputs = Array.from({ length: views }, () => new SharedArrayBuffer(batch.length * this.imageLength * 4));
    const control = new SharedArrayBuffer(8);
    let sent = 0;
    for (let view = 0; view < views; view++) {
      for (let p = 0; p < pieces; p++) {
        const job: AugmentJob = { indices: batch, key, view, from: Math.floor((p * batch.length) / pieces), to: Math.floor(((p + 1) * batch.length) / pieces), out: outputs[view]!, control };
        this.#workers[sent++ % this.#workers.length]!.postMessage(job);
      }
    }
    return { wait: () => this.#wait(new Int32Array(control), sent, outputs) };
  }

  /** `views` augmented views of the images at `indices`, built by the workers. */
  augment(indices: ArrayLike<number>, key: AugmentKey, views = 1): Float32Array[] {
    return this.start(indices, key, views).wait();
  }

  async close(): Promise<void> {
    for (const port of this.#errors) port.close();
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #wait(control: Int32Array, pieces: number, outputs: readonly SharedArrayBuffer[]): Float32Array[] {
    const deadline = Date.now() + BATCH_TIMEOUT_MS;
    for (let done = Atomics.load(control, 0); done < pieces; done = Atomics.load(control, 0)) {
      if (Date.now() > deadline) throw new Error(`augmentation workers: a batch took over ${BATCH_TIMEOUT_MS / 60000} minutes (${done} of ${pieces} pieces done); a worker has stopped`);
      Atomics.wait(control, 0, done, 1000);
    }
    if (Atomics.load(control, 1) !== 0) {
      const messages = this.#errors.flatMap((port) => {
        const received = receiveMessageOnPort(port);
        return received ? [String(received.message)] : [];
      });
      throw new Error(`augmentation worker: ${messages.join('; ') || 'a piece failed'}`);
    }
    // Copied out of shared memory: engines take ordinary typed arrays.
    return outputs.map((o) => new Float32Array(o).slice());
  }
}

/**
 * At most this many augmentation workers beside an engine that computes on
 * the CPU. One thread augments a batch 28-165x faster than the CPU step
 * trains on it (docs/performance.md), so one worker hides all of it; more
 * would only hold memory, and oversubscribe a node that many one-thread
 * cells share without being pinned (Slurm without task binding).
 */
export const MAX_CPU_ENGINE_AUGMENT_WORKERS = 1;

/**
 * Augmentation workers for a run on `info`'s engine: the cores its compute
 * threads leave free, at most MAX_CPU_ENGINE_AUGMENT_WORKERS beside a CPU
 * engine (a GPU engine leaves every core, and its step can outrun a thread),
 * overridable with LTSSL_AUGMENT_WORKERS. 0 augments on the calling thread.
 * `cores` is what the process may run on: os.availableParallelism() follows
 * its CPU affinity (taskset, Slurm's task binding, a container's cpuset).
 */
export function augmentWorkerCount(info: DeviceInfo, cores = availableParallelism()): number {
  // Run from the TypeScript sources there is no worker script: augment on the calling thread (same numbers).
  if (!existsSync(WORKER_SCRIPT)) return 0;
  const raw = process.env['LTSSL_AUGMENT_WORKERS'];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`LTSSL_AUGMENT_WORKERS must be a non-negative integer, got '${raw}'`);
    return n;
  }
  if (info.kind === 'gpu' && !info.software) return cores;
  const engine = Number(info.details['intraOpThreads'] ?? cores);
  return Math.min(MAX_CPU_ENGINE_AUGMENT_WORKERS, Math.max(0, cores - engine));
}
