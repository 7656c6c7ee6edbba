import { resolve } from 'node:path';
import { compositeSize, configHash, estimateSemiSyntheticSeconds } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import type { CliIO } from '../io.js';
import { formatDuration, Progress } from '../progress.js';
import { runSweep } from '../studies/run-sweep.js';
import { semiSyntheticStudy } from '../studies/semi-synthetic-study.js';
import { startStudyDriver } from '../studies/study-driver.js';
import type { RunOptions } from './run.js';

/**
 * `ltssl run semi-synthetic`: docs/paper.md's semi-synthetic study. Each arm
 * (SimCLR, supervised, supervised-rare, random init) pre-trains on the
 * composites of a seed, then a linear probe on its frozen features is tested
 * on the rare classes, and Grad-CAM says which half the encoder's evidence
 * lies on. Cells and resume as for the other protocols; --dry-run lists the
 * cells and a measured estimate.
 */
export async function runSemiSyntheticCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  const study = semiSyntheticStudy;
  const config = await study.config(o);
  const hash = configHash(config);
  const cells = study.cells(config);
  const dir = resolve(o.out ?? `runs/semi-synthetic${o.preset ? `-${o.preset}` : ''}`);
  const progress = new Progress(io);
  const data = await study.load(config);
  const [height, width] = compositeSize(config, data.train.height, data.train.width);
  const F = config.frequentSources.length;
  const R = config.rareSources.length;
  progress.line(`semi-synthetic study: ${config.arms.join(', ')}; ${F} frequent classes x ${config.frequentCount} and ${R} rare x ${config.rareCount} (r = ${config.rareCount / config.frequentCount}); ${config.seeds} seed(s); ${cells.length} cells`);
  progress.line(
    `composites ${height} x ${width} from ${data.name} (frequent sources ${config.frequentSources.join(', ')}; rare ${config.rareSources.join(', ')}); ${config.encoder.arch} width ${config.encoder.width}; ${config.pretrain.epochs} epochs at batch ${config.pretrain.batch}; probe on ${R} x ${config.probe.perClass} rare composites; results in ${dir}`,
  );
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      progress.line(`estimating: timing a training step of each arm and a feature batch on ${info.driver} (a minute or more for a large encoder on a CPU)`);
      const seconds = await estimateSemiSyntheticSeconds(driver, config, cells, { channels: data.train.channels, height, width }, (what) => progress.status(`estimating: timing a ${what}`));
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells; estimated ${formatDuration(seconds)} on ${info.driver} (measured steps; finished cells in ${dir} would be skipped)`);
      return 0;
    }
    return await runSweep(study, data, { driver, info, dir, configHash: hash, progress }, { config, cells, collect: true, shownDir: o.out ?? dir });
  } finally {
    await driver.dispose();
  }
}
