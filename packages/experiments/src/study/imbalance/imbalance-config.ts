import { z } from 'zod';
import { configIssues } from '../config-issues.js';
import { METHOD_NAMES, type MethodName } from '../../methods/method.js';
import { methodBatchIssues, methodOptionsSchema } from '../../methods/method-options-schema.js';
import { METHODS } from '../../methods/registry.js';
import { ENCODER_ARCHS } from '../../models/encoder.js';
import { armMethod, imbalanceArm, variantsSchema } from './imbalance-arms.js';

/**
 * The imbalance protocol's configuration (docs/paper.md "Protocol"): methods x n x
 * r x seeds, pre-training on a long-tailed subset of `data`, then linear probes
 * on the balanced train split (in domain) and on `oodData` (out of domain).
 */
export const ImbalanceConfigSchema = z
  .object({
    protocol: z.literal('imbalance'),
    /** Dataset name or folder (default: the embedded Fashion-MNIST subset). */
    data: z.string().min(1).default('fashion-mnist'),
    /** Out-of-domain dataset, or null to skip OOD evaluation (default: MNIST). */
    oodData: z.string().min(1).nullable().default('mnist'),
    /** ImageFolder and NumPy data without a test split: the folder (or .npz) of the test split. */
    testData: z.string().min(1).optional(),
    /** ImageFolder (sharp) and STL-10 (area averaging): resize every image of `data` on load. */
    resize: z.object({ height: z.number().int().min(1).max(4096), width: z.number().int().min(1).max(4096) }).strict().optional(),
    /**
     * The pre-training subset of every r, from a file instead of drawn by ltssl
     * (data/subset-file.ts): a JSON map {"<r>": [indices] or "<text file>"}, or
     * {"<r>": "<text file of one index (or ImageFolder file name) a line>"}.
     * Every r needs one, r = 1 included; each must hold n images (one size).
     */
    subsetFile: z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]).optional(),
    /** Pre-training methods or variants (by name); their family (SSL or SL) comes from the method. */
    methods: z.array(z.string().min(1)).min(1),
    /** Named variants of methods, each an arm of its own (SimCLR with a temperature schedule beside SimCLR). */
    variants: variantsSchema.optional(),
    /** Also evaluate the random-init encoder of the same architecture (one cell per seed): the floor. */
    randomInit: z.boolean().default(true),
    profile: z.enum(['exp', 'step']).default('exp'),
    /** Imbalance ratios r; 1 (balanced) must be among them, Delta is relative to it. */
    ratios: z.array(z.number().gt(0).max(1)).min(1).refine((r) => r.includes(1), { message: 'must include 1 (the balanced reference of Delta)' }),
    /** Pre-training set sizes n; every r is compared at the same n. */
    sizes: z.array(z.number().int().positive()).min(1),
    seeds: z.number().int().min(1).max(100),
    encoder: z.object({ arch: z.enum(ENCODER_ARCHS), width: z.number().int().positive() }).strict(),
    pretrain: z
      .object({
        epochs: z.number().int().positive(),
        batch: z.number().int().min(2),
        /** Base learning rate per method (x batch / 256); default: the method's. A variant takes its method's. */
        baseLr: z.partialRecord(z.enum(METHOD_NAMES), z.number().positive()).default({}),
        checkpointEvery: z.number().int().positive().default(5),
      })
      .strict(),
    /** Per method, its own options (each method's schema, with the method's bounds). */
    methodOptions: methodOptionsSchema.default({}),
    probe: z
      .object({
        /** 'cached': head on frozen features (fast); 'augmented': the official protocol. */
        kind: z.enum(['cached', 'augmented']).default('cached'),
        epochs: z.number().int().positive().default(100),
        /** Labelled images per class of the few-shot probes (docs/paper.md suggests 10 to 50). */
        fewShot: z.array(z.number().int().positive()).default([10]),
        /** Images per class of the OOD probe's train split (balanced). */
        oodPerClass: z.number().int().positive().default(1000),
        /** OOD: a linear probe on frozen features, or fine-tuning with a fresh head (the paper's OOD protocol). */
        ood: z.enum(['linear', 'finetune']).default('linear'),
        /** Fine-tuning epochs. */
        oodEpochs: z.number().int().positive().default(30),
      })
      .strict()
      .default({ kind: 'cached', epochs: 100, fewShot: [10], oodPerClass: 1000, ood: 'linear', oodEpochs: 30 }),
    knn: z.object({ k: z.number().int().positive().default(20) }).strict().default({ k: 20 }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const variants = c.variants ?? {};
    const unknown = c.methods.filter((m) => !(METHOD_NAMES as readonly string[]).includes(m) && !(m in variants));
    for (const name of unknown) {
      ctx.addIssue({ code: 'custom', path: ['methods'], message: `no method or variant '${name}': the methods are ${METHOD_NAMES.join(', ')}${Object.keys(variants).length > 0 ? `; the variants ${Object.keys(variants).join(', ')}` : ' (define a variant under variants)'}` });
    }
    if (unknown.length > 0) return;
    const methods = c.methods.filter((m): m is MethodName => !(m in variants));
    for (const issue of methodBatchIssues(c.methodOptions, methods, c.pretrain.batch)) ctx.addIssue({ code: 'custom', path: ['methodOptions', ...issue.path], message: issue.message });
    for (const name of c.methods.filter((m) => m in variants)) {
      // A variant whose options fail its method's schema is reported there.
      if (!METHODS[variants[name]!.method].options.safeParse(variants[name]!.options).success) continue;
      const problem = armMethod(imbalanceArm(c, name)).checkBatch?.(c.pretrain.batch);
      if (problem) ctx.addIssue({ code: 'custom', path: ['variants', name], message: problem });
    }
  })
  .refine((c) => c.pretrain.batch <= Math.min(...c.sizes), {
    message: 'must be at most the smallest n of sizes: pre-training takes full batches of the n images',
    path: ['pretrain', 'batch'],
  });

export type ImbalanceConfig = z.infer<typeof ImbalanceConfigSchema>;

/** A validated imbalance configuration from plain JSON; the error names every bad field. */
export function parseImbalanceConfig(raw: unknown): ImbalanceConfig {
  const parsed = ImbalanceConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(`invalid imbalance configuration: ${configIssues(parsed.error)}`);
}
