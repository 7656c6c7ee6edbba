import type { ImbalanceConfig } from './imbalance/imbalance-config.js';

/**
 * Named starting points for `ltssl run imbalance --preset NAME`; flags and
 * --config override their fields.
 *
 * quick: the README's main job, sized for 15 minutes on a 2-core CPU (measured
 * there). r = 0.004 (ImageNet-LT's ratio; docs/paper.md: a steeper imbalance makes
 * the effect easier to see at small scale). The embedded Fashion-MNIST (1000
 * images a class) holds at most 2177 images at r = 0.004 with the exp
 * profile, so the largest n is 2100; the paper's Figure 1 draws Delta against
 * n, so three n (525, 1050, 2100: a doubling each), every r at each, the same
 * protocol (epochs, batch, probes) at every n. A narrow small CNN, SimCLR (it
 * learned the most at this budget among the SSL methods, measured: see
 * docs/study.md) against supervised, three seeds, cached-feature probes, MNIST
 * out of domain.
 *
 * methods: the comparison of docs/study.md ("Methods"), not in the main job:
 * every SSL method (SimSiam, MoCo v2, SimCLR, SimCLR with Kukleva et al.'s
 * temperature schedule, BYOL, Barlow Twins, VICReg, SDCLR) and supervised on
 * the quick setting at n = 2100, five seeds, plus the random-init encoder: 95
 * cells, a few hours on 2 cores, resumable. Heads are sized for the small CNN
 * (64 features): 256 wide, 64 out for the contrastive and BYOL heads, 512 for
 * Barlow Twins' and VICReg's (their losses need width), MoCo's queue 1024
 * (half the subset). The schedule's period is 2 epochs: the ten cycles the
 * authors' T = 200 makes of a 2000-epoch CIFAR run (SDCLR's length, which
 * they follow), where T = 200 over 20 epochs would hold tau near 1.
 *
 * paper: the paper's CIFAR-10 setting for a GPU: ResNet-18 (CIFAR stem),
 * SimSiam 800 epochs at batch 512 vs supervised, r in {1, 0.1, 0.01}, n from
 * 1/8 to all of the r = 0.01 subset (head 5000: 12406 images), 3 seeds, the
 * official augmented probe, STL-10 out of domain by fine-tuning (backbone at
 * 0.1x the head's rate, Nesterov SGD, as the official code). --data and --ood-data must
 * name the CIFAR-10 and STL-10 folders.
 */
const QUICK_HEAD = { projectorDim: 64, projectorHiddenDim: 256 };

/** The quick setting (see above): the main job's sweep, and the base of the methods comparison. */
const QUICK: ImbalanceConfig = {
  protocol: 'imbalance',
  data: 'fashion-mnist',
  oodData: 'mnist',
  methods: ['simclr', 'supervised'],
  randomInit: true,
  profile: 'exp',
  ratios: [1, 0.004],
  sizes: [525, 1050, 2100],
  seeds: 3,
  encoder: { arch: 'small-cnn', width: 16 },
  pretrain: { epochs: 20, batch: 128, baseLr: {}, checkpointEvery: 5 },
  methodOptions: { simclr: QUICK_HEAD },
  probe: { kind: 'cached', epochs: 30, fewShot: [10], oodPerClass: 500, ood: 'linear', oodEpochs: 30 },
  knn: { k: 20 },
};

export const IMBALANCE_PRESETS: Readonly<Record<'quick' | 'methods' | 'paper', ImbalanceConfig>> = {
  quick: QUICK,
  methods: {
    ...QUICK,
    methods: ['simclr', 'simclr-tts', 'simsiam', 'mocov2', 'byol', 'barlow-twins', 'vicreg', 'sdclr', 'supervised'],
    variants: { 'simclr-tts': { method: 'simclr', options: { ...QUICK_HEAD, temperatureSchedule: { min: 0.1, max: 1, periodEpochs: 2 } } } },
    sizes: [2100],
    seeds: 5,
    // Barlow Twins' loss sums D diagonal terms: with SGD (the paper uses LARS) SimSiam's rate took it below
    // the random-init encoder in a 5-epoch pilot (kNN 57.8% against 69%); a tenth of it learned (docs/study.md).
    pretrain: { ...QUICK.pretrain, baseLr: { 'barlow-twins': 0.006 } },
    methodOptions: {
      simclr: QUICK_HEAD,
      sdclr: QUICK_HEAD,
      mocov2: { ...QUICK_HEAD, queueSize: 1024 },
      simsiam: { projectorDim: 256, predictorDim: 64 },
      byol: { projectorHiddenDim: 256, projectorDim: 64, predictorHiddenDim: 256 },
      'barlow-twins': { projectorHiddenDim: 512, projectorDim: 512 },
      vicreg: { projectorHiddenDim: 512, projectorDim: 512 },
    },
  },
  paper: {
    protocol: 'imbalance',
    data: 'cifar10',
    oodData: 'stl10',
    methods: ['simsiam', 'supervised'],
    randomInit: true,
    profile: 'exp',
    ratios: [1, 0.1, 0.01],
    sizes: [1550, 3100, 6200, 9300, 12400],
    seeds: 3,
    encoder: { arch: 'resnet18', width: 64 },
    pretrain: { epochs: 800, batch: 512, baseLr: {}, checkpointEvery: 20 },
    methodOptions: {},
    probe: { kind: 'augmented', epochs: 100, fewShot: [10, 50], oodPerClass: 500, ood: 'finetune', oodEpochs: 100 },
    knn: { k: 200 },
  },
};
