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

/**
 * Progress for long work: on a terminal, one line rewritten in place for
 * steps; elsewhere (CI, pipes, log files) only whole lines, so logs stay
 * readable. `line` always prints a permanent line.
 */
export class Progress {
  readonly #tty: boolean;
  #transient = false;

  constructor(readonly io: CliIO) {
    this.#tty = io.stdout.isTTY === true;
  }

  /** A status that the next status or line replaces (terminals only). */
  status(text: string): void {
    if (!this.#tty) return;
    this.io.stdout.write(`\r\x1b[2K${text}`);
    this.#transient = true;
  }

  line(text: string): void {
    if (this.#transient) this.io.stdout.write('\r\x1b[2K');
    this.#transient = false;
    this.io.stdout.write(`${text}\n`);
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
