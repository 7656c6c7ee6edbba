import { z } from 'zod';
import { simsiamOptionsSchema } from '../../methods/simsiam.js';
import { ENCODER_ARCHS } from '../../models/encoder.js';
import { configIssues } from '../config-issues.js';

/**
 * The variants of `ltssl run rwsam` (docs/paper.md "rwSAM"): SimSiam on the
 * long-tailed set, with SAM (ASAM by default, as the official code), with
 * rwSAM (KDE weights), with the label oracle (1.2^label), and SimSiam on a
 * balanced set of the same size (the bar rwSAM should reach).
 */
export const RWSAM_VARIANTS = ['simsiam', 'simsiam-sam', 'simsiam-rwsam', 'simsiam-rwsam-label', 'simsiam-balanced'] as const;
export type RwsamVariant = (typeof RWSAM_VARIANTS)[number];

export const RwsamConfigSchema = z
  .object({
    protocol: z.literal('rwsam').default('rwsam'),
    data: z.string().min(1).default('fashion-mnist'),
    oodData: z.string().min(1).nullable().default(null),
    variants: z.array(z.enum(RWSAM_VARIANTS)).min(1).default(['simsiam', 'simsiam-sam', 'simsiam-rwsam', 'simsiam-balanced']),
    /** Profiles run; the paper shows step (5 frequent, 5 rare classes) and exponential imbalance. */
    profiles: z.array(z.enum(['step', 'exp'])).min(1).default(['step', 'exp']),
    /** r of the imbalanced variants (paper, step CIFAR-10: 5 x 5000 and 5 x 50, r = 0.01). */
    ratio: z.number().gt(0).lt(1).default(0.01),
    /** n of every variant, the balanced one included: the paper compares at equal size. */
    size: z.number().int().positive().default(1800),
    seeds: z.number().int().min(1).max(100).default(2),
    encoder: z.object({ arch: z.enum(ENCODER_ARCHS), width: z.number().int().positive() }).strict().default({ arch: 'small-cnn', width: 16 }),
    pretrain: z
      .object({
        epochs: z.number().int().positive(),
        batch: z.number().int().min(2),
        baseLr: z.number().positive().optional(),
        checkpointEvery: z.number().int().positive(),
      })
      .strict()
      .default({ epochs: 20, batch: 128, checkpointEvery: 5 }),
    /** SimSiam's options (its own schema). Default: projector 256, predictor 64, for the small encoder. */
    simsiam: simsiamOptionsSchema.default({ projectorDim: 256, predictorDim: 64 }),
    /** SAM's radius and kind; the official code runs ASAM with rho 7.0 on CIFAR-10 and 2.0 on ImageNet. */
    sam: z.object({ rho: z.number().positive(), adaptive: z.boolean(), eta: z.number().positive().default(0.01) }).strict().default({ rho: 2, adaptive: true, eta: 0.01 }),
    /** rwSAM's KDE (docs/paper.md leaves bandwidth and normalisation open: parameters). */
    weighting: z
      .object({
        refreshEvery: z.number().int().positive(),
        referenceSize: z.number().int().positive(),
        bandwidth: z.number().positive(),
        temperature: z.number().min(0),
        labelBase: z.number().positive(),
      })
      .strict()
      .default({ refreshEvery: 5, referenceSize: 4096, bandwidth: 0.5, temperature: 1, labelBase: 1.2 }),
    probe: z
      .object({ epochs: z.number().int().positive(), fewShot: z.array(z.number().int().positive()), oodPerClass: z.number().int().positive() })
      .strict()
      .default({ epochs: 30, fewShot: [10], oodPerClass: 500 }),
  })
  .strict()
  .refine((c) => c.pretrain.checkpointEvery % c.weighting.refreshEvery === 0, {
    message: 'must be a multiple of weighting.refreshEvery, so a resumed run recomputes the weights it had',
    path: ['pretrain', 'checkpointEvery'],
  })
  .refine((c) => c.pretrain.batch <= c.size, { message: 'must be at most size: pre-training takes full batches of the n images', path: ['pretrain', 'batch'] });

export type RwsamConfig = z.infer<typeof RwsamConfigSchema>;

/** Neighbours of the rwSAM protocol's kNN metric (fixed: the imbalance protocol's default). */
export const RWSAM_KNN_K = 20;

export function parseRwsamConfig(raw: unknown): RwsamConfig {
  const parsed = RwsamConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(`invalid rwsam configuration: ${configIssues(parsed.error)}`);
}
