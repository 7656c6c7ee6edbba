import { z } from 'zod';
import { configIssues } from '../config-issues.js';

/**
 * The toy protocol's configuration: the Gaussian model of the paper's theory
 * section (docs/paper.md "Toy model"; arXiv 2110.05025, Section 3), its two arms
 * (SL and SSL learn W, m x d, from the same imbalanced training set) and the
 * few-shot probe that scores what W kept.
 *
 * The paper states its result asymptotically (d large, the rare class's share
 * going to 0) and its exact constants could not be checked here, so the
 * defaults put a seconds-long simulation in the regime the theorem needs, and
 * say which inequality each serves:
 * - memorising a rare example through its noise (nearly orthogonal to
 *   everything else in high d) costs SL about 1 / (rho^2 d) of squared norm,
 *   against about 1 for learning e2; so SL drops e2 once n3 << rho^2 d.
 *   Defaults: rho^2 d = 18 and n3 = floor(N r) = 100, 20, 5, 1, so the sweep
 *   crosses the threshold (n3 / rho^2 d = 5.6, 1.1, 0.28, 0.06);
 * - SSL's optimum is W^T W = the top-m part of E[x x^T] (toy-losses.ts), where
 *   the frequent classes alone give e2 the eigenvalue about tau^2/2 + rho^2
 *   (2.1), above e1's 1 + rho^2 (1.09) and the noise bulk of the sample second
 *   moment, at most rho^2 (1 + sqrt(d / n))^2 (0.36 at n = 200);
 * - the rare class's mean is at distance sqrt(2) from the frequent classes'
 *   nearest means in the (e1, e2) plane, so with rho = 0.3 a probe that has e1
 *   and e2 can get about 98% of it right, and one that lacks e2 cannot tell it
 *   apart (the classes are linear without a bias, as in the paper).
 */
export const ToyConfigSchema = z
  .object({
    protocol: z.literal('toy').default('toy'),
    /** d: input dimension; e1, e2 are its first two axes. Default 200. */
    dim: z.number().int().min(3).default(200),
    /** tau: the frequent classes' spread along e2 (x = +-e1 - q tau e2 + rho xi, q ~ U{0, 1}). Default 2. */
    tau: z.number().positive().default(2),
    /** rho: standard deviation of the isotropic input noise xi ~ N(0, I_d). Default 0.3. */
    rho: z.number().positive().default(0.3),
    /** N: training examples of each frequent class (the paper's classes 1 and 2). Default 100. */
    frequentCount: z.number().int().positive().default(100),
    /**
     * Rare ratios r of the sweep: the rare class (the paper's class 3) gets
     * n3 = floor(N r) training examples, so r = P(class 3) / P(class 1).
     * Default [1, 0.2, 0.05, 0.01]: the balanced reference, then n3 = 20, 5, 1 at N = 100.
     */
    ratios: z.array(z.number().gt(0).max(1)).min(1).default([1, 0.2, 0.05, 0.01]),
    /** Seeds 0 .. seeds - 1; a seed fixes the data, W's initialisation and every draw. Default 3. */
    seeds: z.number().int().min(1).max(100).default(3),
    /** The arms to run. Default both. */
    arms: z.array(z.enum(['toy-ssl', 'toy-sl'])).min(1).default(['toy-ssl', 'toy-sl']),
    /** m: width of the representation W x (W is m x d), both arms. Default 8, wider than the 2 directions the task needs. */
    width: z.number().int().min(2).default(8),
    sl: z
      .object({
        /**
         * Full-batch Adam steps. Default 3000: every margin is 1 by then, and
         * the e2 ratio within about 10% of a run at 8000 steps (lr 0.01).
         * SL's rare-class accuracy is still falling slowly there (4 to 9
         * points lower at 8000 steps, r = 0.01, measured), so the default errs
         * in SL's favour.
         */
        steps: z.number().int().positive().default(3000),
        /** Adam's peak learning rate, cosine-decayed to 0. Default 0.02. */
        lr: z.number().positive().default(0.02),
        /**
         * lambda: L2 penalty on W and U, added to the hinge loss. Small, so the
         * minimiser approaches the min-norm margin-1 solution (see toy-sl.ts). Default 1e-3.
         */
        weightDecay: z.number().min(0).default(1e-3),
      })
      .strict()
      .prefault({}),
    ssl: z
      .object({
        /** SGD steps. Default 300 (batches of 16 and of 32 gave the same e2 ratio within 2%, measured). */
        steps: z.number().int().positive().default(300),
        /** Examples per step, each with two noise draws. Default 16. */
        batch: z.number().int().positive().default(16),
        /** SGD learning rate, cosine-decayed to 0. Default 0.08. */
        lr: z.number().positive().default(0.08),
        /**
         * sigma: std of the augmentation noise (views x + sigma xi, x + sigma xi').
         * The objective's expectation does not depend on it (xi, xi' are
         * independent and zero-mean); it only sets the gradient noise. docs/paper.md
         * writes xi ~ N(0, I) (sigma 1), which needs more steps. Default 0.3 (rho's default).
         */
        augmentStd: z.number().min(0).default(0.3),
      })
      .strict()
      .prefault({}),
    probe: z
      .object({
        /**
         * Labelled examples per class of the probe's train set: few, so what W
         * kept matters more than what a probe can dig out. Default 10 (docs/paper.md's
         * few-shot range is 10 to 50).
         */
        shotsPerClass: z.number().int().positive().default(10),
        /** Examples per class of the balanced test set. Default 500. */
        testPerClass: z.number().int().positive().default(500),
        /** Full-batch gradient steps of the bias-free linear probe, from zero. Default 500. */
        steps: z.number().int().positive().default(500),
        /** Learning rate, on features scaled to unit RMS. Default 0.5. */
        lr: z.number().positive().default(0.5),
        /** L2 penalty of the probe. Default 1e-3. */
        weightDecay: z.number().min(0).default(1e-3),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const [i, r] of c.ratios.entries()) {
      const n3 = rareCountOf(c.frequentCount, r);
      if (n3 < 1) ctx.addIssue({ code: 'custom', path: ['ratios', i], message: `r = ${r} gives floor(N r) = 0 rare examples at N = ${c.frequentCount}; raise frequentCount or r` });
    }
    if (new Set(c.ratios).size !== c.ratios.length) ctx.addIssue({ code: 'custom', path: ['ratios'], message: 'ratios must be distinct (each names a cell)' });
    const smallest = 2 * c.frequentCount + Math.min(...c.ratios.map((r) => rareCountOf(c.frequentCount, r)));
    if (c.ssl.batch > smallest) ctx.addIssue({ code: 'custom', path: ['ssl', 'batch'], message: `batch ${c.ssl.batch} exceeds the smallest training set (${smallest} examples); lower it` });
  });

export type ToyConfig = z.infer<typeof ToyConfigSchema>;
export type ToyArm = ToyConfig['arms'][number];

/** Every default, validated. */
export const DEFAULT_TOY_CONFIG: ToyConfig = ToyConfigSchema.parse({});

/** A validated toy configuration from plain JSON; the error names every bad field: 'invalid toy configuration: ratios[1]: ...'. */
export function parseToyConfig(raw: unknown): ToyConfig {
  const parsed = ToyConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(`invalid toy configuration: ${configIssues(parsed.error)}`);
}

/** n3 = floor(N r), guarded against float dust (100 * 0.29 is 28.999999999999996 in floating point, and means 29). */
function rareCountOf(frequentCount: number, r: number): number {
  return Math.floor(frequentCount * r + 1e-9);
}

/** Training examples per class [class 1, class 2, rare class 3] at ratio r. */
export function toyClassCounts(config: Pick<ToyConfig, 'frequentCount'>, r: number): [number, number, number] {
  return [config.frequentCount, config.frequentCount, rareCountOf(config.frequentCount, r)];
}

/** The training set size n = 2 N + floor(N r). */
export function toyTrainSize(config: Pick<ToyConfig, 'frequentCount'>, r: number): number {
  const [a, b, c] = toyClassCounts(config, r);
  return a + b + c;
}
