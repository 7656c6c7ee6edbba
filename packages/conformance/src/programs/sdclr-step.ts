import { bindModel, CounterRng, hashName, l2Normalize, Linear, logSoftmax, minimize, ReLU, RNG_STREAMS, Sequential, Sgd, SmallCnn, Tracer, Variables, concat, type NamedSpec, type Program, type Tensor } from '@ltssl/core';
import type { TwoViewStepShape } from './two-view-step-shape.js';

export interface SdclrStepOptions extends TwoViewStepShape {
  /** Share of each kernel's entries the seeded masks zero. */
  readonly pruned: number;
  readonly temperature: number;
}

/**
 * An SDCLR-style step, the parts whose state is new: 0/1 masks as state slots
 * over the encoder's convolution kernels ('prune_mask.encoder.*', seeded
 * here; experiments' SDCLR rewrites them between epochs by magnitude), a
 * pruned branch that convolves with kernel x mask (the same weights, so its
 * gradient reaches them through the product) and normalises with its own
 * BatchNorm slots ('encoder_pruned.*'), a shared head, and NT-Xent between
 * the dense branch on view 1 and the pruned one on view 2. Inputs x1, x2, lr.
 */
export function sdclrStep(o: SdclrStepOptions): Program {
  const tracer = new Tracer('sdclr-small-cnn');
  const [x1, x2] = [1, 2].map((i) => tracer.input(`x${i}`, 'float32', [o.batch, o.channels, o.size, o.size])) as [Tensor, Tensor];
  const lr = tracer.input('lr', 'float32', []);
  const encoder = new SmallCnn({ inChannels: o.channels, width: o.width });
  const head = new Sequential(new Linear(encoder.featureDim, o.hiddenDim), new ReLU(), new Linear(o.hiddenDim, o.projectorDim));
  const ev = bindModel(tracer, encoder, { seed: o.seed, prefix: 'encoder.' });
  const hv = bindModel(tracer, head, { seed: o.seed, prefix: 'projector.' });
  // The pruned branch: masked shared kernels, its own BatchNorm parameters and statistics (all filled: 1, 0, 0, 1, 0).
  const specs: NamedSpec[] = [];
  const values = new Map<string, Tensor>();
  encoder.specs('encoder_pruned.').forEach((spec, i) => {
    const dense = encoder.specs('encoder.')[i]!.fullName;
    if (spec.shape.length !== 4) {
      if (spec.init.kind !== 'fill') throw new Error(`sdclrStep: expected only BatchNorm slots besides the kernels, got '${spec.fullName}'`);
      specs.push(spec);
      values.set(spec.fullName, tracer.state({ name: spec.fullName, dtype: spec.dtype, shape: spec.shape, init: spec.init, trainable: spec.trainable }));
      return;
    }
    const draws = new CounterRng(o.seed, RNG_STREAMS.state, hashName(`prune_mask.${dense}`));
    const maskValues = Float32Array.from({ length: spec.shape.reduce((a, b) => a * b, 1) }, (_, k) => (draws.uniform(k) < o.pruned ? 0 : 1));
    const mask = tracer.state({ name: `prune_mask.${dense}`, dtype: 'float32', shape: spec.shape, init: { kind: 'values', values: maskValues }, trainable: false });
    specs.push({ ...spec, trainable: false });
    values.set(spec.fullName, ev.get(dense).mul(mask));
  });
  const pruned = new Variables(specs, values);
  const embed = (x: Tensor, vars: Variables, prefix: string): Tensor => head.apply(hv, encoder.apply(vars, x, { training: true, prefix }), { training: true, prefix: 'projector.' }); // [B, d]
  const z = l2Normalize(concat([embed(x1, ev, 'encoder.'), embed(x2, pruned, 'encoder_pruned.')], 0)); // [2B, d]
  const n = 2 * o.batch;
  const eye = Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
  const positive = Array.from({ length: n * n }, (_, k) => (Math.abs(Math.floor(k / n) - (k % n)) === o.batch ? 1 : 0));
  const logits = z.matmul(z, false, true).div(o.temperature).add(tracer.constant(eye, 'float32', [n, n]).mul(-1e9)); // [2B, 2B], self-pairs out
  const loss = logSoftmax(logits, 1).mul(tracer.constant(positive, 'float32', [n, n])).sum().div(n).neg(); // []
  // pruned trains its BatchNorm slots and commits their statistics; its kernels are the dense ones, masked.
  minimize(tracer, loss, [ev, hv, pruned], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  tracer.output('loss', loss);
  return tracer.build();
}
