import { checkSharedSlot, sizeOf, type Program, type StateSlot } from '@ltssl/core';
import { alloc, roundToFloat32, type RefTensor } from './ref-tensor.js';

/**
 * Slot name -> current value, shared by every executable compiled with
 * `shareState`: equal names are one tensor, so a probe sees the encoder the
 * train step just updated. Freed when the last executable using it is disposed.
 */
export class StateStore {
  readonly #values = new Map<string, RefTensor>();
  #users = 0;

  /** Binds a program's slots: existing names are checked and kept, new ones initialised. */
  attach(program: Program): void {
    for (const slot of program.state) {
      const existing = this.#values.get(slot.name);
      if (existing) checkSharedSlot(program, slot.name, slot, existing);
    }
    for (const slot of program.state) {
      if (!this.#values.has(slot.name)) this.#values.set(slot.name, initialValue(slot));
    }
    this.#users++;
  }

  /** Returns true when no executable uses the store any more. */
  detach(): boolean {
    this.#users--;
    if (this.#users === 0) this.#values.clear();
    return this.#users === 0;
  }

  get(name: string): RefTensor {
    const value = this.#values.get(name);
    if (!value) throw new Error(`reference driver: state slot '${name}' is not bound (was its executable disposed?)`);
    return value;
  }

  set(name: string, value: RefTensor): void {
    this.#values.set(name, value);
  }
}

/** float32 slots start rounded to float32 in both precisions, as on every other driver. */
function initialValue(slot: StateSlot): RefTensor {
  const value = alloc(slot);
  if (slot.init.kind === 'fill') value.data.fill(slot.init.value);
  else {
    for (let i = 0; i < sizeOf(slot.shape); i++) value.data[i] = slot.init.values[i]!;
  }
  if (slot.dtype === 'float32') roundToFloat32(value);
  return value;
}
