import type { ReportContent } from '../report-content.js';
import { sortMetrics } from '../metric-label.js';
import { accuracyFigure } from './accuracy-figure.js';
import { deltaFigure } from './delta-figure.js';
import type { FigurePlan } from './figure-plan.js';
import { seriesLabel, seriesPalette } from './figure-style.js';
import { rwsamFigure } from './rwsam-figure.js';
import { semiSyntheticFigure } from './semi-synthetic-figure.js';
import { toyFigure } from './toy-figure.js';

/**
 * The figures a report draws from what the results hold, in reading order:
 * Delta vs n per metric (id.linear and ood.linear first: the paper's Figures 1
 * and 2), then normalised Delta, then accuracy with the random-init floor, then
 * the toy model, then the semi-synthetic study. A metric without data draws
 * nothing rather than an empty panel.
 */
export function studyFigures(content: ReportContent): FigurePlan[] {
  const deltaMetrics = sortMetrics(content.deltas.map((d) => d.metric));
  const accuracyMetrics = sortMetrics(content.accuracy.filter((r) => r.family !== 'random').map((r) => r.metric));
  // Colours are given once for the whole report, so a method keeps its colour in figures where others are missing.
  const palette = seriesPalette([...content.accuracy, ...content.toy, ...content.semiSynthetic].map((r) => ({ family: r.family, label: seriesLabel(r.method, r.family) })));
  const plans = [
    ...deltaMetrics.map((m) => deltaFigure(content.deltas, m, 'delta', palette)),
    ...deltaMetrics.map((m) => deltaFigure(content.deltas, m, 'normalizedDelta', palette)),
    ...accuracyMetrics.map((m) => accuracyFigure(content.accuracy, m, content.floor.get(m), palette)),
    toyFigure(content.toy, palette),
    semiSyntheticFigure(content.semiSynthetic, palette),
    rwsamFigure(content.rwsam),
  ].filter((p): p is FigurePlan => p !== undefined);
  // Two metrics can share a slug ('id.linear', 'id-linear'): number the later ones so no file overwrites another.
  const seen = new Map<string, number>();
  return plans.map((p) => {
    const n = seen.get(p.name) ?? 0;
    seen.set(p.name, n + 1);
    return n === 0 ? p : { ...p, name: `${p.name}-${n + 1}` };
  });
}
