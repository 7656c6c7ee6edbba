import { startDriver } from '@ltssl/core';
import {
  createMethod,
  directoryCheckpointStore,
  isStopRequested,
  loadDataset,
  METHOD_OPTIONS,
  planTrainRun,
  pretrain,
  type TrainRunOptions,
  type MethodOptions,
} from '@ltssl/experiments';
import { driverRegistrations } from '../container.js';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { SIGNAL_EXIT_CODES, stopOnSignals } from '../stop-signals.js';
import { writableFolder } from '../writable-out.js';
import { eta, formatDuration, Progress } from '../progress.js';

/** `ltssl train`'s flags: the run (planTrainRun's options), the dataset, and where checkpoints go. */
export interface TrainOptions extends TrainRunOptions {
  readonly data: string;
  readonly out?: string;
  readonly checkpointEvery: number;
}

function checkOptions(o: TrainOptions): void {
  if (!(o.ratio > 0 && o.ratio <= 1)) throw new UsageError(`--ratio must be in (0, 1] (smallest over largest class prior), got ${o.ratio}`);
  const counts: [string, number | undefined, string][] = [
    ['--epochs', o.epochs, ''],
    ['--batch', o.batch, ''],
    ['--total', o.total, ' (images in the pre-training subset)'],
    ['--width', o.width, " (the encoder's first-stage channels)"],
    ['--checkpoint-every', o.checkpointEvery, ' (epochs between checkpoints)'],
    ['--knn-k', o.knnK, ' (neighbours of the kNN monitor)'],
  ];
  for (const [flag, value, what] of counts) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new UsageError(`${flag} must be a positive integer${what}, got ${value}`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${o.seed}`);
  if (o.batch < 2) throw new UsageError('--batch must be at least 2 (BatchNorm needs two samples)');
  if (o.lr !== undefined && !(o.lr > 0)) throw new UsageError(`--lr must be positive, got ${o.lr}`);
  if (o.knnEvery < 0 || !Number.isInteger(o.knnEvery)) throw new UsageError(`--knn-every must be a non-negative integer, got ${o.knnEvery}`);
}

/**
 * `ltssl train --method NAME`: pre-trains one encoder on a (long-tailed subset
 * of a) dataset and prints loss, the method's monitors, kNN accuracy and ETA
 * per epoch. With --out it checkpoints every E epochs and resumes from the
 * newest checkpoint when rerun.
 */
export async function trainCommand(context: RunContext, io: CliIO, o: TrainOptions): Promise<number> {
  checkOptions(o);
  const flag = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const foreign = Object.entries(o.methodOptions).filter(([k, v]) => v !== undefined && !METHOD_OPTIONS[o.method].includes(k as keyof MethodOptions));
  if (foreign.length > 0) {
    const takes = METHOD_OPTIONS[o.method].map(flag);
    throw new UsageError(`${foreign.map(([k]) => flag(k)).join(', ')} ${foreign.length === 1 ? 'does' : 'do'} not apply to ${o.method}; it takes ${takes.length > 0 ? takes.join(', ') : 'no method options'}`);
  }
  try {
    // The method's own schema, before any data is read: a bad value is a usage error (exit 2).
    createMethod(o.method, o.methodOptions);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  // Before any work: an --out that cannot take the checkpoints is one line now, not after the training.
  if (o.out) await writableFolder(o.out, 'the checkpoint folder (--out)');
  const data = await loadDataset(o.data);
  const plan = planTrainRun(data, o);
  const { encoder, counts } = plan;
  const images = plan.pretrain.indices.length;
  if (images < o.batch) throw new UsageError(`the training set holds ${images} images, fewer than one batch of ${o.batch}; lower --batch`);
  const started = await startDriver(driverRegistrations(context.container), context.options.backend);
  for (const s of started.skipped) io.stderr.write(`skipped driver ${s.name}: ${s.reason}\n`);
  const progress = new Progress(io);
  progress.line(`${o.method} on ${data.name} (${images} images${counts ? `, ${o.profile} r=${o.ratio}: [${counts.join(', ')}]` : ''}), ${encoder.arch} width ${encoder.width} (${plan.featureDim} features)`);
  progress.line(`driver ${started.registration.name} (${started.info.device}); ${o.epochs} epochs, batch ${o.batch}, lr ${plan.lr.toPrecision(3)} (cosine), seed ${o.seed}`);
  const epochSeconds: number[] = [];
  const run = { method: o.method, seed: o.seed, encoder, normalization: data.normalization, dataset: data.name, configHash: plan.configHash };
  const stop = stopOnSignals((signal) => io.stderr.write(`ltssl: a second ${signal}: stopping at once${o.out ? '; rerun the same command to resume from the checkpoints written so far' : ''}\n`));
  // Piped, a step line at least every 5 minutes even while one step runs longer.
  const stopHeartbeat = progress.heartbeat();
  let result;
  try {
    result = await pretrain(
      started.driver,
      { ...plan.pretrain, signal: stop.signal, ...(o.out ? { checkpoints: { store: directoryCheckpointStore(o.out, run), every: o.checkpointEvery } } : {}) },
      {
        onResume: (done) => progress.line(`resuming from the checkpoint after epoch ${done}`),
        onStep: (epoch, step, steps, loss) => progress.phase(o.method, 'pre-training', epoch * steps + step + 1, o.epochs * steps, loss),
        onEpoch: (m, epochs) => {
          epochSeconds.push(m.seconds);
          const monitors = Object.entries(m.monitors).map(([k, v]) => `${k} ${v.toFixed(4)}`);
          const knn = m.knnAccuracy === undefined ? [] : [`kNN ${(100 * m.knnAccuracy).toFixed(1)}%`];
          progress.line([`epoch ${m.epoch + 1}/${epochs}`, `loss ${m.loss.toFixed(4)}`, ...monitors, ...knn, formatDuration(m.seconds), `ETA ${eta(epochSeconds, epochs - m.epoch - 1)}`].join('  '));
        },
      },
    );
  } catch (error) {
    const received = stop.received();
    if (!isStopRequested(error) || !received) throw error;
    await started.driver.dispose();
    const at = error.checkpoint;
    const resume = !o.out
      ? 'nothing was saved (no --out)'
      : at && (at.epochs > 0 || at.steps > 0)
        ? `rerun the same command to resume from the checkpoint after epoch ${at.epochs}${at.steps > 0 ? ` and ${at.steps} steps` : ''}`
        : 'no checkpoint was written yet: a rerun starts again';
    io.stderr.write(`ltssl: stopped by ${received} ${error.where}; ${resume}\n`);
    return SIGNAL_EXIT_CODES[received];
  } finally {
    stopHeartbeat();
    stop.dispose();
  }
  result.executable.dispose();
  await started.driver.dispose();
  progress.line(o.out ? `done; checkpoints in ${o.out}` : 'done (no --out: nothing saved)');
  return 0;
}
