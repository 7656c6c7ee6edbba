import type { EpochMetrics } from '../train/pretrain.js';
import type { CellResult, CellSpec } from './cell.js';
import type { CellContext } from './cell-pretrain.js';
import { cellEnvironment } from './environment.js';

/** A finished cell's result record, stamped with time, memory, environment and data. */
export function doneCellResult(
  cell: CellSpec,
  ctx: CellContext,
  startedAt: Date,
  parts: { metrics: Record<string, number>; perClass: Record<string, readonly number[]>; counts?: readonly number[]; epochs?: readonly EpochMetrics[] },
): CellResult {
  const finishedAt = new Date();
  return {
    cell,
    configHash: ctx.configHash,
    status: 'done',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    ...(parts.counts ? { classCounts: parts.counts } : {}),
    metrics: parts.metrics,
    perClass: parts.perClass,
    ...(parts.epochs ? { epochs: parts.epochs } : {}),
    memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024 },
    environment: cellEnvironment(ctx.info),
    data: { inDomain: ctx.data.name, ...(ctx.ood ? { outOfDomain: ctx.ood.name } : {}) },
  };
}
