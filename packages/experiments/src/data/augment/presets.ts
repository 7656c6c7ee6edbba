import type { Normalization } from '../normalization.js';
import type { AugmentationConfig } from './pipeline.js';

/** Choices every preset takes. */
export interface PresetOptions {
  /** Output [height, width]; the input's size when absent (SimSiam CIFAR: 32 x 32). */
  readonly size?: readonly [number, number];
  /** Horizontal flip on (default) or off; off for the semi-synthetic set, whose halves a flip would swap. */
  readonly flip?: boolean;
}

/**
 * SimSiam's CIFAR augmentation (docs/paper.md, official code): RandomResizedCrop
 * scale [0.2, 1] (ratio [3/4, 4/3]), horizontal flip p 0.5, ColorJitter(0.4,
 * 0.4, 0.4, 0.1) with p 0.8, grayscale p 0.2, then the dataset's normalisation.
 * MoCo v2 and SimCLR on CIFAR use the same set (MoCo v2's blur is an ImageNet-size addition).
 */
export function simsiamAugmentation(normalization: Normalization, options: PresetOptions = {}): AugmentationConfig {
  return {
    ...(options.size ? { size: options.size } : {}),
    crop: { scale: [0.2, 1] },
    ...(options.flip === false ? {} : { flip: { p: 0.5 } }),
    colorJitter: { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 },
    grayscale: { p: 0.2 },
    normalization,
  };
}

/** The linear probe's training augmentation (official code): RandomResizedCrop scale [0.8, 1] and horizontal flip. */
export function probeAugmentation(normalization: Normalization, options: PresetOptions = {}): AugmentationConfig {
  return {
    ...(options.size ? { size: options.size } : {}),
    crop: { scale: [0.8, 1] },
    ...(options.flip === false ? {} : { flip: { p: 0.5 } }),
    normalization,
  };
}

/** Evaluation: no randomness, the whole image (resized to `size` if given) and normalised. */
export function evalAugmentation(normalization: Normalization, options: Pick<PresetOptions, 'size'> = {}): AugmentationConfig {
  return { ...(options.size ? { size: options.size } : {}), normalization };
}
