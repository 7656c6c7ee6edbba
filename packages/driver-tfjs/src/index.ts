export { TfjsDriver, type TfjsDriverOptions } from './tfjs-driver.js';
export { TfjsExecutable } from './tfjs-executable.js';
export { TFJS_BACKENDS, BEST_FIRST, type TfjsBackendName, type TfjsBackend } from './engines/backends.js';
export type { TfjsEngine } from './engines/engine.js';
export { KERNELS, type KernelTable } from './kernels/registry.js';
export type { TfjsKernel, KernelContext } from './kernels/kernel.js';
export { planLayouts, transposedElements } from './layout/layout-pass.js';
export type { LayoutPlan, Step } from './layout/layout-plan.js';
export { TFJS_KNOWN_GAPS } from './known-gaps.js';
export { tfjsDriverModule, tfjsRegistrations } from './module.js';
/** What `--driver-module` loads: an inversify ContainerModule. */
export { tfjsDriverModule as default } from './module.js';
