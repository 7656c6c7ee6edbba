import type { TfjsEngine } from './engine.js';
import { loadNativeEngine } from './native-engine.js';
import { loadWasmEngine } from './wasm-engine.js';

/** The --backend names of this driver. 'tfjs' is the best of the other three that starts here. */
export type TfjsBackendName = 'tfjs' | 'tfjs-node-gpu' | 'tfjs-node' | 'tfjs-wasm';

export interface TfjsBackend {
  readonly name: Exclude<TfjsBackendName, 'tfjs'>;
  readonly kind: 'cpu' | 'gpu';
  /** How the project has exercised it, shown by `ltssl drivers`. */
  readonly status: string;
  readonly load: (driver: string) => Promise<TfjsEngine>;
}

export const TFJS_BACKENDS: Readonly<Record<Exclude<TfjsBackendName, 'tfjs'>, TfjsBackend>> = {
  'tfjs-node-gpu': {
    name: 'tfjs-node-gpu',
    kind: 'gpu',
    status: 'untested: needs @tensorflow/tfjs-node-gpu and CUDA, which no machine of this project had',
    load: (driver) => loadNativeEngine(driver, '@tensorflow/tfjs-node-gpu'),
  },
  'tfjs-node': {
    name: 'tfjs-node',
    kind: 'cpu',
    status: 'untested: @tensorflow/tfjs-node downloads libtensorflow at install, which no machine of this project could',
    load: (driver) => loadNativeEngine(driver, '@tensorflow/tfjs-node'),
  },
  'tfjs-wasm': {
    name: 'tfjs-wasm',
    kind: 'cpu',
    status: 'tested: the conformance suite runs on it in CI',
    load: (driver) => loadWasmEngine(driver),
  },
};

/** What 'tfjs' tries, in order: the GPU, TensorFlow's native CPU library, then the wasm backend. */
export const BEST_FIRST: readonly Exclude<TfjsBackendName, 'tfjs'>[] = ['tfjs-node-gpu', 'tfjs-node', 'tfjs-wasm'];
