import { resolve } from 'node:path';
import { configHash } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import type { CliIO } from '../io.js';
import { Progress } from '../progress.js';
import { runSweep } from '../studies/run-sweep.js';
import { rwsamStudy } from '../studies/rwsam-study.js';
import { startStudyDriver } from '../studies/study-driver.js';
import type { RunOptions } from './run.js';

/**
 * `ltssl run rwsam`: SimSiam vs +SAM vs +rwSAM (vs the label oracle) vs
 * SimSiam on balanced data of the same n, for step and exponential
 * imbalance. Cells and resume as for the other protocols.
 */
export async function runRwsamCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  const study = rwsamStudy;
  const config = await study.config(o);
  const hash = configHash(config);
  const cells = study.cells(config);
  const dir = resolve(o.out ?? 'runs/rwsam');
  const progress = new Progress(io);
  const sam = `${config.sam.adaptive ? 'ASAM' : 'SAM'} rho ${config.sam.rho}`;
  progress.line(`rwsam study: ${config.variants.join(', ')}; ${config.profiles.join(' and ')} imbalance at r = ${config.ratio}, n = ${config.size}; ${sam}; ${config.seeds} seed(s); ${cells.length} cells; results in ${dir}`);
  const loaded = await study.load(config);
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells`);
      return 0;
    }
    return await runSweep(study, loaded, { driver, info, dir, configHash: hash, progress }, { config, cells, collect: true, shownDir: o.out ?? dir });
  } finally {
    await driver.dispose();
  }
}
