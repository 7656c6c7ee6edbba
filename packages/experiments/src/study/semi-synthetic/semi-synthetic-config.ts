import { z } from 'zod';
import { METHOD_NAMES, type MethodName } from '../../methods/method.js';
import { methodBatchIssues, methodOptionsSchema } from '../../methods/method-options-schema.js';
import { ENCODER_ARCHS } from '../../models/encoder.js';
import { configIssues } from '../config-issues.js';

/**
 * The arms of the semi-synthetic study (docs/paper.md "Semi-synthetic study"): a
 * pre-training method on the composite set (SimCLR is the paper's SSL arm,
 * supervised its SL arm), 'supervised-rare' (supervised pre-training on the
 * rare composites only) and 'random' (the random-init encoder).
 */
export const SEMI_SYNTHETIC_EXTRA_ARMS = ['supervised-rare', 'random'] as const;
export const SEMI_SYNTHETIC_ARMS = [...METHOD_NAMES, ...SEMI_SYNTHETIC_EXTRA_ARMS] as const;
export type SemiSyntheticArm = (typeof SEMI_SYNTHETIC_ARMS)[number];

const classList = z.array(z.number().int().min(0)).min(1);

/**
 * The semi-synthetic protocol's configuration. Composites are two halves
 * side by side: a frequent class is [an image of its source class | a random
 * image of a rare source class], a rare class is [blank | an image of its
 * source class]; the probe learns the rare classes from balanced composites
 * on frozen features and is tested on the rare classes of the test split.
 *
 * The defaults are the paper's design scaled to the embedded Fashion-MNIST
 * subset (1000 train images a class) and to minutes on a 2-core CPU; each
 * field says the paper's value (CIFAR-10, SimCLR, ResNet-18).
 */
export const SemiSyntheticConfigSchema = z
  .object({
    protocol: z.literal('semi-synthetic').default('semi-synthetic'),
    /** Source dataset, a name or a folder (default: the embedded Fashion-MNIST subset). */
    data: z.string().min(1).default('fashion-mnist'),
    /**
     * Source classes of the frequent classes, in label order (paper: 1-5, i.e.
     * 0-4). Default [1, 5, 7, 8, 9]: trouser, sandal, sneaker, bag, ankle boot.
     * The rare classes are then Fashion-MNIST's five upper-body garments, the
     * classes it confuses most among themselves, so a rare-class probe on
     * random features is far from its ceiling (docs/paper.md: a random-init CNN
     * already probes all ten classes at about 81%, which hides differences).
     */
    frequentSources: classList.default([1, 5, 7, 8, 9]),
    /** Source classes of the rare classes, in label order (paper: 6-10, i.e. 5-9). Default [0, 2, 3, 4, 6]: T-shirt/top, pullover, dress, coat, shirt. */
    rareSources: classList.default([0, 2, 3, 4, 6]),
    /** Composites per frequent class in pre-training (paper: 5000). Default 1000, all the embedded subset holds. */
    frequentCount: z.number().int().positive().default(1000),
    /** Composites per rare class in pre-training (paper: 10, r = 0.002). Default 10, so r = 10 / 1000 = 0.01. */
    rareCount: z.number().int().positive().default(10),
    /**
     * Composite [height, width], width even; each half is a whole source image
     * resized to height x width/2 (the paper's CIFAR composites: 32 x 32,
     * halves 32 x 16). Default: the source's height, and its width rounded up
     * to a multiple of 16, so the last feature map of both encoders (the small
     * CNN downsamples 4x, ResNet-18 8x) splits into halves on a column
     * boundary: 28 x 32 for Fashion-MNIST (halves 28 x 16, map 7 x 8).
     */
    size: z.tuple([z.number().int().positive(), z.number().int().min(2)]).optional(),
    /** Arms, each a cell per seed. Default: SimCLR (SSL), supervised (SL), supervised-rare (SL) and the random-init encoder, the paper's four. */
    arms: z.array(z.enum(SEMI_SYNTHETIC_ARMS)).min(1).default(['simclr', 'supervised', 'supervised-rare', 'random']),
    /** Seeds 0 .. seeds - 1; a seed fixes the composites, the probe sets, the initialisation and every draw, the same for every arm. Default 3 (docs/paper.md: at least 2-3). */
    seeds: z.number().int().min(1).max(100).default(3),
    /**
     * Encoder (paper: ResNet-18). Default the small CNN of width 8 (32-dim
     * features): docs/paper.md notes a narrower encoder shows the effect more easily
     * and runs more seeds a minute; measured on one seed, width 8 ordered the
     * arms as the paper does (10-shot rare probe SimCLR 54%, supervised 48%,
     * random 46%) at a third of width 16's time, where width 16 tied SimCLR
     * and supervised (69.3% both, full probe).
     */
    encoder: z
      .object({ arch: z.enum(ENCODER_ARCHS).default('small-cnn'), width: z.number().int().positive().default(8) })
      .strict()
      .prefault({}),
    pretrain: z
      .object({
        /** Epochs over the composite set (paper: not stated in docs/paper.md). Default 15. */
        epochs: z.number().int().positive().default(15),
        /** Batch size. Default 128. */
        batch: z.number().int().min(2).default(128),
        /** Base learning rate per method (x batch / 256); default: the method's own. */
        baseLr: z.partialRecord(z.enum(METHOD_NAMES), z.number().positive()).default({}),
        /** Epochs between checkpoints (a killed cell resumes from the last). Default 5. */
        checkpointEvery: z.number().int().positive().default(5),
      })
      .strict()
      .prefault({}),
    /**
     * The supervised-rare arm: supervised pre-training on the R x rareCount
     * rare composites alone (paper: the 50 rare images). So few images make
     * one batch (the batch is min(batch, R x rareCount)) and need many epochs
     * for as many steps. Default 100 epochs, batch 64.
     */
    supervisedRare: z
      .object({ epochs: z.number().int().positive().default(100), batch: z.number().int().min(2).default(64) })
      .strict()
      .prefault({}),
    /** Options of the pre-training methods. Default: SimCLR's projector 256 -> 64 (a narrow encoder's; SimCLR's own is 2048 -> 128). */
    methodOptions: methodOptionsSchema.default({ simclr: { projectorDim: 64, projectorHiddenDim: 256 } }),
    probe: z
      .object({
        /** Balanced rare composites per rare class the probe trains on (paper: 5000, 25,000 in all). Default 500. */
        perClass: z.number().int().positive().default(500),
        /** Test composites per class, rare and frequent, from the test split (paper: CIFAR-10's 1000). Default 500. */
        testPerClass: z.number().int().positive().default(500),
        /**
         * Composites per frequent class of the frequent-class probe (balanced,
         * from the train split): the head Grad-CAM differentiates on frequent
         * examples, and 'frequent.linear'. Default 200.
         */
        frequentPerClass: z.number().int().positive().default(200),
        /** Epochs of the linear head on cached, standardised features (SGD momentum 0.9, cosine from 0.1). Default 30. */
        epochs: z.number().int().positive().default(30),
        /**
         * Labelled rare composites per class of the few-shot rare probes
         * ('rare.fewshotK'). docs/paper.md: at small scale a probe with many labels
         * recovers features the encoder holds only weakly, and 10 to 50 labels
         * a class show differences it hides. Default [10].
         */
        fewShot: z.array(z.number().int().positive()).default([10]),
      })
      .strict()
      .prefault({}),
    gradCam: z
      .object({
        /** Test composites per class whose Grad-CAM label-half share is averaged (frequent and rare alike). Default 40. */
        perClass: z.number().int().positive().default(40),
        /** Overlays kept per cell for the report, of each kind (frequent, rare), one class each in turn. Default 5. */
        overlays: z.number().int().min(0).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const all = [...c.frequentSources, ...c.rareSources];
    if (new Set(all).size !== all.length) ctx.addIssue({ code: 'custom', path: ['rareSources'], message: 'frequent and rare source classes must be distinct, each class once' });
    if (c.rareCount > c.frequentCount) ctx.addIssue({ code: 'custom', path: ['rareCount'], message: `rareCount ${c.rareCount} exceeds frequentCount ${c.frequentCount}: the rare classes would not be rare` });
    if (c.size && c.size[1] % 2 !== 0) ctx.addIssue({ code: 'custom', path: ['size', 1], message: `width ${c.size[1]} must be even (two halves)` });
    if (new Set(c.arms).size !== c.arms.length) ctx.addIssue({ code: 'custom', path: ['arms'], message: 'arms must be distinct (each names a cell)' });
    const methods = c.arms.filter((arm): arm is MethodName => (METHOD_NAMES as readonly string[]).includes(arm));
    for (const issue of methodBatchIssues(c.methodOptions, methods, c.pretrain.batch)) ctx.addIssue({ code: 'custom', path: ['methodOptions', ...issue.path], message: issue.message });
    const n = c.frequentSources.length * c.frequentCount + c.rareSources.length * c.rareCount;
    if (c.pretrain.batch > n) ctx.addIssue({ code: 'custom', path: ['pretrain', 'batch'], message: `batch ${c.pretrain.batch} exceeds the ${n} pre-training composites; lower it` });
    for (const [i, shots] of c.probe.fewShot.entries()) {
      if (shots > c.probe.perClass) ctx.addIssue({ code: 'custom', path: ['probe', 'fewShot', i], message: `${shots} shots exceed the ${c.probe.perClass} probe composites per class (probe.perClass)` });
    }
    if (c.gradCam.perClass > c.probe.testPerClass) ctx.addIssue({ code: 'custom', path: ['gradCam', 'perClass'], message: `${c.gradCam.perClass} Grad-CAM examples per class exceed the ${c.probe.testPerClass} test composites per class; lower it or raise probe.testPerClass` });
  });

export type SemiSyntheticConfig = z.infer<typeof SemiSyntheticConfigSchema>;

/** Every default, validated: the default sweep. */
export const DEFAULT_SEMI_SYNTHETIC_CONFIG: SemiSyntheticConfig = SemiSyntheticConfigSchema.parse({});

/** A validated semi-synthetic configuration from plain JSON; the error names every bad field: 'invalid semi-synthetic configuration: rareCount: ...'. */
export function parseSemiSyntheticConfig(raw: unknown): SemiSyntheticConfig {
  const parsed = SemiSyntheticConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(`invalid semi-synthetic configuration: ${configIssues(parsed.error)}`);
}

/**
 * Named starting points for `ltssl run semi-synthetic --preset NAME`
 * (--config fields go over them; no preset is the defaults).
 *
 * quick: seconds, for tests and a first look: 60 + 4 composites a class, one
 * seed, a width-4 CNN, 2 epochs.
 *
 * paper: the paper's sizes on the full Fashion-MNIST (Debian's
 * dataset-fashion-mnist): 5 x 5000 frequent and 5 x 10 rare composites (r =
 * 0.002), a probe on 5 x 5000 rare composites, ResNet-18, SimCLR at batch 512
 * for 200 epochs (docs/paper.md does not state the paper's epochs), for a GPU.
 */
export const SEMI_SYNTHETIC_PRESETS: Readonly<Record<'quick' | 'paper', Record<string, unknown>>> = {
  quick: {
    frequentCount: 60,
    rareCount: 4,
    seeds: 1,
    encoder: { arch: 'small-cnn', width: 4 },
    pretrain: { epochs: 2, batch: 32, checkpointEvery: 1 },
    supervisedRare: { epochs: 4, batch: 20 },
    methodOptions: { simclr: { projectorDim: 16, projectorHiddenDim: 32 } },
    probe: { perClass: 40, testPerClass: 20, frequentPerClass: 20, epochs: 5, fewShot: [4] },
    gradCam: { perClass: 8, overlays: 3 },
  },
  paper: {
    data: 'fashion-mnist-full',
    frequentCount: 5000,
    rareCount: 10,
    encoder: { arch: 'resnet18', width: 64 },
    pretrain: { epochs: 200, batch: 512, checkpointEvery: 20 },
    supervisedRare: { epochs: 400, batch: 50 },
    methodOptions: {},
    probe: { perClass: 5000, testPerClass: 1000, frequentPerClass: 1000, epochs: 100, fewShot: [10, 50] },
    gradCam: { perClass: 100, overlays: 5 },
  },
};

/** The composite's [height, width] for a source of `height` x `width` (see SemiSyntheticConfigSchema's `size`). */
export function compositeSize(config: Pick<SemiSyntheticConfig, 'size'>, height: number, width: number): [number, number] {
  return config.size ? [config.size[0], config.size[1]] : [height, Math.ceil(width / 16) * 16];
}

/** Pre-training composites of an arm: F x frequentCount + R x rareCount, the rare ones alone for supervised-rare, none for random. */
export function armTrainSize(config: SemiSyntheticConfig, arm: SemiSyntheticArm): number {
  const rare = config.rareSources.length * config.rareCount;
  if (arm === 'random') return 0;
  if (arm === 'supervised-rare') return rare;
  return config.frequentSources.length * config.frequentCount + rare;
}

/** The pre-training imbalance ratio r of an arm: rareCount / frequentCount, 1 for the balanced rare-only set and for random init. */
export function armRatio(config: SemiSyntheticConfig, arm: SemiSyntheticArm): number {
  return arm === 'random' || arm === 'supervised-rare' ? 1 : config.rareCount / config.frequentCount;
}
