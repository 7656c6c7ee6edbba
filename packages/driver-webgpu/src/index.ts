export { WebGpuDriver, type WebGpuDriverOptions } from './webgpu-driver.js';
export { WebGpuExecutable, type KernelTime } from './webgpu-executable.js';
export type { BufferRole, LiveObjects } from './gpu/device-ledger.js';
export { CONV_TILE_TABLE } from './kernels/conv-tile-table.js';
export { candidateTiles, convLayers, convTileFor, convTileKey, DEFAULT_CONV_TILE, tileProblem, type ConvKind, type ConvLayer, type ConvTile, type ConvTileTable } from './kernels/conv-tiles.js';
export type { ConvShape } from './kernels/conv-geometry.js';
export { KERNELS } from './kernels/registry.js';
export type { Kernel, KernelPlan, Dispatch } from './kernels/kernel.js';
export { planStep, type StepPlan } from './plan/step-plan.js';
export { buildUnits, type Unit } from './plan/units.js';
export { planFusion, type FusedGroup, type FusionLimits } from './plan/fusion-plan.js';
export { isSoftwareAdapter, describeAdapter, type AdapterIdentity } from './adapter/software.js';
export { chooseAdapter, type AdapterPolicy } from './adapter/choose-adapter.js';
export { probeBackends, type BackendProbe } from './adapter/probe-adapters.js';
export { DEFAULT_BACKENDS, type DawnBackend } from './adapter/backends.js';
export { WEBGPU_KNOWN_GAPS } from './known-gaps.js';
export { webgpuDriverModule, webgpuRegistrations } from './module.js';
/** What `--driver-module` loads: an inversify ContainerModule. */
export { webgpuDriverModule as default } from './module.js';
