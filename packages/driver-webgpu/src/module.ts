import { ContainerModule } from 'inversify';
import { TOKENS, type DriverRegistration } from '@ltssl/core';
import { WEBGPU_KNOWN_GAPS } from './known-gaps.js';
import { WEBGPU_VERIFIED } from './status.js';
import { WebGpuDriver } from './webgpu-driver.js';

/**
 * Two names for one driver, because `--backend auto` orders drivers by one
 * static priority while this one is a GPU driver on some machines and a
 * software rasterizer on others:
 * - 'webgpu-gpu' takes hardware adapters only and ranks with the GPU drivers
 *   (below onnx-cuda, above onnx-webgpu);
 * - 'webgpu' takes a hardware adapter when present, else the software one, and
 *   ranks below the ONNX Runtime CPU driver, which runs a training step faster
 *   than llvmpipe (docs/drivers/webgpu.md), so auto never trades it for a
 *   software rasterizer.
 */
export const webgpuRegistrations: readonly DriverRegistration[] = [
  {
    name: 'webgpu-gpu',
    description: 'WebGPU through Dawn on a hardware GPU adapter (Vulkan): one WGSL kernel per op, the step as one command buffer',
    verified: WEBGPU_VERIFIED['webgpu-gpu'],
    priority: 85,
    create: () => new WebGpuDriver({ name: 'webgpu-gpu', adapters: 'hardware' }),
    knownGaps: WEBGPU_KNOWN_GAPS,
  },
  {
    name: 'webgpu',
    description: 'WebGPU through Dawn: a GPU adapter when present, else Mesa llvmpipe (OpenGL, software)',
    verified: WEBGPU_VERIFIED.webgpu,
    priority: 30,
    create: () => new WebGpuDriver({ name: 'webgpu', adapters: 'any' }),
    knownGaps: WEBGPU_KNOWN_GAPS,
  },
];

/** Binds the WebGPU drivers into an ltssl container. */
export const webgpuDriverModule = new ContainerModule(({ bind }) => {
  for (const r of webgpuRegistrations) bind<DriverRegistration>(TOKENS.driverRegistration).toConstantValue(r);
});
