import { projectConfig } from '../../vitest.shared.js';

// One worker: llvmpipe already spreads each dispatch over LP_NUM_THREADS threads,
// and two test files compiling shaders at once only make both slower and their
// timing unpredictable on a 2-core CI machine.
export default projectConfig('@ltssl/driver-webgpu', { fileParallelism: false, maxWorkers: 1, testTimeout: 120_000 });
