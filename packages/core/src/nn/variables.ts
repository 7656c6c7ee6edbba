import { ERROR_CODES, LtsslError } from '../errors.js';
import { formatShape, shapesEqual } from '../ir/shape.js';
import type { Tensor } from '../trace/tensor.js';
import type { Tracer } from '../trace/tracer.js';
import { initialValues } from './init.js';
import type { Module, NamedSpec } from './module.js';

/**
 * Name -> current tensor for a model's parameters and buffers during a trace.
 * It starts at the state slots' pre-step values; BatchNorm replaces buffers as
 * it runs, and `commitBuffers` turns the final values into state updates.
 */
export class Variables {
  readonly #values: Map<string, Tensor>;
  readonly #specs: Map<string, NamedSpec>;
  readonly #initial: Map<string, Tensor>;

  constructor(specs: readonly NamedSpec[], values: ReadonlyMap<string, Tensor>) {
    this.#specs = new Map(specs.map((s) => [s.fullName, s]));
    this.#values = new Map(values);
    this.#initial = new Map(values);
  }

  get(name: string): Tensor {
    const value = this.#values.get(name);
    if (!value) throw new LtsslError(ERROR_CODES.programInvalid, `no variable '${name}' is bound; bound: ${[...this.#values.keys()].slice(0, 8).join(', ')}${this.#values.size > 8 ? ', ...' : ''}`);
    return value;
  }

  set(name: string, value: Tensor): void {
    const previous = this.get(name);
    if (previous.dtype !== value.dtype || !shapesEqual(previous.shape, value.shape)) {
      throw new LtsslError(ERROR_CODES.programInvalid, `variable '${name}' is ${previous.dtype}${formatShape(previous.shape)}; cannot set a ${value.dtype}${formatShape(value.shape)}`);
    }
    this.#values.set(name, value);
  }

  spec(name: string): NamedSpec {
    const spec = this.#specs.get(name);
    if (!spec) throw new LtsslError(ERROR_CODES.programInvalid, `no variable '${name}' is bound`);
    return spec;
  }

  /** The trainable parameters and their current values, in state_dict order. */
  parameters(): { name: string; value: Tensor }[] {
    return [...this.#specs.values()].filter((s) => s.trainable).map((s) => ({ name: s.fullName, value: this.get(s.fullName) }));
  }

  /**
   * A copy whose parameters are replaced by `substitutes` (SAM's perturbed
   * weights). Buffers start from this object's current values; updates made
   * through the copy stay in the copy, so a second pass can leave BatchNorm's
   * running statistics untouched by simply not committing them.
   */
  withSubstitutes(substitutes: ReadonlyMap<string, Tensor>): Variables {
    for (const [name, value] of substitutes) {
      const current = this.get(name);
      if (current.dtype !== value.dtype || !shapesEqual(current.shape, value.shape)) {
        throw new LtsslError(ERROR_CODES.programInvalid, `substitute for '${name}' is ${value.dtype}${formatShape(value.shape)}, the variable is ${current.dtype}${formatShape(current.shape)}`);
      }
    }
    const copy = new Variables([...this.#specs.values()], new Map([...this.#values, ...substitutes]));
    return copy;
  }

  /** Buffers whose value changed during the trace, with their final value. */
  changedBuffers(): { name: string; value: Tensor }[] {
    return [...this.#specs.values()]
      .filter((s) => !s.trainable && this.#values.get(s.fullName) !== this.#initial.get(s.fullName))
      .map((s) => ({ name: s.fullName, value: this.get(s.fullName) }));
  }
}

/**
 * Declares a state slot for every parameter and buffer of `model` (named
 * prefix + state_dict name, initialised from `seed`) and returns them bound.
 */
export function bindModel(
  tracer: Tracer,
  model: Module,
  options: {
    readonly seed: number;
    readonly prefix?: string;
    /** false binds every parameter as non-trainable state (MoCo's key encoder, a frozen encoder). */
    readonly trainable?: boolean;
  },
): Variables {
  const specs = model.specs(options.prefix ?? '').map((s) => (options.trainable === false ? { ...s, trainable: false } : s));
  const values = new Map<string, Tensor>();
  for (const spec of specs) {
    const init = spec.init.kind === 'fill' ? spec.init : { kind: 'values' as const, values: initialValues(spec.init, spec.fullName, spec.shape, spec.dtype, options.seed) };
    const existing = tracer.stateTensor(spec.fullName) ?? tracer.state({ name: spec.fullName, dtype: spec.dtype, shape: spec.shape, init, trainable: spec.trainable });
    values.set(spec.fullName, tracer.substituteFor(spec.fullName) ?? existing);
  }
  return new Variables(specs, values);
}

/** Records `slot <- value` for every buffer the trace changed (BatchNorm's running statistics). */
export function commitBuffers(tracer: Tracer, vars: Variables): void {
  for (const { name, value } of vars.changedBuffers()) tracer.update(name, value);
}
