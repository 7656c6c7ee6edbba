import { join } from 'node:path';
import { writeJsonAtomic } from '../checkpoint/atomic-write.js';
import { ensureFolder } from '../files/ensure-folder.js';
import type { CellSpec } from './cell.js';
import { STUDY_FILES, type StudyPlan } from './cell-files.js';

/** What a study folder records of its study: the validated configuration, its hash, and the plan. */
export interface StudyFiles {
  readonly protocol: string;
  readonly configHash: string;
  readonly config: unknown;
  /** The whole plan, in plan order (a cell's plan index is its position here). */
  readonly cells: readonly CellSpec[];
}

/**
 * Writes study.json ({protocol, configHash, config}: what `ltssl cell
 * --config DIR/study.json` and a rerun read) and plan.json (what `ltssl
 * status` reads), each atomically. A sweep writes them before its first cell;
 * `ltssl submit` and `ltssl queue add` write them before any task runs, so
 * the tasks read one configuration and the folder's status is readable at once.
 */
export async function writeStudyFiles(dir: string, s: StudyFiles): Promise<void> {
  await ensureFolder(dir, 'the study folder');
  const plan: StudyPlan = { protocol: s.protocol, configHash: s.configHash, cells: s.cells };
  await writeJsonAtomic(join(dir, STUDY_FILES.config), { protocol: s.protocol, configHash: s.configHash, config: s.config }, 2);
  await writeJsonAtomic(join(dir, STUDY_FILES.plan), plan);
}
