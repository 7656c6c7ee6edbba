import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { pendingPlanIndices, writeStudyFiles } from '@ltssl/experiments';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { cellJobId, DEFAULT_QUEUE, type CellJobData } from '../scale/queue-job.js';
import { connectRedis } from '../scale/redis-connection.js';
import { planStudy, type StudySource } from '../scale/study-plan.js';
import { writableFolder } from '../writable-out.js';

export interface QueueAddOptions extends StudySource {
  readonly out: string;
  readonly redis: string;
  readonly queue: string;
  readonly attempts: number;
  readonly backoff: number;
}

const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;

/**
 * `ltssl queue add`: one BullMQ job per pending cell of the study (job id =
 * cell id @ configuration hash). Adding again enqueues nothing twice: a cell
 * already waiting, running or finished in the queue is left as it is, and a
 * cell whose job failed is retried. DIR gets the study.json and plan.json, so
 * workers sharing it read one configuration and `ltssl status DIR` works.
 */
export async function queueAddCommand(io: CliIO, o: QueueAddOptions): Promise<number> {
  if (o.attempts < 1) throw new UsageError(`--attempts ${o.attempts}: give at least 1`);
  if (o.backoff < 0) throw new UsageError(`--backoff ${o.backoff}: give 0 or more milliseconds`);
  const planned = await planStudy(o);
  const dir = resolve(o.out);
  await writableFolder(dir, 'the study folder (--out)');
  const connection = await connectRedis(o.redis);
  const queue = new Queue<CellJobData>(o.queue, { connection });
  const counts = { added: 0, retried: 0, queued: 0, finished: 0 };
  let pending: number[];
  try {
    pending = await pendingPlanIndices(dir, planned.cells, planned.hash);
    await writeStudyFiles(dir, { protocol: planned.protocol, configHash: planned.hash, config: planned.config, cells: planned.cells });
    for (const index of pending) {
      const cell = planned.cells[index]!;
      const jobId = cellJobId(cell.id, planned.hash);
      const existing = await queue.getJob(jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'failed') {
          await existing.retry('failed');
          counts.retried++;
        } else if (state === 'completed') counts.finished++;
        else counts.queued++;
        continue;
      }
      const data: CellJobData = { protocol: planned.protocol, cellId: cell.id, index, configHash: planned.hash, config: planned.config, dir };
      await queue.add(cell.id, data, { jobId, attempts: o.attempts, backoff: { type: 'exponential', delay: o.backoff } });
      counts.added++;
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  const done = planned.cells.length - pending.length;
  const parts = [
    `${plural(counts.added, 'cell')} enqueued`,
    ...(counts.retried > 0 ? [`${counts.retried} failed before, retried`] : []),
    ...(counts.queued > 0 ? [`${counts.queued} already in the queue`] : []),
    ...(counts.finished > 0 ? [`${counts.finished} finished in the queue (their results come in with 'ltssl collect --queue ${o.redis} ${o.out}')`] : []),
    `${done} done in ${dir}`,
  ];
  io.stdout.write(
    `${parts.join(', ')} (of ${plural(planned.cells.length, 'planned cell')}, configuration ${planned.hash}, queue '${o.queue}'); start workers with 'ltssl queue worker --redis ${o.redis} --out DIR${o.queue === DEFAULT_QUEUE ? '' : ` --queue ${o.queue}`}'\n`,
  );
  return EXIT.ok;
}
