export { WebGpuDriver, type WebGpuDriverOptions } from './webgpu-driver.js';
export { WebGpuExecutable } from './webgpu-executable.js';
export { KERNELS } from './kernels/registry.js';
export type { Kernel, KernelPlan, Dispatch } from './kernels/kernel.js';
export { planStep, type StepPlan } from './plan/step-plan.js';
export { isSoftwareAdapter, describeAdapter, type AdapterIdentity } from './adapter/software.js';
export { chooseAdapter, type AdapterPolicy } from './adapter/choose-adapter.js';
export { probeBackends, type BackendProbe } from './adapter/probe-adapters.js';
export { DEFAULT_BACKENDS, type DawnBackend } from './adapter/backends.js';
export { WEBGPU_KNOWN_GAPS } from './known-gaps.js';
export { webgpuDriverModule, webgpuRegistrations } from './module.js';
/** What `--driver-module` loads: an inversify ContainerModule. */
export { webgpuDriverModule as default } from './module.js';
