import type { CliIO } from './io.js';

/** "1m52s" / "12.3 s" for durations in seconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  // Round once, then split: 959.6 s is 16m00s, never 15m60s.
  const total = Math.round(seconds);
  const m = Math.floor(total / 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(total % 60).padStart(2, '0')}s`;
}

/** Milliseconds since some fixed point; injected so tests drive time without waiting. */
export type Clock = () => number;

/** Calls `fn` every `ms` milliseconds until the returned function is called; injected like the clock. */
export type Every = (ms: number, fn: () => void) => () => void;

const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  timer.unref(); // a heartbeat never keeps the process alive
  return () => clearInterval(timer);
};

export interface ProgressOptions {
  readonly clock?: Clock;
  readonly every?: Every;
  /** For NO_COLOR (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Without a terminal, step lines are this far apart at least... */
export const PLAIN_MIN_MS = 30_000;
/** ...and, while work runs, this far apart at most (a heartbeat repeats the last step when none finished). */
export const PLAIN_MAX_MS = 300_000;
/** How often the heartbeat looks; it speaks once the silence is within one look of PLAIN_MAX_MS, so no gap exceeds it. */
const HEARTBEAT_MS = 10_000;

const COLORS = { green: 32, red: 31, bold: 1 } as const;

/** Where one phase of one unit of work stands, for the ETA and the heartbeat. */
interface PhaseState {
  readonly label: string;
  readonly phase: string;
  readonly total: number;
  /** When and at which step this run of the phase was first seen (a resumed phase starts part-way). */
  readonly startedAt: number;
  readonly startDone: number;
  done: number;
  loss: number | undefined;
}

/**
 * Progress for long work: on a terminal, one line rewritten in place for
 * steps, with a bar, the loss and the ETA; elsewhere (CI, pipes, Slurm logs)
 * only whole lines: a step line at most every 30 s, and while work runs at
 * least every 5 minutes, so a log stays readable and a long cell is never
 * silent. `line` always prints a permanent line. Colour only on a terminal,
 * and never when NO_COLOR is set (no-color.org).
 */
export class Progress {
  readonly #tty: boolean;
  readonly #color: boolean;
  readonly #clock: Clock;
  readonly #every: Every;
  #transient = false;
  #lastPlain: number;
  #phase: PhaseState | undefined;
  #lastStep = 0;

  constructor(
    readonly io: CliIO,
    options: ProgressOptions = {},
  ) {
    this.#tty = io.stdout.isTTY === true;
    const noColor = (options.env ?? process.env)['NO_COLOR'];
    this.#color = this.#tty && (noColor === undefined || noColor === '');
    this.#clock = options.clock ?? (() => performance.now());
    this.#every = options.every ?? realEvery;
    this.#lastPlain = this.#clock();
  }

  /** `text` in a colour when colours are on (a terminal, no NO_COLOR), else as it is. */
  paint(text: string, color: keyof typeof COLORS): string {
    return this.#color ? `\x1b[${COLORS[color]}m${text}\x1b[0m` : text;
  }

  /** A status that the next status or line replaces (terminals only). */
  status(text: string): void {
    if (!this.#tty) return;
    this.io.stdout.write(`\r\x1b[2K${text}`);
    this.#transient = true;
  }

  /** A permanent line; it ends the step being shown (a finished cell's line is not followed by its last step). */
  line(text: string): void {
    this.#print(text);
    this.#phase = undefined;
  }

  #print(text: string): void {
    if (this.#transient) this.io.stdout.write('\r\x1b[2K');
    this.#transient = false;
    this.io.stdout.write(`${text}\n`);
    this.#lastPlain = this.#clock();
  }

  /**
   * `done` of `total` steps of `phase` ('pre-training', 'features', 'linear
   * probe', 'kNN', 'fine-tuning') of `label` (a cell id) are finished; `loss`
   * when the phase trains. The ETA is the phase's rate so far over what is left.
   */
  phase(label: string, phase: string, done: number, total: number, loss?: number): void {
    const now = this.#clock();
    this.#lastStep = now;
    const p = this.#phase;
    if (!p || p.label !== label || p.phase !== phase || p.total !== total || done < p.done) {
      // A new phase, or the same one run again (each feature extraction): timed from its first step seen.
      this.#phase = { label, phase, total, startedAt: now, startDone: done, done, loss };
    } else {
      p.done = done;
      p.loss = loss;
    }
    if (this.#tty) return this.status(this.#describe(this.#phase!, now, true));
    if (now - this.#lastPlain >= PLAIN_MIN_MS) this.#print(this.#describe(this.#phase!, now, false));
  }

  /**
   * While work runs without a terminal: repeats the latest step line before
   * 5 minutes pass without a line (a step that takes longer than that).
   * Returns the function that stops it.
   */
  heartbeat(): () => void {
    if (this.#tty) return () => undefined;
    return this.#every(HEARTBEAT_MS, () => {
      const now = this.#clock();
      if (this.#phase && now - this.#lastPlain >= PLAIN_MAX_MS - HEARTBEAT_MS) this.#print(`${this.#describe(this.#phase, now, false)} (no step finished in the last ${formatDuration((now - this.#lastStep) / 1000)})`);
    });
  }

  #describe(p: PhaseState, now: number, tty: boolean): string {
    const stepsTimed = p.done - p.startDone;
    const remaining = stepsTimed > 0 ? formatDuration(((now - p.startedAt) / 1000 / stepsTimed) * (p.total - p.done)) : '?';
    const loss = p.loss === undefined ? '' : ` loss ${p.loss.toFixed(4)}`;
    const percent = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
    if (tty) return `${p.label} ${p.phase} ${this.#bar(p.done, p.total)} ${p.done}/${p.total}${loss} ${this.paint(`ETA ${remaining}`, 'bold')}`;
    return `${p.label}: ${p.phase} step ${p.done}/${p.total} (${percent}%)${loss}, ETA ${remaining}`;
  }

  #bar(done: number, total: number): string {
    const drawn = bar(done, total);
    const filled = drawn.indexOf('-') < 0 ? drawn.length - 1 : drawn.indexOf('-');
    return `[${this.paint(drawn.slice(1, filled), 'green')}${drawn.slice(filled, -1)}]`;
  }
}

/** Remaining time from the mean duration of the units done so far. */
export function eta(secondsDone: readonly number[], remaining: number): string {
  if (secondsDone.length === 0) return '?';
  const mean = secondsDone.reduce((a, b) => a + b, 0) / secondsDone.length;
  return formatDuration(mean * remaining);
}

/** A text progress bar: '[#######-------------]'. */
export function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
