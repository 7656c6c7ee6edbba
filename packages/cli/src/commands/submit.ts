import type { Command } from 'commander';
import { createRunContext, type GlobalOptions } from '../global-options.js';
import type { CliIO } from '../io.js';
import { parseInteger } from '../parse-number.js';
import { addStudyOptions, repeatable } from './study-options.js';
import { submitK8sCommand, type SubmitK8sOptions } from './submit-k8s.js';
import { submitSlurmCommand, type SubmitSlurmOptions } from './submit-slurm.js';

/**
 * `ltssl submit slurm|k8s`: hands a study's cells to a cluster's own
 * scheduler, one task per cell, each running `ltssl cell --index I`.
 */
export function addSubmitCommands(program: Command, io: CliIO, result: { code: number }): void {
  const submit = program.command('submit').description("hand a study's cells to a cluster scheduler (Slurm job array, Kubernetes Indexed Job); see docs/scale.md");

  addStudyOptions(submit.command('slurm').description("write an sbatch job array of the study's pending cells (task id = plan index) and submit it; prints the job id"))
    .requiredOption('--out <dir>', 'the study folder, shared by every node: results and checkpoints go there, a requeued task resumes from them')
    .option('--concurrency <n>', 'at most this many tasks at once (--array=...%N)', parseInteger)
    .option('--gres <spec>', 'generic resources per task, e.g. gpu:1')
    .option('--partition <name>', 'the partition to run in')
    .option('--time <limit>', "each task's time limit (sbatch --time, e.g. 04:00:00); a task gets SIGTERM 2 minutes before it and checkpoints")
    .option('--cpus-per-task <n>', 'CPUs per task', parseInteger)
    .option('--ltssl <command>', 'the ltssl command on the compute nodes (default: this Node.js and this CLI, by absolute path)')
    .option('--dry-run', 'write the script (and the study.json it reads) but do not submit it')
    .action(async (options: SubmitSlurmOptions, command: Command) => {
      result.code = await submitSlurmCommand((await createRunContext(command.optsWithGlobals<GlobalOptions>())).options, io, options);
    });

  addStudyOptions(submit.command('k8s').description('write a Kubernetes Indexed Job manifest (completion index = plan index) with the study.json in a ConfigMap; apply it with kubectl'))
    .requiredOption('--out <dir>', "the study folder's absolute path in the pods, where --claim is mounted")
    .requiredOption('--image <image>', 'a container image with ltssl installed')
    .requiredOption('--claim <name>', 'the PersistentVolumeClaim that holds the study folder (ReadWriteMany: the pods share it)')
    .option('--name <name>', 'the Job and ConfigMap name (default ltssl-<protocol>-<hash>)')
    .option('--namespace <name>', 'the namespace')
    .option('--concurrency <n>', 'pods at a time (parallelism; default every cell)', parseInteger)
    .option('--backoff-limit-per-index <n>', 'retries of one cell before it counts as failed (preemptions do not count)', parseInteger, 2)
    .option('--gpus <n>', 'GPUs per pod', parseInteger)
    .option('--gpu-resource <name>', 'the GPU resource name', 'nvidia.com/gpu')
    .option('--cpu <quantity>', 'CPU request per pod, e.g. 4')
    .option('--memory <quantity>', 'memory request per pod, e.g. 16Gi')
    .option('--mount <claim:path>', 'also mount a claim read-only (datasets), e.g. cifar10:/data/cifar10 (repeatable)', repeatable, [])
    .option('--ltssl <command>', 'the ltssl command in the image', 'ltssl')
    .option('--manifest <file>', 'write the manifest here (default: stdout, for kubectl apply -f -)')
    .action(async (options: SubmitK8sOptions, command: Command) => {
      result.code = await submitK8sCommand((await createRunContext(command.optsWithGlobals<GlobalOptions>())).options, io, options);
    });
}
