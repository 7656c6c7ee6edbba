import { resolve } from 'node:path';
import { configHash, imbalanceCells, runCells, runImbalanceCell } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { formatDuration, Progress } from '../progress.js';
import { imbalanceConfig } from '../study-config.js';
import { loadStudyData, startStudyDriver } from './run.js';

export interface CellOptions {
  readonly config: string;
  readonly cell: string;
  readonly out: string;
}

/**
 * `ltssl cell --config FILE --cell ID --out DIR`: exactly one cell of a study,
 * its result written to DIR/cells/ID.json. The unit an external scheduler
 * (a Slurm array, a Kubernetes Indexed Job, a queue worker) runs; many
 * machines never share one SQLite file: `ltssl collect` merges their folders.
 */
export async function cellCommand(context: RunContext, io: CliIO, o: CellOptions): Promise<number> {
  const config = await imbalanceConfig({ config: o.config });
  const hash = configHash(config);
  const cells = imbalanceCells(config);
  const cell = cells.find((c) => c.id === o.cell);
  if (!cell) throw new UsageError(`no cell '${o.cell}' in ${o.config}; its cells are: ${cells.map((c) => c.id).join(', ')}`);
  const dir = resolve(o.out);
  const progress = new Progress(io);
  const { data, ood } = await loadStudyData(config);
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    const summary = await runCells({
      dir,
      protocol: 'imbalance',
      config,
      configHash: hash,
      cells: [cell],
      runCell: (c) => runImbalanceCell(c, config, { driver, info, data, ...(ood ? { ood } : {}), studyDir: dir, configHash: hash }),
      onCell: (c, outcome, result) =>
        progress.line(outcome === 'skipped' ? `${c.id}: done before, skipped` : `${c.id}: ${result!.status}${result!.error ? ` (${result!.error})` : ''} in ${formatDuration(result!.seconds)}`),
    });
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await driver.dispose();
  }
}
