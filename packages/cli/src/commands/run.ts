import { resolve } from 'node:path';
import { classIndex, configHash, estimateImbalanceSeconds } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import type { CliIO } from '../io.js';
import { formatDuration, Progress } from '../progress.js';
import type { StudyFlags } from '../study-config.js';
import { imbalanceStudy } from '../studies/imbalance-study.js';
import { runSweep } from '../studies/run-sweep.js';
import { startStudyDriver } from '../studies/study-driver.js';

export interface RunOptions extends StudyFlags {
  readonly out?: string;
  readonly dryRun?: boolean;
}

/**
 * `ltssl run imbalance`: the sweep of methods x n x r x seeds, each cell
 * computed once (a rerun skips finished cells and resumes the one in progress
 * from its checkpoints), results in OUT/cells/*.json. --dry-run lists the cells
 * and a measured ETA.
 */
export async function runImbalanceCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  const study = imbalanceStudy;
  const config = await study.config(o);
  const hash = configHash(config);
  const cells = study.cells(config);
  const dir = resolve(o.out ?? `runs/imbalance-${o.preset ?? 'quick'}`);
  const progress = new Progress(io);
  const loaded = await study.load(config);
  const { data, ood } = loaded;
  progress.line(`imbalance study: ${config.methods.join(', ')}${config.randomInit ? ' + random init' : ''}; n in {${config.sizes.join(', ')}}, r in {${config.ratios.join(', ')}} (${config.profile}); ${config.seeds} seed(s); ${cells.length} cells`);
  progress.line(`data ${data.name}${ood ? `, out of domain ${ood.name}` : ''}; ${config.encoder.arch} width ${config.encoder.width}; ${config.pretrain.epochs} epochs at batch ${config.pretrain.batch}; results in ${dir}`);
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      progress.line(`estimating: timing a training step of each method and a feature batch on ${info.driver} (a minute or more for a large encoder on a CPU)`);
      const seconds = await estimateImbalanceSeconds(driver, config, cells, {
        channels: data.train.channels,
        height: data.train.height,
        width: data.train.width,
        classes: data.train.classes,
        testCount: data.test.count,
        probeTrainCount: Math.min(...classIndex(data.train).available) * data.train.classes,
        oodCount: ood ? ood.test.count + config.probe.oodPerClass * ood.train.classes : 0,
      }, (what) => progress.status(`estimating: timing a ${what}`));
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells; estimated ${formatDuration(seconds)} on ${info.driver} (measured steps; finished cells in ${dir} would be skipped)`);
      return 0;
    }
    return await runSweep(study, loaded, { driver, info, dir, configHash: hash, progress }, { config, cells, collect: true, shownDir: o.out ?? dir });
  } finally {
    await driver.dispose();
  }
}
