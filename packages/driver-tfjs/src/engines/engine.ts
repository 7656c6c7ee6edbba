import type { DeviceInfo } from '@ltssl/core';
import { getBackend, setBackend } from '@tensorflow/tfjs-core';
import type { KernelContext } from '../kernels/kernel.js';

/** A started TensorFlow.js backend the driver runs on. */
export interface TfjsEngine {
  /** tfjs's backend name: 'wasm', 'tensorflow' (tfjs-node, tfjs-node-gpu) or 'cpu' (tests only). */
  readonly backend: string;
  readonly kernelContext: KernelContext;
  /** The device as `ltssl drivers` prints it (the driver adds its name). */
  readonly info: Omit<DeviceInfo, 'driver'>;
}

/**
 * tfjs has one active backend per process. Each run makes its engine's the
 * active one, so two drivers in one process (a test, `ltssl drivers`) never
 * compute on each other's backend.
 */
export async function activate(engine: TfjsEngine): Promise<void> {
  if (getBackend() === engine.backend) return;
  if (!(await setBackend(engine.backend))) throw new Error(`tfjs backend '${engine.backend}' failed to become active`);
}
