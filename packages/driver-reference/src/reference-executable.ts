import {
  checkFeeds,
  checkStateDict,
  ERROR_CODES,
  liveNodes,
  LtsslError,
  resolveFetch,
  resolveStateNames,
  type Executable,
  type Feeds,
  type Fetches,
  type NodeId,
  type OpName,
  type Program,
  type StateDict,
  type AttrsOf,
} from '@ltssl/core';
import { KERNELS } from './kernels/registry.js';
import type { Kernel } from './kernels/kernel.js';
import { fromHost, roundToFloat32, toHost, type RefTensor } from './ref-tensor.js';
import type { StateStore } from './state-store.js';

export type Precision = 'float32' | 'float64';

/**
 * Interprets a Program node by node. Every run evaluates the live nodes of the
 * fetched outputs and the updates in graph order, then commits all updates at
 * once, so each update reads pre-step values.
 */
export class ReferenceExecutable implements Executable {
  readonly #plans = new Map<string, NodeId[]>();
  #disposed = false;

  constructor(
    readonly program: Program,
    readonly owner: object,
    readonly store: StateStore,
    readonly precision: Precision,
  ) {}

  async run(feeds: Feeds, fetch?: readonly string[]): Promise<Fetches> {
    this.#assertLive();
    checkFeeds(this.program, feeds);
    const names = resolveFetch(this.program, fetch);
    const outputs = names.map((name) => this.program.outputs.find((o) => o.name === name)!);
    const values = this.#evaluate(feeds, this.#plan(names, outputs.map((o) => o.node)));
    const fetches: Fetches = {};
    for (const output of outputs) fetches[output.name] = toHost(values[output.node]!);
    for (const update of this.program.updates) this.store.set(update.slot, values[update.node]!);
    return fetches;
  }

  async readState(names?: readonly string[]): Promise<StateDict> {
    this.#assertLive();
    const state: StateDict = {};
    for (const name of resolveStateNames(this.program, names)) state[name] = toHost(this.store.get(name));
    return state;
  }

  async writeState(state: StateDict): Promise<void> {
    this.#assertLive();
    checkStateDict(this.program, state);
    for (const [name, tensor] of Object.entries(state)) this.store.set(name, fromHost(tensor));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.store.detach();
  }

  #assertLive(): void {
    if (this.#disposed) throw new LtsslError(ERROR_CODES.executableMisuse, `program '${this.program.name}' was disposed on driver 'reference'; compile it again`);
  }

  /** The nodes to evaluate for these fetches, cached per fetch list. */
  #plan(names: readonly string[], fetched: readonly NodeId[]): NodeId[] {
    const key = names.join('\u0000');
    let plan = this.#plans.get(key);
    if (!plan) {
      plan = liveNodes(this.program.graph, [...fetched, ...this.program.updates.map((u) => u.node)]);
      this.#plans.set(key, plan);
    }
    return plan;
  }

  #evaluate(feeds: Feeds, plan: readonly NodeId[]): RefTensor[] {
    const values: RefTensor[] = [];
    for (const id of plan) {
      const node = this.program.graph.node(id);
      if (node.kind === 'input') values[id] = fromHost(feeds[node.name]!);
      else if (node.kind === 'state') values[id] = this.store.get(node.name);
      else {
        const kernel = KERNELS[node.op] as Kernel<OpName>;
        const value = kernel(node.inputs.map((i) => values[i]!), node.attrs as AttrsOf<OpName>, node);
        if (this.precision === 'float32' && value.dtype === 'float32') roundToFloat32(value);
        values[id] = value;
      }
    }
    return values;
  }
}
