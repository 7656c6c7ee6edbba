import { classIndex, describeClass } from '../data/class-index.js';
import type { ImageSet } from '../data/image-set.js';
import { availabilityOf, type ClassAvailability } from '../data/long-tail/check-available.js';
import { classCounts } from '../data/long-tail/class-counts.js';
import { largestEqualSize } from '../data/long-tail/equal-size-counts.js';
import type { ImbalanceProfile } from '../data/long-tail/imbalance-profile.js';

/**
 * Size checks: what a resolved configuration asks of the loaded datasets,
 * compared with what they hold, before any work starts. Each protocol has a
 * pure function from its configuration and the datasets' class histograms to
 * every problem found; the CLI reports them as one usage error.
 */

/** One thing a configuration asks of its data that the data cannot give. */
export interface SizeProblem {
  /** The configuration field and its value: 'sizes[0] = 1000000'. */
  readonly field: string;
  /** What it needs: "at r = 0.004 the exp profile needs 463306 images of class 0 ('T-shirt/top')". */
  readonly need: string;
  /** What the data holds: 'fashion-mnist/train holds 1000'. */
  readonly holds: string;
  /** What would fit, when it can be said: 'at most n = 2170 fits ...'. */
  readonly fix?: string;
}

/** A protocol's size check: every problem, and what was checked (for --dry-run to say). */
export interface SizeCheck {
  readonly problems: readonly SizeProblem[];
  /** What was checked, a few words each. */
  readonly checked: readonly string[];
}

/** The class histograms of a dataset's two splits: all a size check looks at. */
export interface SplitHistograms {
  readonly train: ClassAvailability;
  readonly test: ClassAvailability;
}

/** The histograms of a loaded dataset (one pass over its labels). */
export function histogramsOf(data: { readonly train: ImageSet; readonly test: ImageSet }): SplitHistograms {
  return { train: availabilityOf(data.train, classIndex(data.train).available), test: availabilityOf(data.test, classIndex(data.test).available) };
}

/** Every problem in one line: 'field: need, but holds (fix); ...'. */
export function formatSizeProblems(problems: readonly SizeProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.need}, but ${p.holds}${p.fix ? ` (${p.fix})` : ''}`).join('; ');
}

/** Images in a split. */
export function splitSize(split: ClassAvailability): number {
  return split.available.reduce((a, b) => a + b, 0);
}

/** The class of `classes` (default all) with the fewest images, and how many it has. */
function smallestClass(split: ClassAvailability, classes?: readonly number[]): { readonly label: number; readonly count: number } {
  const labels = classes ?? split.available.map((_, c) => c);
  return labels.reduce((best, c) => ((split.available[c] ?? 0) < best.count ? { label: c, count: split.available[c] ?? 0 } : best), { label: labels[0] ?? 0, count: Infinity });
}

/** The fewest images any class of `classes` (default all) has in the split. */
export function smallestClassCount(split: ClassAvailability, classes?: readonly number[]): number {
  return smallestClass(split, classes).count;
}

/**
 * `count` images of each class of `classes` (default every class), drawn
 * without replacement from `split`: the problem when its smallest class holds
 * fewer. `what` names the classes and what they are for ('class of the few-shot probe').
 */
export function perClassProblem(field: string, count: number, split: ClassAvailability, what: string, classes?: readonly number[]): SizeProblem | undefined {
  const smallest = smallestClass(split, classes);
  if (count <= smallest.count) return undefined;
  return { field: `${field} = ${count}`, need: `${count} images of each ${what}`, holds: `${split.name} holds ${smallest.count} of ${describeClass(split, smallest.label)}`, fix: `at most ${smallest.count}` };
}

/** The problem when the test split a probe is tested on is empty. */
function emptyTestProblem(field: string, value: string, splits: SplitHistograms, what: string): SizeProblem | undefined {
  return splitSize(splits.test) > 0 ? undefined : { field: `${field} = ${value}`, need: `${what} needs a test split`, holds: `${splits.test.name} is empty` };
}

/** Long-tailed subsets of one profile at several ratios, as a sweep draws them. */
export interface SubsetFamily {
  readonly profile: ImbalanceProfile;
  readonly ratios: readonly number[];
}

const describeFamily = (f: SubsetFamily): string => (f.ratios.every((r) => r === 1) ? 'the balanced set' : `the ${f.profile} profile at r = ${f.ratios.join(' and ')}`);

/** The first (family, r, class) whose count at n exceeds what the split holds of the class. */
function firstOverflow(n: number, families: readonly SubsetFamily[], train: ClassAvailability): { family: SubsetFamily; ratio: number; label: number; count: number } | undefined {
  for (const family of families) {
    for (const ratio of family.ratios) {
      const counts = classCounts({ profile: family.profile, ratio, classes: train.available.length, total: n });
      const label = counts.findIndex((k, c) => k > train.available[c]!);
      if (label >= 0) return { family, ratio, label, count: counts[label]! };
    }
  }
  return undefined;
}

/**
 * The largest n at which every subset of every family fits the split, class
 * by class: the smallest of `largestEqualSize` over the families, lowered
 * until all of them fit (largest-remainder splits are not exactly monotone in n).
 */
export function largestSubsetSize(families: readonly SubsetFamily[], train: ClassAvailability): number {
  let n = Math.min(...families.map((f) => largestEqualSize({ profile: f.profile, classes: train.available.length, ratios: f.ratios }, train)));
  while (n > 0 && firstOverflow(n, families, train)) n--;
  return n;
}

/**
 * The pre-training subsets of a sweep: each size n (its field, e.g.
 * 'sizes[0]') split over the classes at every ratio of every family must fit
 * the train split class by class; one problem per size, naming the first
 * ratio and class that does not fit and the largest n that fits them all.
 */
export function subsetSizeCheck(sizes: readonly { readonly field: string; readonly n: number }[], families: readonly SubsetFamily[], train: ClassAvailability): SizeCheck {
  const largest = largestSubsetSize(families, train);
  const fits = `${families.map(describeFamily).join(', ')}`;
  const problems: SizeProblem[] = [];
  for (const { field, n } of sizes) {
    const over = firstOverflow(n, families, train);
    if (!over) continue;
    const by = over.ratio === 1 ? 'the balanced set' : `at r = ${over.ratio} the ${over.family.profile} profile`;
    problems.push({ field: `${field} = ${n}`, need: `${by} needs ${over.count} images of ${describeClass(train, over.label)}`, holds: `${train.name} holds ${train.available[over.label]}`, fix: `at most n = ${largest} fits ${fits}` });
  }
  return { problems, checked: [`n = ${sizes.map((s) => s.n).join(', ')} fits ${train.name} with ${fits} (at most n = ${largest})`] };
}

/** The fields of the long-tail protocols' configurations (imbalance, rwsam) that their evaluation draws from the datasets with. */
export interface EvaluationFields {
  readonly data: string;
  readonly oodData: string | null;
  readonly probe: { readonly fewShot: readonly number[]; readonly oodPerClass: number };
}

/**
 * The evaluation of a frozen encoder (evaluateEncoder): the probe's balanced
 * set (the smallest class's count from every class of the train split), each
 * few-shot k a class of it, the kNN's k from that bank (`knn.field` undefined
 * when the protocol fixes k), a test split to probe on; out of domain, the
 * per-class count of its train split and its test split.
 */
export function evaluationSizeCheck(config: EvaluationFields, knn: { readonly field?: string; readonly k: number }, data: SplitHistograms, ood?: SplitHistograms): SizeCheck {
  const problems: (SizeProblem | undefined)[] = [];
  const { train, test } = data;
  const smallest = smallestClass(train);
  const bank = smallest.count * train.available.length;
  if (smallest.count === 0) problems.push({ field: `data = ${config.data}`, need: 'the balanced linear probe needs images of every class', holds: `${train.name} holds none of ${describeClass(train, smallest.label)}` });
  config.probe.fewShot.forEach((k, i) => problems.push(perClassProblem(`probe.fewShot[${i}]`, k, train, 'class for the few-shot probe')));
  if (smallest.count > 0 && knn.k > bank) {
    const field = knn.field ? `${knn.field} = ${knn.k}` : `kNN k (${knn.k}, fixed by the protocol)`;
    problems.push({ field, need: `${knn.k} neighbours from the kNN bank (the balanced probe set)`, holds: `the bank holds ${bank} images (${smallest.count} of each class of ${train.name})`, fix: `at most ${bank}` });
  }
  problems.push(emptyTestProblem('data', config.data, data, 'the in-domain probe'));
  const checked = [`probe set ${smallest.count} a class of ${train.name}, few-shot k = ${config.probe.fewShot.join(', ') || 'none'}, kNN k = ${knn.k} of ${bank}, ${splitSize(test)} test images`];
  if (ood && config.oodData) {
    problems.push(perClassProblem('probe.oodPerClass', config.probe.oodPerClass, ood.train, 'class for the out-of-domain probe'));
    problems.push(emptyTestProblem('oodData', config.oodData, ood, 'the out-of-domain probe'));
    checked.push(`out of domain ${config.probe.oodPerClass} a class of ${ood.train.name} (its smallest class holds ${smallestClassCount(ood.train)}), ${splitSize(ood.test)} test images`);
  }
  return { problems: problems.filter((p): p is SizeProblem => p !== undefined), checked };
}

/** Several checks as one. */
export function combineSizeChecks(...checks: readonly SizeCheck[]): SizeCheck {
  return { problems: checks.flatMap((c) => c.problems), checked: checks.flatMap((c) => c.checked) };
}
