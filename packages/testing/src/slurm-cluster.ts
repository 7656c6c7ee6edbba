import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export interface SlurmCluster {
  /** The environment of a Slurm client (sbatch, squeue, scontrol) of this cluster: SLURM_CONF set. */
  readonly env: NodeJS.ProcessEnv;
  /** A Slurm client command of this cluster, to completion. */
  run(command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
}

/** The node's name in slurm.conf (its host is this machine, by its own hostname). */
const NODE = 'ltssl';

export interface SlurmClusterOptions {
  /**
   * Bind each task to the CPUs Slurm allocates it (TaskPlugin=task/affinity,
   * sched_setaffinity, no cgroups), as a production cluster does; a task then
   * sees only its CPUs (os.availableParallelism()). Default: tasks are not
   * confined (task/none).
   */
  readonly bindTasks?: boolean;
}

/**
 * A single-node Slurm cluster on this machine, from Debian's slurm-wlm and
 * munge, for one test file or benchmark: a MUNGE key made for it, a slurm.conf in a
 * temporary folder (free ports on 127.0.0.1, SlurmUser=root, no cgroups, no
 * accounting), and munged, slurmctld and slurmd in the foreground as this
 * process's children, so stop() ends exactly them. Ready once the node is
 * idle. Needs root: slurmd runs the jobs. The scale-out tests and tools/scale/bench.mjs use it.
 */
export async function startSlurm(options: SlurmClusterOptions = {}): Promise<SlurmCluster> {
  const dir = mkdtempSync('/tmp/ltssl-slurm-');
  // munged refuses a socket folder that others cannot enter, and a key others can read.
  chmodSync(dir, 0o755);
  const keys = join(dir, 'key');
  const run = join(dir, 'run');
  for (const [folder, mode] of [[keys, 0o700], [run, 0o755], [join(dir, 'state'), 0o755], [join(dir, 'spool'), 0o755]] as const) mkdirSync(folder, { mode });
  const key = join(keys, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(run, 'munge.socket');
  const host = hostname().split('.')[0]!;
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=ltssltest',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${run}/slurmctld.pid`,
      `SlurmdPidFile=${run}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      // No cgroups in a container: processes are tracked by their parents; tasks are confined by CPU affinity or not at all.
      'ProctrackType=proctrack/linuxproc',
      `TaskPlugin=${options.bindTasks ? 'task/affinity' : 'task/none'}`,
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'SchedulerType=sched/backfill',
      'SchedulerParameters=sched_interval=1',
      // One CPU per task, so tasks share the node's CPUs (two at a time on a 2-core machine).
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'MpiDefault=none',
      'ReturnToService=2',
      'KillWait=10',
      'MinJobAge=600',
      `NodeName=${NODE} NodeAddr=127.0.0.1 NodeHostname=${host} CPUs=${availableParallelism()} RealMemory=1000 State=UNKNOWN`,
      `PartitionName=test Nodes=${NODE} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const start = (command: string, args: readonly string[]): void => {
    const child = spawn(command, [...args], { env, stdio: 'ignore' });
    child.on('exit', () => daemons.splice(daemons.indexOf(child), 1));
    daemons.push(child);
  };
  const client = (command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } => spawnSync(command, [...args], { env, encoding: 'utf8', timeout: 60_000 });
  const stop = async (): Promise<void> => {
    client('scancel', ['--full', '--user', 'root']);
    const exits = daemons.map((d) => new Promise<void>((done) => (d.exitCode !== null || d.signalCode !== null ? done() : d.on('exit', () => done()))));
    for (const d of [...daemons].reverse()) d.kill('SIGTERM');
    await Promise.all(exits);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    start('/usr/sbin/munged', ['--foreground', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${run}/munged.pid`, `--log-file=${dir}/munged.log`, `--seed-file=${run}/munged.seed`]);
    await waitFor('munged to open its socket', () => (existsSync(socket) ? true : undefined), 30_000);
    start('/usr/sbin/slurmctld', ['-D']);
    start('/usr/sbin/slurmd', ['-D', '-N', NODE]);
    await waitFor('the Slurm node to be idle', () => (/^idle/.test(client('sinfo', ['-h', '-N', '-o', '%T']).stdout.trim()) ? true : undefined), 60_000, 200);
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, run: client, stop };
}
