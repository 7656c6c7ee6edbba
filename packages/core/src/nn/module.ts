import type { DType } from '../ir/dtype.js';
import type { Shape } from '../ir/shape.js';
import type { Tensor } from '../trace/tensor.js';
import type { Initializer } from './init.js';
import type { Variables } from './variables.js';

/** A parameter (trainable) or buffer (state a module updates itself, like BatchNorm's running mean). */
export interface ParamSpec {
  /** Local name: 'weight', 'running_mean'. */
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly trainable: boolean;
  readonly init: Initializer;
}

/** A ParamSpec with its full PyTorch state_dict name ('layer1.0.bn1.running_mean'). */
export interface NamedSpec extends ParamSpec {
  readonly fullName: string;
}

/**
 * What a module's forward sees: its variables by local name, the mode, and a
 * way to run children under their names.
 */
export class ModuleContext {
  constructor(
    readonly vars: Variables,
    /** Dotted prefix of this module ('' for the root, else 'layer1.0.'). */
    readonly prefix: string,
    /** Training mode: BatchNorm uses batch statistics and updates running stats. */
    readonly training: boolean,
  ) {}

  /** The current value of one of this module's parameters or buffers. */
  get(name: string): Tensor {
    return this.vars.get(this.prefix + name);
  }

  /** Replaces a buffer's value for later uses in this trace (state chaining). */
  set(name: string, value: Tensor): void {
    this.vars.set(this.prefix + name, value);
  }

  /** Runs a child module under its name, labelling its nodes with its path. */
  run(name: string, module: Module, x: Tensor): Tensor {
    const child = new ModuleContext(this.vars, `${this.prefix}${name}.`, this.training);
    return x.tracer.scope(name, () => module.forward(child, x));
  }
}

/**
 * A neural-network module: a tree of named children and parameters, and a
 * forward pass traced into the Program. Modules hold no values: values live in
 * Variables bound to state slots, so one module can be applied to substitute
 * parameters (SAM) or twice in one trace (two views).
 */
export abstract class Module {
  readonly #params: ParamSpec[] = [];
  readonly #children: [string, Module][] = [];

  protected param(name: string, shape: Shape, init: Initializer): void {
    this.#params.push({ name, shape: [...shape], dtype: 'float32', trainable: true, init });
  }

  protected buffer(name: string, shape: Shape, init: Initializer, dtype: DType = 'float32'): void {
    this.#params.push({ name, shape: [...shape], dtype, trainable: false, init });
  }

  protected child<M extends Module>(name: string, module: M): M {
    this.#children.push([name, module]);
    return module;
  }

  get children(): readonly (readonly [string, Module])[] {
    return this.#children;
  }

  /** Every parameter and buffer in state_dict order (own first, then children in order). */
  specs(prefix = ''): NamedSpec[] {
    return [
      ...this.#params.map((p) => ({ ...p, fullName: prefix + p.name })),
      ...this.#children.flatMap(([name, module]) => module.specs(`${prefix}${name}.`)),
    ];
  }

  /** The forward pass; `ctx` resolves this module's variables. */
  abstract forward(ctx: ModuleContext, x: Tensor): Tensor;

  /**
   * Traces the module on `x` with the given variables (the bound state, or
   * substitutes). In training mode buffer updates are written back into `vars`,
   * so applying the module twice chains them.
   */
  apply(vars: Variables, x: Tensor, options: { readonly training: boolean; readonly prefix?: string }): Tensor {
    return this.forward(this.context(vars, options), x);
  }

  /** The context `apply` runs the forward pass in: for calling other passes (an encoder's featureMap). */
  context(vars: Variables, options: { readonly training: boolean; readonly prefix?: string }): ModuleContext {
    return new ModuleContext(vars, options.prefix ?? '', options.training);
  }
}
