import { probeAugmentation, simsiamAugmentation } from '../../data/augment/presets.js';
import type { AugmentationConfig } from '../../data/augment/pipeline.js';
import { DEFAULT_CROP_RATIO } from '../../data/augment/random-resized-crop.js';
import type { Normalization } from '../../data/normalization.js';

/**
 * The pre-training augmentation of a composite: SimSiam's CIFAR set for
 * two-view methods (crop scale 0.2-1, colour jitter, grayscale), the probe's
 * crop 0.8-1 for one-view ones, both WITHOUT horizontal flip (docs/paper.md: a flip
 * would swap the halves and move the label). The crop's aspect-ratio range is
 * torchvision's [3/4, 4/3] times the composite's own width / height, so a
 * wide composite (32 x 64, say) is cropped at its own shape, not squeezed from a square.
 */
export function compositeAugmentation(views: 1 | 2, normalization: Normalization, height: number, width: number): AugmentationConfig {
  const aspect = width / height;
  const preset = views === 2 ? simsiamAugmentation(normalization, { flip: false }) : probeAugmentation(normalization, { flip: false });
  const ratio: [number, number] = [DEFAULT_CROP_RATIO[0] * aspect, DEFAULT_CROP_RATIO[1] * aspect];
  return { ...preset, crop: { ...preset.crop!, ratio } };
}
