/**
 * The semi-synthetic protocol's metrics in report order, with words, and
 * what the paper reports for them (docs/paper.md "Semi-synthetic study": CIFAR-10
 * composites, ResNet-18, rare-class probe accuracy).
 */
const WORDS: Readonly<Record<string, string>> = {
  'rare.linear': 'rare classes, linear probe',
  'gradcam.frequent.labelShare': 'Grad-CAM mass on the label half, frequent classes',
  'gradcam.rare.labelShare': 'Grad-CAM mass on the label half, rare classes',
  'frequent.linear': 'frequent classes, linear probe',
  'gradcam.frequent.emptyFraction': 'all-zero Grad-CAM maps, frequent classes',
  'gradcam.rare.emptyFraction': 'all-zero Grad-CAM maps, rare classes',
};

const FEW_SHOT = /^rare\.fewshot(\d+)$/;
const ORDER = ['rare.linear', 'rare.fewshot', 'gradcam.frequent.labelShare', 'gradcam.rare.labelShare', 'frequent.linear'];

/** The paper's rare-class probe accuracy per arm, in [0, 1]; random features are "about the same" as supervised-rare, no number given. */
export const PAPER_RARE_ACCURACY: Readonly<Record<string, number>> = { simclr: 0.701, supervised: 0.443, 'supervised-rare': 0.365 };

export function semiSyntheticMetricWords(metric: string): string {
  const shots = FEW_SHOT.exec(metric);
  return shots ? `rare classes, ${shots[1]}-shot linear probe` : (WORDS[metric] ?? metric);
}

/** Whether the figure draws the metric: the probes of the rare classes and the two label-half shares. */
export function isSemiSyntheticFigureMetric(metric: string): boolean {
  return metric === 'rare.linear' || FEW_SHOT.test(metric) || metric === 'gradcam.frequent.labelShare' || metric === 'gradcam.rare.labelShare';
}

/** Report order: rare.linear, the few-shot probes by shots, the two shares, frequent.linear, then the rest by name. */
export function sortSemiSyntheticMetrics(metrics: Iterable<string>): string[] {
  const rank = (m: string): number => {
    const i = ORDER.indexOf(FEW_SHOT.test(m) ? 'rare.fewshot' : m);
    return i >= 0 ? i : ORDER.length;
  };
  const shots = (m: string): number => Number(FEW_SHOT.exec(m)?.[1] ?? 0);
  return [...new Set(metrics)].sort((a, b) => rank(a) - rank(b) || shots(a) - shots(b) || a.localeCompare(b));
}
