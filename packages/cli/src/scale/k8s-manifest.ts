/**
 * A Kubernetes Indexed Job for a study: one completion index per planned
 * cell, each pod running `ltssl cell --index $(JOB_COMPLETION_INDEX)` into a
 * persistent volume mounted at the study folder, the study.json carried in a
 * ConfigMap beside it. Plain objects typed by the kubernetes-models package
 * (a type-only import, so a misspelt field does not compile; its validators
 * check the values in a test); no client library, since ltssl only writes
 * the manifest.
 */
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IConfigMap } from 'kubernetes-models/v1';

export interface IndexedJobOptions {
  /** The Job's (and ConfigMap's) name: a DNS label. */
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  /** The PersistentVolumeClaim that holds the study folder, and where it is mounted (the folder's path in the pod). */
  readonly claim: string;
  readonly dir: string;
  /** The study.json's text and hash; the pods read it from the ConfigMap. */
  readonly studyJson: string;
  readonly configHash: string;
  /** Completions: every cell of the plan (finished ones are skipped in a second). */
  readonly cells: number;
  readonly parallelism: number;
  /** Retries of one index before it is marked failed (a pod disruption, such as a preemption, does not count). */
  readonly backoffLimitPerIndex: number;
  /** GPUs a pod asks for, of `gpuResource` (nvidia.com/gpu). */
  readonly gpus?: number;
  readonly gpuResource?: string;
  readonly cpu?: string;
  readonly memory?: string;
  /** More claims to mount (datasets), claim -> path. */
  readonly mounts?: readonly { readonly claim: string; readonly path: string }[];
  /** The ltssl command in the image, then its global options. */
  readonly ltssl: readonly string[];
}

/** Where the ConfigMap's study.json is mounted in the pods. */
export const K8S_CONFIG_PATH = '/etc/ltssl';

/** Seconds between the SIGTERM of a pod's deletion and its SIGKILL: a cell stops at the end of a step and writes a checkpoint in between. */
export const K8S_GRACE_S = 120;

/** The exit code of a usage or configuration error (a changed study.json among them): retrying cannot help. */
const USAGE_EXIT = 2;

/** True when `name` is a DNS-1123 label, as Job and ConfigMap names must be here (Jobs add a suffix per pod, so at most 52 characters). */
export function isJobName(name: string): boolean {
  return name.length <= 52 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/** A `kind: List` of the ConfigMap and the Job: `kubectl apply -f` takes it as one file. */
export function indexedJobManifest(o: IndexedJobOptions): Record<string, unknown> {
  const labels = { 'app.kubernetes.io/name': 'ltssl', 'app.kubernetes.io/instance': o.name };
  const metadata = { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), labels };
  const limits: Record<string, string> = {
    ...(o.gpus ? { [o.gpuResource ?? 'nvidia.com/gpu']: String(o.gpus) } : {}),
  };
  const requests: Record<string, string> = { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) };
  const mounts = o.mounts ?? [];
  const configMap: IConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'study.json': o.studyJson } };
  const job: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      completionMode: 'Indexed',
      completions: o.cells,
      parallelism: o.parallelism,
      backoffLimitPerIndex: o.backoffLimitPerIndex,
      podFailurePolicy: {
        rules: [
          // Preempted, evicted or drained: not the cell's fault; a new pod resumes it from its checkpoints.
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          { action: 'FailIndex', onExitCodes: { containerName: 'cell', operator: 'In', values: [USAGE_EXIT] } },
        ],
      },
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: K8S_GRACE_S,
          containers: [
            {
              name: 'cell',
              image: o.image,
              command: [o.ltssl[0]!],
              // The Job controller sets JOB_COMPLETION_INDEX in every pod of an Indexed Job; $(NAME) is expanded from the container's environment.
              args: [...o.ltssl.slice(1), 'cell', '--config', `${K8S_CONFIG_PATH}/study.json`, '--index', '$(JOB_COMPLETION_INDEX)', '--config-hash', o.configHash, '--out', o.dir],
              ...(Object.keys(limits).length + Object.keys(requests).length > 0
                ? { resources: { ...(Object.keys(limits).length > 0 ? { limits } : {}), ...(Object.keys(requests).length > 0 ? { requests } : {}) } }
                : {}),
              volumeMounts: [
                { name: 'study', mountPath: o.dir },
                { name: 'config', mountPath: K8S_CONFIG_PATH, readOnly: true },
                ...mounts.map((m, i) => ({ name: `data-${i}`, mountPath: m.path, readOnly: true })),
              ],
            },
          ],
          volumes: [
            { name: 'study', persistentVolumeClaim: { claimName: o.claim } },
            { name: 'config', configMap: { name: o.name } },
            ...mounts.map((m, i) => ({ name: `data-${i}`, persistentVolumeClaim: { claimName: m.claim, readOnly: true } })),
          ],
        },
      },
    },
  };
  return { apiVersion: 'v1', kind: 'List', items: [configMap, job] };
}
