import type { DType } from '../ir/dtype.js';
import type { Program } from '../program/program.js';
import type { Feeds, Fetches, StateDict } from './host-tensor.js';

/** What a driver runs on, as `ltssl drivers` and the results store report it. */
export interface DeviceInfo {
  /** The driver's name ('reference', 'onnx', ...). */
  readonly driver: string;
  /** The device in words ('CPU, TypeScript interpreter', 'NVIDIA H100 (CUDA 12.4)'). */
  readonly device: string;
  /** 'gpu' for hardware accelerators; a software rasterizer counts as 'cpu'. */
  readonly kind: 'cpu' | 'gpu';
  /**
   * True when a GPU API runs on a rasterizer emulated on the CPU (Mesa's llvmpipe or
   * lavapipe, SwiftShader): a correctness vehicle, slower than any CPU engine, so
   * `--backend auto` never chooses it (name the backend to run on it).
   */
  readonly software?: boolean;
  /** Element types this driver computes in. */
  readonly dtypes: readonly DType[];
  /** Anything else worth recording (engine version, execution provider, threads). */
  readonly details: Readonly<Record<string, string>>;
}

export interface CompileOptions {
  /**
   * Bind every equal-named state slot to the slot of this executable (same
   * driver), so a train step, an eval forward and a probe share one encoder with
   * no host copy. Slots it does not hold are created and become shared too.
   */
  readonly shareState?: Executable;
}

/** A Program compiled for one driver; state stays on the device between runs. */
export interface Executable {
  readonly program: Program;
  /**
   * Runs one step: feeds in, the fetched outputs out (all outputs when `fetch`
   * is omitted). State updates commit after the step, whatever is fetched.
   */
  run(feeds: Feeds, fetch?: readonly string[]): Promise<Fetches>;
  /** Copies state slots to the host (all slots when `names` is omitted). */
  readState(names?: readonly string[]): Promise<StateDict>;
  /** Overwrites the named slots; names and types must match the Program's slots. */
  writeState(state: StateDict): Promise<void>;
  /** Frees device memory. Shared slots live until every executable sharing them is disposed. */
  dispose(): void;
  /**
   * What the engine says about how it runs this program, one line each, for a
   * `--verbose` run: e.g. the nodes ONNX Runtime's WebGPU provider leaves to its
   * CPU provider. Optional, and asked for only when shown: it may cost a compile.
   */
  diagnostics?(): Promise<readonly string[]>;
}

/**
 * A tensor engine. Drivers implement every primitive op of the op set, or throw
 * `Op 'X' not implemented by driver 'Y'` (code LTSSL_OP_NOT_IMPLEMENTED) at
 * compile time: never a silent fallback, never a different function.
 */
export interface Driver {
  readonly name: string;
  /** Starts the engine; throws an error with code LTSSL_DRIVER_UNAVAILABLE saying why it cannot. */
  init(): Promise<DeviceInfo>;
  compile(program: Program, options?: CompileOptions): Promise<Executable>;
  dispose(): Promise<void>;
}
