import { MIN_VERDICT_SEEDS } from '../study/aggregate.js';
import type { Block, FigureBlock, ReportDocument } from './document.js';
import { count, numberList } from './format.js';
import type { ReportContent } from './report-content.js';
import { accuracyTable, classCountTable, comparisonTable, deltaTable, environmentTable, failedTable, methodsTable, perClassTables, rwsamTable, toyTable } from './report-tables.js';
import { semiSyntheticBlocks } from './semi-synthetic-section.js';
import { verdictLine } from './verdict.js';

export interface DocumentOptions {
  readonly title: string;
  /** Where the results came from, as the user named it (e.g. the study folder). */
  readonly source?: string;
  readonly renderers: Readonly<Record<string, string>>;
}

const h = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
const p = (text: string): Block => ({ kind: 'paragraph', text });
const list = (items: readonly string[]): Block => ({ kind: 'list', items });

/** The verdicts first (what a reader came for), then what is missing, what ran, figures, tables, environment. */
export function reportDocument(content: ReportContent, figures: readonly FigureBlock[], options: DocumentOptions): ReportDocument {
  const { inventory: inv } = content;
  const blocks: Block[] = [
    p(
      `${count(inv.cells, 'cell result')}${options.source ? ` from ${options.source}` : ''}. The question (docs/paper.md, Liu et al., ICLR 2022): is self-supervised pre-training more robust to class imbalance than supervised pre-training? ` +
        'Per method, Δ(n, r) = (A(n, 1) − A(n, r)) / A(n, 1) is the relative accuracy lost when the pre-training set of size n has imbalance ratio r. ' +
        `The test is paired: a seed gives every method the same subsets and draws, so per seed d = Δ_SL − Δ_SSL; the claim holds where the 95% Student t interval of the mean d (k − 1 degrees of freedom over the k seeds both methods have) lies above 0. Under ${MIN_VERDICT_SEEDS} seeds there is no verdict; a difference within noise says how many seeds its observed spread would need.`,
    ),
    h(2, 'SSL vs SL'),
    ...verdictBlocks(content),
  ];
  if (content.notes.length > 0) blocks.push(h(2, 'What is missing'), list(content.notes));
  blocks.push(h(2, 'What was run'), list(runItems(content)));
  if (inv.methods.length > 0) blocks.push({ kind: 'table', table: methodsTable(inv.methods) });

  blocks.push(h(2, 'Figures'));
  if (figures.length === 0) blocks.push(p('No figures: no finished cell has data to draw (see "What is missing").'));
  for (const f of figures) blocks.push(f);

  // Sections of a protocol only when its cells are there: a toy-only report has no empty imbalance sections.
  const ran = (protocol: string): boolean => inv.protocols.some((x) => x.protocol === protocol);
  const imbalance = ran('imbalance');
  if (imbalance) {
    blocks.push(h(2, 'Accuracy'));
    if (content.accuracy.length === 0) blocks.push(p('No finished cell of the imbalance protocol.'));
    else blocks.push(p('Imbalance protocol: mean ± std over seeds, in percent. Rows of arm "random" are the random-init encoder of the same architecture, the floor of every gain.'), { kind: 'table', table: accuracyTable(content.accuracy) });
  }

  if (imbalance || content.deltas.length > 0) {
    blocks.push(h(2, 'Δ(n, r)'));
    if (content.deltas.length === 0) blocks.push(p('No Δ: it needs, for the same method, n and seed, a finished balanced (r = 1) cell and an imbalanced one.'));
    else
      blocks.push(
        p(
          'Δ per seed from the same seed\'s balanced and imbalanced cells, then mean ± std over seeds (percent). Gain over random init: A(n, 1) − A_random, in accuracy points. ' +
            'Normalised Δ: (A(n, 1) − A(n, r)) / (A(n, 1) − A_random), the share of that gain lost to imbalance (docs/paper.md, "Measuring at small scale").',
        ),
        { kind: 'table', table: deltaTable(content.deltas) },
      );
  }
  if (content.comparisons.length > 0) {
    blocks.push(
      h(3, 'SSL vs SL, all comparisons'),
      p('The paired test of each comparison: d = Δ_SL − Δ_SSL per seed, its mean and standard error over the paired seeds, t = mean / SE with df = seeds − 1, the 95% interval mean ± t_{0.975, df} SE (points), and the fewest seeds at which the observed mean and spread would clear that interval.'),
      { kind: 'table', table: comparisonTable(content.comparisons) },
    );
  }

  if (imbalance || content.classCounts.length > 0) {
    blocks.push(h(2, 'Pre-training subsets'));
    if (content.classCounts.length === 0) blocks.push(p('No class counts recorded.'));
    else blocks.push(p('Images per class of the long-tailed pre-training subsets (class 0 is the head).'), { kind: 'table', table: classCountTable(content.classCounts) });
  }

  if (content.perClass.length > 0) {
    blocks.push(h(2, 'Per-class accuracy'), p('Accuracy per class (percent), mean over seeds. Classes from C/2 up are the tail of the pre-training profile, where imbalance bites.'));
    for (const { metric, table } of perClassTables(content.perClass)) blocks.push(h(3, metric), { kind: 'table', table });
  }

  if (ran('toy')) {
    blocks.push(h(2, 'Toy model'));
    if (content.toy.length === 0) blocks.push(p('No finished cell of the toy protocol.'));
    else blocks.push(p('Toy protocol (docs/paper.md, theory section): mean ± std over seeds, raw values.'), { kind: 'table', table: toyTable(content.toy) });
  }

  if (content.rwsam.length > 0) {
    blocks.push(
      h(2, 'rwSAM'),
      p('SimSiam, with SAM, with rwSAM (KDE weights on the inner loss), with the label oracle, and on balanced data of the same n; mean ± std over seeds, percent. rwSAM helps where it beats SimSiam and SAM on the long-tailed set by more than the seeds vary, and the paper expects it to reach SimSiam-balanced.'),
      { kind: 'table', table: rwsamTable(content.rwsam) },
    );
  }

  if (content.semiSynthetic.length > 0) blocks.push(h(2, 'Semi-synthetic study'), ...semiSyntheticBlocks(content.semiSynthetic));

  blocks.push(h(2, 'Failed cells'));
  if (content.failed.length === 0) blocks.push(p('None.'));
  else blocks.push(p('Left out of every mean and figure; rerun them once the error is fixed.'), { kind: 'table', table: failedTable(content.failed) });

  blocks.push(h(2, 'Environment'));
  if (inv.environments.length === 0) blocks.push(p('No cell recorded its environment.'));
  else blocks.push(p('Where the cells ran, as each recorded it; cells in one row share every field.'), { kind: 'table', table: environmentTable(inv.environments) });
  blocks.push(
    p(
      `Figures drawn with ${Object.entries(options.renderers)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ')}; text in the PNGs uses the bundled DejaVu Sans, so they look the same on every machine.`,
    ),
  );
  return { title: options.title, blocks };
}

function verdictBlocks(content: ReportContent): Block[] {
  const c = content.comparisons;
  if (c.length === 0) return [p('No SSL vs SL comparison: it needs Δ for at least one SSL and one SL method at the same n, r and metric (see "What is missing").')];
  const tally = (v: string): number => c.filter((x) => x.verdict === v).length;
  return [
    p(
      `${count(c.length, 'comparison')}: SSL more robust (the interval above 0) in ${tally('ssl-more-robust')}, within noise in ${tally('within-noise')}, SL more robust in ${tally('sl-more-robust')}` +
        (tally('too-few-seeds') > 0 ? `, no verdict (under ${MIN_VERDICT_SEEDS} paired seeds) in ${tally('too-few-seeds')}.` : '.'),
    ),
    list(c.map(verdictLine)),
  ];
}

function runItems(content: ReportContent): string[] {
  const inv = content.inventory;
  const items = [`Cells: ${inv.cells} (${inv.done} done, ${inv.failed} failed).`];
  if (inv.cells === 0) return items;
  items.push(
    ...inv.protocols.map((p) => `Protocol ${p.protocol}: ${count(p.cells, 'cell')}; n ${numberList(p.sizes)}; r ${numberList(p.ratios, 'desc')}; seeds ${numberList(p.seeds)}.`),
    `Methods: ${inv.methods.map((m) => `${m.method} (${m.family})`).filter((x, i, all) => all.indexOf(x) === i).join(', ')}.`,
    `Data: in domain ${inv.inDomain.join(', ') || 'not recorded'}; out of domain ${inv.outOfDomain.join(', ') || 'none'}.`,
  );
  const devices = [...new Set(inv.environments.map((g) => `${g.environment.driver} on ${g.environment.device}`))];
  if (devices.length > 0) items.push(`Drivers and devices: ${devices.join('; ')}.`);
  items.push(`Configuration hashes: ${inv.configHashes.join(', ')}${inv.configHashes.length > 1 ? ' (more than one: cells of different configurations are mixed)' : ''}.`);
  if (inv.startedAt && inv.finishedAt) items.push(`First cell started ${inv.startedAt}; last finished ${inv.finishedAt}.`);
  return items;
}
