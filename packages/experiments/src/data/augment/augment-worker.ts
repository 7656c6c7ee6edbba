import { parentPort, type MessagePort } from 'node:worker_threads';
import type { ImageSet } from '../image-set.js';
import type { AugmentKey } from './draws.js';
import { Augmenter, type AugmentationConfig } from './pipeline.js';

/** The set and transforms a worker augments from (pixels shared between the pool's workers), and where it reports errors. */
export interface AugmentWorkerInit {
  readonly set: Omit<ImageSet, 'pixels' | 'labels'> & { readonly pixels: SharedArrayBuffer };
  readonly config: AugmentationConfig;
  readonly errors: MessagePort;
  /** Int32 counter of started workers: each adds 1 once it holds the set. */
  readonly started: SharedArrayBuffer;
}

/**
 * One piece of a batch: view `view` of indices[from ..< to], written into
 * `out` (the view's NCHW floats); then control[0] (pieces done) is
 * incremented and notified, and control[1] set to 1 if it failed.
 */
export interface AugmentJob {
  readonly indices: Int32Array;
  readonly key: AugmentKey;
  readonly view: number;
  readonly from: number;
  readonly to: number;
  readonly out: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

// The worker of AugmentPool: the first message is the set and its transforms, every later one a job.
let augmenter: Augmenter | undefined;
let errors: MessagePort | undefined;
parentPort?.on('message', (message: AugmentWorkerInit | AugmentJob) => {
  if ('config' in message) {
    const { set, config } = message;
    errors = message.errors;
    augmenter = new Augmenter({ ...set, pixels: new Uint8Array(set.pixels), labels: new Int32Array(0) }, config);
    const started = new Int32Array(message.started);
    Atomics.add(started, 0, 1);
    Atomics.notify(started, 0);
    return;
  }
  const control = new Int32Array(message.control);
  try {
    augmenter!.augmentInto(message.indices, message.key, message.view, new Float32Array(message.out), message.from, message.to);
  } catch (error) {
    errors?.postMessage(error instanceof Error ? error.message : String(error));
    Atomics.store(control, 1, 1);
  }
  Atomics.add(control, 0, 1);
  Atomics.notify(control, 0);
});
