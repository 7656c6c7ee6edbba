import { PROTOCOLS, type ProtocolName } from '@ltssl/experiments';

/** The BullMQ queue `ltssl queue` uses unless --queue names another. */
export const DEFAULT_QUEUE = 'ltssl';

/**
 * What one job of the queue carries: enough to compute the cell on a machine
 * that has nothing of the study (the whole validated configuration), and the
 * configuration hash it was enqueued for.
 */
export interface CellJobData {
  readonly protocol: ProtocolName;
  readonly cellId: string;
  /** The cell's plan index: what the worker hands `ltssl cell --index`. */
  readonly index: number;
  readonly configHash: string;
  readonly config: unknown;
  /** The study folder `ltssl queue add --out` named (absolute, on the machine that enqueued). */
  readonly dir: string;
}

/**
 * The job id of a cell: its id and its configuration hash, so adding the same
 * study twice enqueues each cell once (BullMQ keeps one job per id), while a
 * changed configuration is a different job. No ':' (BullMQ's key separator).
 */
export function cellJobId(cellId: string, configHash: string): string {
  return `${cellId}@${configHash}`;
}

/** The job's data, or why it is not a job `ltssl queue add` wrote (another program's, or another version's). */
export function parseCellJobData(data: unknown): CellJobData | string {
  const d = data as Partial<Record<keyof CellJobData, unknown>> | null;
  if (typeof d !== 'object' || d === null) return 'its data is not an object';
  if (typeof d.protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(d.protocol)) return `its protocol ${JSON.stringify(d.protocol)} is none of ${PROTOCOLS.join(', ')}`;
  if (typeof d.cellId !== 'string' || d.cellId === '') return 'it names no cell (cellId)';
  if (typeof d.index !== 'number' || !Number.isInteger(d.index) || d.index < 0) return 'its plan index is not a whole number';
  if (typeof d.configHash !== 'string' || !/^[0-9a-f]+$/.test(d.configHash)) return 'its configHash is not a hash';
  if (typeof d.config !== 'object' || d.config === null) return 'it carries no configuration';
  if (typeof d.dir !== 'string') return 'it names no study folder (dir)';
  return d as CellJobData;
}

/**
 * The queue's settings. Defaults are short, so a killed worker's cell goes to
 * another within about half a minute (and the tests run quickly); docs/scale.md
 * gives the values for cells that run for hours. The lock is renewed by the
 * worker process, never blocked by training (which runs in a child), so the
 * lock duration only sets how soon a dead worker is noticed (and how long a
 * cell another process is computing waits before it is asked for again).
 */
export const QUEUE_DEFAULTS = {
  /** A job's lock lives this long unless renewed (BullMQ renews it at half). */
  lockDurationMs: 15_000,
  /** How often a worker looks for jobs whose lock expired (stalled), to hand them out again. */
  stalledIntervalMs: 5_000,
  /** A job stalled more often than this (its workers died each time) is failed. */
  maxStalled: 3,
  /** Tries of a cell that fails (its result says failed, or its process crashed). */
  attempts: 3,
  /** The first retry's delay; each next one doubles it. */
  backoffMs: 5_000,
} as const;
