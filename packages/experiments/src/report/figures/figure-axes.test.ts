import { describe, expect, it } from 'vitest';
import type { AccuracyRow, DeltaRow, SeedStats } from '../../study/aggregate.js';
import type { MethodFamily } from '../../study/cell.js';
import { renderSvg } from '../render-svg.js';
import { accuracyFigure } from './accuracy-figure.js';
import { deltaFigure } from './delta-figure.js';
import type { FigurePlan } from './figure-plan.js';
import { seriesPalette } from './figure-style.js';
import { rwsamFigure } from './rwsam-figure.js';
import { semiSyntheticFigure } from './semi-synthetic-figure.js';
import { toyFigure } from './toy-figure.js';

/** Every axis vega drew in an SVG: its title (from its aria-label, as a screen reader reads it) and its tick labels. */
function axesOf(svg: string): { title: string | undefined; labels: string[] }[] {
  return svg
    .split('class="mark-group role-axis"')
    .slice(1)
    // Grid lines are drawn as axes of their own, hidden from screen readers: not axes a reader sees.
    .filter((chunk) => !/^[^>]*aria-hidden="true"/.test(chunk))
    .map((chunk) => {
      const aria = /^[^>]*aria-label="([^"]*)"/.exec(chunk)?.[1] ?? '';
      const title = /^[XY]-axis titled '(.*?)' for/.exec(aria.replace(/&#39;/g, "'"))?.[1];
      const labels = /class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/.exec(chunk)?.[1] ?? '';
      return { title, labels: [...labels.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]!) };
    });
}

const stats = (mean: number, std: number): SeedStats => ({ mean, std, seeds: 3, values: [mean - std, mean, mean + std] });

/** Rows of two methods over two n and two r whose means span `spread` around `centre`. */
function accuracyRows(centre: number, spread: number, metric = 'id.linear', protocol = 'imbalance'): AccuracyRow[] {
  const rows: AccuracyRow[] = [];
  for (const [method, family, offset] of [['simclr', 'ssl', 0], ['supervised', 'sl', 0.5]] as const) {
    for (const n of [1000, 2000]) for (const r of [1, 0.1]) rows.push({ protocol, method, family, n, r, metric, stats: stats(centre + spread * ((n === 2000 ? 0.5 : 0) + (r === 1 ? 0.3 : 0) - offset * 0.4), spread / 20) });
  }
  return rows;
}

const palette = seriesPalette([
  { family: 'ssl', label: 'simclr (SSL)' },
  { family: 'sl', label: 'supervised (SL)' },
  { family: 'ssl', label: 'toy-ssl (SSL)' },
  { family: 'sl', label: 'toy-sl (SL)' },
]);

/** The narrow ranges of the issue (65% 65% 66% 66% 67%) and wide ones. */
const SPREADS = [0.0004, 0.003, 0.015, 0.08, 0.5];

function figures(spread: number): FigurePlan[] {
  const centre = 0.655;
  const deltas: DeltaRow[] = [1000, 2000].flatMap((n) =>
    (['ssl', 'sl'] as MethodFamily[]).map((family) => ({ method: family === 'ssl' ? 'simclr' : 'supervised', family, n, r: 0.1, metric: 'id.linear', delta: stats(0.02 + spread * (n === 2000 ? 0.4 : 0) + (family === 'sl' ? spread / 3 : 0), spread / 30), seedIds: [0, 1, 2], normalizedDelta: stats(0.2 + spread, spread / 30) })),
  );
  const toy: AccuracyRow[] = ['toy.e2Ratio', 'toy.e2Share', 'toy.rare', 'toy.probe', 'toy.e2RatioTheory'].flatMap((metric) =>
    [0.01, 0.1, 1].flatMap((r) => [['toy-ssl', 'ssl'], ['toy-sl', 'sl']].filter(([m]) => metric !== 'toy.e2RatioTheory' || m === 'toy-ssl').map(([method, family]) => ({ protocol: 'toy', method: method!, family: family as MethodFamily, n: 200 + Math.floor(100 * r), r, metric, stats: stats(centre + spread * r + (family === 'sl' ? spread / 2 : 0), spread / 20) }))),
  );
  const semi: AccuracyRow[] = ['rare.linear', 'gradcam.rare.labelShare'].flatMap((metric) =>
    [['simclr', 'ssl'], ['supervised', 'sl'], ['random', 'random']].map(([method, family], i) => ({ protocol: 'semi-synthetic', method: method!, family: family as MethodFamily, n: 1000, r: 0.1, metric, stats: stats(centre + (spread * i) / 2, spread / 20) })),
  );
  const rwsam: AccuracyRow[] = ['simsiam', 'simsiam-sam', 'simsiam-rwsam'].map((method, i) => ({ protocol: 'rwsam', profile: 'exp', method, family: 'ssl', n: 1000, r: 0.01, metric: 'id.linear', stats: stats(centre + (spread * i) / 2, spread / 20) }));
  return [
    accuracyFigure(accuracyRows(centre, spread), 'id.linear', stats(centre + spread / 4, spread / 10), palette),
    deltaFigure(deltas, 'id.linear', 'delta', palette),
    deltaFigure(deltas, 'id.linear', 'normalizedDelta', palette),
    toyFigure(toy, palette),
    semiSyntheticFigure(semi, palette),
    rwsamFigure(rwsam),
  ].map((f) => f!);
}

describe('figure axes', () => {
  it.each(SPREADS)('name their quantity and never repeat a tick label, with values spread over %s', async (spread) => {
    for (const plan of figures(spread)) {
      const { svg, warnings } = await renderSvg(plan.spec);
      expect(warnings, plan.name).toEqual([]);
      const axes = axesOf(svg);
      expect(axes.length, plan.name).toBeGreaterThan(1);
      for (const axis of axes) {
        expect(axis.title, `${plan.name}: an axis without a title (ticks ${axis.labels.join(' ')})`).toBeDefined();
        expect(['value', 'mean', 'mean over seeds']).not.toContain(axis.title);
        expect(new Set(axis.labels).size, `${plan.name}, axis '${axis.title}': ${axis.labels.join(' ')}`).toBe(axis.labels.length);
      }
    }
  }, 60_000);

  it('give each toy panel its own y title, and draw the theory line in the e2-ratio panel', async () => {
    const plan = figures(0.05)[3]!;
    const { svg } = await renderSvg(plan.spec);
    const titles = axesOf(svg).map((a) => a.title);
    for (const title of ['‖W e2‖ / ‖W e1‖', 'share of ‖W‖² along e2', 'rare-class probe accuracy', 'probe accuracy (3 classes)', 'imbalance ratio r']) expect(titles).toContain(title);
    // The dashed theory line, with its label at the last r.
    expect(svg).toMatch(/stroke-dasharray="5,3"/);
    expect(svg).toContain('>theory (SSL optimum)</text>');
    expect(plan.caption).toContain('toy.e2RatioTheory');
  });
});
