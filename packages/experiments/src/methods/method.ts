import type { Tensor, Tracer, Variables } from '@ltssl/core';
import type { EncoderSpec } from '../models/encoder.js';

export const METHOD_NAMES = ['supervised', 'simsiam', 'mocov2', 'simclr', 'supcon'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** The static shape of a training batch. */
export interface BatchShape {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** Classes of the dataset (the supervised head, SupCon's labels). */
  readonly classes: number;
}

/** What a method's trace receives: fresh inputs in a tracer, and where to find everything else. */
export interface MethodTraceContext {
  readonly tracer: Tracer;
  readonly encoder: EncoderSpec;
  readonly shape: BatchShape;
  /** Seeds parameter initialisation (and any state drawn from noise). */
  readonly seed: number;
  /** The augmented views, [B, C, H, W] each: one or two, as the method asks. */
  readonly views: readonly Tensor[];
  /** int32 [B] class labels, when the method uses them. */
  readonly labels?: Tensor;
}

/** What a method's trace returns; the step builder adds the optimizer and the outputs. */
export interface MethodTrace {
  /** The scalar to minimise. */
  readonly loss: Tensor;
  /** Variable sets the optimizer trains (their trainable parameters) and whose buffers are committed. */
  readonly trained: readonly Variables[];
  /** Scalars logged with the loss (SimSiam's collapse monitor, ...). */
  readonly monitors?: Readonly<Record<string, Tensor>>;
  /** Each example's loss, [B], whose mean is `loss`: rwSAM weights these. Absent when the loss does not split by example. */
  readonly perExample?: Tensor;
}

/** The optimiser settings a method ships with: docs/paper.md's, scaled to the batch as the paper does. */
export interface MethodDefaults {
  /** Base learning rate; the rate used is baseLr x batch / 256 (SimSiam's linear scaling rule). */
  readonly baseLr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly batch: number;
}

/**
 * A pre-training method: one file each, its loss a pure function beside it in
 * losses/. It traces the forward pass and the loss for one step; everything
 * else (optimizer, gradient norm, outputs) is the step builder's.
 */
export interface Method {
  readonly name: MethodName;
  /** Augmented views per image the step takes. */
  readonly views: 1 | 2;
  readonly usesLabels: boolean;
  readonly defaults: MethodDefaults;
  /**
   * Why a batch of `batch` cannot train this method with its options (MoCo's
   * queue must hold whole batches), or undefined; absent when any batch of 2
   * or more can. Configs call it before any work starts; trace calls it too.
   */
  readonly checkBatch?: (batch: number) => string | undefined;
  trace(ctx: MethodTraceContext): MethodTrace;
}
