import {
  ERROR_CODES,
  formatShape,
  liveNodes,
  LtsslError,
  type AttrsOf,
  type HostTensor,
  type NodeId,
  type OpName,
  type OpNode,
  type Program,
} from '@ltssl/core';
import onnxProto from 'onnx-proto';
import { LOWERINGS } from '../lowerings/registry.js';
import type { Lowering } from '../lowerings/lowering.js';
import type { BatchAxes } from '../export/batch-axes.js';
import { batchLowering } from '../export/batch-lowerings.js';
import { OnnxGraph, onnxType, tensorProto } from './onnx-graph.js';
import type { LoweringTable } from './profiles.js';

/** The opset every lowering is written for (ReduceMax takes axes as an input from 18 on). */
export const OPSET = 18;

/** How the ONNX model's graph inputs and outputs map to the Program's signature. */
export interface LoweredProgram {
  readonly model: Uint8Array;
  /** Program inputs the model reads, by ONNX input name. */
  readonly feeds: readonly { readonly name: string; readonly onnx: string }[];
  /** State slots the model reads (pre-step values). */
  readonly stateReads: readonly { readonly slot: string; readonly onnx: string }[];
  readonly outputs: readonly { readonly name: string; readonly onnx: string }[];
  /** New slot values, committed after the step. */
  readonly updates: readonly { readonly slot: string; readonly onnx: string }[];
}

export interface LowerOptions {
  /**
   * Export a standalone inference model: state slots become initializers with
   * these values and updates are dropped.
   */
  readonly frozenState?: Readonly<Record<string, HostTensor>>;
  /** The lowering per op: the execution provider's profile (lower/profiles.ts). Default: the standard lowerings. */
  readonly lowerings?: LoweringTable;
  /**
   * Graph inputs and outputs named as in the Program ('images', 'features')
   * instead of 'input:images' and 'output:features': for an exported model,
   * whose users feed it by those names.
   */
  readonly plainNames?: boolean;
  /**
   * A symbolic batch dimension (export-model.ts): graph inputs and outputs get
   * the dimension `name` on each node's batch axis, and shape constants take
   * the batch from the data (export/batch-lowerings.ts).
   */
  readonly batch?: { readonly name: string; readonly axes: BatchAxes };
}

function valueInfo(name: string, dtype: Parameters<typeof onnxType>[0], shape: readonly number[], batch?: { axis: number | undefined; name: string }): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d, i) => (i === batch?.axis ? { dimParam: batch.name } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: onnxType(dtype), shape: { dim } } } };
}

/**
 * Lowers a whole Program (forward, backward, optimizer and state updates
 * together) to one ONNX model. State slots are graph inputs fed each run from
 * the previous run's update outputs, not initializers, which ORT could
 * constant-fold. Only the nodes the outputs and updates need are emitted.
 */
export function lowerProgram(program: Program, options: LowerOptions = {}): LoweredProgram {
  const frozen = options.frozenState;
  const batch = options.batch;
  const batchOf = (id: NodeId) => (batch ? { axis: batch.axes.get(id), name: batch.name } : undefined);
  const signatureName = (prefix: string, name: string): string => (options.plainNames ? name : `${prefix}:${name}`);
  const graph = new OnnxGraph();
  const names = new Map<NodeId, string>();
  const inputs: onnxProto.onnx.IValueInfoProto[] = [];
  const feeds: { name: string; onnx: string }[] = [];
  const stateReads: { slot: string; onnx: string }[] = [];
  const updates = frozen ? [] : program.updates;
  const live = liveNodes(program.graph, [...program.outputs.map((o) => o.node), ...updates.map((u) => u.node)]);

  for (const id of live) {
    const node = program.graph.node(id);
    if (node.dtype === 'float64') {
      throw new LtsslError(
        ERROR_CODES.dtypeUnsupported,
        `driver 'onnx' does not compute in float64 (ONNX Runtime has no float64 Conv kernels): node ${id} of program '${program.name}' (${node.kind === 'op' ? node.op : node.name}) is float64${formatShape(node.shape)}; use float32`,
      );
    }
    if (node.kind === 'input') {
      const onnx = signatureName('input', node.name);
      inputs.push(valueInfo(onnx, node.dtype, node.shape, batchOf(id)));
      feeds.push({ name: node.name, onnx });
      names.set(id, onnx);
    } else if (node.kind === 'state') {
      const onnx = `state:${node.name}`;
      if (frozen) {
        const value = frozen[node.name];
        if (!value) throw new LtsslError(ERROR_CODES.stateInvalid, `export of '${program.name}': no value for state slot '${node.name}'`);
        graph.initializers.push(tensorProto(onnx, node.dtype === 'int32' ? 'int32' : 'float32', node.shape, value.data));
      } else {
        inputs.push(valueInfo(onnx, node.dtype, node.shape));
        stateReads.push({ slot: node.name, onnx });
      }
      names.set(id, onnx);
    } else {
      const lowering = (batch && batchLowering(node, batch.axes)) || ((options.lowerings ?? LOWERINGS)[node.op] as Lowering<OpName> | undefined);
      if (!lowering) throw new LtsslError(ERROR_CODES.opNotImplemented, `Op '${node.op}' not implemented by driver 'onnx'`);
      const types = node.inputs.map((i) => program.graph.node(i));
      graph.source = `${node.op}#${id}`;
      names.set(id, lowering(graph, node as OpNode<OpName> & { attrs: AttrsOf<OpName> }, node.inputs.map((i) => names.get(i)!), types));
    }
  }

  graph.source = '';
  // A graph output is the value itself, renamed, where a node of this graph computes it (for the first output
  // that takes it): an Identity would copy it every step (ResNet-18's weights and momenta, 88 MB, 1.7% of its
  // step, and the copies alive beside the originals at the step's end). A graph input, a state read, an
  // initializer or a value published a second time gets a fresh name produced by Identity, since ONNX allows
  // neither directly.
  const outputs: onnxProto.onnx.IValueInfoProto[] = [];
  const published = new Map<string, string>(); // value -> the output name it was renamed to
  const publish = (prefix: string, name: string, id: NodeId): string => {
    const onnx = signatureName(prefix, name);
    const value = names.get(id)!;
    const earlier = published.get(value);
    if (graph.producer(value) && earlier === undefined) {
      graph.rename(value, onnx);
      published.set(value, onnx);
    } else {
      graph.nodes.push({ opType: 'Identity', name: `publish_${onnx}`, input: [earlier ?? value], output: [onnx] });
    }
    const node = program.graph.node(id);
    outputs.push(valueInfo(onnx, node.dtype, node.shape, batchOf(id)));
    return onnx;
  };
  const programOutputs = program.outputs.map((o) => ({ name: o.name, onnx: publish('output', o.name, o.node) }));
  const programUpdates = updates.map((u) => ({ slot: u.slot, onnx: publish('update', u.slot, u.node) }));

  const model = onnxProto.onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'ltssl',
    opsetImport: [{ domain: '', version: OPSET }, ...[...graph.domains].map(([domain, version]) => ({ domain, version }))],
    graph: { name: program.name, node: graph.nodes, initializer: graph.initializers, input: inputs, output: outputs },
  }).finish();
  return { model, feeds, stateReads, outputs: programOutputs, updates: programUpdates };
}
