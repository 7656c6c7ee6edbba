import {
  DTYPES,
  ERROR_CODES,
  LtsslError,
  OP_NAMES,
  validateProgram,
  type CompileOptions,
  type DeviceInfo,
  type Driver,
  type Executable,
  type Program,
} from '@ltssl/core';
import { KERNELS } from './kernels/registry.js';
import { ReferenceExecutable, type Precision } from './reference-executable.js';
import { StateStore } from './state-store.js';

export interface ReferenceDriverOptions {
  /**
   * 'float64' (default): float32 and float64 values are computed in float64,
   * the oracle's setting. 'float32': float32 results are rounded to float32
   * after every op, to emulate a float32 engine.
   */
  readonly precision?: Precision;
}

/**
 * A short, obvious interpreter of every primitive op in TypeScript: the oracle
 * the conformance suite checks every other driver against, and the template for
 * a new driver. Slow by design: no kernel is clever.
 */
export class ReferenceDriver implements Driver {
  readonly name = 'reference';
  readonly precision: Precision;
  #initialised = false;

  constructor(options: ReferenceDriverOptions = {}) {
    this.precision = options.precision ?? 'float64';
  }

  async init(): Promise<DeviceInfo> {
    this.#initialised = true;
    return {
      driver: this.name,
      device: `CPU, TypeScript interpreter (${this.precision} arithmetic)`,
      kind: 'cpu',
      dtypes: DTYPES,
      details: { precision: this.precision, node: process.version, ops: String(OP_NAMES.length) },
    };
  }

  async compile(program: Program, options: CompileOptions = {}): Promise<Executable> {
    if (!this.#initialised) throw new LtsslError(ERROR_CODES.executableMisuse, `driver 'reference' is not initialised: call init() before compile()`);
    validateProgram(program);
    for (const node of program.graph.nodes) {
      if (node.kind === 'op' && !(node.op in KERNELS)) {
        throw new LtsslError(ERROR_CODES.opNotImplemented, `Op '${node.op}' not implemented by driver 'reference'`);
      }
    }
    const store = this.#storeFor(options.shareState);
    store.attach(program);
    return new ReferenceExecutable(program, this, store, this.precision);
  }

  async dispose(): Promise<void> {
    this.#initialised = false;
  }

  #storeFor(shared: Executable | undefined): StateStore {
    if (shared === undefined) return new StateStore();
    if (!(shared instanceof ReferenceExecutable) || shared.owner !== this) {
      throw new LtsslError(ERROR_CODES.executableMisuse, `shareState needs an executable compiled by this same 'reference' driver instance`);
    }
    return shared.store;
  }
}
