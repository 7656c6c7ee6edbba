import { combineSizeChecks, evaluationSizeCheck, subsetSizeCheck, type SizeCheck, type SplitHistograms, type SubsetFamily } from '../size-check.js';
import { RWSAM_KNN_K, type RwsamConfig } from './rwsam-config.js';

/**
 * What an rwSAM sweep asks of its datasets: n = size split by every profile
 * at the ratio (the imbalanced variants) and evenly (simsiam-balanced) must
 * fit the train split class by class, and the probes theirs.
 */
export function checkRwsamSizes(config: RwsamConfig, data: SplitHistograms, ood?: SplitHistograms): SizeCheck {
  const families: SubsetFamily[] = [
    ...(config.variants.some((v) => v !== 'simsiam-balanced') ? config.profiles.map((profile) => ({ profile, ratios: [config.ratio] })) : []),
    // The balanced cell's subset: every profile splits n evenly at r = 1.
    ...(config.variants.includes('simsiam-balanced') ? [{ profile: 'exp' as const, ratios: [1] }] : []),
  ];
  return combineSizeChecks(subsetSizeCheck([{ field: 'size', n: config.size }], families, data.train), evaluationSizeCheck(config, { k: RWSAM_KNN_K }, data, ood));
}
