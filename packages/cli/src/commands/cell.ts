import { PROTOCOLS, type ProtocolName } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { readJsonFile } from '../study-config.js';
import { STUDIES } from '../studies/studies.js';
import { namedProtocol } from '../scale/study-plan.js';
import { chosenCell } from './cell-selection.js';
import { runStudyCommand } from './run.js';

export interface CellOptions {
  readonly config: string;
  readonly cell?: string;
  /** The plan's cell at this index instead of --cell (a Slurm array task id, a Kubernetes completion index). */
  readonly index?: number;
  /** Refuse to start unless the configuration hashes to this (what `ltssl submit` and `ltssl queue add` pass). */
  readonly configHash?: string;
  readonly out: string;
  readonly verbose?: boolean;
}

/**
 * The protocol of a cell: the one a study.json names, else the prefix of the
 * cell's id (ids start with their protocol: 'rwsam_simsiam_step_n1800_r0.01_s0').
 */
function protocolOf(file: Record<string, unknown>, o: CellOptions): ProtocolName {
  const named = namedProtocol(file, o.config);
  if (named) return named;
  if (o.cell === undefined) throw new UsageError(`${o.config} is a file of fields, which names no protocol: give --cell ID (its prefix names the protocol), or for --index the study.json a run (or 'ltssl submit', 'ltssl queue add') wrote`);
  const prefixed = PROTOCOLS.find((p) => o.cell!.startsWith(`${p}_`));
  if (!prefixed) throw new UsageError(`cannot tell the protocol of cell '${o.cell}': its id starts with none of ${PROTOCOLS.map((p) => `'${p}_'`).join(', ')} and ${o.config} is not a study.json naming one; copy the id from 'ltssl run <protocol> --dry-run'`);
  return prefixed;
}

/**
 * `ltssl cell --config FILE --cell ID --out DIR`: exactly one cell of a study
 * of any protocol, its result written to DIR/cells/ID.json. The unit an
 * external scheduler (a Slurm array, a Kubernetes Indexed Job, a queue
 * worker) runs. It never writes a SQLite file, since many machines may share
 * DIR: `ltssl collect` merges the result files afterwards. A finished cell of
 * the same configuration is skipped; one in progress resumes from its
 * checkpoints in DIR. The study command of `ltssl run`, for one cell.
 */
export async function cellCommand(context: RunContext, io: CliIO, o: CellOptions): Promise<number> {
  const study = STUDIES[protocolOf(await readJsonFile(o.config, 'config file'), o)];
  const cell = await chosenCell(study, o);
  return runStudyCommand(study, context, io, { config: o.config, cell, out: o.out, ...(o.verbose ? { verbose: true } : {}) });
}
