import { stridesOf, type ReduceAttrs } from '@ltssl/core';
import { alloc, type RefTensor } from '../ref-tensor.js';
import { forEachIndex } from './indexing.js';
import type { TensorType } from '@ltssl/core';

/**
 * Folds every element of x into the output element it reduces to. The output
 * index of an input element drops (or zeroes) the reduced axes, so stride 0 on
 * those axes maps the input walk onto the output.
 */
export function reduceInto(x: RefTensor, { axes }: ReduceAttrs, out: TensorType, init: number, combine: (acc: number, v: number) => number): RefTensor {
  const y = alloc(out);
  y.data.fill(init);
  const keptStrides = stridesOf(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  const outStrides = x.shape.map((_, i) => (axes.includes(i) ? 0 : keptStrides[i]!));
  const xs = x.data;
  const ys = y.data;
  forEachIndex(x.shape, [outStrides], (i, [o]) => {
    ys[o!] = combine(ys[o!]!, xs[i]!);
  });
  return y;
}
