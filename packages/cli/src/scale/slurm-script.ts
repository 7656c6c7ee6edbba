import { shellWord } from './ltssl-command.js';

/** Consecutive indices as ranges: [0, 1, 2, 3, 7, 9, 10] -> "0-3,7,9-10" (what sbatch --array takes). */
export function arrayRanges(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export interface SlurmScriptOptions {
  readonly protocol: string;
  /** The study folder every task writes into (shared by the nodes). */
  readonly dir: string;
  /** The study.json the tasks read (DIR/study.json) and the configuration hash they were submitted for. */
  readonly config: string;
  readonly configHash: string;
  /** The pending cells' plan indices: one array task each, its task id the index. */
  readonly indices: readonly number[];
  /** At most this many tasks at once (sbatch's %N). */
  readonly concurrency?: number;
  readonly gres?: string;
  readonly partition?: string;
  readonly time?: string;
  readonly cpusPerTask?: number;
  /** Where the tasks' logs go (%A_%a.out). */
  readonly logDir: string;
  /** The folder the tasks start in (relative paths in the configuration are read from it). */
  readonly workDir: string;
  /** The ltssl command, then its global options (--backend, --driver-module). */
  readonly ltssl: readonly string[];
}

/** Seconds before a time limit that Slurm sends SIGTERM: a cell stops at the end of its step and writes a checkpoint. */
export const SLURM_STOP_MARGIN_S = 120;

/**
 * An sbatch job-array script: one task per pending cell, its task id the
 * cell's plan index, `ltssl cell --index $SLURM_ARRAY_TASK_ID` into the
 * shared folder. --requeue lets Slurm put a task back after a node failure or
 * a preemption; the task then resumes its cell from the checkpoints in DIR
 * (the cell's lease keeps two tasks from computing one cell). ltssl replaces
 * the shell (exec), so the SIGTERM of a requeue, a cancel or --signal reaches
 * it and the cell checkpoints before it stops.
 */
export function slurmScript(o: SlurmScriptOptions): string {
  const array = `${arrayRanges(o.indices)}${o.concurrency === undefined ? '' : `%${o.concurrency}`}`;
  const directives = [
    `--job-name=ltssl-${o.protocol}`,
    `--array=${array}`,
    '--requeue',
    // A requeued task appends to its log instead of truncating what the first run wrote.
    '--open-mode=append',
    `--output=${o.logDir}/%A_%a.out`,
    `--chdir=${o.workDir}`,
    `--signal=B:TERM@${SLURM_STOP_MARGIN_S}`,
    ...(o.gres ? [`--gres=${o.gres}`] : []),
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
    ...(o.cpusPerTask !== undefined ? [`--cpus-per-task=${o.cpusPerTask}`] : []),
  ];
  const cell = [...o.ltssl, 'cell', '--config', o.config, '--index', '"$SLURM_ARRAY_TASK_ID"', '--config-hash', o.configHash, '--out', o.dir];
  return [
    '#!/bin/bash',
    `# ltssl submit slurm: ${o.indices.length} pending cell${o.indices.length === 1 ? '' : 's'} of the ${o.protocol} study in ${o.dir} (configuration ${o.configHash}).`,
    "# Each array task computes the plan's cell at index $SLURM_ARRAY_TASK_ID ('ltssl status DIR --cells' lists them).",
    // sbatch reads these lines itself, not through a shell: no quoting (plainDirective refuses what would need it).
    ...directives.map((d) => `#SBATCH ${d}`),
    'set -eu',
    cell.map((w) => (w === '"$SLURM_ARRAY_TASK_ID"' ? w : shellWord(w))).reduce((line, w) => `${line} ${w}`, 'exec'),
    '',
  ].join('\n');
}

/** Why `value` cannot go into an #SBATCH line (whitespace or quotes, which sbatch's own parser would split or keep), or undefined when it can. */
export function plainDirective(value: string): string | undefined {
  return /[\s"'\\]/.test(value) ? 'it holds whitespace, a quote or a backslash, which an #SBATCH line cannot carry' : undefined;
}
