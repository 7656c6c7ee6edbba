import type { Command } from 'commander';
import { createRunContext, type GlobalOptions } from '../global-options.js';
import type { CliIO } from '../io.js';
import { parseInteger } from '../parse-number.js';
import { DEFAULT_QUEUE, QUEUE_DEFAULTS } from '../scale/queue-job.js';
import { addStudyOptions } from './study-options.js';
import { queueAddCommand, type QueueAddOptions } from './queue-add.js';
import { queueWorkerCommand, type QueueWorkerOptions } from './queue-worker.js';

/**
 * `ltssl queue add|worker`: a study's cells on a BullMQ queue in Redis, taken
 * by workers anywhere (preemptible machines welcome: a killed worker's cell
 * goes to another).
 */
export function addQueueCommands(program: Command, io: CliIO, result: { code: number }): void {
  const queue = program.command('queue').description("compute a study's cells with workers that take them from a Redis queue (BullMQ); see docs/scale.md");

  addStudyOptions(queue.command('add').description("enqueue the study's pending cells (once each: adding again enqueues nothing twice; failed cells are retried)"))
    .requiredOption('--out <dir>', "the study folder: its pending cells are enqueued, its study.json written; 'ltssl collect --queue' gathers results here")
    .requiredOption('--redis <url>', 'the Redis server, e.g. redis://127.0.0.1:6379')
    .option('--queue-name <name>', 'the queue', DEFAULT_QUEUE)
    .option('--attempts <n>', 'tries of a cell that fails before its job counts as failed', parseInteger, QUEUE_DEFAULTS.attempts)
    .option('--backoff <ms>', 'delay before the first retry of a failed cell; each next one doubles it', parseInteger, QUEUE_DEFAULTS.backoffMs)
    .action(async (options: QueueAddOptions & { queueName: string }) => {
      result.code = await queueAddCommand(io, { ...options, queue: options.queueName });
    });

  queue
    .command('worker')
    .description('take cells from the queue and compute them, one at a time, each in a child process; a killed worker loses at most its cell since the last checkpoint')
    .requiredOption('--redis <url>', 'the Redis server, e.g. redis://127.0.0.1:6379')
    .requiredOption('--out <dir>', "where to compute: the study folder shared with the other workers (a cell resumes from another's checkpoints), or a folder of this worker's own")
    .option('--queue-name <name>', 'the queue', DEFAULT_QUEUE)
    .option('--lock-duration <ms>', "how long a job's lock lives unrenewed: a dead worker's cell is handed out again after about this long", parseInteger, QUEUE_DEFAULTS.lockDurationMs)
    .option('--stalled-interval <ms>', 'how often this worker looks for jobs whose lock lapsed', parseInteger, QUEUE_DEFAULTS.stalledIntervalMs)
    .option('--max-stalled <n>', 'hand a job out again after a lapsed lock at most this many times, then fail it', parseInteger, QUEUE_DEFAULTS.maxStalled)
    .option('--drain', 'exit once the queue holds nothing waiting, delayed or running, instead of waiting for more')
    .action(async (options: Omit<QueueWorkerOptions, 'queue'> & { queueName: string }, command: Command) => {
      result.code = await queueWorkerCommand((await createRunContext(command.optsWithGlobals<GlobalOptions>())).options, io, { ...options, queue: options.queueName });
    });
}
