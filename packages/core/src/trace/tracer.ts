import type { CustomVjp } from '../autodiff/custom-vjp.js';
import type { DType } from '../ir/dtype.js';
import type { Shape } from '../ir/shape.js';
import type { AttrsOf, OpName } from '../ops/registry.js';
import { ProgramBuilder, type StateSlotSpec } from '../program/program-builder.js';
import type { GraphPass } from '../passes/graph-pass.js';
import { GRAPH_PASSES, optimizeProgram } from '../passes/registry.js';
import type { Program } from '../program/program.js';
import { Tensor } from './tensor.js';

/**
 * Records tensor operations into a Program. Experiment code works with
 * Tensors; the tracer turns each call into a graph node, checked at once, and
 * labels it with the module path being traced, so an error says where.
 */
export class Tracer {
  readonly builder: ProgramBuilder;
  readonly #labels: string[] = [];
  readonly #stateByName = new Map<string, Tensor>();
  #substitutes: ReadonlyMap<string, Tensor> | undefined;
  #updates = 0;
  readonly #customVjps = new Map<number, CustomVjp>();

  constructor(name: string) {
    this.builder = new ProgramBuilder(name);
  }

  get graph() {
    return this.builder.graph;
  }

  input(name: string, dtype: DType, shape: Shape): Tensor {
    return new Tensor(this, this.builder.input(name, dtype, shape));
  }

  /** Declares a state slot and returns its pre-step value. */
  state(spec: StateSlotSpec): Tensor {
    const tensor = new Tensor(this, this.builder.state(spec));
    this.#stateByName.set(spec.name, tensor);
    return tensor;
  }

  /** The pre-step value of a slot declared earlier in this trace. */
  stateTensor(name: string): Tensor | undefined {
    return this.#stateByName.get(name);
  }

  constant(value: number | readonly number[], dtype: DType = 'float32', shape: Shape = []): Tensor {
    return this.op('constant', [], { dtype, shape, value });
  }

  /** A tensor of zeros shaped like `like`. */
  zerosLike(like: Tensor): Tensor {
    return this.constant(0, like.dtype, like.shape);
  }

  op<K extends OpName>(op: K, inputs: readonly Tensor[], attrs: AttrsOf<K>): Tensor {
    for (const t of inputs) {
      if (t.tracer !== this) throw new Error(`${op}: an input belongs to another trace ('${t.tracer.builder.name}'); tensors cannot cross programs`);
    }
    const label = this.#labels.length > 0 ? this.#labels.join('.') : undefined;
    return new Tensor(this, this.builder.op(op, inputs.map((t) => t.id), attrs, label));
  }

  /** Gives node `id` a closed-form gradient (see withCustomVjp). */
  setCustomVjp(id: number, rule: CustomVjp): void {
    if (this.#customVjps.has(id)) throw new Error(`node ${id} already has a custom gradient`);
    this.#customVjps.set(id, rule);
  }

  /** The closed-form gradient of node `id`, if it has one. */
  customVjp(id: number): CustomVjp | undefined {
    return this.#customVjps.get(id);
  }

  /** slot <- value once the step has run. */
  update(slot: string, value: Tensor): void {
    this.builder.update(slot, value.id);
    this.#updates++;
  }

  /** State updates recorded so far (a wrapper checks that a re-trace recorded none). */
  get updateCount(): number {
    return this.#updates;
  }

  /**
   * Runs `fn` with parameters replaced: while it runs, binding a model
   * (bindModel) gives these tensors for these slot names instead of the
   * slots' values. SAM traces its second pass this way, at the perturbed
   * weights, with every method unchanged.
   */
  substituting<T>(substitutes: ReadonlyMap<string, Tensor>, fn: () => T): T {
    if (this.#substitutes) throw new Error('substituting: already substituting; nested substitutions are not supported');
    this.#substitutes = substitutes;
    try {
      return fn();
    } finally {
      this.#substitutes = undefined;
    }
  }

  /** The substitute for a slot during `substituting`, if any. */
  substituteFor(name: string): Tensor | undefined {
    return this.#substitutes?.get(name);
  }

  output(name: string, value: Tensor): void {
    this.builder.output(name, value.id);
  }

  /** Runs `fn` with `label` appended to the path that labels new nodes (a module name). */
  scope<T>(label: string, fn: () => T): T {
    this.#labels.push(label);
    try {
      return fn();
    } finally {
      this.#labels.pop();
    }
  }

  /**
   * The traced Program after the graph passes (GRAPH_PASSES by default; pass
   * `passes: []` for the graph exactly as traced).
   */
  build(options: { readonly passes?: readonly GraphPass[] } = {}): Program {
    return optimizeProgram(this.builder.build(), options.passes ?? GRAPH_PASSES);
  }
}
