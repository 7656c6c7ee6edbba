import { BUFFER_USAGE } from './gpu-constants.js';

/** What a buffer the driver made is for; its usage flags follow from it. */
export type BufferRole = 'feed' | 'constant' | 'state' | 'pool' | 'uniform' | 'fetch staging' | 'read staging' | 'query resolve';

const USAGE: Readonly<Record<BufferRole, number>> = {
  feed: BUFFER_USAGE.storage | BUFFER_USAGE.copySrc | BUFFER_USAGE.copyDst,
  constant: BUFFER_USAGE.storage | BUFFER_USAGE.copySrc | BUFFER_USAGE.copyDst,
  state: BUFFER_USAGE.storage | BUFFER_USAGE.copySrc | BUFFER_USAGE.copyDst,
  pool: BUFFER_USAGE.storage | BUFFER_USAGE.copySrc | BUFFER_USAGE.copyDst,
  uniform: BUFFER_USAGE.uniform | BUFFER_USAGE.copyDst,
  'fetch staging': BUFFER_USAGE.mapRead | BUFFER_USAGE.copyDst,
  'read staging': BUFFER_USAGE.mapRead | BUFFER_USAGE.copyDst,
  'query resolve': BUFFER_USAGE.queryResolve | BUFFER_USAGE.copySrc,
};

/** The device objects the driver holds at one moment: what must not grow from one step to the next. */
export interface LiveObjects {
  /** Live (created, not destroyed) buffers by role. */
  readonly buffers: Readonly<Record<BufferRole, number>>;
  readonly bufferBytes: number;
  /** Bind groups held by executables' plans (WebGPU has no destroy for them: dropping the last reference frees one). */
  readonly bindGroups: number;
  readonly pipelines: number;
  readonly layouts: number;
}

/**
 * Every buffer the driver creates and destroys goes through here, and every
 * bind group it keeps is counted, so a test can show that a training loop holds
 * the same objects at step 50 as at step 1 (issue: RSS crept by about 3 KB a
 * step on llvmpipe; this is how the driver's share of that is measured).
 */
export class DeviceLedger {
  readonly #buffers = new Map<GPUBuffer, { readonly role: BufferRole; readonly bytes: number }>();
  #bindGroups = 0;

  constructor(readonly device: GPUDevice) {}

  createBuffer(role: BufferRole, bytes: number, label: string): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: bytes, usage: USAGE[role] });
    this.#buffers.set(buffer, { role, bytes });
    return buffer;
  }

  destroyBuffer(buffer: GPUBuffer): void {
    if (!this.#buffers.delete(buffer)) throw new Error(`webgpu driver: buffer '${buffer.label}' destroyed twice, or not made by this driver`);
    buffer.destroy();
  }

  createBindGroup(descriptor: GPUBindGroupDescriptor): GPUBindGroup {
    this.#bindGroups++;
    return this.device.createBindGroup(descriptor);
  }

  /** The holder dropped `count` bind groups it had made through createBindGroup. */
  releaseBindGroups(count: number): void {
    this.#bindGroups -= count;
    if (this.#bindGroups < 0) throw new Error('webgpu driver: more bind groups released than made');
  }

  snapshot(pipelines: number, layouts: number): LiveObjects {
    const buffers: Record<BufferRole, number> = { feed: 0, constant: 0, state: 0, pool: 0, uniform: 0, 'fetch staging': 0, 'read staging': 0, 'query resolve': 0 };
    let bufferBytes = 0;
    for (const { role, bytes } of this.#buffers.values()) {
      buffers[role]++;
      bufferBytes += bytes;
    }
    return { buffers, bufferBytes, bindGroups: this.#bindGroups, pipelines, layouts };
  }
}
