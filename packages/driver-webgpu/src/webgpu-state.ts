import { checkSharedSlot, sizeOf, type DType, type Program, type Shape, type StateSlot } from '@ltssl/core';
import type { DeviceLedger } from './gpu/device-ledger.js';
import { upload } from './gpu/host-transfer.js';
import { bufferBytes } from './plan/storage.js';

interface SlotBuffer {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly buffer: GPUBuffer;
}

/**
 * Slot name -> the GPU buffer holding its value, shared by every executable
 * compiled with `shareState`: equal names are one buffer, so a probe reads
 * the encoder the train step just updated, with no host copy. A slot's buffer
 * never changes (updates and writeState copy into it), so the bind groups that
 * executables recorded stay valid. Freed with the last executable.
 */
export class WebGpuStateStore {
  readonly #slots = new Map<string, SlotBuffer>();
  #users = 0;

  constructor(readonly ledger: DeviceLedger) {}

  attach(program: Program): void {
    for (const slot of program.state) {
      const existing = this.#slots.get(slot.name);
      if (existing) checkSharedSlot(program, slot.name, slot, existing);
    }
    for (const slot of program.state) if (!this.#slots.has(slot.name)) this.#slots.set(slot.name, this.#create(slot));
    this.#users++;
  }

  detach(): void {
    if (--this.#users > 0) return;
    for (const slot of this.#slots.values()) this.ledger.destroyBuffer(slot.buffer);
    this.#slots.clear();
  }

  get(name: string): SlotBuffer {
    const slot = this.#slots.get(name);
    if (!slot) throw new Error(`webgpu driver: state slot '${name}' is not bound (was its executable disposed?)`);
    return slot;
  }

  #create(slot: StateSlot): SlotBuffer {
    const size = sizeOf(slot.shape);
    const buffer = this.ledger.createBuffer('state', bufferBytes(size), `state ${slot.name}`);
    const data = slot.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    if (slot.init.kind === 'fill') data.fill(slot.init.value);
    else data.set(Array.from(slot.init.values));
    upload(this.ledger.device, buffer, data);
    return { dtype: slot.dtype, shape: [...slot.shape], buffer };
  }
}
