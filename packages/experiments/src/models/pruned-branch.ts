import { initialValues, Variables, type Module, type NamedSpec, type Tensor, type Tracer } from '@ltssl/core';

/** Slots of the pruned branch's own BatchNorm layers: 'encoder_pruned.' + the encoder's state_dict names. */
export const PRUNED_PREFIX = 'encoder_pruned.';
/** The mask of each pruned kernel: 'prune_mask.' + the kernel's slot name ('prune_mask.encoder.conv1.weight'). */
export const MASK_PREFIX = 'prune_mask.';

/** Whether the encoder's parameter is a convolution kernel, the weights SDCLR prunes ([O, I, kH, kW]). */
export function isPrunable(spec: NamedSpec): boolean {
  return spec.trainable && spec.shape.length === 4;
}

/**
 * SDCLR's self-competitor (Jiang et al. 2021): the encoder bound a second
 * time, under PRUNED_PREFIX, whose convolution kernels are the dense
 * branch's own kernels times their masks (state slots MASK_PREFIX + kernel
 * name, 0/1, initially all 1, never trained; the method rewrites them between
 * epochs), so the two branches share every unpruned weight and the pruned
 * branch's gradient reaches the shared weights through the product. Every
 * other parameter and buffer (BatchNorm's, the official code's dual BN) is
 * the pruned branch's own slot. Slots already declared in this trace are
 * reused, and SAM's substitutes are honoured, as bindModel does.
 *
 * Apply the returned variables with `prefix: PRUNED_PREFIX`; listed among a
 * step's trained variables, they train and commit only the branch's own slots.
 */
export function bindPrunedBranch(tracer: Tracer, model: Module, dense: Variables, options: { readonly densePrefix: string; readonly seed: number }): PrunedBranch {
  const denseSpecs = model.specs(options.densePrefix);
  const specs: NamedSpec[] = [];
  const values = new Map<string, Tensor>();
  const masks: Tensor[] = [];
  for (const [i, spec] of model.specs(PRUNED_PREFIX).entries()) {
    const denseName = denseSpecs[i]!.fullName;
    const declare = (name: string, init: Parameters<Tracer['state']>[0]['init'], trainable: boolean): Tensor =>
      tracer.substituteFor(name) ?? tracer.stateTensor(name) ?? tracer.state({ name, dtype: spec.dtype, shape: spec.shape, init, trainable });
    if (isPrunable(spec)) {
      const mask = declare(`${MASK_PREFIX}${denseName}`, { kind: 'fill', value: 1 }, false); // like the kernel, 0/1
      masks.push(mask);
      specs.push({ ...spec, trainable: false });
      values.set(spec.fullName, dense.get(denseName).mul(mask)); // the shared kernel, pruned
    } else {
      const init = spec.init.kind === 'fill' ? spec.init : { kind: 'values' as const, values: initialValues(spec.init, spec.fullName, spec.shape, spec.dtype, options.seed) };
      specs.push(spec);
      values.set(spec.fullName, declare(spec.fullName, init, spec.trainable));
    }
  }
  return { variables: new Variables(specs, values), masks };
}

export interface PrunedBranch {
  readonly variables: Variables;
  /** The masks, one per pruned kernel, in the encoder's order. */
  readonly masks: readonly Tensor[];
}

/** The share of the pruned kernels' weights the masks keep, [] (a monitor: about 1 - p after the first re-pruning). */
export function maskDensity(masks: readonly Tensor[]): Tensor {
  const size = masks.reduce((n, m) => n + m.shape.reduce((a, b) => a * b, 1), 0);
  return masks.map((m) => m.sum()).reduce((a, b) => a.add(b)).div(size); // []
}
