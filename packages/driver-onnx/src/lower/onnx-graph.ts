import type { DType } from '@ltssl/core';
import type { onnx } from 'onnx-proto';

/** ONNX TensorProto.DataType codes for the dtypes this driver lowers. */
export const ONNX_TYPE = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 } as const;

export function onnxType(dtype: DType): number {
  return ONNX_TYPE[dtype];
}

/** A non-default operator set, such as ORT's CPU-only 'com.microsoft.nchwc' kernels. */
export interface OnnxDomain {
  readonly name: string;
  readonly version: number;
}

/** An ONNX attribute, spelled out, since a bare number could be an int or a float. */
export type OnnxAttr =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly tensor: onnx.ITensorProto };

const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, TENSOR: 4, INTS: 7 } as const;

function attribute(name: string, value: OnnxAttr): onnx.IAttributeProto {
  if ('int' in value) return { name, type: ATTRIBUTE_TYPE.INT, i: value.int };
  if ('ints' in value) return { name, type: ATTRIBUTE_TYPE.INTS, ints: [...value.ints] };
  if ('float' in value) return { name, type: ATTRIBUTE_TYPE.FLOAT, f: value.float };
  return { name, type: ATTRIBUTE_TYPE.TENSOR, t: value.tensor };
}

/** A TensorProto holding `values` (float32, int32 or int64). */
export function tensorProto(name: string, type: 'float32' | 'int32' | 'int64', dims: readonly number[], values: ArrayLike<number>): onnx.ITensorProto {
  const base = { name, dims: [...dims], dataType: ONNX_TYPE[type] };
  if (type === 'float32') return { ...base, rawData: new Uint8Array(Float32Array.from(values).buffer) };
  if (type === 'int32') return { ...base, rawData: new Uint8Array(Int32Array.from(values).buffer) };
  return { ...base, rawData: new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer) };
}

/**
 * The graph being built: nodes in topological order and initializers, with
 * fresh value names. Lowerings only call `add` and the constant helpers.
 */
export class OnnxGraph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  /**
   * The Program node being lowered ('conv2d#12'): it prefixes the names of the
   * nodes its lowering adds, so ORT's logs and profiles point back at it.
   */
  source = '';
  #counter = 0;
  readonly #producers = new Map<string, onnx.INodeProto>();

  fresh(hint: string): string {
    return `${hint}_${this.#counter++}`;
  }

  /** Operator sets beyond the default domain that the nodes use: domain -> version, for the model's opset imports. */
  readonly domains = new Map<string, number>();

  /** Appends one node; returns its output names (one unless `outputs` says more). */
  add(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, OnnxAttr>> = {}, options: { outputs?: number; hint?: string; domain?: OnnxDomain } = {}): string[] {
    const outputs = Array.from({ length: options.outputs ?? 1 }, () => this.fresh(options.hint ?? opType.toLowerCase()));
    if (options.domain) this.domains.set(options.domain.name, options.domain.version);
    const node: onnx.INodeProto = {
      opType,
      ...(options.domain ? { domain: options.domain.name } : {}),
      name: this.fresh(this.source ? `${this.source}/${opType}` : `node_${opType}`),
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    };
    this.nodes.push(node);
    for (const output of outputs) this.#producers.set(output, node);
    return outputs;
  }

  /** Like `add` for the common single-output case. */
  op(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, OnnxAttr>> = {}): string {
    return this.add(opType, inputs, attrs)[0]!;
  }

  /** A constant initializer; returns its name. */
  constant(type: 'float32' | 'int32' | 'int64', dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.fresh(`const_${type}`);
    this.initializers.push(tensorProto(name, type, dims, values));
    return name;
  }

  /** The node computing a value, by value name (graph inputs and initializers have none). */
  producer(value: string): onnx.INodeProto | undefined {
    return this.#producers.get(value);
  }

  /** Renames the value `from`, computed by a node of this graph, to `to`, in its producer's outputs and every consumer's inputs. */
  rename(from: string, to: string): void {
    const producer = this.#producers.get(from)!;
    producer.output = producer.output!.map((o) => (o === from ? to : o));
    this.#producers.delete(from);
    this.#producers.set(to, producer);
    for (const node of this.nodes) if (node.input?.includes(from)) node.input = node.input.map((i) => (i === from ? to : i));
  }

  /** A 1-D int64 constant: shapes, axes, pads and slice bounds. */
  int64s(values: readonly number[]): string {
    return this.constant('int64', [values.length], values);
  }
}
