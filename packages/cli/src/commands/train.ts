import {
  bindModel,
  correctCount,
  CounterRng,
  crossEntropy,
  hostTensor,
  Linear,
  minimize,
  RNG_STREAMS,
  Sgd,
  SmallCnn,
  startDriver,
  Tracer,
  type Program,
} from '@ltssl/core';
import { driverRegistrations } from '../container.js';
import { separableImages } from '../demo/separable-images.js';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';

export interface TrainDemoOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly samples: number;
  readonly classes: number;
  readonly size: number;
  readonly width: number;
  readonly lr: number;
  readonly noise: number;
  readonly seed: number;
}

/** The training step and the evaluation forward: two Programs sharing the model's state. */
function programs(o: TrainDemoOptions): { train: Program; evaluate: Program } {
  const build = (training: boolean): Program => {
    const tracer = new Tracer(training ? 'demo-train-step' : 'demo-evaluate');
    const batch = training ? o.batch : o.samples;
    const x = tracer.input('x', 'float32', [batch, 1, o.size, o.size]);
    const labels = tracer.input('labels', 'int32', [batch]);
    const encoder = new SmallCnn({ inChannels: 1, width: o.width });
    const head = new Linear(encoder.featureDim, o.classes);
    const ev = bindModel(tracer, encoder, { seed: o.seed, prefix: 'encoder.' });
    const hv = bindModel(tracer, head, { seed: o.seed, prefix: 'head.' });
    const logits = head.apply(hv, encoder.apply(ev, x, { training, prefix: 'encoder.' }), { training, prefix: 'head.' }); // [B, classes]
    const loss = crossEntropy(logits, labels);
    tracer.output('loss', loss);
    tracer.output('correct', correctCount(logits, labels));
    if (training) tracer.output('gradNorm', minimize(tracer, loss, [ev, hv], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), tracer.input('lr', 'float32', [])));
    return tracer.build();
  };
  return { train: build(true), evaluate: build(false) };
}

function checkOptions(o: TrainDemoOptions): void {
  const positive: (keyof TrainDemoOptions)[] = ['epochs', 'batch', 'samples', 'classes', 'size', 'width'];
  for (const key of positive) if (!Number.isInteger(o[key]) || o[key] < 1) throw new UsageError(`--${key} must be a positive integer, got ${o[key]}`);
  if (o.batch < 2) throw new UsageError('--batch must be at least 2 (BatchNorm needs two samples)');
  if (o.batch > o.samples) throw new UsageError(`--batch ${o.batch} is larger than --samples ${o.samples}`);
  if (o.classes < 2) throw new UsageError('--classes must be at least 2');
  if (!(o.lr > 0)) throw new UsageError(`--lr must be positive, got ${o.lr}`);
}

/**
 * `ltssl train` (demo until the study's methods land): trains the supervised
 * small CNN on generated, linearly separable images and prints the loss and the
 * training accuracy (eval mode, whole set) after every epoch.
 */
export async function trainDemoCommand(context: RunContext, io: CliIO, o: TrainDemoOptions): Promise<number> {
  checkOptions(o);
  const started = await startDriver(driverRegistrations(context.container), context.options.backend);
  for (const s of started.skipped) io.stderr.write(`skipped driver ${s.name}: ${s.reason}\n`);
  io.stdout.write(`driver: ${started.registration.name} (${started.info.device})\n`);
  const data = separableImages({ count: o.samples, classes: o.classes, channels: 1, size: o.size, noise: o.noise, seed: o.seed });
  const pixels = o.size * o.size;
  const { train, evaluate } = programs(o);
  const trainer = await started.driver.compile(train);
  const evaluator = await started.driver.compile(evaluate, { shareState: trainer });
  try {
    const steps = Math.floor(o.samples / o.batch);
    let accuracy = 0;
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const start = Date.now();
      const order = new CounterRng(o.seed, RNG_STREAMS.shuffle, epoch).permutation(o.samples);
      let lossSum = 0;
      for (let step = 0; step < steps; step++) {
        const x = new Float32Array(o.batch * pixels);
        const labels = new Int32Array(o.batch);
        for (let i = 0; i < o.batch; i++) {
          const index = order[step * o.batch + i]!;
          x.set(data.images.subarray(index * pixels, (index + 1) * pixels), i * pixels);
          labels[i] = data.labels[index]!;
        }
        const out = await trainer.run({ x: hostTensor('float32', [o.batch, 1, o.size, o.size], x), labels: hostTensor('int32', [o.batch], labels), lr: hostTensor('float32', [], [o.lr]) }, ['loss', 'gradNorm']);
        const loss = out.loss!.data[0]!;
        if (!Number.isFinite(loss) || !Number.isFinite(out.gradNorm!.data[0]!)) {
          throw new Error(`training diverged at epoch ${epoch + 1}, step ${step + 1}: loss ${loss}, gradient norm ${out.gradNorm!.data[0]}; lower --lr (now ${o.lr})`);
        }
        lossSum += loss;
      }
      const { correct } = await evaluator.run({ x: hostTensor('float32', [o.samples, 1, o.size, o.size], data.images), labels: hostTensor('int32', [o.samples], data.labels) }, ['correct']);
      accuracy = correct!.data[0]! / o.samples;
      const seconds = ((Date.now() - start) / 1000).toFixed(1);
      io.stdout.write(`epoch ${epoch + 1}/${o.epochs}  loss ${(lossSum / steps).toFixed(4)}  train accuracy ${(100 * accuracy).toFixed(1)}%  (${seconds} s)\n`);
    }
    io.stdout.write(`final train accuracy ${(100 * accuracy).toFixed(1)}%\n`);
    return 0;
  } finally {
    evaluator.dispose();
    trainer.dispose();
    await started.driver.dispose();
  }
}
