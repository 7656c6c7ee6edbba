import { describe, expect, it } from 'vitest';
import { CounterRng, hashName, RNG_STREAMS } from './counter-rng.js';
import { philox4x32 } from './philox.js';

const hex = (words: Uint32Array): string[] => Array.from(words, (w) => w.toString(16).padStart(8, '0'));

describe('Philox4x32-10', () => {
  // Known-answer vectors of Random123 (kat_vectors, philox4x32_10).
  it('matches the Random123 known-answer tests', () => {
    const out = new Uint32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, out);
    expect(hex(out)).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect(hex(out)).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
    expect(hex(out)).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });
});

describe('CounterRng', () => {
  it('is a pure function of (seed, stream, step, index)', () => {
    const a = new CounterRng(7, RNG_STREAMS.augment, 3);
    const b = new CounterRng(7, RNG_STREAMS.augment, 3);
    const forward = Array.from({ length: 10 }, (_, i) => a.uniform(i));
    const backward = Array.from({ length: 10 }, (_, i) => b.uniform(9 - i)).reverse();
    expect(forward).toEqual(backward);
    expect(new CounterRng(7, RNG_STREAMS.shuffle, 3).uniform(0)).not.toBe(forward[0]);
    expect(new CounterRng(8, RNG_STREAMS.augment, 3).uniform(0)).not.toBe(forward[0]);
    expect(new CounterRng(7, RNG_STREAMS.augment, 4).uniform(0)).not.toBe(forward[0]);
    expect(new CounterRng(2 ** 40 + 7, RNG_STREAMS.augment, 3).uniform(0)).not.toBe(forward[0]);
  });

  it('draws uniforms in [0, 1) and normals with the right moments', () => {
    const rng = new CounterRng(1, RNG_STREAMS.data, 0);
    const u = new Float64Array(20000);
    rng.fillUniform(u);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 1);
    const z = new Float64Array(20000);
    rng.fillNormal(z);
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('makes permutations and stable name hashes', () => {
    const p = new CounterRng(3, RNG_STREAMS.shuffle, 0).permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p).toEqual(new CounterRng(3, RNG_STREAMS.shuffle, 0).permutation(1000));
    expect(p).not.toEqual(new CounterRng(3, RNG_STREAMS.shuffle, 1).permutation(1000));
    expect(hashName('layer1.0.conv1.weight')).toBe(hashName('layer1.0.conv1.weight'));
    expect(hashName('a')).not.toBe(hashName('b'));
  });

  it('rejects seeds and steps it cannot key', () => {
    expect(() => new CounterRng(-1, 1, 0)).toThrow('non-negative integer');
    expect(() => new CounterRng(1, 1, 2 ** 32)).toThrow('step must be an integer in [0, 2^32)');
  });
});
