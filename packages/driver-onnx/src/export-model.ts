import { ERROR_CODES, liveNodes, LtsslError, type Executable, type Program } from '@ltssl/core';
import { batchAxes } from './export/batch-axes.js';
import { lowerProgram } from './lower/lower-program.js';

export interface ExportModelOptions {
  /**
   * The name of the symbolic batch dimension: axis 0 of every input, and
   * wherever it flows, is left to the caller of the model, so one file serves
   * any batch. Default 'batch'; null keeps every dimension as traced.
   */
  readonly batchDim?: string | null;
}

/** Value names the lowering makes itself ('relu_3', 'state:...'): a signature name must not look like one. */
const INTERNAL_NAME = /(_\d+$)|:/;

/**
 * A forward Program (an encoder's eval pass, say) as a standalone ONNX
 * inference model: its state slots become initializers holding the
 * executable's current values, its updates are dropped, its inputs and outputs
 * keep the Program's names ('images', 'features'), and the batch dimension is
 * symbolic unless `batchDim` is null. The Program itself stays static: it is
 * traced at some batch of 2 or more and the exporter follows the batch axis
 * through it (export/batch-axes.ts), refusing a node that depends on the
 * batch size.
 */
export async function exportInferenceModel(program: Program, state: Pick<Executable, 'readState'>, options: ExportModelOptions = {}): Promise<Uint8Array> {
  const names = [...program.inputs.map((i) => i.name), ...program.outputs.map((o) => o.name)];
  for (const name of names) {
    if (INTERNAL_NAME.test(name) || names.indexOf(name) !== names.lastIndexOf(name)) {
      throw new LtsslError(ERROR_CODES.programInvalid, `export of '${program.name}': input or output name '${name}' is used twice or looks like an internal value name; name them like 'images' and 'features'`);
    }
  }
  const batchDim = options.batchDim === undefined ? 'batch' : options.batchDim;
  const live = liveNodes(program.graph, program.outputs.map((o) => o.node));
  const batch = batchDim === null ? undefined : { name: batchDim, axes: batchAxes(program, live) };
  const values = await state.readState(program.state.map((s) => s.name));
  return lowerProgram(program, { frozenState: values, plainNames: true, ...(batch ? { batch } : {}) }).model;
}
