import type { DeviceInfo } from '@ltssl/core';
import type { PretrainSubsets } from '../data/subset-file.js';
import type { EpochMetrics } from '../train/pretrain.js';
import type { RunClock } from '../train/run-clock.js';
import type { CellResult, CellSpec } from './cell.js';
import { cellEnvironment } from './environment.js';

/** What a finished cell measured; the record's stamps (time, memory, environment) are added by doneCellResult. */
export interface CellMeasurements {
  readonly metrics: Record<string, number>;
  readonly perClass: Record<string, readonly number[]>;
  readonly counts?: readonly number[];
  readonly epochs?: readonly EpochMetrics[];
  /** The data the cell used, as the results record it. */
  readonly data: CellResult['data'];
}

/**
 * A finished cell's result record, stamped with time, memory and environment: every protocol's cells end
 * here. The time is the clock's: a cell resumed from a checkpoint reports its first start and its whole time.
 */
export function doneCellResult(cell: CellSpec, stamp: { readonly configHash: string; readonly info: DeviceInfo }, clock: RunClock, parts: CellMeasurements): CellResult {
  return {
    cell,
    configHash: stamp.configHash,
    status: 'done',
    startedAt: clock.startedAt,
    finishedAt: new Date().toISOString(),
    seconds: clock.elapsed(),
    ...(parts.counts ? { classCounts: parts.counts } : {}),
    metrics: parts.metrics,
    perClass: parts.perClass,
    ...(parts.epochs ? { epochs: parts.epochs } : {}),
    memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024 },
    environment: cellEnvironment(stamp.info),
    data: parts.data,
  };
}

/**
 * The data record of a cell that trained on ctx.data and probed out of domain on ctx.ood, if any; a
 * pre-trained cell of a sweep with a subset file also records its subset's file and sha256.
 */
export function studyDataRecord(
  ctx: { readonly data: { readonly name: string }; readonly ood?: { readonly name: string }; readonly subsets?: PretrainSubsets },
  cell?: Pick<CellSpec, 'r' | 'family'>,
): CellResult['data'] {
  const subset = cell && cell.family !== 'random' ? ctx.subsets?.get(cell.r) : undefined;
  return { inDomain: ctx.data.name, ...(ctx.ood ? { outOfDomain: ctx.ood.name } : {}), ...(subset ? { subset: { file: subset.file, sha256: subset.sha256, count: subset.indices.length } } : {}) };
}
