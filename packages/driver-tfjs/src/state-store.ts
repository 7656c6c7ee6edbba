import { checkSharedSlot, sizeOf, type DType, type HostTensor, type Program, type Shape, type StateSlot } from '@ltssl/core';
import { dispose, keep, tensor, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { convert } from './layout/convert.js';
import { conversion, identity, type Perm } from './layout/perm.js';

interface Slot {
  readonly dtype: DType;
  /** Logical (IR) shape. */
  readonly shape: Shape;
  /** The layout the tensor is stored in. */
  readonly perm: Perm;
  value: Tensor;
}

/** A host tensor as a tfjs tensor in layout `perm` (the caller owns it). */
export function fromHost(host: HostTensor, perm: Perm): Tensor {
  return tidy(() => convert(tensor(host.data, [...host.shape], host.dtype === 'int32' ? 'int32' : 'float32'), conversion(host.shape, identity(host.shape.length), perm)));
}

/** A tfjs tensor held in layout `perm`, copied to the host in the IR's layout. */
export async function toHost(value: Tensor, dtype: DType, shape: Shape, perm: Perm): Promise<HostTensor> {
  const logical = tidy(() => convert(value, conversion(shape, perm, identity(shape.length))));
  try {
    const data = await logical.data();
    return { dtype, shape: [...shape], data: dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data) };
  } finally {
    if (logical !== value) logical.dispose();
  }
}

/**
 * Slot name -> the kept tensor holding its current value and the layout it is
 * stored in, shared by every executable compiled with `shareState` (equal
 * names are one tensor); disposed with the last executable.
 */
export class TfjsStateStore {
  readonly #slots = new Map<string, Slot>();
  #users = 0;

  constructor(readonly owner: object) {}

  /** Layouts of the slots already stored: a program compiled to share them keeps them. */
  layouts(): Map<string, Perm> {
    return new Map([...this.#slots].map(([name, slot]) => [name, slot.perm]));
  }

  /** Binds a program's slots: existing names are checked and kept, new ones created in the planned layout. */
  attach(program: Program, perms: ReadonlyMap<string, Perm>): void {
    for (const slot of program.state) {
      const existing = this.#slots.get(slot.name);
      if (existing) checkSharedSlot(program, slot.name, slot, existing);
    }
    for (const slot of program.state) {
      if (this.#slots.has(slot.name)) continue;
      const perm = perms.get(slot.name)!;
      this.#slots.set(slot.name, { dtype: slot.dtype, shape: [...slot.shape], perm, value: keep(fromHost(initialValue(slot), perm)) });
    }
    this.#users++;
  }

  detach(): void {
    if (--this.#users > 0) return;
    for (const slot of this.#slots.values()) slot.value.dispose();
    this.#slots.clear();
  }

  get(name: string): Tensor {
    return this.#slot(name).value;
  }

  perm(name: string): Perm {
    return this.#slot(name).perm;
  }

  /** Replaces a slot's tensor (already in its layout), disposing the old one. */
  set(name: string, value: Tensor): void {
    const slot = this.#slot(name);
    if (slot.value === value) return;
    const old = slot.value;
    slot.value = keep(value);
    dispose(old);
  }

  async read(name: string): Promise<HostTensor> {
    const slot = this.#slot(name);
    return toHost(slot.value, slot.dtype, slot.shape, slot.perm);
  }

  write(name: string, host: HostTensor): void {
    this.set(name, fromHost(host, this.#slot(name).perm));
  }

  #slot(name: string): Slot {
    const slot = this.#slots.get(name);
    if (!slot) throw new Error(`tfjs driver: state slot '${name}' is not bound (was its executable disposed?)`);
    return slot;
  }
}

function initialValue(slot: StateSlot): HostTensor {
  const size = sizeOf(slot.shape);
  const data = slot.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  if (slot.init.kind === 'fill') data.fill(slot.init.value);
  else data.set(Array.from(slot.init.values));
  return { dtype: slot.dtype, shape: slot.shape, data };
}
