import { initialValues, Variables, type Module, type Tensor, type Tracer } from '@ltssl/core';

export interface MomentumCopyNames {
  /** Slot prefix of the copy ('encoder_k.'). */
  readonly prefix: string;
  /** Slot prefix of the model it copies ('encoder.'). */
  readonly sourcePrefix: string;
}

/**
 * Declares `model` a second time as non-trainable state slots named prefix +
 * state_dict name, initialised with the values `bindModel` gives the source
 * (same seed, the source's names as RNG keys): MoCo's key encoder starts as a
 * copy of the query encoder (`param_k.data.copy_(param_q.data)`). bindModel
 * with the copy's prefix would key the RNG by the copy's names and start it
 * elsewhere. Slots already declared in this trace are reused.
 */
export function bindMomentumCopy(tracer: Tracer, model: Module, options: MomentumCopyNames & { readonly seed: number }): Variables {
  const sources = model.specs(options.sourcePrefix);
  const specs = model.specs(options.prefix).map((s) => ({ ...s, trainable: false }));
  const values = new Map<string, Tensor>();
  specs.forEach((spec, i) => {
    const init = spec.init.kind === 'fill' ? spec.init : { kind: 'values' as const, values: initialValues(spec.init, sources[i]!.fullName, spec.shape, spec.dtype, options.seed) };
    values.set(spec.fullName, tracer.stateTensor(spec.fullName) ?? tracer.state({ name: spec.fullName, dtype: spec.dtype, shape: spec.shape, init, trainable: false }));
  });
  return new Variables(specs, values);
}

/**
 * MoCo's momentum update (He et al. 2020, eq. 2; BYOL's target update), traced into the step:
 * k <- m k + (1 - m) q for every parameter of `model` (m a number, or a
 * float32 [] input for a scheduled momentum), q the source's current
 * (pre-step) value under stopGradient, as MoCo's torch.no_grad(). The new
 * values replace the copy's in `copy`, so forward passes through the copy use
 * them and committing its buffers writes them back. Buffers (BatchNorm's
 * running statistics) are not averaged: the copy's own forward passes update
 * them, as MoCo averages `parameters()` only.
 */
export function momentumUpdate(copy: Variables, source: Variables, model: Module, options: MomentumCopyNames & { readonly momentum: number | Tensor }): void {
  const m = options.momentum;
  // A momentum fed per step (BYOL's schedule) is a float32 [] input; 1 - m is traced once for every parameter.
  const rest = typeof m === 'number' ? 1 - m : m.neg().add(1);
  const sources = model.specs(options.sourcePrefix);
  model.specs(options.prefix).forEach((spec, i) => {
    if (!spec.trainable) return;
    const q = source.get(sources[i]!.fullName).stopGradient();
    copy.set(spec.fullName, copy.get(spec.fullName).mul(m).add(q.mul(rest)));
  });
}
