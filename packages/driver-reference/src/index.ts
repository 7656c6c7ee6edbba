export { ReferenceDriver, type ReferenceDriverOptions } from './reference-driver.js';
export { ReferenceExecutable, type Precision } from './reference-executable.js';
export { KERNELS } from './kernels/registry.js';
export type { Kernel } from './kernels/kernel.js';
export { referenceDriverModule, referenceRegistration } from './module.js';
/** What `--driver-module` loads: an inversify ContainerModule. */
export { referenceDriverModule as default } from './module.js';
