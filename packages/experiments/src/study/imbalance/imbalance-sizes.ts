import type { PretrainSubsets } from '../../data/subset-file.js';
import { combineSizeChecks, evaluationSizeCheck, subsetSizeCheck, type SizeCheck, type SizeProblem, type SplitHistograms } from '../size-check.js';
import type { ImbalanceConfig } from './imbalance-config.js';

/**
 * What an imbalance sweep asks of its datasets: every n split at every r of
 * the profile must fit the train split class by class, and the probes (the
 * balanced probe set, each few-shot k, the kNN's k, the OOD per-class count)
 * must fit theirs. `ood` is the out-of-domain set's histograms, when configured.
 */
export function checkImbalanceSizes(config: ImbalanceConfig, data: SplitHistograms, ood?: SplitHistograms, subsets?: PretrainSubsets): SizeCheck {
  const sizes = config.sizes.map((n, i) => ({ field: `sizes[${i}]`, n }));
  const pretraining = subsets ? givenSubsetsCheck(sizes, subsets) : subsetSizeCheck(sizes, [{ profile: config.profile, ratios: config.ratios }], data.train);
  return combineSizeChecks(pretraining, evaluationSizeCheck(config, { field: 'knn.k', k: config.knn.k }, data, ood));
}

/**
 * Subsets from a subset file fix n: every n of the sweep must be the size of
 * every r's subset, so all cells compare at one n.
 */
function givenSubsetsCheck(sizes: readonly { readonly field: string; readonly n: number }[], subsets: PretrainSubsets): SizeCheck {
  const problems: SizeProblem[] = [];
  const counts = [...new Set([...subsets.values()].map((s) => s.indices.length))];
  for (const { field, n } of sizes) {
    for (const subset of subsets.values()) {
      if (subset.indices.length === n) continue;
      problems.push({
        field: `${field} = ${n}`,
        need: `the pre-training subset of r = ${subset.ratio} must hold n images`,
        holds: `${subset.file} lists ${subset.indices.length}`,
        fix: counts.length === 1 ? `set sizes to [${counts[0]}]` : `give every r a subset of one size (they hold ${counts.join(', ')})`,
      });
      break;
    }
  }
  return { problems, checked: [`n = ${sizes.map((s) => s.n).join(', ')} is the size of the subset file's subsets at r = ${[...subsets.keys()].join(', ')}`] };
}
