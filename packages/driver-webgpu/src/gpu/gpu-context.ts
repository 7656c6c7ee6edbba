import { ERROR_CODES, LtsslError } from '@ltssl/core';
import { DeviceLedger, type LiveObjects } from './device-ledger.js';
import { SHADER_STAGE_COMPUTE } from './gpu-constants.js';

/** How a kernel uses each storage buffer it binds, in binding order (after the uniform at binding 0). */
export type StorageAccess = 'read' | 'write';

interface Layout {
  readonly bindGroup: GPUBindGroupLayout;
  readonly pipeline: GPUPipelineLayout;
}

/**
 * One WebGPU device and what lives as long as it: compiled pipelines cached by
 * shader text (shapes are uniforms, so each kernel variant compiles once per
 * driver), bind group layouts, and the device's fate (lost, or an error that
 * escaped every error scope), which every later call reports.
 */
export class GpuContext {
  readonly #pipelines = new Map<string, Promise<GPUComputePipeline>>();
  readonly #layouts = new Map<string, Layout>();
  #lost: string | undefined;
  #uncaptured: string | undefined;
  /** Every buffer and bind group the driver holds on this device. */
  readonly ledger: DeviceLedger;

  constructor(
    readonly driverName: string,
    readonly device: GPUDevice,
    /** The device was opened with 'timestamp-query' (a profiling driver on an adapter that has it). */
    readonly timestamps = false,
  ) {
    this.ledger = new DeviceLedger(device);
    void device.lost.then((info) => {
      // 'destroyed' is our own dispose(); anything else is the GPU or its driver going away.
      this.#lost = info.reason === 'destroyed' ? 'the device was destroyed (driver disposed)' : `the GPU device was lost (${info.reason}): ${info.message}`;
    });
    device.onuncapturederror = (event: GPUUncapturedErrorEvent) => {
      this.#uncaptured ??= event.error.message;
    };
  }

  /** Throws when the device is gone or an error escaped the error scopes: nothing it computes can be trusted. */
  assertUsable(what: string): void {
    if (this.#lost) throw new LtsslError(ERROR_CODES.driverUnavailable, `driver '${this.driverName}': ${what}: ${this.#lost}; start the driver again (a new process if the GPU was reset)`);
    if (this.#uncaptured) throw new LtsslError(ERROR_CODES.programInvalid, `driver '${this.driverName}': ${what}: an earlier WebGPU error was not caught by an error scope: ${this.#uncaptured}`);
  }

  get lostReason(): string | undefined {
    return this.#lost;
  }

  /**
   * Runs `fn` inside validation, out-of-memory and internal error scopes and
   * throws the first error they caught, naming `what` (the kernel, the
   * program). WebGPU reports errors asynchronously; nothing here is silent.
   */
  async scoped<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    this.assertUsable(what);
    const { device } = this;
    device.pushErrorScope('internal');
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let result: T | undefined;
    let thrown: unknown;
    try {
      result = await fn();
    } catch (error) {
      thrown = error;
    }
    const [validation, memory, internal] = [await device.popErrorScope(), await device.popErrorScope(), await device.popErrorScope()];
    if (thrown !== undefined) throw thrown;
    const error = validation ?? memory ?? internal;
    if (error) {
      const kind = error === validation ? 'validation error' : error === memory ? 'out of GPU memory' : 'internal error';
      throw new LtsslError(ERROR_CODES.programInvalid, `driver '${this.driverName}': ${what}: WebGPU ${kind}: ${error.message}`);
    }
    this.assertUsable(what);
    return result as T;
  }

  /** Bind group and pipeline layouts for a binding signature: a uniform, then storage buffers. */
  layout(access: readonly StorageAccess[]): Layout {
    const key = access.join(',');
    let layout = this.#layouts.get(key);
    if (!layout) {
      const bindGroup = this.device.createBindGroupLayout({
        label: `layout uniform,${key}`,
        entries: [
          { binding: 0, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'uniform' } },
          ...access.map((a, i) => ({ binding: i + 1, visibility: SHADER_STAGE_COMPUTE, buffer: { type: a === 'read' ? ('read-only-storage' as const) : ('storage' as const) } })),
        ],
      });
      layout = { bindGroup, pipeline: this.device.createPipelineLayout({ bindGroupLayouts: [bindGroup] }) };
      this.#layouts.set(key, layout);
    }
    return layout;
  }

  /** The pipeline of a shader, compiled once per driver; a WGSL error names the kernel, the line and the source. */
  pipeline(kernel: string, shader: string, access: readonly StorageAccess[]): Promise<GPUComputePipeline> {
    const key = `${access.join(',')}\n${shader}`;
    let pipeline = this.#pipelines.get(key);
    if (!pipeline) {
      pipeline = this.#compile(kernel, shader, access);
      this.#pipelines.set(key, pipeline);
      pipeline.catch(() => this.#pipelines.delete(key));
    }
    return pipeline;
  }

  /** How many distinct pipelines were compiled: what the cache-by-shader-text claim is tested on. */
  get pipelineCount(): number {
    return this.#pipelines.size;
  }

  /** The device objects the driver holds now (buffers by role, bind groups, pipelines, layouts). */
  get live(): LiveObjects {
    return this.ledger.snapshot(this.#pipelines.size, this.#layouts.size);
  }

  async #compile(kernel: string, shader: string, access: readonly StorageAccess[]): Promise<GPUComputePipeline> {
    let module: GPUShaderModule | undefined;
    try {
      return await this.scoped(`compiling kernel '${kernel}'`, () => {
        module = this.device.createShaderModule({ label: `kernel ${kernel}`, code: shader });
        return this.device.createComputePipelineAsync({ label: `kernel ${kernel}`, layout: this.layout(access).pipeline, compute: { module, entryPoint: 'main' } });
      });
    } catch (error) {
      const info = module ? await module.getCompilationInfo() : undefined;
      const first = info?.messages.find((m) => m.type === 'error');
      if (!first) throw error;
      const line = shader.split('\n')[first.lineNum - 1]?.trim() ?? '';
      throw new LtsslError(ERROR_CODES.programInvalid, `driver '${this.driverName}': kernel '${kernel}' does not compile: ${first.message} at line ${first.lineNum}:${first.linePos}: ${line}`, { cause: error });
    }
  }
}
