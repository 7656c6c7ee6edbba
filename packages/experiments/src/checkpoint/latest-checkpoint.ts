import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointError, describeFsError } from './checkpoint-error.js';
import { decodeCheckpointMetadata, type CheckpointMetadata } from './checkpoint-metadata.js';
import { readSafetensorsHeader } from './read-safetensors.js';

/** Names a run gives its checkpoints (checkpointFileName); temporary files never match. */
export const CHECKPOINT_FILE_PATTERN = /^epoch-\d+(?:-step-\d+)?\.safetensors$/;

/** How far a checkpoint's run got: epochs done, then steps of the next epoch (a checkpoint taken on a stop). */
const position = (m: CheckpointMetadata): number => m.epoch * 2 ** 26 + (m.progress?.step?.steps ?? 0);
const describePosition = (m: CheckpointMetadata): string => `epoch ${m.epoch}${m.progress?.step ? ` and ${m.progress.step.steps} steps` : ''}`;

export interface CheckpointFile {
  readonly file: string;
  readonly metadata: CheckpointMetadata;
}

/**
 * The checkpoint in `dir` with the most epochs completed, by the epoch in its
 * metadata, or undefined when there is none (or no `dir` yet). Only files
 * named like 'epoch-0005.safetensors' are considered, so the temporary files
 * of an interrupted write are ignored; each is checked to be a complete
 * safetensors file (its header accounts for every byte) with valid metadata.
 * Writes are atomic, so a damaged one was damaged afterwards: it is an error
 * naming the file, not skipped, since resuming from an older epoch would
 * silently redo work with a different history.
 */
export async function latestCheckpoint(dir: string): Promise<CheckpointFile | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw checkpointError(dir, `cannot list checkpoints: ${describeFsError(error)}`, undefined, { cause: error });
  }
  let latest: CheckpointFile | undefined;
  for (const name of names.filter((n) => CHECKPOINT_FILE_PATTERN.test(n)).sort()) {
    const file = join(dir, name);
    const metadata = decodeCheckpointMetadata(file, (await readSafetensorsHeader(file)).metadata);
    if (latest !== undefined && position(metadata) === position(latest.metadata)) {
      throw checkpointError(file, `holds ${describePosition(metadata)}, as does ${latest.file}; remove one so the run knows which to resume from`);
    }
    if (latest === undefined || position(metadata) > position(latest.metadata)) latest = { file, metadata };
  }
  return latest;
}
