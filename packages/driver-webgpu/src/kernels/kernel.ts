import type { DType, OpName, OpNode, TensorType } from '@ltssl/core';
import type { StorageAccess } from '../gpu/gpu-context.js';
import type { ConvTileTable } from './conv-tiles.js';

/**
 * A buffer a dispatch binds: one of the node's inputs, its output (a fused
 * chain writes several: `index` counts them, default 0), or a scratch buffer of the node.
 */
export type BufferRef = { readonly kind: 'input'; readonly index: number } | { readonly kind: 'output'; readonly index?: number } | { readonly kind: 'scratch'; readonly index: number };

/** One compute dispatch: a shader (the pipeline cache key), its buffers, its uniform parameters and its grid. */
export interface Dispatch {
  /** Named in errors: the op, or the op's helper pass ('conv2dBackpropFilter split-K sum'). */
  readonly kernel: string;
  readonly shader: string;
  /** Storage bindings 1..n, in order; binding 0 is always the uniform parameters. */
  readonly access: readonly StorageAccess[];
  readonly buffers: readonly BufferRef[];
  /** u32 words (negative integers as two's complement), at most PARAM_WORDS. */
  readonly params: readonly number[];
  /** Workgroups in x, y, z; a zero-size grid is skipped (an empty tensor). */
  readonly workgroups: readonly [number, number, number];
}

/** How a node is computed. */
export type KernelPlan =
  /** Dispatches in order; scratch buffers (bytes each) live for this node only. */
  | { readonly kind: 'dispatch'; readonly dispatches: readonly Dispatch[]; readonly scratchBytes?: readonly number[] }
  /** The output is input 0's buffer, unchanged (reshape, identity): no work, no memory. */
  | { readonly kind: 'alias' }
  /** A buffer written once when the program is compiled. */
  | { readonly kind: 'constant'; readonly data: Float32Array | Int32Array };

/** A node's inputs and output, as static types: the kernel's whole view of the graph. */
export interface KernelArgs<K extends OpName> {
  readonly node: OpNode<K>;
  readonly inputs: readonly TensorType[];
  readonly output: TensorType;
  /** The convolutions' tiles by layer (default: the committed CONV_TILE_TABLE); a tuning run passes candidates. */
  readonly convTiles?: ConvTileTable;
}

/** Plans one op: which shaders run with which parameters. Pure; runs at compile time. */
export type Kernel<K extends OpName> = (args: KernelArgs<K>) => KernelPlan;

/** The WGSL scalar type of a dtype this driver computes in. */
export function wgslType(dtype: DType): 'f32' | 'i32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  throw new Error(`webgpu kernels: no WGSL type for ${dtype} (float64 is refused at compile time)`);
}
