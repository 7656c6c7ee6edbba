import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { readStudyPlan } from '@ltssl/experiments';
import type { CliIO } from '../io.js';
import { parseCellJobData } from '../scale/queue-job.js';
import { connectRedis } from '../scale/redis-connection.js';
import { collectCommand } from './collect.js';

export interface CollectQueueOptions {
  /** The Redis URL of the queue. */
  readonly queue: string;
  readonly queueName: string;
}

/** Completed jobs are read this many at a time. */
const PAGE = 100;

/**
 * `ltssl collect --queue URL DIR [OTHER ...]`: the results workers returned
 * through the queue (the cells of DIR's configuration, from workers that had
 * no shared folder) are written to a temporary folder of result files, then
 * merged with DIR and the other folders as `ltssl collect` merges any folder:
 * each file checked by the one cell-file parser, a cell present twice kept
 * once (identical results are one result, one row).
 */
export async function collectQueueCommand(io: CliIO, dir: string, others: readonly string[], o: CollectQueueOptions): Promise<number> {
  const plan = await readStudyPlan(dir);
  const connection = await connectRedis(o.queue);
  const queue = new Queue(o.queueName, { connection });
  const folder = await mkdtemp(join(tmpdir(), 'ltssl-queue-results-'));
  try {
    let fetched = 0;
    for (let start = 0; ; start += PAGE) {
      const jobs = await queue.getJobs(['completed'], start, start + PAGE - 1, true);
      for (const job of jobs) {
        const data = parseCellJobData(job.data);
        if (typeof data === 'string' || data.configHash !== plan.configHash) continue;
        const result = job.returnvalue as { cell?: { id?: unknown } } | null;
        if (result?.cell?.id !== data.cellId) continue;
        await writeFile(join(folder, `${data.cellId}.json`), JSON.stringify(result));
        fetched++;
      }
      if (jobs.length < PAGE) break;
    }
    io.stdout.write(`fetched ${fetched} result${fetched === 1 ? '' : 's'} of configuration ${plan.configHash} from queue '${o.queueName}' at ${o.queue}\n`);
    return await collectCommand(io, dir, [...others, folder]);
  } finally {
    await queue.close();
    connection.disconnect();
    await rm(folder, { recursive: true, force: true });
  }
}
