import { cellAtIndex, planIndexRange } from '@ltssl/experiments';
import { studyConfigHash } from '../studies/study-config-hash.js';
import { UsageError } from '../io.js';
import type { Study } from '../studies/study.js';
import { studyConfig } from './run.js';

/** How `ltssl cell` is told its cell: by id, or by plan index (what a scheduler hands out), and optionally the configuration it was handed out for. */
export interface CellChoice {
  readonly config: string;
  readonly out: string;
  readonly cell?: string;
  readonly index?: number;
  /** The configuration hash the scheduler was given the cell for (`ltssl submit`, `ltssl queue add`). */
  readonly configHash?: string;
}

/**
 * The id of the cell to compute: --cell as given, or the plan's cell at
 * --index. With --config-hash the configuration must still hash to it: a
 * study.json changed after its cells were handed out would otherwise compute
 * (and overwrite) cells of a configuration nobody asked for. Checked before
 * any work, as a usage error.
 */
export async function chosenCell(study: Study<unknown, unknown>, o: CellChoice): Promise<string> {
  if ((o.cell === undefined) === (o.index === undefined)) throw new UsageError("give exactly one of --cell ID and --index I (the cell's position in the plan, as 'ltssl status DIR --cells' lists it)");
  if (o.index === undefined && o.configHash === undefined) return o.cell!;
  const config = await studyConfig(study, { config: o.config });
  const hash = await studyConfigHash(config);
  if (o.configHash !== undefined && hash !== o.configHash) throw new UsageError(configChanged(o.config, hash, o.configHash, o.out));
  if (o.index === undefined) return o.cell!;
  const cells = study.cells(config);
  const cell = cellAtIndex(cells, o.index);
  if (!cell) throw new UsageError(`--index ${o.index}: the ${study.protocol} study of ${o.config} plans ${cells.length} cells, indices ${planIndexRange(cells)}`);
  return cell.id;
}

/** The one line for a study.json whose configuration is no longer the one its cells were handed out for. */
export function configChanged(config: string, hash: string, expected: string, out: string): string {
  return `${config} is configuration ${hash}, but this cell was handed out for configuration ${expected}: the study changed after its cells were submitted or enqueued, and no cell of it was computed; submit the pending cells again ('ltssl submit slurm' or 'ltssl queue add' with --config ${config} --out ${out}), or restore the study.json of ${expected}`;
}
