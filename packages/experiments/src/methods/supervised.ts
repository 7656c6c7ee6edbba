import { bindModel, correctCount, crossEntropyPerExample, Linear } from '@ltssl/core';
import type { z } from 'zod';
import { createEncoder, ENCODER_PREFIX } from '../models/encoder.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions } from './method-options.js';

/** The supervised arm takes no options (its head is a Linear layer to the classes); any field is an error. */
export const supervisedOptionsSchema = methodOptionsObject('supervised', {});
export type SupervisedOptions = z.input<typeof supervisedOptionsSchema>;

/**
 * The study's SL arm: encoder + linear classifier trained with cross-entropy
 * on the (imbalanced) labels; the head is dropped for evaluation, exactly as
 * SSL's projector is. Defaults: SGD momentum 0.9, weight decay 5e-4, lr 0.1 at
 * batch 128 (the usual CIFAR recipe; base 0.2 x batch / 256).
 */
export function supervised(options: SupervisedOptions = {}): Method {
  parseMethodOptions('supervised', supervisedOptionsSchema, options);
  return {
    name: 'supervised',
    views: 1,
    usesLabels: true,
    defaults: { baseLr: 0.2, momentum: 0.9, weightDecay: 5e-4, batch: 128 },
    trace({ tracer, encoder: spec, seed, views, labels, shape }) {
      if (!labels) throw new Error('supervised: the step needs labels');
      const encoder = createEncoder(spec);
      const head = new Linear(encoder.featureDim, shape.classes);
      const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
      const hv = bindModel(tracer, head, { seed, prefix: 'head.' });
      const features = tracer.scope('encoder', () => encoder.apply(ev, views[0]!, { training: true, prefix: ENCODER_PREFIX })); // [B, D]
      const logits = tracer.scope('head', () => head.apply(hv, features, { training: true, prefix: 'head.' })); // [B, classes]
      const perExample = crossEntropyPerExample(logits, labels); // [B]
      // Training accuracy of the batch (the head's), logged per epoch.
      const accuracy = correctCount(logits, labels).cast('float32').div(labels.shape[0]!); // []
      return { loss: perExample.mean(), perExample, trained: [ev, hv], monitors: { accuracy } };
    },
  };
}
