import { availableParallelism } from 'node:os';
import {
  driverUnavailable,
  ERROR_CODES,
  LtsslError,
  validateProgram,
  type CompileOptions,
  type DeviceInfo,
  type Driver,
  type Executable,
  type Program,
} from '@ltssl/core';
import { lowerProgram, OPSET } from './lower/lower-program.js';
import { loweringProfile, type LoweringTable } from './lower/profiles.js';
import { nchwcBlockSize } from './nchwc-block.js';
import { OnnxExecutable } from './onnx-executable.js';
import { OnnxStateStore } from './onnx-state.js';
import { loadOrt, type Ort } from './ort-loader.js';
import { probeModel } from './probe-model.js';
import { probeProviderInChild, type ProbeResult } from './probe-provider.js';
import { PROVIDERS, type ProviderName } from './providers.js';
import { identifyWebGpuAdapter } from './webgpu-adapter.js';

/**
 * Intra-op threads for the CPU provider: one per available core. Measured on
 * the 2-core build machine (tools/bench, docs/drivers/onnx.md): with the
 * machine otherwise idle, 2 threads ran the small CNN step 1.45x and the
 * ResNet-18 step 1.77x faster than 1; with other processes busy on the cores,
 * 1 thread was faster. Override with `intraOpThreads` or LTSSL_ONNX_THREADS.
 */
export const DEFAULT_CPU_THREADS = availableParallelism();

/**
 * ORT's intra-op threads spin between ops by default, which starves every
 * other process on the cores, and itself when anything else runs there. A
 * whole quick-preset cell on the 2-core build machine under load (load average
 * 2-26, tools/bench/cell.mjs, docs/performance.md): SimCLR 267 s spinning
 * against 159 s not, supervised 202 s against 84 s.
 */
export const DEFAULT_CPU_SPINNING = false;

export interface OnnxDriverOptions {
  readonly provider?: ProviderName;
  readonly intraOpThreads?: number;
  /**
   * Whether the CPU provider's intra-op threads spin while waiting for work
   * (ORT's 'session.intra_op.allow_spinning'). Default off (DEFAULT_CPU_SPINNING);
   * override with LTSSL_ONNX_SPINNING=0 or 1.
   */
  readonly intraOpSpinning?: boolean;
  /**
   * Whether the CPU provider's convolutions run on ORT's NCHWc kernels where the
   * machine has them (lowerings/cpu/nchwc-conv.ts). Default on; override with
   * LTSSL_ONNX_NCHWC=0 or 1.
   */
  readonly nchwc?: boolean;
}

async function probeInProcess(ort: Ort): Promise<ProbeResult> {
  try {
    const session = await ort.InferenceSession.create(probeModel(), { executionProviders: ['cpu'] });
    await session.release();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/** A 0/1 switch from the environment, or undefined where it is unset. */
function switchFromEnv(name: 'LTSSL_ONNX_SPINNING' | 'LTSSL_ONNX_NCHWC'): boolean | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw !== '0' && raw !== '1') throw new LtsslError(ERROR_CODES.driverSelection, `${name} must be 0 or 1, got '${raw}'`);
  return raw === '1';
}

function threadsFromEnv(): number | undefined {
  const raw = process.env['LTSSL_ONNX_THREADS'];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new LtsslError(ERROR_CODES.driverSelection, `LTSSL_ONNX_THREADS must be a positive integer, got '${raw}'`);
  return n;
}

/**
 * ONNX Runtime through onnxruntime-node. It has no training API, so this
 * driver is the training runtime: compile() lowers the whole step (forward,
 * backward, optimizer, state updates) to one ONNX model run as one session.
 */
export class OnnxDriver implements Driver {
  readonly name: string;
  readonly provider: ProviderName;
  readonly #threads: number | undefined;
  readonly #spinning: boolean | undefined;
  readonly #nchwc: boolean | undefined;
  #ort: Ort | undefined;
  #lowerings: LoweringTable | undefined;

  constructor(options: OnnxDriverOptions = {}) {
    this.provider = options.provider ?? 'cpu';
    this.name = PROVIDERS[this.provider].backend;
    this.#threads = options.intraOpThreads;
    this.#spinning = options.intraOpSpinning;
    this.#nchwc = options.nchwc;
  }

  get intraOpThreads(): number {
    return this.#threads ?? threadsFromEnv() ?? DEFAULT_CPU_THREADS;
  }

  /** Whether idle intra-op threads spin between ops. */
  get intraOpSpinning(): boolean {
    return this.#spinning ?? switchFromEnv('LTSSL_ONNX_SPINNING') ?? DEFAULT_CPU_SPINNING;
  }

  async init(): Promise<DeviceInfo> {
    const ort = await loadOrt(this.name);
    const provider = PROVIDERS[this.provider];
    // Creating a session is the only reliable probe: a provider library may be
    // listed and still fail to load, or load and find no device. GPU providers
    // are probed in a child process (see probe-provider.ts).
    const probe = this.provider === 'cpu' ? await probeInProcess(ort) : await probeProviderInChild(this.provider);
    if (!probe.ok) throw driverUnavailable(this.name, `the ${this.provider} execution provider does not start (${probe.reason.replace(/^.*?: /, '')}); ${provider.remedy}`);
    // The WebGPU provider runs on whatever Vulkan adapter Dawn picks, Mesa's lavapipe
    // included: say which kind it is, so a software rasterizer is named as one.
    const adapter = this.provider === 'webgpu' ? await identifyWebGpuAdapter() : undefined;
    this.#ort = ort;
    const nchwcBlock = this.provider === 'cpu' && (this.#nchwc ?? switchFromEnv('LTSSL_ONNX_NCHWC') ?? true) ? await nchwcBlockSize(ort) : undefined;
    this.#lowerings = loweringProfile(this.provider, { ...(nchwcBlock ? { nchwcBlock } : {}) });
    const threads = this.provider === 'cpu' ? `, ${this.intraOpThreads} intra-op thread${this.intraOpThreads === 1 ? '' : 's'}` : '';
    const where = adapter?.description ?? (provider.kind === 'cpu' ? 'CPU' : 'GPU');
    return {
      driver: this.name,
      device: `${where}, ONNX Runtime ${ort.env.versions.node ?? ''} ${this.provider} execution provider${threads}${nchwcBlock ? `, NCHWc kernels (block ${nchwcBlock})` : ''}`,
      kind: adapter?.software ? 'cpu' : provider.kind,
      ...(adapter ? { software: adapter.software } : {}),
      dtypes: ['float32', 'int32'],
      details: {
        provider: this.provider,
        opset: String(OPSET),
        status: provider.status,
        ...(this.provider === 'cpu' ? { intraOpThreads: String(this.intraOpThreads), intraOpSpinning: String(this.intraOpSpinning), nchwcBlock: nchwcBlock ? String(nchwcBlock) : 'off' } : {}),
        ...(adapter ? { software: String(adapter.software) } : {}),
      },
    };
  }

  async compile(program: Program, options: CompileOptions = {}): Promise<Executable> {
    const ort = this.#ort;
    const lowerings = this.#lowerings;
    if (!ort || !lowerings) throw new LtsslError(ERROR_CODES.executableMisuse, `driver '${this.name}' is not initialised: call init() before compile()`);
    validateProgram(program);
    const lowered = lowerProgram(program, { lowerings });
    const store = this.#storeFor(options.shareState, ort);
    let session;
    try {
      session = await ort.InferenceSession.create(lowered.model, this.#sessionOptions());
    } catch (error) {
      throw new LtsslError(ERROR_CODES.programInvalid, `driver '${this.name}': ONNX Runtime rejected the model of program '${program.name}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    store.attach(program);
    return new OnnxExecutable(program, this, store, lowered, session, this.provider);
  }

  async dispose(): Promise<void> {
    this.#ort = undefined;
  }

  #sessionOptions(): Parameters<Ort['InferenceSession']['create']>[1] {
    return {
      executionProviders: [this.provider],
      graphOptimizationLevel: 'all',
      // ORT's memory pattern plans one block for all of a run's intermediates from the first run. A training
      // step keeps many large ones alive, and without the pattern the arena reuses freed blocks instead:
      // ResNet-18 at batch 128, 2 threads, interleaved runs, 2282-2575 ms and 1.4 GiB peak RSS a step
      // without it against 3084-3350 ms and 2.4 GiB with it; the small CNN's time is unchanged (37 ms).
      enableMemPattern: false,
      ...(this.provider === 'cpu' ? { intraOpNumThreads: this.intraOpThreads, interOpNumThreads: 1, executionMode: 'sequential' as const } : {}),
      ...(this.provider === 'cpu' ? { extra: { session: { intra_op: { allow_spinning: this.intraOpSpinning ? '1' : '0' } } } } : {}),
    };
  }

  #storeFor(shared: Executable | undefined, ort: Ort): OnnxStateStore {
    if (shared === undefined) return new OnnxStateStore(ort);
    if (!(shared instanceof OnnxExecutable) || shared.owner !== this) {
      throw new LtsslError(ERROR_CODES.executableMisuse, `shareState needs an executable compiled by this same '${this.name}' driver instance`);
    }
    return shared.store;
  }
}
