/**
 * Lifetime-based reuse of pool slots: a value takes the smallest free slot
 * that fits it, else the largest free slot (grown), else a new one. A slot's
 * final size is the largest value it ever held.
 */
export class PoolAllocator {
  readonly sizes: number[] = [];
  readonly #free = new Set<number>();

  allocate(bytes: number): number {
    let best: number | undefined;
    for (const slot of this.#free) {
      if (this.sizes[slot]! >= bytes && (best === undefined || this.sizes[slot]! < this.sizes[best]!)) best = slot;
    }
    if (best === undefined) {
      for (const slot of this.#free) if (best === undefined || this.sizes[slot]! > this.sizes[best]!) best = slot;
    }
    if (best === undefined) {
      this.sizes.push(bytes);
      return this.sizes.length - 1;
    }
    this.#free.delete(best);
    this.sizes[best] = Math.max(this.sizes[best]!, bytes);
    return best;
  }

  release(slot: number): void {
    if (this.#free.has(slot)) throw new Error(`webgpu buffer planner: pool slot ${slot} released twice`);
    this.#free.add(slot);
  }

  get totalBytes(): number {
    return this.sizes.reduce((a, b) => a + b, 0);
  }
}
