import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import type { Comparison } from '../study/aggregate.js';
import type { CellResult } from '../study/cell.js';
import type { FigureBlock } from './document.js';
import type { GradCamExampleSet } from '../study/semi-synthetic/gradcam-examples.js';
import { gradCamFigure } from './figures/gradcam-figure.js';
import { studyFigures } from './figures/study-figures.js';
import { renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';
import { rendererVersions } from './renderer-versions.js';
import { reportContent } from './report-content.js';
import { reportDocument } from './report-document.js';
import { toHtml } from './to-html.js';
import { toMarkdown } from './to-markdown.js';
import { verdictLine } from './verdict.js';

/** The files of a report folder (a study's is `<study>/report`, STUDY_FILES.report). */
export const REPORT_FILES = { markdown: 'report.md', html: 'report.html', figures: 'figures' } as const;

export interface RenderReportOptions {
  /** Heading of both files (default 'ltssl study report'). */
  readonly title?: string;
  /** Where the results came from, as the user named it; printed in the report, so pass a relative path for a report that reads the same on every machine. */
  readonly source?: string;
  /** PNG pixels per SVG pixel (default 2). */
  readonly pngScale?: number;
  /** Grad-CAM examples of semi-synthetic cells (readGradCamExamples of the study folder), drawn as overlays. */
  readonly gradCam?: readonly GradCamExampleSet[];
}

export interface ReportFigure {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
  readonly png: string;
  /** Points drawn, one per series, panel and x. */
  readonly points: number;
}

export interface RenderedReport {
  readonly dir: string;
  readonly markdown: string;
  readonly html: string;
  readonly figures: readonly ReportFigure[];
  readonly comparisons: readonly Comparison[];
  /** One line per SSL vs SL comparison, as in the report. */
  readonly verdicts: readonly string[];
  /** What the results lack, as the report says it. */
  readonly notes: readonly string[];
  /** What vega-lite or vega warned about while drawing (none expected). */
  readonly warnings: readonly string[];
  /** Grad-CAM overlay strips written beside the figures, one PNG per arm (the overlay figure embeds them too). */
  readonly overlays: readonly string[];
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

async function write(file: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(file, async (sink) => sink(bytes));
}

/**
 * Renders the study report into `outDir`: report.md (figures by relative
 * path), report.html (one self-contained page, figures inline), and
 * figures/<name>.svg and .png. Whatever the results lack (a seed without its
 * balanced cell, one seed, only failed cells, no toy cells) is drawn as far as
 * it exists and said in the report, never thrown. The output depends only on
 * the results and the pinned renderer versions: no clock, no machine, so a
 * rerun gives the same bytes. Figures left from an earlier render that this one
 * does not draw are removed, so the folder never shows stale data.
 */
export async function renderReport(results: readonly CellResult[], outDir: string, options: RenderReportOptions = {}): Promise<RenderedReport> {
  const content = reportContent(results);
  const figuresDir = join(outDir, REPORT_FILES.figures);
  await mkdir(figuresDir, { recursive: true });
  const blocks: FigureBlock[] = [];
  const figures: ReportFigure[] = [];
  const warnings: string[] = [];
  for (const plan of studyFigures(content)) {
    const { svg, warnings: said } = await renderSvg(plan.spec);
    warnings.push(...said.map((w) => `${plan.name}: ${w}`));
    const { png } = await renderPng(svg, options.pngScale);
    const files = { svg: join(figuresDir, `${plan.name}.svg`), png: join(figuresDir, `${plan.name}.png`) };
    await write(files.svg, encode(svg));
    await write(files.png, png);
    blocks.push({ kind: 'figure', name: plan.name, title: plan.title, caption: plan.caption, svgPath: `${REPORT_FILES.figures}/${plan.name}.svg`, pngPath: `${REPORT_FILES.figures}/${plan.name}.png`, svg });
    figures.push({ name: plan.name, title: plan.title, ...files, points: plan.points });
  }
  const overlays: string[] = [];
  const gradCam = gradCamFigure(options.gradCam ?? [], results);
  if (gradCam) {
    // Drawn by hand, not by vega: the SVG embeds the overlays as PNG data, resvg renders it like the other figures.
    const { png } = await renderPng(gradCam.svg, options.pngScale);
    const files = { svg: join(figuresDir, `${gradCam.name}.svg`), png: join(figuresDir, `${gradCam.name}.png`) };
    await write(files.svg, encode(gradCam.svg));
    await write(files.png, png);
    blocks.push({ kind: 'figure', name: gradCam.name, title: gradCam.title, caption: gradCam.caption, svgPath: `${REPORT_FILES.figures}/${gradCam.name}.svg`, pngPath: `${REPORT_FILES.figures}/${gradCam.name}.png`, svg: gradCam.svg });
    figures.push({ name: gradCam.name, title: gradCam.title, ...files, points: gradCam.tiles });
    for (const strip of gradCam.strips) {
      await write(join(figuresDir, strip.file), strip.png);
      overlays.push(join(figuresDir, strip.file));
    }
  }
  await removeStaleFigures(figuresDir, new Set([...figures.flatMap((f) => [`${f.name}.svg`, `${f.name}.png`]), ...overlays.map((o) => basename(o))]));
  const doc = reportDocument(content, blocks, { title: options.title ?? 'ltssl study report', ...(options.source ? { source: options.source } : {}), renderers: await rendererVersions() });
  const markdown = join(outDir, REPORT_FILES.markdown);
  const html = join(outDir, REPORT_FILES.html);
  await write(markdown, encode(toMarkdown(doc)));
  await write(html, encode(toHtml(doc)));
  return { dir: outDir, markdown, html, figures, comparisons: content.comparisons, verdicts: content.comparisons.map(verdictLine), notes: content.notes, warnings, overlays };
}

async function removeStaleFigures(dir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(dir)) {
    if ((name.endsWith('.svg') || name.endsWith('.png')) && !keep.has(name)) await rm(join(dir, name), { force: true });
  }
}
