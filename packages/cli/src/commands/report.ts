import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readCellResultFolder, readGradCamExamples, renderReport, STUDY_FILES } from '@ltssl/experiments';
import { EXIT, type CliIO } from '../io.js';

export interface ReportOptions {
  readonly title?: string;
}

/**
 * `ltssl report DIR`: the study report of a study folder, from its
 * cells/*.json, rendered into DIR/report (figures as SVG and PNG, report.md,
 * report.html). Prints the files and the SSL vs SL verdicts. Exit 1 with one
 * line when DIR holds no cell results: there is nothing to report.
 */
export async function reportCommand(io: CliIO, dir: string, options: ReportOptions): Promise<number> {
  const cells = join(dir, STUDY_FILES.cells);
  const folder = await stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) {
    io.stderr.write(`ltssl: ${dir}: no such study folder; pass the folder 'ltssl run' wrote (it holds ${STUDY_FILES.cells}/*.json)\n`);
    return EXIT.failure;
  }
  // The one cell-file verdict: a rejected file is named and left out, never fatal to the others.
  const read = await readCellResultFolder(cells);
  for (const r of read.rejected) io.stderr.write(`ltssl: left out of the report: ${r.file}: ${r.reason}\n`);
  const results = read.files.map((f) => f.result);
  if (results.length === 0) {
    io.stderr.write(`ltssl: ${cells}: no cell results (*.json) to report; run the study first ('ltssl run ... --out ${dir}') or collect its cells here\n`);
    return EXIT.failure;
  }
  const out = join(dir, STUDY_FILES.report);
  // The folder as the user named it goes into the report, so the same command gives the same report anywhere.
  const report = await renderReport(results, out, { source: dir, gradCam: await readGradCamExamples(dir), ...(options.title ? { title: options.title } : {}) });
  const line = (text: string): unknown => io.stdout.write(`${text}\n`);
  const done = results.filter((r) => r.status === 'done').length;
  line(`report of ${results.length} cells (${done} done, ${results.length - done} failed) in ${out}`);
  line(`  ${report.markdown}`);
  line(`  ${report.html}`);
  line(`  ${report.figures.length} figures in ${join(out, 'figures')}: ${report.figures.map((f) => relative(join(out, 'figures'), f.svg).replace(/\.svg$/, '')).join(', ') || 'none'} (.svg and .png)`);
  if (report.overlays.length > 0) line(`  Grad-CAM overlays: ${report.overlays.map((o) => relative(join(out, 'figures'), o)).join(', ')}`);
  if (report.verdicts.length > 0) {
    line('SSL vs SL (Delta = relative accuracy lost to imbalance; lower is more robust):');
    for (const v of report.verdicts) line(`  ${v}`);
  } else line('SSL vs SL: no comparison (it needs Delta of an SSL and an SL method at the same n, r and metric)');
  if (report.notes.length > 0) {
    line('missing:');
    for (const n of report.notes) line(`  ${n}`);
  }
  return EXIT.ok;
}
