import { describeMismatch, type HostTensor, type StateDict } from '@ltssl/core';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { checkpointError, listNames } from './checkpoint-error.js';
import { formatEncoderSpec } from './encoder-spec-check.js';

/**
 * Checks that `tensors` (bare state_dict names: 'conv1.weight', 'layer1.0.bn1.running_mean')
 * are exactly the encoder of `spec`: every parameter and buffer of
 * createEncoder(spec).specs() present with its dtype and shape, nothing else.
 * One error names every missing, unexpected and mis-shaped tensor. Returns the
 * state under ltssl's slot names ('encoder.' + name), in state_dict order.
 */
export function checkEncoderState(file: string, spec: EncoderSpec, tensors: ReadonlyMap<string, HostTensor>): StateDict {
  const specs = createEncoder(spec).specs();
  const expected = new Set(specs.map((s) => s.fullName));
  const missing: string[] = [];
  const mismatched: string[] = [];
  const state: [string, HostTensor][] = [];
  for (const s of specs) {
    const tensor = tensors.get(s.fullName);
    if (tensor === undefined) {
      missing.push(s.fullName);
      continue;
    }
    const problem = describeMismatch(tensor, s.dtype, s.shape);
    if (problem !== undefined) mismatched.push(`'${s.fullName}': ${problem}`);
    else state.push([ENCODER_PREFIX + s.fullName, tensor]);
  }
  const extra = [...tensors.keys()].filter((name) => !expected.has(name));
  if (missing.length + mismatched.length + extra.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${listNames(missing)}` : '',
      extra.length > 0 ? `unexpected ${listNames(extra)}` : '',
      mismatched.length > 0 ? `${mismatched.slice(0, 8).join('; ')}${mismatched.length > 8 ? ` and ${mismatched.length - 8} more mis-shaped` : ''}` : '',
    ].filter((p) => p !== '');
    throw checkpointError(file, `the tensors are not a ${formatEncoderSpec(spec)}: ${parts.join('; ')}`);
  }
  return Object.fromEntries(state);
}
