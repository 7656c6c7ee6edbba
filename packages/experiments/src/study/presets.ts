import type { ImbalanceConfig } from './imbalance/imbalance-config.js';

/**
 * Named starting points for `ltssl run imbalance --preset NAME`; flags and
 * --config override their fields.
 *
 * quick: the README's main job, sized for 15 minutes on a 2-core CPU (measured
 * there). r = 0.004 (ImageNet-LT's ratio; docs/paper.md: a steeper imbalance makes
 * the effect easier to see at small scale). The embedded Fashion-MNIST (1000
 * images a class) holds at most 2177 images at r = 0.004 with the exp
 * profile, so both r are compared at n = 2100. A narrow small CNN, SimCLR (it
 * learned the most at this budget among the SSL methods, measured: see
 * docs/study.md) against supervised, three seeds, cached-feature probes, MNIST
 * out of domain.
 *
 * paper: the paper's CIFAR-10 setting for a GPU: ResNet-18 (CIFAR stem),
 * SimSiam 800 epochs at batch 512 vs supervised, r in {1, 0.1, 0.01}, n from
 * 1/8 to all of the r = 0.01 subset (head 5000: 12406 images), 3 seeds, the
 * official augmented probe, STL-10 out of domain by fine-tuning (backbone at
 * 0.1x the head's rate, Nesterov SGD, as the official code). --data and --ood-data must
 * name the CIFAR-10 and STL-10 folders.
 */
export const IMBALANCE_PRESETS: Readonly<Record<'quick' | 'paper', ImbalanceConfig>> = {
  quick: {
    protocol: 'imbalance',
    data: 'fashion-mnist',
    oodData: 'mnist',
    methods: ['simclr', 'supervised'],
    randomInit: true,
    profile: 'exp',
    ratios: [1, 0.004],
    sizes: [2100],
    seeds: 3,
    encoder: { arch: 'small-cnn', width: 16 },
    pretrain: { epochs: 20, batch: 128, baseLr: {}, checkpointEvery: 5 },
    methodOptions: { simclr: { projectorDim: 64, projectorHiddenDim: 256 } },
    probe: { kind: 'cached', epochs: 30, fewShot: [10], oodPerClass: 500, ood: 'linear', oodEpochs: 30 },
    knn: { k: 20 },
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
