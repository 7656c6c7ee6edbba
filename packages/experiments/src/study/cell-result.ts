import type { DeviceInfo } from '@ltssl/core';
import type { EpochMetrics } from '../train/pretrain.js';
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

/** A finished cell's result record, stamped with time, memory and environment: every protocol's cells end here. */
export function doneCellResult(cell: CellSpec, stamp: { readonly configHash: string; readonly info: DeviceInfo }, startedAt: Date, parts: CellMeasurements): CellResult {
  const finishedAt = new Date();
  return {
    cell,
    configHash: stamp.configHash,
    status: 'done',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    ...(parts.counts ? { classCounts: parts.counts } : {}),
    metrics: parts.metrics,
    perClass: parts.perClass,
    ...(parts.epochs ? { epochs: parts.epochs } : {}),
    memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024 },
    environment: cellEnvironment(stamp.info),
    data: parts.data,
  };
}

/** The data record of a cell that trained on ctx.data and probed out of domain on ctx.ood, if any. */
export function studyDataRecord(ctx: { readonly data: { readonly name: string }; readonly ood?: { readonly name: string } }): CellResult['data'] {
  return { inDomain: ctx.data.name, ...(ctx.ood ? { outOfDomain: ctx.ood.name } : {}) };
}
