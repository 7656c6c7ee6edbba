import { combineSizeChecks, evaluationSizeCheck, subsetSizeCheck, type SizeCheck, type SplitHistograms } from '../size-check.js';
import type { ImbalanceConfig } from './imbalance-config.js';

/**
 * What an imbalance sweep asks of its datasets: every n split at every r of
 * the profile must fit the train split class by class, and the probes (the
 * balanced probe set, each few-shot k, the kNN's k, the OOD per-class count)
 * must fit theirs. `ood` is the out-of-domain set's histograms, when configured.
 */
export function checkImbalanceSizes(config: ImbalanceConfig, data: SplitHistograms, ood?: SplitHistograms): SizeCheck {
  const sizes = config.sizes.map((n, i) => ({ field: `sizes[${i}]`, n }));
  return combineSizeChecks(subsetSizeCheck(sizes, [{ profile: config.profile, ratios: config.ratios }], data.train), evaluationSizeCheck(config, { field: 'knn.k', k: config.knn.k }, data, ood));
}
