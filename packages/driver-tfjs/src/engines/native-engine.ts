import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { driverUnavailable } from '@ltssl/core';
import { setBackend, version_core } from '@tensorflow/tfjs-core';
import type { TfjsEngine } from './engine.js';
import { probeNativeInChild } from './native-probe.js';

export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

/** Which native package this process loaded: both register the one 'tensorflow' backend. */
let loadedNative: NativePackage | undefined;

/** Where the package resolves from this driver, or undefined when it is not installed. */
export function resolveNative(pkg: NativePackage): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(pkg);
  } catch {
    return undefined;
  }
}

export function installHint(pkg: NativePackage): string {
  return pkg === '@tensorflow/tfjs-node-gpu'
    ? `npm install @tensorflow/tfjs-node-gpu@${version_core} (downloads libtensorflow with CUDA; needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1)`
    : `npm install @tensorflow/tfjs-node@${version_core} (downloads libtensorflow)`;
}

/**
 * tfjs-node / tfjs-node-gpu: TensorFlow's native library, the 'tensorflow'
 * backend. Never a dependency of this package (their install step downloads
 * libtensorflow), so they load only when the user installed them. Untested by
 * this project: no machine it was built on could install them.
 */
export async function loadNativeEngine(driver: string, pkg: NativePackage): Promise<TfjsEngine> {
  const gpu = pkg === '@tensorflow/tfjs-node-gpu';
  const path = resolveNative(pkg);
  if (!path) throw driverUnavailable(driver, `${pkg} is not installed: ${installHint(pkg)}`);
  if (loadedNative && loadedNative !== pkg) {
    throw driverUnavailable(driver, `${loadedNative} is already loaded in this process and owns the 'tensorflow' backend; use ${pkg} in a fresh process`);
  }
  const url = pathToFileURL(path).href;
  if (!loadedNative) {
    const probe = await probeNativeInChild(url);
    if (!probe.ok) throw driverUnavailable(driver, `${pkg} does not start (${probe.reason})`);
    if (gpu && !probe.gpu) throw driverUnavailable(driver, `${pkg} started but TensorFlow found no CUDA device: check the NVIDIA driver, CUDA 11.2 and cuDNN 8.1 (or use tfjs-node)`);
    if (probe.core !== version_core) throw driverUnavailable(driver, `${pkg} uses @tensorflow/tfjs-core ${probe.core}, this driver ${version_core}: ${installHint(pkg)}`);
    await import(url);
    loadedNative = pkg;
  }
  if (!(await setBackend('tensorflow'))) throw driverUnavailable(driver, `${pkg} loaded but its 'tensorflow' backend did not initialise`);
  return {
    backend: 'tensorflow',
    kernelContext: { nativeKernels: true },
    info: {
      device: `${gpu ? 'GPU' : 'CPU'}, TensorFlow.js ${version_core} ${pkg.slice('@tensorflow/'.length)} (libtensorflow${gpu ? ', CUDA' : ''})`,
      kind: gpu ? 'gpu' : 'cpu',
      dtypes: ['float32', 'int32'],
      details: { engine: pkg, tfjs: version_core, status: 'untested: the project could not install it on its machines' },
    },
  };
}
