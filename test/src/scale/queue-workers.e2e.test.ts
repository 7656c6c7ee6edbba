import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describeNeeding, REDIS, startRedis, waitFor, type RedisServer } from '@ltssl/testing';
import {
  cellFiles,
  firstCheckpointedCell,
  isRunning,
  leaseHolderPid,
  ltssl,
  ltsslInBackground,
  parentPid,
  planCells,
  processesMentioning,
  resultsTable,
  writeTinyStudies,
} from './scale-fixtures.js';

describeNeeding(REDIS, 'a study through a Redis queue (BullMQ workers, redis-server on 127.0.0.1)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ltssl-queue-'));
  const studies = writeTinyStudies(root);
  let redis: RedisServer;
  beforeAll(async () => (redis = await startRedis()));
  afterAll(async () => {
    await redis?.stop();
    rmSync(root, { recursive: true, force: true });
  });
  // Short locks, so a killed worker's cell is handed out again within seconds.
  const fast = ['--lock-duration', '2000', '--stalled-interval', '500'];

  it('two workers, one SIGKILLed at its first checkpoint: the other resumes the cell; the table is that of ltssl run, 0 lost, 0 duplicated, no process left', async () => {
    const reference = join(root, 'imbalance-ref');
    const ref = ltssl(['run', 'imbalance', '--config', studies.imbalance, '--out', reference]);
    expect(ref.status, ref.stderr).toBe(0);

    const dir = join(root, 'imbalance-queue');
    const add = ltssl(['queue', 'add', '--config', studies.imbalance, '--protocol', 'imbalance', '--out', dir, '--redis', redis.url, '--queue-name', 'kill']);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^4 cells enqueued, 0 done in /);
    // Adding the same study again enqueues nothing twice.
    const again = ltssl(['queue', 'add', '--config', studies.imbalance, '--protocol', 'imbalance', '--out', dir, '--redis', redis.url, '--queue-name', 'kill']);
    expect(again.stdout).toMatch(/^0 cells enqueued, 4 already in the queue, 0 done in /);

    const workers = [0, 1].map(() => ltsslInBackground(['queue', 'worker', '--redis', redis.url, '--out', dir, '--queue-name', 'kill', '--drain', ...fast]));
    const cell = await waitFor('the first checkpoint of a cell', () => firstCheckpointedCell(dir));
    expect(cellFiles(dir), 'the first cell finished before its first checkpoint was seen').not.toContain(cell);
    const child = await waitFor(`the owner of ${cell}'s lease`, () => leaseHolderPid(dir, cell));
    const killed = workers.find((w) => w.child.pid === parentPid(child))!;
    expect(killed, `the lease holder ${child} is not a child of either worker`).toBeDefined();
    killed.child.kill('SIGKILL');
    // The worker's death closes its child's IPC channel: the training process ends with it.
    await waitFor(`the end of the killed worker's cell process ${child}`, () => (isRunning(child) ? undefined : true), 30_000);
    expect(await killed.exited).toBeNull();

    const survivor = workers.find((w) => w !== killed)!;
    expect(await survivor.exited, survivor.output()).toBe(0);
    expect(survivor.output()).toMatch(new RegExp(`${cell}: resuming from its checkpoint after epoch \\d`));
    expect(processesMentioning(dir)).toEqual([]);

    // 0 lost: every planned cell has its result; 0 duplicated: collecting the queue's copies again adds no row.
    expect(cellFiles(dir)).toEqual([...planCells(dir)].sort());
    const collect = ltssl(['collect', '--queue', redis.url, '--queue-name', 'kill', dir]);
    expect(collect.status, collect.stderr).toBe(0);
    expect(collect.stdout).toContain('fetched 4 results');
    expect(resultsTable(dir)).toEqual(resultsTable(reference));
    const epochs = (JSON.parse(readFileSync(join(dir, 'cells', `${cell}.json`), 'utf8')) as { epochs: unknown[] }).epochs;
    expect(epochs, 'the resumed cell recorded an epoch twice').toHaveLength(5);
  }, 300_000);

  it('a worker stopped with SIGTERM checkpoints its cell and hands its job back at once; the next worker resumes it, with the table of ltssl run', async () => {
    const reference = join(root, 'one-ref');
    expect(ltssl(['run', 'imbalance', '--config', studies.imbalanceOne, '--out', reference]).status).toBe(0);
    const dir = join(root, 'one-queue');
    expect(ltssl(['queue', 'add', '--config', studies.imbalanceOne, '--protocol', 'imbalance', '--out', dir, '--redis', redis.url, '--queue-name', 'term']).status).toBe(0);
    // A lock far longer than the test: the job can only be back in the queue because the worker handed it back.
    const slow = ['--lock-duration', '600000'];
    const first = ltsslInBackground(['queue', 'worker', '--redis', redis.url, '--out', dir, '--queue-name', 'term', ...slow]);
    const cell = await waitFor('the first checkpoint of the cell', () => firstCheckpointedCell(dir));
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(143);
    expect(first.output()).toContain('SIGTERM: stopping the cell at the end of its step (it checkpoints), then handing its job back');
    expect(cellFiles(dir)).toEqual([]);
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('term', { connection });
    try {
      expect(await queue.getJobCounts('wait', 'active')).toEqual({ wait: 1, active: 0 });
    } finally {
      await queue.close();
      connection.disconnect();
    }
    const next = ltssl(['queue', 'worker', '--redis', redis.url, '--out', dir, '--queue-name', 'term', '--drain', ...slow]);
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(new RegExp(`${cell}: resuming from its checkpoint after epoch \\d`));
    expect(ltssl(['collect', dir]).status).toBe(0);
    expect(resultsTable(dir)).toEqual(resultsTable(reference));
  }, 300_000);

  it('a worker without the shared folder computes in its own and returns the results through the queue, which collect --queue writes once', async () => {
    const reference = join(root, 'toy-ref');
    expect(ltssl(['run', 'toy', '--config', studies.toy, '--out', reference]).status).toBe(0);
    const dir = join(root, 'toy-study');
    const own = join(root, 'toy-worker-own');
    expect(ltssl(['queue', 'add', '--config', studies.toy, '--protocol', 'toy', '--out', dir, '--redis', redis.url, '--queue-name', 'own']).status).toBe(0);
    const worker = ltssl(['queue', 'worker', '--redis', redis.url, '--out', own, '--queue-name', 'own', '--drain', ...fast]);
    expect(worker.status, worker.stdout + worker.stderr).toBe(0);
    expect(cellFiles(dir)).toEqual([]);
    for (let round = 0; round < 2; round++) {
      const collect = ltssl(['collect', '--queue', redis.url, '--queue-name', 'own', dir]);
      expect(collect.status, collect.stderr).toBe(0);
      expect(collect.stdout).toContain('fetched 2 results');
      expect(resultsTable(dir)).toEqual(resultsTable(reference));
    }
    // Adding again now enqueues nothing: the cells are done in the folder.
    const again = ltssl(['queue', 'add', '--config', studies.toy, '--protocol', 'toy', '--out', dir, '--redis', redis.url, '--queue-name', 'own']);
    expect(again.stdout).toMatch(/^0 cells enqueued, 2 done in /);
  }, 300_000);

  it('a study.json changed after the cells were enqueued: the worker refuses each cell in one line, exit 2, no result written', () => {
    const dir = join(root, 'changed');
    expect(ltssl(['queue', 'add', '--config', studies.toy, '--protocol', 'toy', '--out', dir, '--redis', redis.url, '--queue-name', 'changed']).status).toBe(0);
    const file = join(dir, 'study.json');
    const study = JSON.parse(readFileSync(file, 'utf8')) as { config: { probe: { steps: number } } };
    study.config.probe.steps = 50;
    writeFileSync(file, JSON.stringify(study));
    const worker = ltssl(['queue', 'worker', '--redis', redis.url, '--out', dir, '--queue-name', 'changed', '--drain', ...fast]);
    expect(worker.status).toBe(2);
    const refusals = worker.stderr.split('\n').filter((l) => l.startsWith('ltssl: toy_'));
    expect(refusals).toHaveLength(2);
    for (const line of refusals) expect(line).toMatch(/: .*study\.json is configuration [0-9a-f]+, but this cell was handed out for configuration [0-9a-f]+: the study changed .*; submit the pending cells again .*, or restore the study\.json of [0-9a-f]+$/);
    expect(cellFiles(dir)).toEqual([]);
  }, 120_000);
});
