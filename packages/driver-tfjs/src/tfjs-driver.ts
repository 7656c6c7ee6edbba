import {
  driverUnavailable,
  ERROR_CODES,
  formatShape,
  liveNodes,
  LtsslError,
  validateProgram,
  type CompileOptions,
  type DeviceInfo,
  type Driver,
  type Executable,
  type Program,
} from '@ltssl/core';
import { BEST_FIRST, TFJS_BACKENDS, type TfjsBackendName } from './engines/backends.js';
import { activate, type TfjsEngine } from './engines/engine.js';
import { KERNELS, type KernelTable } from './kernels/registry.js';
import { planLayouts } from './layout/layout-pass.js';
import { TfjsStateStore } from './state-store.js';
import { TfjsExecutable } from './tfjs-executable.js';

export interface TfjsDriverOptions {
  /** Which engine: one of 'tfjs-node-gpu', 'tfjs-node', 'tfjs-wasm', or 'tfjs' (default) for the first of them that starts. */
  readonly backend?: TfjsBackendName;
  /** Starts an engine other than the named ones (tests run the native-gradient kernels on tfjs's cpu backend). */
  readonly engine?: () => Promise<TfjsEngine>;
  /** The kernel table; a program using an op it lacks is refused at compile time. Default: every kernel. */
  readonly kernels?: KernelTable;
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^driver '[^']*' cannot start: /, '');
}

/**
 * TensorFlow.js: a compiled Program runs kernel by kernel inside one tidy
 * scope, on TensorFlow's native library (tfjs-node-gpu with CUDA, tfjs-node)
 * or on the wasm backend. A layout pass holds images NHWC and filters HWIO
 * inside the driver; the caller sees the IR's NCHW.
 */
export class TfjsDriver implements Driver {
  readonly name: string;
  readonly #options: TfjsDriverOptions;
  #engine: TfjsEngine | undefined;
  /** For 'tfjs': the engines tried before the one that started, with their reasons. */
  #skipped: Record<string, string> = {};

  constructor(options: TfjsDriverOptions = {}) {
    this.#options = options;
    this.name = options.backend ?? 'tfjs';
  }

  async init(): Promise<DeviceInfo> {
    this.#engine = await this.#start();
    return { driver: this.name, ...this.#engine.info, details: { ...this.#engine.info.details, ...this.#skipped } };
  }

  async #start(): Promise<TfjsEngine> {
    if (this.#options.engine) return this.#options.engine();
    const backend = this.#options.backend ?? 'tfjs';
    if (backend !== 'tfjs') return TFJS_BACKENDS[backend].load(this.name);
    // 'tfjs': the first engine that starts, every one skipped reported in the device details.
    const skipped: string[] = [];
    for (const name of BEST_FIRST) {
      try {
        const engine = await TFJS_BACKENDS[name].load(this.name);
        this.#skipped = skipped.length ? { skipped: skipped.join('; ') } : {};
        return engine;
      } catch (error) {
        skipped.push(`${name}: ${reasonOf(error)}`);
      }
    }
    throw driverUnavailable(this.name, `no TensorFlow.js engine starts (${skipped.join('; ')})`);
  }

  async compile(program: Program, options: CompileOptions = {}): Promise<Executable> {
    const engine = this.#engine;
    if (!engine) throw new LtsslError(ERROR_CODES.executableMisuse, `driver '${this.name}' is not initialised: call init() before compile()`);
    validateProgram(program);
    const kernels = this.#options.kernels ?? KERNELS;
    for (const id of liveNodes(program.graph, [...program.outputs.map((o) => o.node), ...program.updates.map((u) => u.node)])) {
      const node = program.graph.node(id);
      if (node.dtype === 'float64') {
        throw new LtsslError(
          ERROR_CODES.dtypeUnsupported,
          `driver '${this.name}' does not compute in float64 (TensorFlow.js has no float64 tensors): node ${id} of program '${program.name}' (${node.kind === 'op' ? node.op : node.name}) is float64${formatShape(node.shape)}; use float32`,
        );
      }
      if (node.kind === 'op' && !kernels[node.op]) throw new LtsslError(ERROR_CODES.opNotImplemented, `Op '${node.op}' not implemented by driver '${this.name}'`);
    }
    await activate(engine);
    const store = this.#storeFor(options.shareState);
    const plan = planLayouts(program, kernels, store.layouts());
    store.attach(program, plan.slotPerms);
    return new TfjsExecutable(program, this, store, plan, engine, this.name);
  }

  async dispose(): Promise<void> {
    this.#engine = undefined;
  }

  #storeFor(shared: Executable | undefined): TfjsStateStore {
    if (shared === undefined) return new TfjsStateStore(this);
    if (!(shared instanceof TfjsExecutable) || shared.owner !== this) {
      throw new LtsslError(ERROR_CODES.executableMisuse, `shareState needs an executable compiled by this same '${this.name}' driver instance`);
    }
    return shared.store;
  }
}
