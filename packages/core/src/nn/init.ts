import type { DType } from '../ir/dtype.js';
import { sizeOf, type Shape } from '../ir/shape.js';
import { CounterRng, hashName, RNG_STREAMS } from '../random/counter-rng.js';

/**
 * How a parameter or buffer starts. Random initialisers draw from the init
 * stream keyed by a hash of the full parameter name, so adding or reordering
 * modules never changes another parameter's initial value.
 */
export type Initializer =
  | { readonly kind: 'fill'; readonly value: number }
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'normal'; readonly std: number };

/**
 * PyTorch's default for Conv2d and Linear weights: kaiming_uniform_(a = sqrt(5)),
 * i.e. U(-b, b) with b = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + a^2)),
 * which is b = 1 / sqrt(fan_in).
 */
export function kaimingUniformDefault(fanIn: number): Initializer {
  return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
}

/** PyTorch's default bias of Conv2d and Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
export function defaultBias(fanIn: number): Initializer {
  return { kind: 'uniform', bound: fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0 };
}

/** kaiming_normal_(mode='fan_out', nonlinearity='relu'): N(0, 2 / fan_out), torchvision's ResNet convs. */
export function kaimingNormalFanOut(fanOut: number): Initializer {
  return { kind: 'normal', std: Math.sqrt(2 / fanOut) };
}

/** The values of one parameter or buffer for a seed. */
export function initialValues(init: Initializer, fullName: string, shape: Shape, dtype: DType, seed: number): Float32Array | Float64Array | Int32Array {
  const size = sizeOf(shape);
  const values = dtype === 'int32' ? new Int32Array(size) : dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  if (init.kind === 'fill') return values.fill(init.value);
  if (dtype === 'int32') throw new Error(`${fullName}: random initialisation needs a float dtype, got int32`);
  const rng = new CounterRng(seed, RNG_STREAMS.init, hashName(fullName));
  const floats = values as Float32Array | Float64Array;
  if (init.kind === 'uniform') rng.fillUniform(floats, -init.bound, init.bound);
  else rng.fillNormal(floats, 0, init.std);
  return floats;
}
