import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DelayedError, Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { cellLeaseName, clearDeadLease, describeLeaseOwner, isLeaseHeld, leaseOwner, readCellFile, STUDY_FILES, THIS_WRITER, writeStudyFiles } from '@ltssl/experiments';
import type { GlobalOptions } from '../global-options.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { globalArguments } from '../scale/ltssl-command.js';
import { parseCellJobData, type CellJobData } from '../scale/queue-job.js';
import { connectRedis } from '../scale/redis-connection.js';
import { runCellChild, type CellChild } from '../scale/run-cell-child.js';
import { SIGNAL_EXIT_CODES, type StopSignal } from '../stop-signals.js';
import { STUDIES } from '../studies/studies.js';
import { formatDuration } from '../progress.js';
import { planStudy } from '../scale/study-plan.js';
import { writableFolder } from '../writable-out.js';
import { configChanged } from './cell-selection.js';

export interface QueueWorkerOptions {
  readonly redis: string;
  /** The folder the worker computes in: the study folder shared with the others (cells resume there), or its own. */
  readonly out: string;
  readonly queue: string;
  readonly lockDuration: number;
  readonly stalledInterval: number;
  readonly maxStalled: number;
  /** Exit once the queue holds no job to wait for (none waiting, delayed or running), instead of waiting for more. */
  readonly drain?: boolean;
}

/** The cell file's JSON as the queue returns it: `ltssl collect --queue` writes it back as a result file. */
export type CellJobResult = Record<string, unknown>;

/** How often --drain asks the queue whether anything is left. */
const DRAIN_POLL_MS = 1_000;

/** Exit code 2 for a job refused as bad input (a changed study.json), 1 for a cell that failed, else 0. */
interface Tally {
  completed: number;
  failed: number;
  refused: number;
}

/**
 * `ltssl queue worker`: takes cells from the queue one at a time and computes
 * each in a child process (`ltssl cell --index I --config-hash H` into --out),
 * so this process's event loop only renews the job's lock. A job whose lock
 * lapses (this worker killed) is handed to another worker by BullMQ's stalled
 * check; with a shared --out it resumes from the cell's last checkpoint,
 * otherwise it restarts the cell. The cell's result file goes back through the
 * queue as the job's return value (`ltssl collect --queue` writes it). A cell
 * whose lease another process holds is put back for later; SIGTERM or SIGINT
 * stops the cell at the end of a step (it checkpoints) and hands its job back.
 */
export async function queueWorkerCommand(globals: GlobalOptions, io: CliIO, o: QueueWorkerOptions): Promise<number> {
  for (const [flag, value, least] of [['--lock-duration', o.lockDuration, 1000], ['--stalled-interval', o.stalledInterval, 100], ['--max-stalled', o.maxStalled, 0]] as const) {
    if (value < least) throw new UsageError(`${flag} ${value}: give at least ${least}`);
  }
  const dir = resolve(o.out);
  await writableFolder(dir, "the worker's folder (--out)");
  const connection = await connectRedis(o.redis, { blocking: true });
  const out = (line: string): unknown => io.stdout.write(line + '\n');
  const tally: Tally = { completed: 0, failed: 0, refused: 0 };
  let stopping: StopSignal | undefined;
  let child: CellChild | undefined;

  const processJob = async (job: Job<unknown, CellJobResult>, token?: string): Promise<CellJobResult> => {
    const data = parseCellJobData(job.data);
    if (typeof data === 'string') throw new UnrecoverableError(`job ${job.id} is not a cell of 'ltssl queue add': ${data}`);
    out(`${data.cellId} (plan index ${data.index}, attempt ${job.attemptsStarted}): taken by ${THIS_WRITER.host} pid ${process.pid}`);
    const config = await studyJsonFor(dir, data);
    // Checked here as `ltssl cell --config-hash` checks it, to refuse a changed study.json without starting a process.
    const planned = await planStudy({ config }).catch((error: Error) => {
      throw new UnrecoverableError(error.message);
    });
    if (planned.hash !== data.configHash) throw new UnrecoverableError(configChanged(config, planned.hash, data.configHash, dir));
    const before = await finishedResult(dir, data);
    if (before) return before;
    if (await leaseHeld(dir, data.cellId)) return putBack(job, token, data);
    if (stopping) return handBack(job, token);
    const args = [...globalArguments(globals), 'cell', '--config', config, '--index', String(data.index), '--config-hash', data.configHash, '--out', dir];
    // The child's own error line ('ltssl: ...') becomes the job's failure, printed once by the 'failed' handler.
    const running = runCellChild(args, (line, stream) => (stream === 'stdout' ? out(`  ${line}`) : line.startsWith('ltssl: ') ? undefined : io.stderr.write(`  ${line}\n`)));
    child = running;
    const exit = await running.exited.finally(() => (child = undefined));
    const after = await finishedResult(dir, data);
    if (after) return after;
    if (stopping) return handBack(job, token);
    // `ltssl cell` leaves a cell whose lease a live process took in the meantime.
    if (exit.code === 0) return putBack(job, token, data);
    const why = exit.lastError ?? (exit.signal ? `its process was ended by ${exit.signal}` : `its process exited with ${exit.code}`);
    if (exit.code === EXIT.usage) throw new UnrecoverableError(why);
    // A cell whose work failed says why in its result file (ltssl cell prints it as a progress line, not on stderr).
    const failed = await readCellFile(dir, data.cellId);
    throw new Error(failed && 'result' in failed && failed.result.status === 'failed' && failed.result.error ? `the cell failed: ${failed.result.error}` : why);
  };

  /** The cell's result file when it is done for the job's configuration (computed now, or before by anyone sharing the folder). */
  const finishedResult = async (folder: string, data: CellJobData): Promise<CellJobResult | undefined> => {
    const verdict = await readCellFile(folder, data.cellId);
    if (!verdict || !('result' in verdict) || verdict.result.status !== 'done' || verdict.result.configHash !== data.configHash) return undefined;
    out(`${data.cellId}: done (${formatDuration(verdict.result.seconds)} of computing)`);
    return JSON.parse(await readFile(verdict.file, 'utf8')) as CellJobResult;
  };

  /** Stopping: the job goes back to the queue at once, and another worker (or this one, restarted) resumes the cell from its checkpoints. */
  const handBack = async (job: Job<unknown, CellJobResult>, token: string | undefined): Promise<never> => {
    await job.moveToWait(token);
    throw new WaitingError();
  };

  /** A cell another live process computes (its lease is held): back to the queue, to be asked for again after a lock's duration. */
  const putBack = async (job: Job<unknown, CellJobResult>, token: string | undefined, data: CellJobData): Promise<never> => {
    out(`${data.cellId}: being computed by ${await leaseHolder(dir, data.cellId)}; back to the queue for ${formatDuration(o.lockDuration / 1000)}`);
    await job.moveToDelayed(Date.now() + o.lockDuration, token);
    throw new DelayedError();
  };

  const worker = new Worker<unknown, CellJobResult>(o.queue, processJob, {
    connection,
    autorun: false,
    concurrency: 1,
    lockDuration: o.lockDuration,
    stalledInterval: o.stalledInterval,
    maxStalledCount: o.maxStalled,
    name: `${THIS_WRITER.host}:${process.pid}`,
  });
  worker.on('completed', () => void tally.completed++);
  worker.on('failed', (job, error) => {
    if (!job) return;
    const refused = error instanceof UnrecoverableError || error.name === 'UnrecoverableError';
    const final = refused || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) {
      if (refused) tally.refused++;
      else tally.failed++;
    }
    io.stderr.write(`ltssl: ${job.name}: ${error.message}${final ? '' : ` (attempt ${job.attemptsMade} of ${job.opts.attempts}; retried after a backoff)`}\n`);
  });
  worker.on('error', (error) => io.stderr.write(`ltssl: queue worker: ${error.message}\n`));

  const onSignal = (signal: StopSignal): void => {
    if (stopping) return;
    stopping = signal;
    out(`${signal}: stopping${child ? ' the cell at the end of its step (it checkpoints), then handing its job back' : ''}`);
    child?.stop();
    void worker.close();
  };
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]).map((name) => [name, () => onSignal(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);
  const stopDraining = o.drain ? drainWatch(o.queue, o.redis, () => void worker.close()) : undefined;
  out(`queue worker ${THIS_WRITER.host} pid ${process.pid}: queue '${o.queue}' at ${o.redis}, computing in ${dir}${o.drain ? '; exits when the queue is empty' : ''}`);
  try {
    await worker.run();
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
    await stopDraining?.();
    await worker.close();
    connection.disconnect();
  }
  out(`queue worker done: ${tally.completed} cells completed, ${tally.failed} failed, ${tally.refused} refused`);
  if (stopping) return SIGNAL_EXIT_CODES[stopping];
  return tally.refused > 0 ? EXIT.usage : tally.failed > 0 ? EXIT.failure : EXIT.ok;
}

/**
 * The study.json the child reads: the folder's own when it has one (shared
 * with the other workers: a configuration changed since the job was enqueued
 * is then refused, before a process starts), else one written from the
 * job's configuration (a worker with a folder of its own).
 */
async function studyJsonFor(dir: string, data: CellJobData): Promise<string> {
  const file = join(dir, STUDY_FILES.config);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const study = STUDIES[data.protocol];
    await writeStudyFiles(dir, { protocol: data.protocol, configHash: data.configHash, config: data.config, cells: study.cells(study.parse(data.config)) });
  }
  return file;
}

/** True when a live process holds the cell's lease in `dir` (one left by a dead process of this machine is cleared). */
async function leaseHeld(dir: string, cellId: string): Promise<boolean> {
  const lease = cellLeaseName(dir, cellId);
  return (await isLeaseHeld(lease)) && !(await clearDeadLease(lease));
}

/** Who holds a cell's lease, for the worker's line. */
async function leaseHolder(dir: string, cellId: string): Promise<string> {
  return describeLeaseOwner(await leaseOwner(cellLeaseName(dir, cellId)));
}

/** Under --drain: calls `onEmpty` once the queue holds nothing waiting, delayed or active (a stalled job counts as active until it is handed out again). */
function drainWatch(name: string, url: string, onEmpty: () => void): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const opened = connectRedis(url).then((connection) => ({ connection, queue: new Queue(name, { connection }) }));
  const check = async (): Promise<void> => {
    const { queue } = await opened;
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(counts).every((k) => k === 0)) return onEmpty();
    schedule();
  };
  // A failed look (Redis restarting) is tried again at the next tick.
  const schedule = (): void => {
    if (!closed) timer = setTimeout(() => void check().catch(schedule), DRAIN_POLL_MS);
  };
  schedule();
  return async () => {
    closed = true;
    clearTimeout(timer);
    const { connection, queue } = await opened;
    await queue.close();
    connection.disconnect();
  };
}
