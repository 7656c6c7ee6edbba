import type { OpName } from '@ltssl/core';
import { alloc } from '../ref-tensor.js';
import { broadcastStrides, forEachIndex } from './indexing.js';
import type { Kernel } from './kernel.js';

/** A kernel applying `f` to every element; int32 results wrap as int32 does. */
export function unaryKernel<K extends OpName>(f: (x: number) => number): Kernel<K> {
  return ([x], _attrs, out) => {
    const y = alloc(out);
    const xs = x!.data;
    for (let i = 0; i < xs.length; i++) y.data[i] = f(xs[i]!);
    return y;
  };
}

/** A kernel applying `f` to broadcast pairs of elements. */
export function binaryKernel<K extends OpName>(f: (a: number, b: number) => number): Kernel<K> {
  return ([a, b], _attrs, out) => {
    const y = alloc(out);
    const rank = out.shape.length;
    const as = a!.data;
    const bs = b!.data;
    forEachIndex(out.shape, [broadcastStrides(a!.shape, rank), broadcastStrides(b!.shape, rank)], (i, [ia, ib]) => {
      y.data[i] = f(as[ia!]!, bs[ib!]!);
    });
    return y;
  };
}
