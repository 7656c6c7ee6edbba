// The training step the benchmarks time (forward + backward + SGD with momentum and weight decay): the
// small CNN (width 32) or ResNet-18 (CIFAR stem, width 64) on 3x32x32 images, a linear head to 10
// classes, cross-entropy. Shared by tools/bench/train-step-worker.mjs and tools/gpu-check/tune-webgpu.mjs,
// so the tuning run sweeps the layers the bench times.
import { bindModel, CounterRng, crossEntropy, hostTensor, Linear, minimize, ResNet18, RNG_STREAMS, Sgd, SmallCnn, Tracer } from '@ltssl/core';

export const STEP_MODELS = ['small-cnn', 'resnet18'];

export function stepProgram(model, batch, name = `bench-${model}`) {
  if (!STEP_MODELS.includes(model)) throw new Error(`unknown model '${model}'; choose ${STEP_MODELS.join(', ')}`);
  const tracer = new Tracer(name);
  const x = tracer.input('x', 'float32', [batch, 3, 32, 32]);
  const labels = tracer.input('labels', 'int32', [batch]);
  const lr = tracer.input('lr', 'float32', []);
  const encoder = model === 'small-cnn' ? new SmallCnn({ inChannels: 3, width: 32 }) : new ResNet18({ inChannels: 3, width: 64 });
  const head = new Linear(encoder.featureDim, 10);
  const ev = bindModel(tracer, encoder, { seed: 0, prefix: 'encoder.' });
  const hv = bindModel(tracer, head, { seed: 0, prefix: 'head.' });
  const logits = head.apply(hv, encoder.apply(ev, x, { training: true, prefix: 'encoder.' }), { training: true, prefix: 'head.' });
  const loss = crossEntropy(logits, labels);
  minimize(tracer, loss, [ev, hv], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  tracer.output('loss', loss);
  return tracer.build();
}

/** One batch of normal images and labels, and the learning rate, from the counter-based RNG. */
export function stepFeeds(batch) {
  const data = new Float32Array(batch * 3 * 32 * 32);
  new CounterRng(0, RNG_STREAMS.data, 0).fillNormal(data);
  const rng = new CounterRng(0, RNG_STREAMS.data, 1);
  return {
    x: hostTensor('float32', [batch, 3, 32, 32], data),
    labels: hostTensor('int32', [batch], Array.from({ length: batch }, (_, i) => rng.int(i, 10))),
    lr: hostTensor('float32', [], [0.01]),
  };
}
