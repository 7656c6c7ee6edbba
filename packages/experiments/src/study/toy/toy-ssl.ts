import { bindModel, cosineLr, CounterRng, hostTensor, minimize, RNG_STREAMS, Sgd, Tracer, type Driver, type Executable, type Program } from '@ltssl/core';
import { trainBatches } from '../../data/batches.js';
import type { ToyGaussianData } from '../../data/toy/toy-gaussians.js';
import type { ToyConfig } from './toy-config.js';
import { TOY_ENCODER_PREFIX, TOY_WEIGHT_SLOT, toyEncoder, type ToyShape } from './toy-encoder.js';
import { toySslLoss } from './toy-losses.js';
import { fit, type FitEpoch } from '../../train/fit.js';
import { toyHistory, type ToyTraining } from './toy-history.js';

/**
 * One SGD step of the SSL arm: the views x + sigma xi and x + sigma xi' of a
 * batch, both through W, and the paper's objective (toySslLoss). The noise
 * enters as the feeds 'xi1', 'xi2' (standard normal, drawn on the host from
 * CounterRng), so the Program holds no random op and every driver sees the
 * same draws. Labels are never seen.
 *
 * Inputs 'x', 'xi1', 'xi2' [B, d] and 'lr'; outputs 'loss', 'gradNorm'.
 */
export function buildToySslStep(shape: ToyShape, batch: number, augmentStd: number, seed: number): Program {
  const tracer = new Tracer('toy-ssl-step');
  const x = tracer.input('x', 'float32', [batch, shape.dim]);
  const xi1 = tracer.input('xi1', 'float32', [batch, shape.dim]);
  const xi2 = tracer.input('xi2', 'float32', [batch, shape.dim]);
  const encoder = toyEncoder(shape);
  const ev = bindModel(tracer, encoder, { seed, prefix: TOY_ENCODER_PREFIX });
  const represent = (view: typeof x): typeof x => tracer.scope('encoder', () => encoder.apply(ev, view, { training: true, prefix: TOY_ENCODER_PREFIX }));
  const z1 = represent(x.add(xi1.mul(augmentStd))); // [B, m]
  const z2 = represent(x.add(xi2.mul(augmentStd))); // [B, m]
  const loss = toySslLoss(z1, z2, ev.get(TOY_WEIGHT_SLOT)); // []
  const gradNorm = minimize(tracer, loss, [ev], new Sgd(), tracer.input('lr', 'float32', []));
  tracer.output('loss', loss);
  tracer.output('gradNorm', gradNorm);
  return tracer.build();
}

/**
 * Trains the SSL arm on `data` without its labels: shuffled batches per epoch
 * (CounterRng shuffle stream), and the noise of example i's view v in epoch e
 * is normal draws (2i + v) d .. (2i + v + 1) d - 1 of the augment stream at
 * step e, so a draw depends on (seed, epoch, example, view) only. The caller
 * disposes the executable; W is its slot 'encoder.weight'.
 */
export async function trainToySsl(driver: Driver, config: ToyConfig, data: ToyGaussianData, seed: number): Promise<{ executable: Executable; training: ToyTraining }> {
  const { dim } = data;
  const { batch, steps } = config.ssl;
  const executable = await driver.compile(buildToySslStep({ dim, width: config.width }, batch, config.ssl.augmentStd, seed));
  try {
    const x = hostTensor('float32', [batch, dim]);
    const xi1 = hostTensor('float32', [batch, dim]);
    const xi2 = hostTensor('float32', [batch, dim]);
    const perEpoch = Math.floor(data.count / batch);
    // The last epoch is cut short when the steps are not a whole number of epochs.
    const epoch = (e: number): FitEpoch => {
      const batches = trainBatches(data.count, batch, { seed, epoch: e });
      const noise = new CounterRng(seed, RNG_STREAMS.augment, e);
      return {
        steps: Math.min(perEpoch, steps - e * perEpoch),
        feeds: (step) => {
          const { indices } = batches[step]!;
          for (let k = 0; k < batch; k++) {
            const i = indices[k]!;
            const row = [k * dim, (k + 1) * dim] as const;
            x.data.set(data.features.subarray(i * dim, (i + 1) * dim), row[0]);
            noise.fillNormal(xi1.data.subarray(...row), 0, 1, 2 * i * dim); // view 1 of example i
            noise.fillNormal(xi2.data.subarray(...row), 0, 1, (2 * i + 1) * dim); // view 2
          }
          return { x, xi1, xi2 };
        },
      };
    };
    // Cosine over the steps, not the epochs: the same decay whatever the batch.
    const lr = (e: number, step: number): number => cosineLr({ baseLr: config.ssl.lr, totalEpochs: steps }, e * perEpoch + step);
    const recorder = toyHistory(steps, batch / data.count);
    const { last } = await fit({ name: 'toy-ssl', executable, epochs: Math.ceil(steps / perEpoch), epoch, lr, callbacks: [recorder.callbacks] });
    return { executable, training: { history: recorder.history, last: last! } };
  } catch (error) {
    executable.dispose();
    throw error;
  }
}
