import { describe, expect, it } from 'vitest';
import { bar, eta, formatDuration, Progress } from './progress.js';
import { DURATION } from './test-io.js';

describe('progress formatting', () => {
  it('formats durations without a 60 in the seconds', () => {
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(59.96)).toBe('1m00s');
    expect(formatDuration(959.6)).toBe('16m00s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('has a test pattern that accepts every form, so no test depends on the machine\'s speed', () => {
    const whole = new RegExp(`^${DURATION}$`);
    for (const s of [0.04, 12.34, 59.2, 59.96, 65, 959.6, 3725, 200_000, Number.NaN]) expect(formatDuration(s)).toMatch(whole);
    expect('59.2s').not.toMatch(whole);
  });

  it('estimates the remaining time from the mean so far, and draws bars', () => {
    expect(eta([10, 20], 3)).toBe('45.0 s');
    expect(eta([], 3)).toBe('?');
    expect(bar(5, 10, 10)).toBe('[#####-----]');
    expect(bar(0, 0, 4)).toBe('[----]');
  });
});

/** A Progress on captured output, with a clock and a heartbeat timer the test drives. */
function harness(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  let out = '';
  let now = 0;
  const beats: (() => void)[] = [];
  const progress = new Progress(
    { stdout: { write: (t: string) => (out += t), isTTY: options.tty ?? false }, stderr: { write: () => undefined } },
    { clock: () => now, every: (_ms, fn) => (beats.push(fn), () => beats.splice(beats.indexOf(fn), 1)), env: options.env ?? {} },
  );
  return {
    progress,
    output: () => out,
    lines: () => out.split('\n').filter((l) => l !== ''),
    at: (seconds: number) => void (now = seconds * 1000),
    beat: () => beats.forEach((b) => b()),
    beats,
  };
}

describe('Progress without a terminal (a pipe, a Slurm or CI log)', () => {
  it('prints a step line with the cell, phase, step, loss and ETA at most every 30 s', () => {
    const h = harness();
    for (let step = 1; step <= 100; step++) {
      h.at(step); // one step a second
      h.progress.phase('imbalance_simclr_n2100_r1_s0', 'pre-training', step, 100, 1 / step);
    }
    expect(h.lines()).toEqual([
      // At 30 s: 29 steps timed since step 1 took 29 s, 70 to go.
      'imbalance_simclr_n2100_r1_s0: pre-training step 30/100 (30%) loss 0.0333, ETA 1m10s',
      'imbalance_simclr_n2100_r1_s0: pre-training step 60/100 (60%) loss 0.0167, ETA 40.0 s',
      'imbalance_simclr_n2100_r1_s0: pre-training step 90/100 (90%) loss 0.0111, ETA 10.0 s',
    ]);
  });

  it('times each phase on its own, and a phase run again (another feature extraction) from its new start', () => {
    const h = harness();
    h.at(40);
    h.progress.phase('cell', 'features', 1, 10); // 40 s since the start: printed, no rate yet
    h.at(41);
    h.progress.phase('cell', 'features', 2, 10);
    h.at(80);
    h.progress.phase('cell', 'features', 3, 10); // 2 steps in 40 s: 7 left
    h.at(120);
    h.progress.phase('cell', 'kNN', 1, 4);
    expect(h.lines()).toEqual(['cell: features step 1/10 (10%), ETA ?', 'cell: features step 3/10 (30%), ETA 2m20s', 'cell: kNN step 1/4 (25%), ETA ?']);
  });

  it('repeats the last step line before 5 minutes pass without one while a step runs longer, and never after a permanent line', () => {
    const h = harness();
    const stop = h.progress.heartbeat();
    h.at(31);
    h.progress.phase('cell', 'fine-tuning', 1, 3, 2.5);
    // The heartbeat looks every 10 s and speaks within the last look before 5 minutes of silence.
    for (let t = 41; t < 31 + 290; t += 10) {
      h.at(t);
      h.beat();
    }
    expect(h.lines()).toHaveLength(1);
    h.at(31 + 290);
    h.beat();
    expect(h.lines()[1]).toBe('cell: fine-tuning step 1/3 (33%) loss 2.5000, ETA ? (no step finished in the last 4m50s)');
    h.at(31 + 300);
    h.beat();
    expect(h.lines()).toHaveLength(2);
    h.progress.line('cell: done');
    h.at(2000);
    h.beat();
    expect(h.lines()).toHaveLength(3);
    stop();
    expect(h.beats).toHaveLength(0);
  });

  it('has no colour and no carriage returns', () => {
    const h = harness();
    h.at(31);
    h.progress.phase('cell', 'linear probe', 5, 10, 0.5);
    expect(h.progress.paint('FAILED', 'red')).toBe('FAILED');
    expect(h.output()).not.toMatch(/[\r\x1b]/);
  });
});

describe('Progress on a terminal', () => {
  it('rewrites one status line with a bar, the loss and the ETA on every step, in colour', () => {
    const h = harness({ tty: true });
    h.at(1);
    h.progress.phase('cell', 'linear probe', 1, 20, 0.9);
    h.at(3);
    h.progress.phase('cell', 'linear probe', 5, 20, 0.7);
    const statuses = h.output().split('\r\x1b[2K').filter((s) => s !== '');
    expect(statuses).toHaveLength(2);
    expect(statuses[1]).toBe('cell linear probe [\x1b[32m#####\x1b[0m---------------] 5/20 loss 0.7000 \x1b[1mETA 7.5 s\x1b[0m');
    expect(h.progress.paint('FAILED', 'red')).toBe('\x1b[31mFAILED\x1b[0m');
  });

  it('draws no colour when NO_COLOR is set (no-color.org: any non-empty value)', () => {
    const h = harness({ tty: true, env: { NO_COLOR: '1' } });
    h.progress.phase('cell', 'kNN', 2, 4);
    expect(h.output()).toBe('\r\x1b[2Kcell kNN [##########----------] 2/4 ETA ?');
    expect(h.progress.paint('x', 'green')).toBe('x');
    expect(harness({ tty: true, env: { NO_COLOR: '' } }).progress.paint('x', 'green')).toBe('\x1b[32mx\x1b[0m');
  });
});
