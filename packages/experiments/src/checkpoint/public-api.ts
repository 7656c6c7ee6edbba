// What @ltssl/experiments exports of checkpoint/: the file formats and the checkpoint API, not the helpers behind them.
export { CheckpointError } from './checkpoint-error.js';
export { SAFETENSORS_DTYPES, type SafetensorsDType } from './safetensors-dtypes.js';
export { MAX_HEADER_BYTES, type SafetensorsHeader, type TensorEntry } from './safetensors-header.js';
export { decodeSafetensors, readSafetensors, readSafetensorsHeader, type ReadSafetensorsOptions, type SafetensorsContent } from './read-safetensors.js';
export { encodeSafetensors } from './safetensors-encode.js';
export { writeSafetensors } from './write-safetensors.js';
export { bytesWrittenAtomically, isTemporaryFile, writeFileAtomic, writeJsonAtomic, type ByteSink } from './atomic-write.js';
export { checkpointContentHash, CONTENT_HASH_KEY } from './checkpoint-hash.js';
export {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_METADATA_KEYS,
  decodeCheckpointMetadata,
  encodeCheckpointMetadata,
  isCheckpointMetadata,
  type CheckpointMetadata,
  type CheckpointRunInfo,
} from './checkpoint-metadata.js';
export { ltsslVersion } from './ltssl-version.js';
export { checkEncoderState } from './encoder-state.js';
export { inferEncoderSpec } from './infer-encoder-spec.js';
export { checkpointFileName, loadCheckpoint, saveCheckpoint, type Checkpoint, type CheckpointToSave } from './checkpoint.js';
export { CHECKPOINT_FILE_PATTERN, latestCheckpoint, type CheckpointFile } from './latest-checkpoint.js';
export { loadEncoder, type LoadedEncoder } from './load-encoder.js';
