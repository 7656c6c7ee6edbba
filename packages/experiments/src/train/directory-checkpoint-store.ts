import { join } from 'node:path';
import { ERROR_CODES, hasErrorCode, LtsslError } from '@ltssl/core';
import { checkpointFileName, loadCheckpoint, saveCheckpoint } from '../checkpoint/checkpoint.js';
import type { CheckpointRunInfo } from '../checkpoint/checkpoint-metadata.js';
import { latestCheckpoint } from '../checkpoint/latest-checkpoint.js';
import { ensureFolder } from '../files/ensure-folder.js';
import type { CheckpointStore } from './pretrain.js';

/** A damaged checkpoint, with what to do: the one before it is still good. */
function damaged(error: unknown): never {
  if (hasErrorCode(error, ERROR_CODES.checkpointInvalid) && (error as { file?: string }).file) {
    const file = (error as { file: string }).file;
    throw new LtsslError(ERROR_CODES.checkpointInvalid, `${(error as Error).message}; delete ${file} to resume from the checkpoint before it (or from the start when it is the only one)`, { cause: error });
  }
  throw error;
}

/**
 * Checkpoints of one run in a folder (`epoch-0005.safetensors`, written
 * atomically, with a content hash checked when resumed). Each carries the
 * run's history and time (CheckpointProgress), so a resumed run keeps both.
 * Resuming refuses a checkpoint of another configuration: a different config
 * hash means the state would continue a different run.
 */
export function directoryCheckpointStore(dir: string, run: Omit<CheckpointRunInfo, 'epoch' | 'progress'>): CheckpointStore {
  return {
    async latest() {
      const found = await latestCheckpoint(dir).catch(damaged);
      if (!found) return undefined;
      if (found.metadata.configHash !== run.configHash) {
        throw new LtsslError(
          ERROR_CODES.checkpointInvalid,
          `${found.file}: written by a run with another configuration (config hash ${found.metadata.configHash}, this run ${run.configHash}); use another output folder, or remove the old checkpoints to start over`,
        );
      }
      const { state, metadata } = await loadCheckpoint(found.file).catch(damaged);
      return { epochsDone: metadata.epoch, state, ...(metadata.progress ? { progress: metadata.progress } : {}) };
    },
    async save(epochsDone, state, progress) {
      await ensureFolder(dir, 'the checkpoint folder');
      await saveCheckpoint(join(dir, checkpointFileName(epochsDone, progress.step?.steps)), { state, metadata: { ...run, epoch: epochsDone, progress } });
    },
  };
}
