import type { StateDict, Tensor, Tracer, Variables } from '@ltssl/core';
import type { EncoderSpec } from '../models/encoder.js';

export const METHOD_NAMES = ['supervised', 'simsiam', 'mocov2', 'simclr', 'supcon', 'byol', 'barlow-twins', 'vicreg', 'sdclr'] as const;
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
  /** The float32 [] input of each of the method's `schedules`, by name. */
  readonly scheduled: Readonly<Record<string, Tensor>>;
}

/** Where a step stands in training: what a per-step schedule is a function of. */
export interface StepProgress {
  readonly epoch: number;
  /** The step within the epoch, and the epoch's steps. */
  readonly step: number;
  readonly steps: number;
  /** Epochs of the whole run. */
  readonly epochs: number;
}

/**
 * A scalar fed to every step from a host schedule, as the learning rate is
 * (BYOL's target momentum, SimCLR's scheduled temperature): a program input,
 * so a schedule never recompiles and a resumed run feeds the same values.
 */
export interface ScheduledInput {
  /** The input's name in the step program (float32 []). */
  readonly name: string;
  value(at: StepProgress): number;
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
  /** Per-step scalar inputs and their schedules; absent when the step takes none. */
  readonly schedules?: readonly ScheduledInput[];
  /**
   * Host work on the step's state before each epoch's first step (SDCLR
   * re-prunes its masks from the current weights): the slots to overwrite,
   * computed from the current state. A function of the state alone, so a run
   * resumed at an epoch computes what the uninterrupted run did there.
   */
  readonly beforeEpoch?: (state: StateDict, epoch: number) => StateDict;
  trace(ctx: MethodTraceContext): MethodTrace;
}
