import type { create as createGpu } from 'webgpu';

/** The `webgpu` package (Dawn's Node bindings), loaded on first use. */
export interface Dawn {
  readonly create: typeof createGpu;
}

let loading: Promise<Dawn> | undefined;

/**
 * Loads Dawn lazily: importing this driver (as the CLI does for every
 * built-in driver) must not load a 21 MB native library nobody asked for.
 */
export function loadDawn(): Promise<Dawn> {
  loading ??= import('webgpu').then((m) => ({ create: m.create }));
  return loading;
}

/**
 * Every GPU object `create()` returned, kept for the life of the process: Dawn
 * crashes the process when the garbage collector frees one whose device may
 * still run (its native instance goes away under the device). One per driver
 * instance, a few hundred bytes each.
 */
const liveInstances: GPU[] = [];

export function keepAlive(gpu: GPU): void {
  liveInstances.push(gpu);
}
