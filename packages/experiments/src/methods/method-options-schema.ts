import { z } from 'zod';

/**
 * A study config's per-method options (MethodOptions in registry.ts), all
 * optional; an unknown key is an error naming it. Shared by the protocols'
 * configs so the same option validates the same way everywhere.
 */
export const methodOptionsSchema = z
  .object({
    projectorDim: z.number().int().positive(),
    projectorHiddenDim: z.number().int().positive(),
    predictorDim: z.number().int().positive(),
    temperature: z.number().positive(),
    queueSize: z.number().int().positive(),
    keyMomentum: z.number().min(0).max(1),
    batchNormSplits: z.number().int().positive(),
  })
  .partial()
  .strict();
