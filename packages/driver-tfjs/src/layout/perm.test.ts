import { describe, expect, it } from 'vitest';
import { conversion, conversionCost, HWIO, identity, NHWC, sameMemory } from './perm.js';

describe('layouts', () => {
  it('moves only size-1 axes for free', () => {
    expect(sameMemory([1, 8, 1, 1], identity(4), NHWC)).toBe(true); // BatchNorm's [1, C, 1, 1]
    expect(sameMemory([2, 8, 4, 4], identity(4), NHWC)).toBe(false);
    expect(conversion([1, 8, 1, 1], identity(4), NHWC)).toEqual({ kind: 'reshape', shape: [1, 1, 1, 8] });
    expect(conversionCost([2, 8, 4, 4], identity(4), NHWC)).toBe(256);
  });

  it('pads a broadcast operand to the target rank before permuting it', () => {
    // [W] seen at rank 4 is [1, 1, 1, W] (NumPy aligns from the right), [1, 1, W, 1] in NHWC: a reshape.
    expect(conversion([8], identity(1), NHWC)).toEqual({ kind: 'reshape', shape: [1, 1, 8, 1] });
    // [H, W] seen at rank 4 NHWC is [1, H, W, 1]: still the same memory.
    expect(conversion([3, 5], identity(2), NHWC)).toEqual({ kind: 'reshape', shape: [1, 3, 5, 1] });
    // [C, H] of a [1, 1, C, H]-shaped NCHW-ish operand must really move.
    expect(conversion([2, 3, 5], identity(3), NHWC)).toEqual({ kind: 'transpose', padShape: [1, 2, 3, 5], perm: [0, 2, 3, 1], shape: [1, 3, 5, 2] });
  });

  it('composes one transpose between two non-trivial layouts', () => {
    // An OIHW filter held HWIO, wanted back in OIHW: physical [KH, KW, C, O] -> [O, C, KH, KW].
    const c = conversion([4, 3, 2, 2], HWIO, identity(4));
    expect(c).toEqual({ kind: 'transpose', padShape: [2, 2, 3, 4], perm: [3, 2, 0, 1], shape: [4, 3, 2, 2] });
  });
});
