/**
 * Words for the flat metric names a cell records ('id.linear', 'ood.linear',
 * 'id.knn', 'id.fewshot10', 'id.tail'), and the order the report shows them
 * in: the paper's two figures first (in domain, then out of domain).
 */
const EVALUATIONS: Readonly<Record<string, string>> = {
  linear: 'linear probe',
  knn: 'kNN',
  tail: 'linear probe, tail classes',
};

const DOMAINS: Readonly<Record<string, string>> = { id: 'in domain', ood: 'out of domain' };

export function metricLabel(metric: string): string {
  const dot = metric.indexOf('.');
  if (dot < 0) return metric;
  const domain = DOMAINS[metric.slice(0, dot)];
  const rest = metric.slice(dot + 1);
  const shots = /^fewshot(\d+)$/.exec(rest);
  const evaluation = shots ? `${shots[1]}-shot linear probe` : EVALUATIONS[rest];
  if (!domain || !evaluation) return metric;
  return `${domain}, ${evaluation}`;
}

const FIRST = ['id.linear', 'ood.linear', 'id.knn'];

function rank(metric: string): number {
  const i = FIRST.indexOf(metric);
  if (i >= 0) return i;
  if (metric.startsWith('id.fewshot')) return FIRST.length;
  if (metric === 'id.tail') return FIRST.length + 1;
  return FIRST.length + 2;
}

/** Metric names in report order: id.linear, ood.linear, id.knn, few-shot by shots, id.tail, then the rest by name. */
export function sortMetrics(metrics: Iterable<string>): string[] {
  const shots = (m: string): number => Number(/^id\.fewshot(\d+)$/.exec(m)?.[1] ?? 0);
  return [...new Set(metrics)].sort((a, b) => rank(a) - rank(b) || shots(a) - shots(b) || a.localeCompare(b));
}

/** A file-name-safe form of a metric: 'id.linear' -> 'id-linear'. */
export function metricSlug(metric: string): string {
  return metric.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'metric';
}
