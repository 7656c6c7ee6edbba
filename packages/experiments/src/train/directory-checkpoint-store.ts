import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, LtsslError } from '@ltssl/core';
import { checkpointFileName, loadCheckpoint, saveCheckpoint } from '../checkpoint/checkpoint.js';
import type { CheckpointRunInfo } from '../checkpoint/checkpoint-metadata.js';
import { latestCheckpoint } from '../checkpoint/latest-checkpoint.js';
import type { CheckpointStore } from './pretrain.js';

/**
 * Checkpoints of one run in a folder (`epoch-0005.safetensors`, written
 * atomically). Resuming refuses a checkpoint of another configuration: a
 * different config hash means the state would continue a different run.
 */
export function directoryCheckpointStore(dir: string, run: Omit<CheckpointRunInfo, 'epoch'>): CheckpointStore {
  return {
    async latest() {
      const found = await latestCheckpoint(dir);
      if (!found) return undefined;
      if (found.metadata.configHash !== run.configHash) {
        throw new LtsslError(
          ERROR_CODES.checkpointInvalid,
          `${found.file}: written by a run with another configuration (config hash ${found.metadata.configHash}, this run ${run.configHash}); use another output folder, or remove the old checkpoints to start over`,
        );
      }
      const { state } = await loadCheckpoint(found.file);
      return { epochsDone: found.metadata.epoch, state };
    },
    async save(epochsDone, state) {
      await mkdir(dir, { recursive: true });
      await saveCheckpoint(join(dir, checkpointFileName(epochsDone)), { state, metadata: { ...run, epoch: epochsDone } });
    },
  };
}
