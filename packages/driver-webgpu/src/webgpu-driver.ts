import {
  driverUnavailable,
  ERROR_CODES,
  formatShape,
  LtsslError,
  OP_NAMES,
  validateProgram,
  type CompileOptions,
  type DeviceInfo,
  type Driver,
  type Executable,
  type NodeId,
  type OpName,
  type Program,
  type TensorType,
} from '@ltssl/core';
import { DEFAULT_BACKENDS, isDawnBackend, type DawnBackend } from './adapter/backends.js';
import { chooseAdapter, type AdapterPolicy, type WorkingProbe } from './adapter/choose-adapter.js';
import { probeBackends } from './adapter/probe-adapters.js';
import { describeAdapter } from './adapter/software.js';
import { GpuContext } from './gpu/gpu-context.js';
import { openDevice } from './gpu/open-device.js';
import type { ConvTileTable } from './kernels/conv-tiles.js';
import type { Kernel, KernelPlan } from './kernels/kernel.js';
import { KERNELS } from './kernels/registry.js';
import { planFusion } from './plan/fusion-plan.js';
import { buildUnits } from './plan/units.js';
import { ADAPTER_STATUS } from './status.js';
import { createFeedAndConstantBuffers, WebGpuExecutable } from './webgpu-executable.js';
import { WebGpuStateStore } from './webgpu-state.js';

export interface WebGpuDriverOptions {
  /** The --backend name (default 'webgpu'). */
  readonly name?: string;
  /** 'any' (default): a hardware adapter when present, else a software rasterizer; 'hardware': never a software one. */
  readonly adapters?: AdapterPolicy;
  /** Dawn backends to try, in order (default: LTSSL_WEBGPU_BACKENDS, comma-separated, or vulkan,opengl). */
  readonly backends?: readonly DawnBackend[];
  /** Fuse chains of element-wise ops into one kernel each (default true; false runs one kernel per op, for comparisons). */
  readonly fusion?: boolean;
  /** The convolutions' tiles by layer shape (default: the committed CONV_TILE_TABLE); the tuning run passes candidates. */
  readonly convTiles?: ConvTileTable;
  /** Open the device with 'timestamp-query' when the adapter has it, for WebGpuExecutable.profile(). */
  readonly profiling?: boolean;
}

function backendsFromEnv(): DawnBackend[] | undefined {
  const raw = process.env['LTSSL_WEBGPU_BACKENDS'];
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = raw.split(',').map((s) => s.trim());
  const bad = names.filter((n) => !isDawnBackend(n));
  if (bad.length > 0) throw new LtsslError(ERROR_CODES.driverSelection, `LTSSL_WEBGPU_BACKENDS: unknown Dawn backend ${bad.map((b) => `'${b}'`).join(', ')}; use a comma-separated list of ${DEFAULT_BACKENDS.join(', ')}`);
  return names as DawnBackend[];
}

interface Started {
  readonly choice: WorkingProbe;
  /** The device, opened on the first compile (see init). */
  opening?: Promise<GpuContext>;
  ctx?: GpuContext;
}

/**
 * WebGPU through Dawn (npm `webgpu`). init() probes the adapters in a child
 * process, picks one (a GPU first), opens it here; compile() plans a Program
 * into WGSL dispatches, one kernel per primitive op, with buffers allocated
 * once; a run records the whole step into one command encoder.
 */
export class WebGpuDriver implements Driver {
  readonly name: string;
  readonly policy: AdapterPolicy;
  readonly #backends: readonly DawnBackend[] | undefined;
  readonly fusion: boolean;
  /** The tile table compile() plans convolutions with; the tuning run swaps it between compiles. */
  convTiles: ConvTileTable | undefined;
  readonly profiling: boolean;
  #started: Started | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: WebGpuDriverOptions = {}) {
    this.name = options.name ?? 'webgpu';
    this.policy = options.adapters ?? 'any';
    this.#backends = options.backends;
    this.fusion = options.fusion ?? true;
    this.convTiles = options.convTiles;
    this.profiling = options.profiling ?? false;
  }

  async init(): Promise<DeviceInfo> {
    const backends = this.#backends ?? backendsFromEnv() ?? DEFAULT_BACKENDS;
    const found = chooseAdapter(await probeBackends(backends), this.policy);
    if ('reason' in found) throw driverUnavailable(this.name, found.reason);
    const { choice } = found;
    // The child-process probe already opened a device on this adapter with the kernels' limits
    // and ran a dispatch; the device here opens on the first compile, so listing drivers
    // ('ltssl drivers') never lets Dawn's native warnings reach this process's stderr.
    this.#started = { choice };
    const a = choice.adapter;
    const mode = choice.backend === 'opengl' ? ', compatibility mode' : '';
    return {
      driver: this.name,
      device: `${choice.software ? 'software rasterizer on the CPU' : 'GPU'} ${describeAdapter(a)}, Dawn ${choice.backend} backend${mode}`,
      kind: choice.software ? 'cpu' : 'gpu',
      software: choice.software,
      dtypes: ['float32', 'int32'],
      details: {
        backend: choice.backend,
        featureLevel: choice.backend === 'opengl' ? 'compatibility' : 'core',
        vendor: a.vendor,
        architecture: a.architecture,
        adapter: a.device,
        description: a.description,
        software: String(choice.software),
        status: choice.software ? ADAPTER_STATUS.software : ADAPTER_STATUS.hardware,
        ...(choice.backend === 'opengl' ? { eglPlatform: process.env['EGL_PLATFORM'] ?? '' } : {}),
        ops: String(OP_NAMES.length),
      },
    };
  }

  async compile(program: Program, options: CompileOptions = {}): Promise<Executable> {
    const started = this.#started;
    if (!started) throw new LtsslError(ERROR_CODES.executableMisuse, `driver '${this.name}' is not initialised: call init() before compile()`);
    started.opening ??= openDevice(started.choice, { timestamps: this.profiling }).then((opened) => (started.ctx = new GpuContext(this.name, opened.device, opened.timestamps)));
    const ctx = await started.opening;
    ctx.assertUsable(`compiling program '${program.name}'`);
    validateProgram(program);
    const kernels = this.#planKernels(program);
    const groups = this.fusion ? planFusion(program, kernels, { maxStorageBuffers: ctx.device.limits.maxStorageBuffersPerShaderStage }) : [];
    const units = buildUnits(program, kernels, groups);
    const pipelines = new Map<string, GPUComputePipeline>();
    await Promise.all(
      units.flatMap(({ work: plan }) =>
        plan.kind !== 'dispatch'
          ? []
          : plan.dispatches.map(async (d) => {
              pipelines.set(`${d.access.join(',')}\n${d.shader}`, await ctx.pipeline(d.kernel, d.shader, d.access));
            }),
      ),
    );
    const store = this.#storeFor(options.shareState, ctx);
    return this.exclusive(() =>
      ctx.scoped(`compiling program '${program.name}'`, async () => {
        store.attach(program);
        const { feeds, constants } = createFeedAndConstantBuffers(ctx.ledger, program, kernels);
        const executable = new WebGpuExecutable(program, this, this.name, store, units, pipelines, ctx, this.exclusive, feeds, constants);
        try {
          await executable.prepare(program.outputs.map((o) => o.name));
        } catch (error) {
          executable.dispose();
          throw error;
        }
        return executable;
      }),
    );
  }

  async dispose(): Promise<void> {
    const started = this.#started;
    this.#started = undefined;
    if (!started) return;
    await this.#queue.catch(() => undefined);
    started.ctx?.device.destroy();
  }

  /** The adapter this driver runs on (after init). */
  get adapter(): WorkingProbe | undefined {
    return this.#started?.choice;
  }

  /** The GPU context (after init): tests read its pipeline count. */
  get context(): GpuContext | undefined {
    return this.#started?.ctx;
  }

  /** Runs device jobs (runs, state reads and writes) one at a time, in call order. */
  readonly exclusive = <T>(job: () => Promise<T>): Promise<T> => {
    const next = this.#queue.then(job, job);
    this.#queue = next.catch(() => undefined);
    return next;
  };

  /** Each live op's kernel plan; float64 and unknown ops are refused here, naming the node. */
  #planKernels(program: Program): Map<NodeId, KernelPlan> {
    const plans = new Map<NodeId, KernelPlan>();
    for (const node of program.graph.nodes) {
      if (node.dtype === 'float64') {
        throw new LtsslError(
          ERROR_CODES.dtypeUnsupported,
          `driver '${this.name}' does not compute in float64 (WGSL has no 64-bit floats): node ${node.id} of program '${program.name}' (${node.kind === 'op' ? node.op : node.name}) is float64${formatShape(node.shape)}; use float32`,
        );
      }
      if (node.kind !== 'op') continue;
      if (!Object.hasOwn(KERNELS, node.op)) throw new LtsslError(ERROR_CODES.opNotImplemented, `Op '${node.op}' not implemented by driver '${this.name}'`);
      const kernel = KERNELS[node.op] as unknown as Kernel<OpName>;
      const inputs: TensorType[] = node.inputs.map((id) => {
        const input = program.graph.node(id);
        return { dtype: input.dtype, shape: input.shape };
      });
      plans.set(node.id, kernel({ node: node as never, inputs, output: { dtype: node.dtype, shape: node.shape }, ...(this.convTiles ? { convTiles: this.convTiles } : {}) }));
    }
    return plans;
  }

  #storeFor(shared: Executable | undefined, ctx: GpuContext): WebGpuStateStore {
    if (shared === undefined) return new WebGpuStateStore(ctx.ledger);
    if (!(shared instanceof WebGpuExecutable) || shared.owner !== this) {
      throw new LtsslError(ERROR_CODES.executableMisuse, `shareState needs an executable compiled by this same '${this.name}' driver instance`);
    }
    return shared.store;
  }
}
