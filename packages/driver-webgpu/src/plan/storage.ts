/**
 * Where a value lives on the device. Pool slots are reused by values whose
 * lifetimes do not overlap; the others live as long as their executable (feeds,
 * constants) or their state store (slots).
 */
export type Storage =
  | { readonly kind: 'feed'; readonly name: string }
  | { readonly kind: 'state'; readonly name: string }
  | { readonly kind: 'constant'; readonly node: number }
  | { readonly kind: 'pool'; readonly slot: number };

/** Bytes of a buffer holding `elements` 4-byte values: at least 16 and a multiple of 16, so any binding may read it as vec4. */
export function bufferBytes(elements: number): number {
  return Math.max(16, Math.ceil((elements * 4) / 16) * 16);
}
