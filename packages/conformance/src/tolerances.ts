import type { FloatDType, Tolerance } from '@ltssl/core';

/**
 * Per-dtype tolerances of single ops against the oracle. float64 matches the
 * golden cases' requirement (rtol 1e-6); float32 allows accumulated rounding of
 * sums of a few hundred terms of size O(1).
 */
export const OP_TOLERANCE: Readonly<Record<FloatDType, Tolerance>> = {
  float64: { rtol: 1e-6, atol: 1e-9 },
  float32: { rtol: 1e-4, atol: 1e-4 },
};

/** Composite blocks (BatchNorm, cross-entropy, optimizer steps) run in float32, the training dtype. */
export const MODULE_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-4 };

/**
 * Whole training steps: after 3 steps, each state tensor's change w3 - w0 must
 * match the reference within 1e-3 of the reference change's norm, and each loss
 * within 1e-4 relative (issue 3's acceptance rule).
 */
export const STEP_TOLERANCE = { update: 1e-3, loss: 1e-4, minRelativeUpdate: 0.01 } as const;

/** Finite differences in float64: |fd - vjp| <= 1e-7 + 1e-5 |fd|, step h = 1e-6. */
export const VJP_TOLERANCE = { h: 1e-6, atol: 1e-7, rtol: 1e-5 } as const;
