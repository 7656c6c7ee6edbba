import type { Module, Tensor, Variables } from '@ltssl/core';

/**
 * c <- m c + (1 - m) sg(s) for every parameter of `model` bound as the copy
 * (under `copyPrefix`) and as the source (under `sourcePrefix`): MoCo's key
 * encoder (m a number) and BYOL's target network (m a float32 [] input, fed
 * per step). The moved values replace the copy's in `copy`, so its forward
 * pass and its commit see them.
 */
export function emaUpdate(model: Module, copy: Variables, source: Variables, [copyPrefix, sourcePrefix]: readonly [string, string], m: number | Tensor): void {
  const rest = typeof m === 'number' ? 1 - m : m.neg().add(1);
  const sourceNames = model.specs(sourcePrefix).map((s) => s.fullName);
  model.specs(copyPrefix).forEach((spec, i) => {
    if (spec.trainable) copy.set(spec.fullName, copy.get(spec.fullName).mul(m).add(source.get(sourceNames[i]!).stopGradient().mul(rest)));
  });
}
