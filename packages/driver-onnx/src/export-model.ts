import type { Executable, Program } from '@ltssl/core';
import { lowerProgram } from './lower/lower-program.js';

/**
 * A forward Program (an encoder's eval pass, say) as a standalone ONNX
 * inference model: its state slots become initializers holding the
 * executable's current values, its updates are dropped, its inputs and outputs
 * keep their names (prefixed 'input:' and 'output:').
 */
export async function exportInferenceModel(program: Program, state: Pick<Executable, 'readState'>): Promise<Uint8Array> {
  const slots = program.state.map((s) => s.name);
  const values = await state.readState(slots);
  return lowerProgram(program, { frozenState: values }).model;
}
