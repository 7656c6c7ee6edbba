import { resolve } from 'node:path';
import { configHash } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import type { CliIO } from '../io.js';
import { Progress } from '../progress.js';
import { runSweep } from '../studies/run-sweep.js';
import { startStudyDriver } from '../studies/study-driver.js';
import { toyStudy } from '../studies/toy-study.js';
import type { RunOptions } from './run.js';

/**
 * `ltssl run toy`: SL vs SSL on docs/paper.md's Gaussian toy model, at several
 * rare-class ratios and seeds (seconds on a CPU). Metrics per cell: how much
 * of e2 the learned representation keeps, and the few-shot probe's rare-class
 * accuracy. Cells and resume work as for the imbalance study.
 */
export async function runToyCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  const study = toyStudy;
  const config = await study.config(o);
  const hash = configHash(config);
  const cells = study.cells(config);
  const dir = resolve(o.out ?? 'runs/toy');
  const progress = new Progress(io);
  progress.line(`toy study: ${config.arms.join(' vs ')}; rare ratios r in {${config.ratios.join(', ')}}; d ${config.dim}, tau ${config.tau}, rho ${config.rho}; ${config.seeds} seed(s); ${cells.length} cells; results in ${dir}`);
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells (about a second each on a CPU driver)`);
      return 0;
    }
    return await runSweep(study, await study.load(config), { driver, info, dir, configHash: hash, progress }, { config, cells, collect: true, shownDir: o.out ?? dir });
  } finally {
    await driver.dispose();
  }
}
