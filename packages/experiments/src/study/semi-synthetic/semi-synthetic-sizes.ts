import { perClassProblem, smallestClassCount, type SizeCheck, type SizeProblem, type SplitHistograms } from '../size-check.js';
import type { SemiSyntheticConfig } from './semi-synthetic-config.js';

/**
 * What a semi-synthetic sweep asks of its source dataset: every source class
 * must be one of its classes, and each composite set draws its labelled
 * halves without replacement from a split (buildSemiSyntheticData): from the
 * train split frequentCount and probe.frequentPerClass images of each
 * frequent source class, rareCount and probe.perClass of each rare one; from
 * the test split probe.testPerClass of every source class.
 */
export function checkSemiSyntheticSizes(config: SemiSyntheticConfig, data: SplitHistograms): SizeCheck {
  const classes = data.train.available.length;
  const problems: (SizeProblem | undefined)[] = [];
  for (const field of ['frequentSources', 'rareSources'] as const) {
    config[field].forEach((c, i) => {
      if (c >= classes) problems.push({ field: `${field}[${i}] = ${c}`, need: 'a class of the source dataset', holds: `${data.train.name} has classes 0 .. ${classes - 1}` });
    });
  }
  if (problems.length > 0) return { problems: problems as SizeProblem[], checked: [] };
  const frequent = config.frequentSources;
  const rare = config.rareSources;
  problems.push(
    perClassProblem('frequentCount', config.frequentCount, data.train, 'frequent source class for the pre-training composites', frequent),
    perClassProblem('rareCount', config.rareCount, data.train, 'rare source class for the pre-training composites', rare),
    perClassProblem('probe.perClass', config.probe.perClass, data.train, 'rare source class for the rare-class probe', rare),
    perClassProblem('probe.frequentPerClass', config.probe.frequentPerClass, data.train, 'frequent source class for the frequent-class probe', frequent),
    perClassProblem('probe.testPerClass', config.probe.testPerClass, data.test, 'source class for the test composites', [...frequent, ...rare]),
  );
  const checked = [
    `composites from ${data.train.name}: ${config.frequentCount} and ${config.probe.frequentPerClass} a frequent source class (smallest holds ${smallestClassCount(data.train, frequent)}), ${config.rareCount} and ${config.probe.perClass} a rare one (smallest holds ${smallestClassCount(data.train, rare)})`,
    `test composites ${config.probe.testPerClass} a class from ${data.test.name} (smallest source class holds ${smallestClassCount(data.test, [...frequent, ...rare])})`,
  ];
  return { problems: problems.filter((p): p is SizeProblem => p !== undefined), checked };
}
