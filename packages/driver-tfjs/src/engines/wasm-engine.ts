import { driverUnavailable } from '@ltssl/core';
import { env, setBackend, version_core } from '@tensorflow/tfjs-core';
import type { TfjsEngine } from './engine.js';

/**
 * tfjs's WebAssembly backend (XNNPACK kernels). Its .wasm binaries ship inside
 * the npm package and load from there, offline. In Node it runs on one thread:
 * the threaded build needs browser workers (WASM_HAS_MULTITHREAD_SUPPORT is
 * false in Node), so only SIMD speeds it up.
 */
export async function loadWasmEngine(driver: string): Promise<TfjsEngine> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    throw driverUnavailable(driver, `@tensorflow/tfjs-backend-wasm could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); reinstall it with 'npm ci'`, error);
  }
  if (!(await setBackend('wasm'))) throw driverUnavailable(driver, "tfjs's wasm backend did not initialise (see the warning above); reinstall @tensorflow/tfjs-backend-wasm");
  const simd = Boolean(await env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = wasm.getThreadsCount();
  return {
    backend: 'wasm',
    kernelContext: { nativeKernels: false },
    info: {
      device: `CPU, TensorFlow.js ${version_core} wasm backend (XNNPACK${simd ? ', SIMD' : ', no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`,
      kind: 'cpu',
      dtypes: ['float32', 'int32'],
      details: { engine: 'wasm', tfjs: version_core, simd: String(simd), threads: `${threads} (the wasm backend is single-threaded in Node)` },
    },
  };
}
