import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureFolder, pendingPlanIndices, STUDY_FILES, writeStudyFiles } from '@ltssl/experiments';
import type { GlobalOptions } from '../global-options.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { findExecutable } from '../scale/find-executable.js';
import { commandWords, globalArguments, thisLtssl } from '../scale/ltssl-command.js';
import { arrayRanges, plainDirective, slurmScript } from '../scale/slurm-script.js';
import { planStudy, type StudySource } from '../scale/study-plan.js';
import { writableFolder } from '../writable-out.js';

export interface SubmitSlurmOptions extends StudySource {
  readonly out: string;
  readonly concurrency?: number;
  readonly gres?: string;
  readonly partition?: string;
  readonly time?: string;
  readonly cpusPerTask?: number;
  /** The ltssl command on the compute nodes (default: this Node.js and this CLI, by absolute path). */
  readonly ltssl?: string;
  readonly dryRun?: boolean;
}

/** Where the scripts and the tasks' logs go inside the study folder. */
export const SLURM_FOLDER = 'slurm';

const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;

/**
 * `ltssl submit slurm`: an sbatch job array of the study's pending cells
 * (one task per cell, its task id the cell's plan index), written to
 * DIR/slurm/ and submitted with sbatch (unless --dry-run); prints the job id.
 * DIR must be a folder every node sees: the tasks write their results and
 * checkpoints there, and a requeued task resumes from them. Everything is
 * checked before anything is written: the configuration, sbatch on PATH, the
 * folder writable.
 */
export async function submitSlurmCommand(globals: GlobalOptions, io: CliIO, o: SubmitSlurmOptions): Promise<number> {
  if (o.concurrency !== undefined && o.concurrency < 1) throw new UsageError(`--concurrency ${o.concurrency}: give at least 1 task at a time`);
  const planned = await planStudy(o);
  const dir = resolve(o.out);
  const workDir = process.cwd();
  for (const [what, value] of [['--out', dir], ['the current folder', workDir], ['--gres', o.gres], ['--partition', o.partition], ['--time', o.time]] as const) {
    const why = value === undefined ? undefined : plainDirective(value);
    if (why) throw new UsageError(`${what} ${value}: ${why}; use a path (or value) without them`);
  }
  const out = (line: string): unknown => io.stdout.write(line + '\n');
  // A finished study is the answer wherever the command runs, sbatch or not: the folder is only read for it.
  const found = existsSync(dir) && statSync(dir).isDirectory() ? await pendingPlanIndices(dir, planned.cells, planned.hash) : undefined;
  if (found?.length === 0) {
    out(`all ${plural(planned.cells.length, 'cell')} of ${dir} are done (configuration ${planned.hash}): nothing to submit; 'ltssl collect ${o.out}' merges them`);
    return EXIT.ok;
  }
  const sbatch = o.dryRun ? undefined : findExecutable('sbatch');
  if (!o.dryRun && !sbatch) throw new UsageError("sbatch is not on PATH: run 'ltssl submit slurm' on a machine of the Slurm cluster (a login node), or write the script with --dry-run and submit it there with sbatch");
  await writableFolder(dir, 'the study folder (--out)');
  // A folder made just now holds no results: every cell is pending.
  const indices = found ?? (await pendingPlanIndices(dir, planned.cells, planned.hash));
  await writeStudyFiles(dir, { protocol: planned.protocol, configHash: planned.hash, config: planned.config, cells: planned.cells });
  const logDir = join(dir, SLURM_FOLDER);
  await ensureFolder(logDir, 'the folder of the Slurm scripts and logs');
  const script = join(logDir, `ltssl-${planned.protocol}-${planned.hash}.sbatch`);
  const ltssl = [...(o.ltssl ? commandWords(o.ltssl) : thisLtssl()), ...globalArguments(globals)];
  await writeFile(
    script,
    slurmScript({
      protocol: planned.protocol,
      dir,
      config: join(dir, STUDY_FILES.config),
      configHash: planned.hash,
      indices,
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      ...(o.gres ? { gres: o.gres } : {}),
      ...(o.partition ? { partition: o.partition } : {}),
      ...(o.time ? { time: o.time } : {}),
      ...(o.cpusPerTask !== undefined ? { cpusPerTask: o.cpusPerTask } : {}),
      logDir,
      workDir,
      ltssl,
    }),
  );
  await chmod(script, 0o755);
  const tasks = `${plural(indices.length, 'array task')} (plan indices ${arrayRanges(indices)} of ${planned.cells.length}${o.concurrency === undefined ? '' : `, at most ${o.concurrency} at a time`})`;
  if (!sbatch) {
    out(`wrote ${script}: ${tasks}; submit it with: sbatch ${script}`);
    return EXIT.ok;
  }
  const run = spawnSync(sbatch, ['--parsable', script], { encoding: 'utf8' });
  if (run.error) throw new Error(`sbatch could not be started (${run.error.message}); the script is ${script}`);
  if (run.status !== 0) throw new Error(`sbatch refused ${script} (exit ${run.status}): ${run.stderr.trim().replace(/\s*\n\s*/g, ' | ') || 'no message'}`);
  const jobId = run.stdout.trim().split(';')[0]!;
  out(`submitted batch job ${jobId}: ${tasks} from ${script}; logs in ${logDir}/${jobId}_<index>.out; 'ltssl status ${o.out} --cells' follows the cells, 'ltssl collect ${o.out}' merges them when they are done`);
  return EXIT.ok;
}
