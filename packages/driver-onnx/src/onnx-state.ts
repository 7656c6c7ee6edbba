import { checkSharedSlot, sizeOf, type Program, type StateSlot } from '@ltssl/core';
import type { Ort } from './ort-loader.js';

export type OrtTensor = InstanceType<Ort['Tensor']>;

/**
 * Slot name -> the ORT tensor holding its current value, shared by every
 * executable compiled with `shareState`; freed with the last executable.
 */
export class OnnxStateStore {
  readonly #values = new Map<string, OrtTensor>();
  #users = 0;

  constructor(readonly ort: Ort) {}

  attach(program: Program): void {
    for (const slot of program.state) {
      const existing = this.#values.get(slot.name);
      if (existing) checkSharedSlot(program, slot.name, slot, { dtype: existing.type === 'int32' ? 'int32' : 'float32', shape: existing.dims });
    }
    for (const slot of program.state) if (!this.#values.has(slot.name)) this.#values.set(slot.name, this.#initial(slot));
    this.#users++;
  }

  detach(): void {
    if (--this.#users === 0) {
      this.#values.clear();
    }
  }

  get(name: string): OrtTensor {
    const value = this.#values.get(name);
    if (!value) throw new Error(`onnx driver: state slot '${name}' is not bound (was its executable disposed?)`);
    return value;
  }

  set(name: string, value: OrtTensor): void {
    this.#values.set(name, value);
  }

  #initial(slot: StateSlot): OrtTensor {
    const size = sizeOf(slot.shape);
    const data = slot.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    if (slot.init.kind === 'fill') data.fill(slot.init.value);
    else data.set(Array.from(slot.init.values));
    return new this.ort.Tensor(slot.dtype === 'int32' ? 'int32' : 'float32', data, [...slot.shape]);
  }
}
