import { isFloatDType, type DType } from '../ir/dtype.js';
import type { NodeId } from '../ir/graph.js';
import { sizeOf, type Shape } from '../ir/shape.js';
import type { ConvGeometry } from '../ops/conv-geometry.js';
import type { Tracer } from './tracer.js';

/** A tensor or a plain number, which becomes a scalar constant of the other operand's dtype. */
export type TensorLike = Tensor | number;

/**
 * A symbolic value in a trace: methods append primitive ops to the graph and
 * return new Tensors. Nothing is computed until a driver runs the Program.
 */
export class Tensor {
  constructor(
    readonly tracer: Tracer,
    readonly id: NodeId,
  ) {}

  get dtype(): DType {
    return this.tracer.graph.node(this.id).dtype;
  }

  get shape(): Shape {
    return this.tracer.graph.node(this.id).shape;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  #lift(value: TensorLike): Tensor {
    return typeof value === 'number' ? this.tracer.constant(value, this.dtype) : value;
  }

  #all(): number[] {
    return this.shape.map((_, i) => i);
  }

  // element-wise
  add(other: TensorLike): Tensor {
    return this.tracer.op('add', [this, this.#lift(other)], {});
  }
  sub(other: TensorLike): Tensor {
    return this.tracer.op('sub', [this, this.#lift(other)], {});
  }
  mul(other: TensorLike): Tensor {
    return this.tracer.op('mul', [this, this.#lift(other)], {});
  }
  div(other: TensorLike): Tensor {
    return this.tracer.op('div', [this, this.#lift(other)], {});
  }
  maximum(other: TensorLike): Tensor {
    return this.tracer.op('maximum', [this, this.#lift(other)], {});
  }
  /** 1 where this > other, else 0, in this dtype. */
  greater(other: TensorLike): Tensor {
    return this.tracer.op('greater', [this, this.#lift(other)], {});
  }
  /** 1 where this == other, else 0, in this dtype. */
  equal(other: TensorLike): Tensor {
    return this.tracer.op('equal', [this, this.#lift(other)], {});
  }
  neg(): Tensor {
    return this.tracer.op('neg', [this], {});
  }
  exp(): Tensor {
    return this.tracer.op('exp', [this], {});
  }
  log(): Tensor {
    return this.tracer.op('log', [this], {});
  }
  sqrt(): Tensor {
    return this.tracer.op('sqrt', [this], {});
  }
  relu(): Tensor {
    return this.tracer.op('relu', [this], {});
  }
  square(): Tensor {
    return this.mul(this);
  }
  /** |x| as max(x, -x): no abs primitive is needed. */
  abs(): Tensor {
    return this.maximum(this.neg());
  }
  /** The same value, treated as a constant by autodiff. */
  stopGradient(): Tensor {
    return this.tracer.op('stopGradient', [this], {});
  }
  cast(to: DType): Tensor {
    return to === this.dtype ? this : this.tracer.op('cast', [this], { to });
  }

  // reductions (all axes when `axes` is omitted)
  sum(axes: readonly number[] = this.#all(), keepDims = false): Tensor {
    return axes.length === 0 ? this : this.tracer.op('reduceSum', [this], { axes, keepDims });
  }
  mean(axes: readonly number[] = this.#all(), keepDims = false): Tensor {
    const count = axes.reduce((n, a) => n * this.shape[a < 0 ? a + this.rank : a]!, 1);
    return this.sum(axes, keepDims).div(count);
  }
  max(axes: readonly number[] = this.#all(), keepDims = false): Tensor {
    return axes.length === 0 ? this : this.tracer.op('reduceMax', [this], { axes, keepDims });
  }
  argMax(axis: number, keepDims = false): Tensor {
    return this.tracer.op('argMax', [this], { axis, keepDims });
  }

  // layout
  reshape(shape: readonly number[]): Tensor {
    return this.tracer.op('reshape', [this], { shape });
  }
  /** Reverses the axes when `perm` is omitted. */
  transpose(perm: readonly number[] = this.#all().reverse()): Tensor {
    return this.tracer.op('transpose', [this], { perm });
  }
  broadcastTo(shape: readonly number[]): Tensor {
    return this.tracer.op('broadcastTo', [this], { shape });
  }
  slice(begin: readonly number[], size: readonly number[]): Tensor {
    return this.tracer.op('slice', [this], { begin, size });
  }
  pad(pads: readonly (readonly number[])[]): Tensor {
    return this.tracer.op('pad', [this], { pads });
  }

  // contractions
  matmul(other: Tensor, transposeA = false, transposeB = false): Tensor {
    return this.tracer.op('matmul', [this, other], { transposeA, transposeB });
  }
  conv2d(filter: Tensor, geometry: ConvGeometry): Tensor {
    return this.tracer.op('conv2d', [this, filter], geometry);
  }

  get isFloat(): boolean {
    return isFloatDType(this.dtype);
  }
}

/** Joins tensors along an axis. */
export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  if (tensors.length === 0) throw new Error('concat: needs at least one tensor');
  return tensors.length === 1 ? tensors[0]! : tensors[0]!.tracer.op('concat', tensors, { axis });
}
