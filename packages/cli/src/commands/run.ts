import { resolve } from 'node:path';
import { describeLeaseOwner, formatSizeProblems, isSweepStopped, studyLockName, tryLease, type CellSpec, type Lease, type SweepStoppedError } from '@ltssl/experiments';
import { studyConfigHash } from '../studies/study-config-hash.js';
import { writableFolder } from '../writable-out.js';
import { SIGNAL_EXIT_CODES, stopOnSignals, type StopSignal } from '../stop-signals.js';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { formatDuration, Progress } from '../progress.js';
import { FIELD_FLAGS, flagFields, readJsonFile, resolveConfig, writtenConfig, type StudyFlags } from '../study-config.js';
import { runSweep } from '../studies/run-sweep.js';
import { STUDIES } from '../studies/studies.js';
import type { Study } from '../studies/study.js';
import { startStudyDriver } from '../studies/study-driver.js';

export interface RunOptions extends StudyFlags {
  /** The study folder; default runs/<protocol>-<preset> (runs/<protocol> without a preset). */
  readonly out?: string;
  readonly dryRun?: boolean;
  /** Compute only this cell and write no SQLite file (`ltssl cell`). */
  readonly cell?: string;
  /** Print what the engine reports about each compiled program (Executable.diagnostics). */
  readonly verbose?: boolean;
}

/**
 * A study's configuration from the flags: a flag the protocol does not take
 * is refused with its reason; then the preset (named, else the protocol's
 * default, else none), the --config file's fields and the flags' are merged
 * by the one rule (resolveConfig) and validated. A study.json written by a
 * run holds a whole configuration, so no preset goes under it.
 */
export async function studyConfig<C, D>(study: Study<C, D>, flags: StudyFlags): Promise<C> {
  for (const refusal of study.refuses ?? []) {
    const given = refusal.flags.filter((f) => flags[f] !== undefined);
    if (given.length > 0) throw new UsageError(`${refusal.flags.map((f) => FIELD_FLAGS[f]).join(' and ')} ${refusal.flags.length > 1 ? 'do' : 'does'} not apply to the ${study.protocol} protocol: ${refusal.because}`);
  }
  const presets = study.presets;
  if (flags.preset && !presets) {
    const withPresets = Object.values(STUDIES).filter((s) => s.presets).map((s) => s.protocol);
    throw new UsageError(`--preset applies to the ${withPresets.join(' and ')} protocols; the ${study.protocol} protocol takes --config`);
  }
  const file = flags.config ? await readJsonFile(flags.config, 'config file') : undefined;
  const written = file && flags.config ? writtenConfig(file, flags.config, study.protocol) : undefined;
  if (written && flags.preset) throw new UsageError(`${flags.config} is a study.json, the whole configuration of a run: --preset does not go under it; drop --preset, or give a file of the fields to change`);
  const name = written ? undefined : (flags.preset ?? presets?.default);
  const preset = name === undefined ? undefined : presets?.named[name];
  if (name !== undefined && !preset) {
    throw new UsageError(`unknown ${study.protocol} preset '${name}'; choose one of: ${Object.keys(presets?.named ?? {}).join(', ')}${presets?.default ? '' : ' (or none, for the defaults)'}`);
  }
  const needs = name === undefined ? undefined : presets?.needsData?.[name];
  if (needs && !flags.data && !flags.config) throw new UsageError(needs);
  return resolveConfig(preset as Record<string, unknown> | undefined, written ?? file, flagFields(flags), study.parse);
}

/** The cells to compute: the whole plan, or the one `--cell` names. */
function cellsToRun(protocol: string, planned: readonly CellSpec[], o: RunOptions): readonly CellSpec[] {
  if (o.cell === undefined) return planned;
  const cell = planned.find((c) => c.id === o.cell);
  if (!cell) throw new UsageError(`no cell '${o.cell}' in the ${protocol} study of ${o.config}; its cells are: ${planned.map((c) => c.id).join(', ')}`);
  return [cell];
}

/**
 * `ltssl run <protocol>` and `ltssl cell`: the one study command. Resolves
 * the configuration, plans the cells, loads the data and checks that it holds
 * every size the configuration asks for (a problem is a usage error, exit 2,
 * before any work), then computes the cells (a rerun skips finished cells
 * and resumes the one in progress from its checkpoints). The folder is made
 * and checked writable before the work (a usage error when it cannot hold
 * the study) and `ltssl run` locks it for its sweep; SIGINT, SIGTERM and
 * SIGHUP stop the sweep at the end of a step with one line on how to resume
 * (exit 130, 143, 129). --dry-run prints the cells and the checks, then
 * times steps on the driver for an estimate.
 */
export async function runStudyCommand<C, D>(study: Study<C, D>, context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  const config = await studyConfig(study, o);
  const hash = await studyConfigHash(config);
  const planned = study.cells(config);
  const cells = cellsToRun(study.protocol, planned, o);
  const preset = o.preset ?? study.presets?.default;
  const shownDir = o.out ?? `runs/${study.protocol}${preset ? `-${preset}` : ''}`;
  const dir = resolve(shownDir);
  const progress = new Progress(io);
  const data = await study.load(config, dir);
  const sizes = study.checkSizes(config, data);
  if (sizes.problems.length > 0) throw new UsageError(`the ${study.protocol} configuration asks for more than its data holds: ${formatSizeProblems(sizes.problems)}`);
  // Then the folder, before any work: made and written to (a read-only or full disk is one line now), and
  // locked for the sweep, so a second 'ltssl run' on it is refused; 'ltssl cell' workers share it cell by cell.
  let lock: Lease | undefined;
  if (!o.dryRun) {
    await writableFolder(dir, 'the study folder (--out)');
    if (o.cell === undefined) lock = await lockStudy(dir, study.protocol);
  }
  try {
    return await computeStudy(study, context, io, o, { config, hash, planned, cells, dir, shownDir, progress, lock, data, checked: sizes.checked });
  } finally {
    await lock?.release();
  }
}

/** Takes the lease on the whole study folder for `ltssl run`, or says who holds it. */
async function lockStudy(dir: string, protocol: string): Promise<Lease> {
  const attempt = await tryLease(studyLockName(dir), `ltssl run ${protocol}`);
  if ('lease' in attempt) return attempt.lease;
  throw new Error(
    `${dir} is in use by ${describeLeaseOwner(attempt.heldBy)}: one 'ltssl run' at a time computes a study folder; wait for it to finish, or add workers to it with 'ltssl cell --config ${dir}/study.json --cell ID --out ${dir}'`,
  );
}

/** "stopped by SIGTERM in X in epoch 2 after 5 steps; rerun ... to resume: ..." */
function stoppedLine(signal: StopSignal | undefined, stop: SweepStoppedError): string {
  const where = stop.inCell ? `in ${stop.cell} ${stop.inCell.where}` : `before ${stop.cell}`;
  const resume = stop.describeResume();
  const how = `rerun the same command to resume: finished cells are kept${resume ? `, ${resume}` : ''}`;
  return signal ? `stopped by ${signal} ${where}; ${how}` : `stopped ${where}: ${stop.reason instanceof Error ? stop.reason.message : String(stop.reason)}; ${how}`;
}

interface Planned<C, D> {
  readonly config: C;
  readonly data: D;
  /** The size checks passed, for --dry-run. */
  readonly checked: readonly string[];
  readonly hash: string;
  readonly planned: readonly CellSpec[];
  readonly cells: readonly CellSpec[];
  readonly dir: string;
  readonly shownDir: string;
  readonly progress: Progress;
  readonly lock: Lease | undefined;
}

/** The study command's work once the data and the folder are ready: the driver, the sweep (or the estimate). */
async function computeStudy<C, D>(study: Study<C, D>, context: RunContext, io: CliIO, o: RunOptions, p: Planned<C, D>): Promise<number> {
  const { config, hash, planned, cells, dir, shownDir, progress, data } = p;
  for (const line of study.header(config, data, planned, dir)) progress.line(line);
  if (o.dryRun) {
    for (const cell of cells) progress.line(`  ${cell.id}`);
    progress.line(`checks passed: ${p.checked.join('; ')}`);
  }
  const { driver, info } = await startStudyDriver(context, io, progress, { verbose: o.verbose === true });
  const stop = stopOnSignals((signal) => io.stderr.write(`ltssl: a second ${signal}: stopping at once; rerun the same command to resume from the checkpoints written so far\n`));
  try {
    if (o.dryRun) {
      if (!study.estimate) {
        progress.line(`${cells.length} cells${study.cellTime ? ` (${study.cellTime})` : ''}`);
        return 0;
      }
      progress.line(`timing steps for the estimate: a training step of each method and a feature batch on ${info.driver} (a minute or more for a large encoder on a CPU)`);
      const seconds = await study.estimate(driver, config, cells, data, (what) => progress.status(`estimating: timing a ${what}`));
      progress.line(`${cells.length} cells; estimated ${formatDuration(seconds)} on ${info.driver} (measured steps; finished cells in ${dir} would be skipped)`);
      return 0;
    }
    const one = o.cell !== undefined;
    const signal = p.lock ? AbortSignal.any([stop.signal, p.lock.lost]) : stop.signal;
    const holder = one ? `ltssl cell ${o.cell}` : `ltssl run ${study.protocol}`;
    try {
      return await runSweep(study, data, { driver, info, dir, configHash: hash, progress, signal }, { config, cells, ...(one ? { planned } : {}), collect: !one, shownDir, holder });
    } catch (error) {
      if (!isSweepStopped(error)) throw error;
      const received = stop.received();
      io.stderr.write(`ltssl: ${stoppedLine(received, error)}\n`);
      return received ? SIGNAL_EXIT_CODES[received] : 1;
    }
  } finally {
    stop.dispose();
    await driver.dispose();
  }
}
