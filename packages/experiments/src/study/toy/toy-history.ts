import type { FitCallbacks } from '../../train/fit.js';
import type { EpochMetrics } from '../../train/pretrain.js';

/** Windows of steps the history is averaged over (whatever the step count). */
const HISTORY_WINDOWS = 10;

/** What an arm's training left: its history and its last step. */
export interface ToyTraining {
  /**
   * Ten entries, each the mean over a window of steps. `epoch` is the window's
   * index (EpochMetrics counts whole units); the passes over the training set
   * done at its end are the monitor 'passes'.
   */
  readonly history: EpochMetrics[];
  /** The last step's outputs: 'loss', 'gradNorm' and the monitors. */
  readonly last: Readonly<Record<string, number>>;
}

/**
 * A fit callback that averages an arm's `steps` steps into ten windows (the
 * arms' step counts differ from their epochs: SSL's last epoch may be cut
 * short). `epochsPerStep` is the passes over the training set one step makes
 * (1 full-batch, B / n with minibatches).
 */
export function toyHistory(steps: number, epochsPerStep: number): { readonly callbacks: FitCallbacks; readonly history: EpochMetrics[] } {
  const window = Math.ceil(steps / HISTORY_WINDOWS);
  const history: EpochMetrics[] = [];
  let sums: Record<string, number> = {};
  let done = 0;
  let started = Date.now();
  const onStep: FitCallbacks['onStep'] = ({ values }) => {
    for (const [n, v] of Object.entries(values)) sums[n] = (sums[n] ?? 0) + v;
    const inWindow = (done % window) + 1;
    if (inWindow === window || done === steps - 1) {
      const mean = (n: string): number => sums[n]! / inWindow;
      const monitors = Object.keys(values).filter((n) => n !== 'loss');
      history.push({ epoch: history.length, loss: mean('loss'), monitors: { passes: (done + 1) * epochsPerStep, ...Object.fromEntries(monitors.map((n) => [n, mean(n)])) }, seconds: (Date.now() - started) / 1000 });
      sums = {};
      started = Date.now();
    }
    done++;
  };
  return { callbacks: { onStep }, history };
}
