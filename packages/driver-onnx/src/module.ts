import { ContainerModule } from 'inversify';
import { TOKENS, type DriverRegistration } from '@ltssl/core';
import { ONNX_KNOWN_GAPS } from './known-gaps.js';
import { OnnxDriver } from './onnx-driver.js';
import { PROVIDERS, type ProviderName } from './providers.js';

/**
 * Priorities for `--backend auto`: hardware GPU providers first; the CPU
 * provider above the reference (measured faster: see docs/drivers/onnx.md).
 */
const PRIORITY: Readonly<Record<ProviderName, number>> = { cuda: 90, webgpu: 80, cpu: 50 };

function registration(provider: ProviderName): DriverRegistration {
  const info = PROVIDERS[provider];
  return {
    name: info.backend,
    description: `ONNX Runtime, ${provider} execution provider: the whole step as one ONNX model`,
    verified: info.status,
    priority: PRIORITY[provider],
    create: () => new OnnxDriver({ provider }),
    knownGaps: ONNX_KNOWN_GAPS,
  };
}

export const onnxRegistrations: readonly DriverRegistration[] = (['cpu', 'cuda', 'webgpu'] as const).map(registration);

/** Binds the ONNX Runtime drivers (CPU, CUDA, WebGPU providers) into an ltssl container. */
export const onnxDriverModule = new ContainerModule(({ bind }) => {
  for (const r of onnxRegistrations) bind<DriverRegistration>(TOKENS.driverRegistration).toConstantValue(r);
});
