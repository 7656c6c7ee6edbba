import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { GlobalOptions } from '../global-options.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { indexedJobManifest, isJobName } from '../scale/k8s-manifest.js';
import { commandWords, globalArguments } from '../scale/ltssl-command.js';
import { planStudy, type StudySource } from '../scale/study-plan.js';
import { writableFile } from '../writable-out.js';

export interface SubmitK8sOptions extends StudySource {
  /** The study folder's path in the pods (where --claim is mounted). */
  readonly out: string;
  readonly image: string;
  readonly claim: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly concurrency?: number;
  readonly backoffLimitPerIndex: number;
  readonly gpus?: number;
  readonly gpuResource: string;
  readonly cpu?: string;
  readonly memory?: string;
  /** CLAIM:PATH, repeatable: read-only data volumes. */
  readonly mount: readonly string[];
  readonly ltssl: string;
  /** Where to write the manifest (default: stdout, for `| kubectl apply -f -`). */
  readonly manifest?: string;
}

function parseMount(spec: string): { claim: string; path: string } {
  const at = spec.indexOf(':');
  const claim = spec.slice(0, at);
  const path = spec.slice(at + 1);
  if (at <= 0 || !isAbsolute(path)) throw new UsageError(`--mount ${spec}: give CLAIM:PATH, a PersistentVolumeClaim and the absolute path to mount it at (e.g. --mount cifar10:/data/cifar10)`);
  return { claim, path };
}

/**
 * `ltssl submit k8s`: writes a Kubernetes Indexed Job (with the study.json in
 * a ConfigMap) whose completion index I runs `ltssl cell --index I`. No
 * cluster is contacted: apply the manifest with kubectl.
 */
export async function submitK8sCommand(globals: GlobalOptions, io: CliIO, o: SubmitK8sOptions): Promise<number> {
  if (!isAbsolute(o.out)) throw new UsageError(`--out ${o.out}: give the study folder's absolute path inside the pods (where --claim ${o.claim} is mounted), e.g. /study`);
  if (o.concurrency !== undefined && o.concurrency < 1) throw new UsageError(`--concurrency ${o.concurrency}: give at least 1 pod at a time`);
  if (o.backoffLimitPerIndex < 0) throw new UsageError(`--backoff-limit-per-index ${o.backoffLimitPerIndex}: give 0 or more retries`);
  if (o.gpus !== undefined && o.gpus < 1) throw new UsageError(`--gpus ${o.gpus}: give at least 1, or leave it out for CPU pods`);
  const mounts = o.mount.map(parseMount);
  const planned = await planStudy(o);
  const name = o.name ?? `ltssl-${planned.protocol}-${planned.hash.slice(0, 8)}`;
  if (!isJobName(name)) throw new UsageError(`--name ${name}: a Job name is lowercase letters, digits and '-', starting and ending with a letter or digit, at most 52 characters`);
  if (o.manifest) await writableFile(o.manifest, '--manifest');
  const ltssl = [...commandWords(o.ltssl), ...globalArguments(globals)];
  if (ltssl.length === 0) throw new UsageError("--ltssl: give the ltssl command of the image (e.g. 'ltssl' or 'node /app/packages/cli/dist/main.js')");
  const studyJson = JSON.stringify({ protocol: planned.protocol, configHash: planned.hash, config: planned.config }, null, 2);
  const manifest = indexedJobManifest({
    name,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    image: o.image,
    claim: o.claim,
    dir: o.out,
    studyJson,
    configHash: planned.hash,
    cells: planned.cells.length,
    parallelism: Math.min(o.concurrency ?? planned.cells.length, planned.cells.length),
    backoffLimitPerIndex: o.backoffLimitPerIndex,
    ...(o.gpus !== undefined ? { gpus: o.gpus, gpuResource: o.gpuResource } : {}),
    ...(o.cpu ? { cpu: o.cpu } : {}),
    ...(o.memory ? { memory: o.memory } : {}),
    mounts,
    ltssl,
  });
  const text = JSON.stringify(manifest, null, 2) + '\n';
  if (!o.manifest) {
    io.stdout.write(text);
    return EXIT.ok;
  }
  await writeFile(o.manifest, text);
  io.stdout.write(
    `wrote ${o.manifest}: Indexed Job ${name}, ${planned.cells.length} completions (one per planned cell of the ${planned.protocol} study, configuration ${planned.hash}), ${Math.min(o.concurrency ?? planned.cells.length, planned.cells.length)} pods at a time; apply it with: kubectl apply -f ${o.manifest} (not yet run on a cluster: see docs/scale.md)\n`,
  );
  return EXIT.ok;
}
