import {
  checkFeeds,
  checkStateDict,
  ERROR_CODES,
  LtsslError,
  resolveFetch,
  resolveStateNames,
  type Executable,
  type Feeds,
  type Fetches,
  type HostTensor,
  type Program,
  type StateDict,
} from '@ltssl/core';
import { dispose, keep, reshape, tensor, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { activate, type TfjsEngine } from './engines/engine.js';
import { convert } from './layout/convert.js';
import type { LayoutPlan, Step, ValueId } from './layout/layout-plan.js';
import { toHost } from './state-store.js';
import type { TfjsStateStore } from './state-store.js';

/** The steps one fetch list needs, and after which step each value is last used. */
interface Schedule {
  readonly steps: readonly Step[];
  /** release[i]: values no later step reads, disposed right after step i. */
  readonly release: readonly (readonly ValueId[])[];
}

function runStep(step: Step, inputs: readonly Tensor[], engine: TfjsEngine): Tensor {
  if (step.kind === 'convert') return convert(inputs[0]!, step.conversion);
  return step.kernel.run(inputs, step.attrs, step.type, engine.kernelContext);
}

/** A kernel whose output is not the shape the layout pass planned: a bug in its layout rule, never a user error. */
function misplanned(program: Program, step: Step, y: Tensor): Error {
  const what = step.kind === 'kernel' ? `kernel '${step.op}'` : 'a layout conversion';
  return new Error(`tfjs driver: ${what} at node ${step.node} of program '${program.name}' produced [${y.shape.join(', ')}], planned [${step.type.shape.join(', ')}]`);
}

/**
 * A Program run kernel by kernel on TensorFlow.js, every run inside one tidy
 * scope: feeds are uploaded, the planned steps run on physical (layout-pass)
 * tensors, each intermediate is disposed after its last use, and only the
 * fetched outputs and the state updates leave the scope. Updates commit after
 * the step, so every update reads pre-step values.
 */
export class TfjsExecutable implements Executable {
  readonly #schedules = new Map<string, Schedule>();
  /** Values computed once at compile time (constants and what depends only on them). */
  readonly #constants = new Map<ValueId, Tensor>();
  #disposed = false;

  constructor(
    readonly program: Program,
    readonly owner: object,
    readonly store: TfjsStateStore,
    readonly plan: LayoutPlan,
    readonly engine: TfjsEngine,
    readonly driverName: string,
  ) {
    tidy(() => {
      for (const step of plan.constantSteps) {
        const value = runStep(step, step.inputs.map((v) => this.#constants.get(v)!), engine);
        this.#constants.set(step.out, keep(value));
      }
    });
  }

  async run(feeds: Feeds, fetch?: readonly string[]): Promise<Fetches> {
    this.#assertLive();
    checkFeeds(this.program, feeds);
    const names = resolveFetch(this.program, fetch);
    await activate(this.engine);
    const outputs = this.plan.outputs.filter((o) => names.includes(o.name));
    const schedule = this.#schedule(names, outputs.map((o) => o.value));
    const { fetched, updates } = tidy(() => {
      const values: (Tensor | undefined)[] = new Array(this.plan.valueCount);
      const owned = new Uint8Array(this.plan.valueCount); // 1: created in this run, ours to dispose
      for (const [id, value] of this.#constants) values[id] = value;
      for (const { slot, value } of this.plan.stateReads) values[value] = this.store.get(slot);
      for (const { name, value } of this.plan.feeds) {
        const feed = feeds[name]!;
        values[value] = tensor(feed.data, [...feed.shape], feed.dtype === 'int32' ? 'int32' : 'float32');
        owned[value] = 1;
      }
      schedule.steps.forEach((step, i) => {
        const inputs = step.inputs.map((v) => values[v]!);
        let y = runStep(step, inputs, this.engine);
        if (y.shape.length !== step.type.shape.length || y.shape.some((d, k) => d !== step.type.shape[k])) throw misplanned(this.program, step, y);
        // A kernel that passes an input on (stopGradient, transpose) gets its own handle on the same data.
        if (inputs.includes(y)) y = reshape(y, y.shape);
        values[step.out] = y;
        owned[step.out] = 1;
        for (const v of schedule.release[i]!) {
          if (owned[v]) dispose(values[v]!);
          values[v] = undefined;
        }
      });
      // Handles that leave the scope: fresh ones, so disposing them never touches state or constants.
      return {
        fetched: outputs.map((o) => reshape(values[o.value]!, values[o.value]!.shape)),
        updates: this.plan.updates.map((u) => reshape(values[u.value]!, values[u.value]!.shape)),
      };
    });
    this.plan.updates.forEach((u, i) => this.store.set(u.slot, updates[i]!));
    const result: Fetches = {};
    try {
      for (const [i, o] of outputs.entries()) {
        const node = this.program.graph.node(this.program.outputs.find((p) => p.name === o.name)!.node);
        result[o.name] = await toHost(fetched[i]!, node.dtype, node.shape, node.shape.map((_, a) => a));
      }
    } finally {
      dispose(fetched);
    }
    return result;
  }

  async readState(names?: readonly string[]): Promise<StateDict> {
    this.#assertLive();
    const state: StateDict = {};
    for (const name of resolveStateNames(this.program, names)) state[name] = await this.store.read(name);
    return state;
  }

  async writeState(state: StateDict): Promise<void> {
    this.#assertLive();
    checkStateDict(this.program, state);
    await activate(this.engine);
    for (const [name, host] of Object.entries(state)) this.store.write(name, host as HostTensor);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    dispose([...this.#constants.values()]);
    this.#constants.clear();
    this.store.detach();
  }

  #assertLive(): void {
    if (this.#disposed) throw new LtsslError(ERROR_CODES.executableMisuse, `program '${this.program.name}' was disposed on driver '${this.driverName}'; compile it again`);
  }

  /** The steps these fetches and every update need, cached per fetch list. */
  #schedule(names: readonly string[], fetched: readonly ValueId[]): Schedule {
    const key = names.join('\u0000');
    let schedule = this.#schedules.get(key);
    if (schedule) return schedule;
    const roots = [...fetched, ...this.plan.updates.map((u) => u.value)];
    const needed = new Uint8Array(this.plan.valueCount);
    for (const v of roots) needed[v] = 1;
    const steps: Step[] = [];
    for (let i = this.plan.steps.length - 1; i >= 0; i--) {
      const step = this.plan.steps[i]!;
      if (!needed[step.out]) continue;
      steps.unshift(step);
      for (const v of step.inputs) needed[v] = 1;
    }
    const kept = new Set(roots);
    const lastUse = new Map<ValueId, number>();
    steps.forEach((step, i) => step.inputs.forEach((v) => lastUse.set(v, i)));
    const release: ValueId[][] = steps.map(() => []);
    for (const [v, i] of lastUse) if (!kept.has(v)) release[i]!.push(v);
    schedule = { steps, release };
    this.#schedules.set(key, schedule);
    return schedule;
  }
}
