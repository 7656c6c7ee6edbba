import {
  checkFeeds,
  checkStateDict,
  ERROR_CODES,
  LtsslError,
  resolveFetch,
  resolveStateNames,
  sizeOf,
  type Executable,
  type Feeds,
  type Fetches,
  type NodeId,
  type Program,
  type StateDict,
} from '@ltssl/core';
import { PARAM_STRIDE_BYTES, PARAM_WORDS } from './gpu/gpu-constants.js';
import type { GpuContext } from './gpu/gpu-context.js';
import type { DeviceLedger } from './gpu/device-ledger.js';
import { mapAll, readMapped, upload } from './gpu/host-transfer.js';
import type { KernelPlan } from './kernels/kernel.js';
import { planStep, type StepPlan } from './plan/step-plan.js';
import type { Unit } from './plan/units.js';
import { bufferBytes, type Storage } from './plan/storage.js';
import type { WebGpuStateStore } from './webgpu-state.js';

/** A step plan with its GPU objects: pipelines, one uniform buffer of every dispatch's parameters, bind groups. */
interface BuiltPlan {
  readonly plan: StepPlan;
  readonly pipelines: readonly GPUComputePipeline[];
  readonly uniforms: GPUBuffer;
  bindGroups: GPUBindGroup[];
  /** The pool generation the bind groups were made for. */
  poolVersion: number;
}

/** One dispatch of a profiled step: its kernel, the node it is named by, and its GPU time. */
export interface KernelTime {
  readonly kernel: string;
  readonly node: NodeId;
  readonly label?: string;
  readonly ns: number;
}

/** Runs one job at a time on a driver's device: runs share pool buffers and state. */
export type Exclusive = <T>(job: () => Promise<T>) => Promise<T>;

/**
 * A Program compiled for one WebGPU device. Buffers are allocated once: feeds
 * and constants per executable, intermediate values in a pool whose slots are
 * reused by lifetime (shared by every fetch set's plan), state in the shared
 * store. A run uploads the feeds, records every dispatch into one command
 * encoder with one compute pass, copies the fetched outputs to staging buffers
 * and commits the updates by copies after the step, submits once and maps
 * only what was fetched.
 */
export class WebGpuExecutable implements Executable {
  readonly #plans = new Map<string, BuiltPlan>();
  readonly #staging = new Map<string, GPUBuffer>();
  readonly #pool: GPUBuffer[] = [];
  #poolVersion = 0;
  #disposed = false;

  constructor(
    readonly program: Program,
    readonly owner: object,
    readonly driverName: string,
    readonly store: WebGpuStateStore,
    /** The program's kernels and fused groups, in execution order. */
    readonly units: readonly Unit[],
    readonly pipelines: ReadonlyMap<string, GPUComputePipeline>,
    readonly ctx: GpuContext,
    readonly exclusive: Exclusive,
    readonly feeds: ReadonlyMap<string, GPUBuffer>,
    readonly constants: ReadonlyMap<NodeId, GPUBuffer>,
  ) {}

  /** Bytes of pool memory this executable holds (intermediate values, reused by lifetime). */
  get poolBytes(): number {
    return this.#pool.reduce((sum, b) => sum + b.size, 0);
  }

  async run(feeds: Feeds, fetch?: readonly string[]): Promise<Fetches> {
    this.#assertLive();
    checkFeeds(this.program, feeds);
    const names = resolveFetch(this.program, fetch);
    return this.exclusive(() => this.ctx.scoped(`program '${this.program.name}'`, async () => (await this.#step(feeds, names, false)).fetched));
  }

  /**
   * One run (the same step as run(), state updates included) with every
   * dispatch in its own compute pass timed by GPU timestamps: what each kernel
   * of the step costs on the device. Needs a driver made with `profiling: true`
   * on an adapter with 'timestamp-query'.
   */
  async profile(feeds: Feeds, fetch?: readonly string[]): Promise<{ fetched: Fetches; kernels: KernelTime[] }> {
    this.#assertLive();
    if (!this.ctx.timestamps) {
      throw new LtsslError(ERROR_CODES.executableMisuse, `driver '${this.driverName}': profile() needs GPU timestamps: create the driver with profiling: true on an adapter with 'timestamp-query' (this one: ${this.ctx.device.features.has('timestamp-query') ? 'has it, not requested' : 'has none'})`);
    }
    checkFeeds(this.program, feeds);
    const names = resolveFetch(this.program, fetch);
    return this.exclusive(() => this.ctx.scoped(`profiling program '${this.program.name}'`, () => this.#step(feeds, names, true)));
  }

  /** Uploads the feeds, records the step into one command buffer (one pass, or one per dispatch when timed), submits, reads back. */
  async #step(feeds: Feeds, names: readonly string[], timed: boolean): Promise<{ fetched: Fetches; kernels: KernelTime[] }> {
    const built = await this.prepare(names);
    const { device, ledger } = this.ctx;
    for (const name of built.plan.feeds) upload(device, this.feeds.get(name)!, feeds[name]!.data as Float32Array | Int32Array);
    const encoder = device.createCommandEncoder({ label: `program ${this.program.name}` });
    const count = built.plan.dispatches.length;
    const querySet = timed && count > 0 ? device.createQuerySet({ type: 'timestamp', count: 2 * count }) : undefined;
    const record = (pass: GPUComputePassEncoder, i: number): void => {
      pass.setPipeline(built.pipelines[i]!);
      pass.setBindGroup(0, built.bindGroups[i]!);
      pass.dispatchWorkgroups(...(built.plan.dispatches[i]!.dispatch.workgroups as [number, number, number]));
    };
    if (querySet) {
      for (let i = 0; i < count; i++) {
        const pass = encoder.beginComputePass({ label: `program ${this.program.name}`, timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
        record(pass, i);
        pass.end();
      }
    } else {
      const pass = encoder.beginComputePass({ label: `program ${this.program.name}` });
      for (let i = 0; i < count; i++) record(pass, i);
      pass.end();
    }
    const staging = built.plan.outputs.map((o) => {
      const buffer = this.#stagingFor(o.name, o.bytes);
      encoder.copyBufferToBuffer(this.#resolve(o.from), 0, buffer, 0, o.bytes);
      return buffer;
    });
    for (const s of built.plan.staged) encoder.copyBufferToBuffer(this.#resolve(s.from), 0, this.#pool[s.slot]!, 0, s.bytes);
    for (const c of built.plan.commits) encoder.copyBufferToBuffer(this.#resolve(c.from), 0, this.store.get(c.slot).buffer, 0, c.bytes);
    const times = querySet ? { resolved: ledger.createBuffer('query resolve', 16 * count, 'timestamps'), read: ledger.createBuffer('read staging', 16 * count, 'timestamps read') } : undefined;
    if (querySet && times) {
      encoder.resolveQuerySet(querySet, 0, 2 * count, times.resolved, 0);
      encoder.copyBufferToBuffer(times.resolved, 0, times.read, 0, 16 * count);
    }
    device.queue.submit([encoder.finish()]);
    try {
      await mapAll(times ? [...staging, times.read] : staging);
      const fetched: Fetches = {};
      built.plan.outputs.forEach((o, i) => {
        const node = this.program.graph.node(this.program.outputs.find((out) => out.name === o.name)!.node);
        fetched[o.name] = readMapped(staging[i]!, node.dtype, node.shape);
        staging[i]!.unmap();
      });
      const kernels: KernelTime[] = [];
      if (times) {
        const stamps = new BigUint64Array(times.read.getMappedRange(0, 16 * count));
        built.plan.dispatches.forEach((d, i) => {
          const node = this.program.graph.node(d.node);
          kernels.push({ kernel: d.dispatch.kernel, node: d.node, ...(node.kind === 'op' && node.label ? { label: node.label } : {}), ns: Number(stamps[2 * i + 1]! - stamps[2 * i]!) });
        });
        times.read.unmap();
      }
      return { fetched, kernels };
    } finally {
      if (times) {
        ledger.destroyBuffer(times.resolved);
        ledger.destroyBuffer(times.read);
      }
      querySet?.destroy();
    }
  }

  async readState(names?: readonly string[]): Promise<StateDict> {
    this.#assertLive();
    const slots = resolveStateNames(this.program, names);
    return this.exclusive(() =>
      this.ctx.scoped(`reading the state of program '${this.program.name}'`, async () => {
        const { device } = this.ctx;
        const encoder = device.createCommandEncoder();
        const copies = slots.map((name) => {
          const slot = this.store.get(name);
          const bytes = bufferBytes(sizeOf(slot.shape));
          const staging = this.ctx.ledger.createBuffer('read staging', bytes, `read state ${name}`);
          encoder.copyBufferToBuffer(slot.buffer, 0, staging, 0, bytes);
          return { name, slot, staging };
        });
        device.queue.submit([encoder.finish()]);
        try {
          await mapAll(copies.map((c) => c.staging));
          const state: StateDict = {};
          for (const c of copies) state[c.name] = readMapped(c.staging, c.slot.dtype, c.slot.shape);
          return state;
        } finally {
          for (const c of copies) this.ctx.ledger.destroyBuffer(c.staging);
        }
      }),
    );
  }

  async writeState(state: StateDict): Promise<void> {
    this.#assertLive();
    checkStateDict(this.program, state);
    await this.exclusive(() =>
      this.ctx.scoped(`writing the state of program '${this.program.name}'`, async () => {
        for (const [name, tensor] of Object.entries(state)) upload(this.ctx.device, this.store.get(name).buffer, tensor.data as Float32Array | Int32Array);
      }),
    );
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const { ledger } = this.ctx;
    for (const built of this.#plans.values()) {
      ledger.destroyBuffer(built.uniforms);
      ledger.releaseBindGroups(built.bindGroups.length);
    }
    for (const buffer of [...this.#pool, ...this.#staging.values(), ...this.feeds.values(), ...this.constants.values()]) ledger.destroyBuffer(buffer);
    this.store.detach();
  }

  /**
   * The plan of a fetch set, built on first use: pool slots grown to fit it
   * (which invalidates other plans' bind groups, rebuilt when they next run),
   * pipelines, parameters and bind groups. Called by the driver at compile
   * time with every output, so binding errors surface there.
   */
  async prepare(names: readonly string[]): Promise<BuiltPlan> {
    const key = [...names].sort().join('\u0000');
    let built = this.#plans.get(key);
    if (!built) {
      const plan = planStep(this.program, this.units, names);
      this.#checkBindingSizes(plan);
      const words = new Uint32Array(Math.max(1, plan.dispatches.length) * (PARAM_STRIDE_BYTES / 4));
      plan.dispatches.forEach((d, i) => d.dispatch.params.forEach((v, j) => (words[i * (PARAM_STRIDE_BYTES / 4) + j] = v >>> 0)));
      const uniforms = this.ctx.ledger.createBuffer('uniform', words.byteLength, `parameters of program ${this.program.name}`);
      upload(this.ctx.device, uniforms, new Int32Array(words.buffer));
      const pipelines = plan.dispatches.map((d) => this.pipelines.get(`${d.dispatch.access.join(',')}\n${d.dispatch.shader}`)!);
      built = { plan, pipelines, uniforms, bindGroups: [], poolVersion: -1 };
      this.#plans.set(key, built);
      this.#growPool(plan.slotBytes);
    }
    if (built.poolVersion !== this.#poolVersion) {
      this.ctx.ledger.releaseBindGroups(built.bindGroups.length);
      built.bindGroups = this.#bindGroups(built);
      built.poolVersion = this.#poolVersion;
    }
    return built;
  }

  #growPool(sizes: readonly number[]): void {
    sizes.forEach((bytes, slot) => {
      const current = this.#pool[slot];
      if (current && current.size >= bytes) return;
      if (current) this.ctx.ledger.destroyBuffer(current);
      this.#pool[slot] = this.ctx.ledger.createBuffer('pool', bytes, `pool slot ${slot} of program ${this.program.name}`);
      this.#poolVersion++;
    });
  }

  #bindGroups(built: BuiltPlan): GPUBindGroup[] {
    return built.plan.dispatches.map((d, i) => {
      const node = this.program.graph.node(d.node);
      const where = node.kind === 'op' && node.label ? ` at '${node.label}'` : '';
      return this.ctx.ledger.createBindGroup({
        label: `kernel ${d.dispatch.kernel}, node ${d.node}${where}, program ${this.program.name}`,
        layout: this.ctx.layout(d.dispatch.access).bindGroup,
        entries: [
          { binding: 0, resource: { buffer: built.uniforms, offset: i * PARAM_STRIDE_BYTES, size: PARAM_WORDS * 4 } },
          ...d.buffers.map((s, b) => ({ binding: b + 1, resource: { buffer: this.#resolve(s), offset: 0, size: d.bindingBytes[b]! } })),
        ],
      });
    });
  }

  #checkBindingSizes(plan: StepPlan): void {
    const limit = this.ctx.device.limits.maxStorageBufferBindingSize;
    for (const d of plan.dispatches) {
      const largest = Math.max(...d.bindingBytes);
      if (largest > limit) {
        throw new LtsslError(
          ERROR_CODES.programInvalid,
          `driver '${this.driverName}': kernel '${d.dispatch.kernel}' at node ${d.node} of program '${this.program.name}' binds ${largest} bytes, more than this adapter's maxStorageBufferBindingSize ${limit}; use a smaller batch`,
        );
      }
    }
  }

  #resolve(s: Storage): GPUBuffer {
    switch (s.kind) {
      case 'feed':
        return this.feeds.get(s.name)!;
      case 'state':
        return this.store.get(s.name).buffer;
      case 'constant':
        return this.constants.get(s.node)!;
      case 'pool':
        return this.#pool[s.slot]!;
    }
  }

  #stagingFor(name: string, bytes: number): GPUBuffer {
    let buffer = this.#staging.get(name);
    if (!buffer) {
      buffer = this.ctx.ledger.createBuffer('fetch staging', bytes, `fetch ${name} of program ${this.program.name}`);
      this.#staging.set(name, buffer);
    }
    return buffer;
  }

  #assertLive(): void {
    if (this.#disposed) throw new LtsslError(ERROR_CODES.executableMisuse, `program '${this.program.name}' was disposed on driver '${this.driverName}'; compile it again`);
  }
}

/** Creates the per-executable buffers: one per feed, and the constants, written once. */
export function createFeedAndConstantBuffers(ledger: DeviceLedger, program: Program, kernels: ReadonlyMap<NodeId, KernelPlan>): { feeds: Map<string, GPUBuffer>; constants: Map<NodeId, GPUBuffer> } {
  const feeds = new Map<string, GPUBuffer>();
  for (const input of program.inputs) feeds.set(input.name, ledger.createBuffer('feed', bufferBytes(sizeOf(input.shape)), `feed ${input.name} of program ${program.name}`));
  const constants = new Map<NodeId, GPUBuffer>();
  for (const [id, plan] of kernels) {
    if (plan.kind !== 'constant') continue;
    const buffer = ledger.createBuffer('constant', bufferBytes(plan.data.length), `constant node ${id} of program ${program.name}`);
    upload(ledger.device, buffer, plan.data);
    constants.set(id, buffer);
  }
  return { feeds, constants };
}
