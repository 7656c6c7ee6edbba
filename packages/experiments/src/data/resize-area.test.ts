import { describe, expect, it } from 'vitest';
import { AreaResizer } from './resize-area.js';

function resize(src: number[], channels: number, inH: number, inW: number, outH: number, outW: number): number[] {
  const out = new Uint8Array(channels * outH * outW);
  new AreaResizer(channels, inH, inW, outH, outW).resize(Uint8Array.from(src), 0, out, 0);
  return [...out];
}

describe('area resize', () => {
  it('takes the mean of each block when the factor is whole', () => {
    // 4x4 -> 2x2: each output is the mean of a 2x2 block.
    const src = [0, 2, 10, 20, 4, 6, 30, 40, 100, 100, 0, 0, 100, 101, 0, 255];
    expect(resize(src, 1, 4, 4, 2, 2)).toEqual([3, 25, 100, 64]); // 255/4 = 63.75 -> 64; 401/4 = 100.25 -> 100
  });

  it('weights the source pixels an output pixel covers in part', () => {
    // 3 -> 2 columns: output 0 covers [0, 1.5): pixel 0 whole, pixel 1 half: (0 + 0.5 * 90) / 1.5 = 30.
    // Output 1 covers [1.5, 3): (0.5 * 90 + 180) / 1.5 = 150.
    expect(resize([0, 90, 180], 1, 1, 3, 1, 2)).toEqual([30, 150]);
  });

  it('repeats pixels when upscaling, blending where an output straddles two', () => {
    // 2 -> 3: outputs cover [0, 2/3), [2/3, 4/3), [4/3, 2).
    expect(resize([0, 90], 1, 1, 2, 1, 3)).toEqual([0, 45, 90]);
  });

  it('keeps channels apart and rounds half up', () => {
    expect(resize([1, 2, 10, 10], 2, 1, 2, 1, 1)).toEqual([2, 10]); // 1.5 -> 2
    expect(resize([7, 8, 9], 1, 1, 3, 1, 3)).toEqual([7, 8, 9]); // same size is the identity
  });

  it('writes at the offsets given', () => {
    const out = new Uint8Array(3).fill(77);
    new AreaResizer(1, 1, 2, 1, 1).resize(Uint8Array.from([9, 0, 4]), 1, out, 2);
    expect([...out]).toEqual([77, 77, 2]);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => new AreaResizer(1, 0, 4, 2, 2)).toThrow('AreaResizer: inHeight must be a positive integer, got 0');
  });
});
