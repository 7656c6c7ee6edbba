import { ContainerModule } from 'inversify';
import { TOKENS, type DriverRegistration } from '@ltssl/core';
import { TFJS_BACKENDS, type TfjsBackendName } from './engines/backends.js';
import { TFJS_KNOWN_GAPS } from './known-gaps.js';
import { TfjsDriver } from './tfjs-driver.js';

/**
 * Priorities for `--backend auto` (onnx's CPU provider is 50, its CUDA one 90).
 * - tfjs-node-gpu 95: state stays on the GPU between steps, where onnx-cuda
 *   copies it through the host every step (docs/drivers/onnx.md).
 * - tfjs-node 45: not measured (it could not be installed here), so below the
 *   measured onnx CPU provider until a benchmark says otherwise.
 * - tfjs-wasm 40: measured slower than onnx on both models (tools/bench/train-step.mjs on
 *   the 2-core build machine, same run: small CNN batch 64 557 ms/step against onnx's 211,
 *   ResNet-18 batch 128 30.0 s against 17.0 s; docs/drivers/tfjs.md), so below it.
 * - tfjs 39: the best of the three that starts; below each of them, so auto
 *   reaches a concrete engine first and never picks this alias.
 */
const PRIORITY: Readonly<Record<TfjsBackendName, number>> = { 'tfjs-node-gpu': 95, 'tfjs-node': 45, 'tfjs-wasm': 40, tfjs: 39 };

const DESCRIPTION: Readonly<Record<TfjsBackendName, string>> = {
  'tfjs-node-gpu': 'TensorFlow.js on tfjs-node-gpu (CUDA), kernel by kernel in one tidy scope',
  'tfjs-node': 'TensorFlow.js on tfjs-node (libtensorflow, CPU)',
  'tfjs-wasm': 'TensorFlow.js wasm backend (XNNPACK, SIMD, one thread in Node)',
  tfjs: 'TensorFlow.js on the best engine that starts: tfjs-node-gpu, else tfjs-node, else tfjs-wasm (the device line says which)',
};

function registration(name: TfjsBackendName): DriverRegistration {
  // The alias is as verified as the engine it starts.
  const verified = name === 'tfjs' ? 'the device line says which engine ran' : TFJS_BACKENDS[name].status;
  return { name, description: DESCRIPTION[name], verified, priority: PRIORITY[name], create: () => new TfjsDriver({ backend: name }), knownGaps: TFJS_KNOWN_GAPS };
}

export const tfjsRegistrations: readonly DriverRegistration[] = (['tfjs-node-gpu', 'tfjs-node', 'tfjs-wasm', 'tfjs'] as const).map(registration);

/** Binds the TensorFlow.js drivers into an ltssl container. */
export const tfjsDriverModule = new ContainerModule(({ bind }) => {
  for (const r of tfjsRegistrations) bind<DriverRegistration>(TOKENS.driverRegistration).toConstantValue(r);
});
