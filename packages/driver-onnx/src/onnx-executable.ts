import {
  checkFeeds,
  checkStateDict,
  ERROR_CODES,
  LtsslError,
  resolveFetch,
  resolveStateNames,
  type DType,
  type Executable,
  type Feeds,
  type Fetches,
  type HostTensor,
  type Program,
  type StateDict,
} from '@ltssl/core';
import type { LoweredProgram } from './lower/lower-program.js';
import type { OnnxStateStore, OrtTensor } from './onnx-state.js';
import type { Ort } from './ort-loader.js';
import { describePlacement, probePlacement } from './placement.js';
import type { ProviderName } from './providers.js';

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

function toHost(tensor: OrtTensor): HostTensor {
  const dtype: DType = tensor.type === 'int32' ? 'int32' : 'float32';
  return { dtype, shape: [...tensor.dims], data: tensor.data as Float32Array | Int32Array };
}

/**
 * A Program lowered to one ONNX model and held as one InferenceSession. A run
 * feeds the batch and the pre-step state, fetches the asked outputs and every
 * update, and then swaps the updates in as the new state.
 */
export class OnnxExecutable implements Executable {
  #disposed = false;
  #diagnostics: Promise<readonly string[]> | undefined;

  constructor(
    readonly program: Program,
    readonly owner: object,
    readonly store: OnnxStateStore,
    readonly lowered: LoweredProgram,
    readonly session: Session,
    readonly provider: ProviderName = 'cpu',
  ) {}

  /** On a GPU provider: which nodes ORT runs on its CPU provider instead (asked of ORT once, in a child process). */
  diagnostics(): Promise<readonly string[]> {
    if (this.provider === 'cpu') return Promise.resolve([]);
    const provider = this.provider;
    this.#diagnostics ??= probePlacement(this.lowered.model, provider).then(
      (placement) => [`program '${this.program.name}': ${describePlacement(placement, provider)}`],
      (error: unknown) => [`program '${this.program.name}': node placement unknown (${error instanceof Error ? error.message : String(error)})`],
    );
    return this.#diagnostics;
  }

  async run(feeds: Feeds, fetch?: readonly string[]): Promise<Fetches> {
    this.#assertLive();
    checkFeeds(this.program, feeds);
    const names = resolveFetch(this.program, fetch);
    const ort = this.store.ort;
    const inputs: Record<string, OrtTensor> = {};
    for (const { name, onnx } of this.lowered.feeds) {
      const feed = feeds[name]!;
      inputs[onnx] = new ort.Tensor(feed.dtype === 'int32' ? 'int32' : 'float32', feed.data as Float32Array | Int32Array, [...feed.shape]);
    }
    for (const { slot, onnx } of this.lowered.stateReads) inputs[onnx] = this.store.get(slot);
    const outputs = this.lowered.outputs.filter((o) => names.includes(o.name));
    // Outputs and updates alike are allocated by ORT, and each update becomes its slot's value. A buffer of
    // our own passed as a pre-allocated output is written by ORT and then copied once more by
    // onnxruntime-node into a new one it returns (16 MB: 5.8 against 4.0 ms), where an output ORT
    // allocates is handed over as it is: ResNet-18's step without the spares, interleaved, 2055-2078 ms
    // and 1201 MiB peak RSS against 2084-2124 ms and 1241-1274 MiB.
    const fetches = [...outputs.map((o) => o.onnx), ...this.lowered.updates.map((u) => u.onnx)];
    // Nothing asked and nothing to update (a feature batch timed for an estimate): ORT refuses an empty
    // list, and the program still runs, with every output.
    const results = fetches.length > 0 ? await this.session.run(inputs, fetches) : await this.session.run(inputs);
    for (const { slot, onnx } of this.lowered.updates) this.store.set(slot, results[onnx] as OrtTensor);
    const fetched: Fetches = {};
    for (const o of outputs) fetched[o.name] = toHost(results[o.onnx] as OrtTensor);
    return fetched;
  }

  async readState(names?: readonly string[]): Promise<StateDict> {
    this.#assertLive();
    const state: StateDict = {};
    for (const name of resolveStateNames(this.program, names)) {
      const host = toHost(this.store.get(name));
      state[name] = { ...host, data: host.data.slice() };
    }
    return state;
  }

  async writeState(state: StateDict): Promise<void> {
    this.#assertLive();
    checkStateDict(this.program, state);
    const ort = this.store.ort;
    for (const [name, t] of Object.entries(state)) {
      this.store.set(name, new ort.Tensor(t.dtype === 'int32' ? 'int32' : 'float32', t.data.slice() as Float32Array | Int32Array, [...t.shape]));
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    void this.session.release();
    this.store.detach();
  }

  #assertLive(): void {
    if (this.#disposed) throw new LtsslError(ERROR_CODES.executableMisuse, `program '${this.program.name}' was disposed on driver 'onnx'; compile it again`);
  }
}
