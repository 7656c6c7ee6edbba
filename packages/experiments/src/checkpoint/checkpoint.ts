import type { HostTensor, StateDict } from '@ltssl/core';
import { ENCODER_PREFIX } from '../models/encoder.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  decodeCheckpointMetadata,
  encodeCheckpointMetadata,
  validateCheckpointMetadata,
  type CheckpointMetadata,
  type CheckpointRunInfo,
} from './checkpoint-metadata.js';
import { checkpointError } from './checkpoint-error.js';
import { checkpointContentHash, CONTENT_HASH_KEY } from './checkpoint-hash.js';
import { checkEncoderState } from './encoder-state.js';
import { ltsslVersion } from './ltssl-version.js';
import { readSafetensors } from './read-safetensors.js';
import { writeSafetensors } from './write-safetensors.js';

/** A training run's state at the end of an epoch, with what it is. */
export interface Checkpoint {
  /**
   * Every state slot of the run under ltssl's slot names: 'encoder.layer1.0.bn1.running_mean',
   * 'projector.0.weight', 'optimizer.encoder.conv1.weight.momentum_buffer', ...
   */
  readonly state: StateDict;
  readonly metadata: CheckpointMetadata;
}

export interface CheckpointToSave {
  readonly state: StateDict;
  readonly metadata: CheckpointRunInfo;
}

/**
 * 'epoch-0005.safetensors': the name a run gives the checkpoint taken after `epoch` epochs;
 * 'epoch-0005-step-0012.safetensors' for one taken on a stop after 12 steps of the next epoch.
 */
export function checkpointFileName(epoch: number, steps = 0): string {
  const pad = (k: number): string => String(k).padStart(4, '0');
  return `epoch-${pad(epoch)}${steps > 0 ? `-step-${pad(steps)}` : ''}.safetensors`;
}

/** The 'encoder.*' slots under their bare state_dict names. */
function encoderSlots(state: StateDict): Map<string, HostTensor> {
  return new Map(Object.entries(state).flatMap(([name, t]) => (name.startsWith(ENCODER_PREFIX) ? [[name.slice(ENCODER_PREFIX.length), t] as const] : [])));
}

/**
 * Writes a checkpoint as a safetensors file: the state as tensors, the
 * metadata (plus the format and ltssl versions) as JSON strings in
 * `__metadata__`. The metadata, every tensor, and the encoder slots against
 * the metadata's encoder spec are checked before the file is created, and
 * the write is atomic: `file` is the old checkpoint or the new one, never part
 * of one. Returns the metadata written.
 */
export async function saveCheckpoint(file: string, checkpoint: CheckpointToSave): Promise<CheckpointMetadata> {
  const metadata = validateCheckpointMetadata(file, { ...checkpoint.metadata, formatVersion: CHECKPOINT_FORMAT_VERSION, ltsslVersion: ltsslVersion() }, 'cannot write');
  checkEncoderState(file, metadata.encoder, encoderSlots(checkpoint.state));
  const fields = encodeCheckpointMetadata(metadata);
  await writeSafetensors(file, checkpoint.state, { ...fields, [CONTENT_HASH_KEY]: checkpointContentHash(checkpoint.state, fields) });
  return metadata;
}

/**
 * Reads a checkpoint written by saveCheckpoint: the file is validated as
 * safetensors, its metadata field by field, and its encoder slots against
 * the encoder spec it names. The other slots are returned as stored; the
 * executable they are written to checks them against its program.
 */
export async function loadCheckpoint(file: string): Promise<Checkpoint> {
  const { tensors, metadata: raw } = await readSafetensors(file);
  const metadata = decodeCheckpointMetadata(file, raw);
  if (metadata.formatVersion >= 2) {
    const written = raw[CONTENT_HASH_KEY];
    if (written === undefined) throw checkpointError(file, `checkpoint format ${metadata.formatVersion} needs '${CONTENT_HASH_KEY}', which is missing: the file is damaged`);
    if (checkpointContentHash(tensors, raw) !== written) throw checkpointError(file, `its content does not match its '${CONTENT_HASH_KEY}': bytes were changed after it was written (a damaged disk or an edit)`);
  }
  // A NaN in a saved state is damage too (training stops before it saves one), whatever a hash says.
  for (const [name, t] of Object.entries(tensors)) {
    const at = t.dtype === 'int32' ? -1 : t.data.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) throw checkpointError(file, `element ${at} is ${t.data[at]}: a saved state is always finite, so the file is damaged`, name);
  }
  checkEncoderState(file, metadata.encoder, encoderSlots(tensors));
  return { state: tensors, metadata };
}
