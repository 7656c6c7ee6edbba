import type { HostTensor, StateDict } from '@ltssl/core';
import type { Normalization } from '../data/normalization.js';
import { ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { checkpointError, listNames } from './checkpoint-error.js';
import { isCheckpointMetadata, type CheckpointMetadata } from './checkpoint-metadata.js';
import { loadCheckpoint } from './checkpoint.js';
import { checkEncoderState } from './encoder-state.js';
import { inferEncoderSpec } from './infer-encoder-spec.js';
import { readSafetensors, readSafetensorsHeader } from './read-safetensors.js';

export interface LoadedEncoder {
  readonly spec: EncoderSpec;
  /** The encoder's parameters and buffers under ltssl's slot names ('encoder.conv1.weight'). */
  readonly state: StateDict;
  /** The input normalisation the encoder was trained with; only an ltssl checkpoint records it. */
  readonly normalization?: Normalization;
  /** Where the weights came from: an ltssl checkpoint, or a PyTorch state_dict saved as safetensors. */
  readonly source: 'ltssl-checkpoint' | 'pytorch-state-dict';
  /** The key prefix the encoder's tensors had in the file ('encoder.', 'module.encoder.', '' for bare names). */
  readonly prefix: string;
  /** The checkpoint's metadata, for an ltssl checkpoint. */
  readonly metadata?: CheckpointMetadata;
}

/**
 * Prefixes under which training code commonly keeps a backbone: DataParallel's
 * 'module.', solo-learn's 'backbone.', SimSiam's 'encoder.', MoCo's 'encoder_q.'
 * (its key encoder 'encoder_k.' is not the one evaluated), in any nesting.
 */
const ENCODER_KEY_PREFIX = /^(?:(?:module|encoder|backbone|encoder_q)\.)*$/;

/** A classifier head saved with the backbone (torchvision's 'fc'): not part of the representation. */
const IGNORED_HEAD = /^fc\./;

function findEncoderPrefix(file: string, names: readonly string[]): string {
  const prefixes = [...new Set(names.filter((n) => n.endsWith('conv1.weight')).map((n) => n.slice(0, -'conv1.weight'.length)))].filter((p) => ENCODER_KEY_PREFIX.test(p));
  if (prefixes.length === 1) return prefixes[0]!;
  if (prefixes.length === 0) {
    throw checkpointError(
      file,
      `no 'conv1.weight', bare or under a 'module.', 'encoder.', 'backbone.' or 'encoder_q.' prefix, among its ${names.length} tensors (${listNames(names, 5)}); it is not an encoder state_dict ltssl can read`,
    );
  }
  throw checkpointError(file, `holds several encoders (${listNames(prefixes.map((p) => `${p}conv1.weight`))}); save the one to evaluate on its own`);
}

/** PyTorch loads a float64 tensor into a float32 model by casting; so does this import. */
function asFloat32(tensor: HostTensor): HostTensor {
  return tensor.dtype === 'float64' ? { dtype: 'float32', shape: tensor.shape, data: Float32Array.from(tensor.data) } : tensor;
}

async function fromCheckpoint(file: string): Promise<LoadedEncoder> {
  // The whole file is read so its content hash is checked.
  const { state: tensors, metadata } = await loadCheckpoint(file);
  const bare = new Map(Object.entries(tensors).flatMap(([name, t]) => (name.startsWith(ENCODER_PREFIX) ? [[name.slice(ENCODER_PREFIX.length), t] as const] : [])));
  const state = checkEncoderState(file, metadata.encoder, bare);
  return { spec: metadata.encoder, state, normalization: metadata.normalization, source: 'ltssl-checkpoint', prefix: ENCODER_PREFIX, metadata };
}

async function fromStateDict(file: string, names: readonly string[]): Promise<LoadedEncoder> {
  const prefix = findEncoderPrefix(file, names);
  const keep = (name: string) => name.startsWith(prefix) && !IGNORED_HEAD.test(name.slice(prefix.length));
  const { tensors } = await readSafetensors(file, { select: keep });
  const bare = new Map(Object.entries(tensors).map(([name, t]) => [name.slice(prefix.length), asFloat32(t)]));
  const spec = inferEncoderSpec(file, bare);
  return { spec, state: checkEncoderState(file, spec, bare), source: 'pytorch-state-dict', prefix };
}

/**
 * The encoder in a safetensors file, for `ltssl eval`: either an ltssl
 * checkpoint (its 'encoder.*' slots and the spec and normalisation of its
 * metadata) or a PyTorch state_dict of a torchvision-named ResNet-18 (CIFAR
 * stem) or small CNN, bare or under a 'module.' / 'encoder.' / 'backbone.'
 * prefix, whose architecture, width and input channels are inferred from the
 * names and shapes. Tensors outside the encoder's prefix (projector,
 * predictor, MoCo's key encoder, optimizer state) and its 'fc' classifier are
 * ignored; every tensor of the encoder itself must be there with its shape,
 * and nothing else, or the error names what differs. int64 num_batches_tracked is read as
 * int32, float64 weights as float32.
 */
export async function loadEncoder(file: string): Promise<LoadedEncoder> {
  const header = await readSafetensorsHeader(file);
  if (isCheckpointMetadata(header.metadata)) return fromCheckpoint(file);
  return fromStateDict(file, header.tensors.map((t) => t.name));
}
