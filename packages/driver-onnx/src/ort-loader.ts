import { driverUnavailable } from '@ltssl/core';

export type Ort = typeof import('onnxruntime-node');

let loaded: Promise<Ort> | undefined;

/**
 * Loads onnxruntime-node on first use, so a missing or broken native binary
 * makes this driver unavailable (with the loader's reason) instead of breaking
 * every command that merely lists drivers.
 */
export function loadOrt(driver: string): Promise<Ort> {
  loaded ??= import('onnxruntime-node').then((m) => ((m as { default?: Ort }).default ?? m) as Ort);
  return loaded.catch((error: unknown) => {
    loaded = undefined;
    throw driverUnavailable(driver, `onnxruntime-node could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); reinstall it with 'npm ci'`, error);
  });
}
