import type { z } from 'zod';
import { contrastiveLoss } from '../losses/contrastive-loss.js';
import { embedTwoViews } from '../models/two-view-embedding.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption, positiveNumberOption } from './method-options.js';
import { cosineTemperature, cosineTemperatureOption, resolveCosineTemperature } from './temperature-schedule.js';

/** The step input of the scheduled temperature. */
export const TEMPERATURE_INPUT = 'temperature';

/** SimCLR's options, each optional. */
export const simclrOptionsSchema = methodOptionsObject('simclr', {
  /** Hidden width of the Linear-ReLU-Linear head g. Default 2048 (SimCLR's head on ResNet-50 features). */
  projectorHiddenDim: positiveIntegerOption().optional(),
  /** Output dimension of g, where the loss is computed. Default 128 (SimCLR). */
  projectorDim: positiveIntegerOption().optional(),
  /** Temperature tau of NT-Xent, > 0. Default 0.5 (SimCLR on CIFAR-10, Chen et al. 2020, App. B.9; SupContrast's SimCLR command). */
  temperature: positiveNumberOption().optional(),
  /**
   * A cosine schedule of tau instead of a fixed one (Kukleva et al., ICLR 2023):
   * {min, max, periodEpochs}, defaults 0.1, 1, 200; fed per step as the input
   * 'temperature'. Not with `temperature`.
   */
  temperatureSchedule: cosineTemperatureOption().optional(),
}).refine((o) => o.temperature === undefined || o.temperatureSchedule === undefined, {
  error: 'simclr: give temperature (a fixed tau) or temperatureSchedule (a scheduled one), not both',
});
export type SimClrOptions = z.input<typeof simclrOptionsSchema>;

/**
 * SimCLR (Chen et al. 2020), the SSL method of the paper's semi-synthetic
 * study: encoder f + head g on both views as one batch of 2B, NT-Xent with each
 * image's other view as its only positive (contrastiveLoss with instance ids).
 * Defaults: SGD momentum 0.9, weight decay 1e-4, lr 0.5 at batch 1024, i.e.
 * base 0.125 x batch / 256: the SimCLR command of HobbitLong/SupContrast's
 * README with its main_supcon.py defaults (SimCLR's own CIFAR runs use LARS,
 * which core does not have).
 * With temperatureSchedule, tau follows Kukleva et al.'s cosine schedule,
 * evaluated at each step's fractional epoch and fed as the float32 [] input
 * 'temperature' (so the schedule never recompiles the step).
 */
export function simclr(options: SimClrOptions = {}): Method {
  const o = parseMethodOptions('simclr', simclrOptionsSchema, options);
  const hiddenDim = o.projectorHiddenDim ?? 2048;
  const outDim = o.projectorDim ?? 128;
  const schedule = o.temperatureSchedule ? resolveCosineTemperature(o.temperatureSchedule) : undefined;
  const temperature = o.temperature ?? 0.5;
  return {
    name: 'simclr',
    views: 2,
    usesLabels: false,
    defaults: { baseLr: 0.125, momentum: 0.9, weightDecay: 1e-4, batch: 1024 },
    ...(schedule ? { schedules: [{ name: TEMPERATURE_INPUT, value: (at) => cosineTemperature(schedule, at.epoch + at.step / at.steps) }] } : {}),
    trace({ tracer, encoder: spec, seed, views, shape, scheduled }) {
      const { encoderVars, projectorVars, z } = embedTwoViews({ tracer, spec, seed, views, hiddenDim, outDim }); // z [2B, d]
      const b = shape.batch;
      const ids = tracer.constant(Array.from({ length: 2 * b }, (_, i) => i % b), 'int32', [2 * b]); // [2B]: both views of image i carry id i
      const tau = schedule ? scheduled[TEMPERATURE_INPUT] : temperature;
      if (tau === undefined) throw new Error(`simclr: the step has no '${TEMPERATURE_INPUT}' input for its temperature schedule; build it with buildTrainStep`);
      return { loss: contrastiveLoss(z, ids, tau), trained: [encoderVars, projectorVars] };
    },
  };
}
