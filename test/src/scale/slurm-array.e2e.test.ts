import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNeeding, SLURM, startSlurm, waitFor, type SlurmCluster } from '@ltssl/testing';
import { cellFiles, firstCheckpointedCell, ltssl, planCells, resultsTable, writeTinyStudies } from './scale-fixtures.js';

const title = 'a study through a Slurm job array (a single-node slurm-wlm cluster started by the test)';

const body = (): void => {
  const root = mkdtempSync(join(tmpdir(), 'ltssl-slurm-e2e-'));
  const studies = writeTinyStudies(root);
  let slurm: SlurmCluster;
  beforeAll(async () => (slurm = await startSlurm()), 120_000);
  afterAll(async () => {
    await slurm?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Submits with `ltssl submit slurm` and returns the job id it printed. */
  const submit = (config: string, protocol: string, dir: string): string => {
    const run = ltssl(['submit', 'slurm', '--config', config, '--protocol', protocol, '--out', dir, '--concurrency', '2'], { ...slurm.env, LTSSL_ONNX_THREADS: '1', NO_COLOR: '1' });
    expect(run.status, run.stderr).toBe(0);
    return /^submitted batch job (\d+): /.exec(run.stdout)![1]!;
  };
  const squeue = (job: string): string => slurm.run('squeue', ['-h', '-j', job, '-o', '%i %T %r']).stdout.trim();
  const finished = (job: string): Promise<true> => waitFor(`job ${job} to finish`, () => (squeue(job) === '' ? true : undefined), 240_000, 250);

  it('a toy sweep through sbatch gives the table of ltssl run', async () => {
    const reference = join(root, 'toy-ref');
    expect(ltssl(['run', 'toy', '--config', studies.toy, '--out', reference]).status).toBe(0);
    const dir = join(root, 'toy');
    const job = submit(studies.toy, 'toy', dir);
    await finished(job);
    const collect = ltssl(['collect', dir]);
    expect(collect.status, collect.stderr).toBe(0);
    expect(cellFiles(dir)).toEqual([...planCells(dir)].sort());
    expect(resultsTable(dir)).toEqual(resultsTable(reference));
  }, 300_000);

  it('an imbalance sweep, one task requeued at its first checkpoint: the cell resumes and is computed once; the table is that of ltssl run', async () => {
    const reference = join(root, 'imbalance-ref');
    const ref = ltssl(['run', 'imbalance', '--config', studies.imbalance, '--out', reference]);
    expect(ref.status, ref.stderr).toBe(0);
    const dir = join(root, 'imbalance');
    const job = submit(studies.imbalance, 'imbalance', dir);
    const cell = await waitFor('the first checkpoint of a cell', () => firstCheckpointedCell(dir));
    expect(cellFiles(dir), 'the cell finished before its first checkpoint was seen').not.toContain(cell);
    const task = `${job}_${planCells(dir).indexOf(cell)}`;
    const requeue = slurm.run('scontrol', ['requeue', task]);
    expect(requeue.status, requeue.stderr).toBe(0);
    // Slurm holds a requeued job until its begin time (about two minutes on); release it once it is back in the queue.
    await waitFor(`${task} to be pending again`, () => (/ PENDING /.test(`${squeue(task)} `) ? true : undefined), 120_000, 100);
    const release = slurm.run('scontrol', ['update', `jobid=${task}`, 'StartTime=now']);
    expect(release.status, release.stderr).toBe(0);
    await finished(job);

    // The requeued task's log (appended across both runs) shows the stop and the resume from the checkpoint.
    const log = readFileSync(join(dir, 'slurm', `${task}.out`), 'utf8');
    // The stop line's wording after the cell id (where in the epoch it stopped) is the sweep's, not this test's.
    expect(log, `the requeue did not stop the cell; its log:\n${log}`).toContain(`stopped by SIGTERM in ${cell} `);
    expect(log).toMatch(new RegExp(`${cell}: resuming from its checkpoint after epoch \\d`));
    const collect = ltssl(['collect', dir]);
    expect(collect.status, collect.stderr).toBe(0);
    // 0 lost (every planned cell has its result), 0 duplicated (one row per cell and metric, one epoch record per epoch).
    expect(cellFiles(dir)).toEqual([...planCells(dir)].sort());
    expect(resultsTable(dir)).toEqual(resultsTable(reference));
    const epochs = (JSON.parse(readFileSync(join(dir, 'cells', `${cell}.json`), 'utf8')) as { epochs: unknown[] }).epochs;
    expect(epochs).toHaveLength(5);
  }, 300_000);
};

// slurmd runs the jobs as SlurmUser=root: without root there is no cluster to start (not a missing package, so CI does not fail on it).
if (process.getuid?.() !== 0) describe.skip(`${title} [skipped: needs root, to start slurmd]`, body);
else describeNeeding(SLURM, title, body);
