import { startDriver, type Driver } from '@ltssl/core';
import {
  buildFeatureProgram,
  classIndex,
  DEFAULT_DATASET,
  extractFeatures,
  knnAccuracy,
  linearProbeAugmented,
  linearProbeCached,
  loadDataset,
  loadEncoder,
  sampleBalanced,
  type LoadedEncoder,
  type PhaseProgress,
} from '@ltssl/experiments';
import { driverRegistrations } from '../container.js';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { Progress } from '../progress.js';

export interface EvalOptions {
  readonly checkpoint: string;
  readonly probe: 'linear' | 'knn';
  readonly data?: string;
  readonly oodData?: string;
  readonly probeAugment?: boolean;
  readonly probeEpochs: number;
  readonly knnK: number;
  readonly seed: number;
}

export interface EvalResult {
  readonly dataset: string;
  readonly top1: number;
  readonly perClass?: readonly number[];
}

/** Encoder input size: the checkpoint's training set's, else the dataset's own. */
async function evaluateOn(driver: Driver, encoder: LoadedEncoder, name: string, o: EvalOptions, progress: Progress): Promise<EvalResult> {
  const data = await loadDataset(name);
  if (data.train.channels !== encoder.spec.inChannels) {
    throw new UsageError(`the encoder takes ${encoder.spec.inChannels}-channel images but '${data.name}' has ${data.train.channels} channels`);
  }
  const { height, width } = data.train;
  const features = await driver.compile(buildFeatureProgram(encoder.spec, 256, height, width));
  try {
    await features.writeState(encoder.state);
    // The probe trains on a balanced train split: the largest balanced subset of the train set.
    const perClass = Math.min(...classIndex(data.train).available);
    const balanced = sampleBalanced(data.train, perClass, o.seed, { draw: 0 });
    const phases: PhaseProgress = { onPhaseStep: (phase, done, total, loss) => progress.phase(data.name, phase, done, total, loss) };
    progress.line(`${data.name}: ${o.probe === 'knn' ? 'kNN' : o.probeAugment ? 'linear probe (official protocol, augmented)' : 'linear probe (cached features)'} on ${balanced.indices.length} balanced train images, ${data.test.count} test images`);
    if (o.probe === 'linear' && o.probeAugment) {
      const accuracy = await linearProbeAugmented(driver, features, {
        encoder: encoder.spec,
        train: { set: data.train, indices: balanced.indices },
        test: data.test,
        normalization: data.normalization,
        height,
        width,
        epochs: o.probeEpochs,
        seed: o.seed,
        progress: phases,
      });
      return { dataset: data.name, top1: accuracy.top1, perClass: accuracy.perClass };
    }
    const train = await extractFeatures(features, data.train, data.normalization, balanced.indices, phases);
    const test = await extractFeatures(features, data.test, data.normalization, undefined, phases);
    if (o.probe === 'knn') return { dataset: data.name, top1: await knnAccuracy(driver, train, test, { k: o.knnK, temperature: 0.07, classes: data.train.classes, progress: phases }) };
    const accuracy = await linearProbeCached(driver, train, test, { classes: data.train.classes, epochs: o.probeEpochs, seed: o.seed, progress: phases });
    return { dataset: data.name, top1: accuracy.top1, perClass: accuracy.perClass };
  } finally {
    features.dispose();
  }
}

/**
 * `ltssl eval --checkpoint FILE --probe linear|knn`: evaluates an encoder from
 * an ltssl checkpoint or a PyTorch state_dict saved as safetensors, in domain
 * (--data, default the checkpoint's dataset) and out of domain (--ood-data).
 */
export async function evalCommand(context: RunContext, io: CliIO, o: EvalOptions): Promise<number> {
  if (o.probeAugment && o.probe !== 'linear') throw new UsageError('--probe-augment applies to --probe linear only');
  if (!Number.isInteger(o.probeEpochs) || o.probeEpochs < 1) throw new UsageError(`--probe-epochs must be a positive integer, got ${o.probeEpochs}`);
  const encoder = await loadEncoder(o.checkpoint);
  const progress = new Progress(io);
  progress.line(`encoder: ${encoder.spec.arch} width ${encoder.spec.width}, ${encoder.spec.inChannels} input channel(s), from ${encoder.source}`);
  const started = await startDriver(driverRegistrations(context.container), context.options.backend);
  for (const s of started.skipped) io.stderr.write(`skipped driver ${s.name}: ${s.reason}\n`);
  progress.line(`driver ${started.registration.name} (${started.info.device})`);
  try {
    const results: EvalResult[] = [];
    const inDomain = o.data ?? encoder.metadata?.dataset ?? DEFAULT_DATASET;
    for (const name of [inDomain, ...(o.oodData ? [o.oodData] : [])]) {
      const r = await evaluateOn(started.driver, encoder, name, o, progress);
      results.push(r);
      const perClass = r.perClass ? `  per class: ${r.perClass.map((a) => (100 * a).toFixed(1)).join(' ')}` : '';
      progress.line(`${name === inDomain ? 'in domain' : 'out of domain'} ${r.dataset}: top-1 ${(100 * r.top1).toFixed(2)}%${perClass}`);
    }
    return 0;
  } finally {
    await started.driver.dispose();
  }
}
