import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, type IJob } from 'kubernetes-models/batch/v1';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-submit-k8s-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const toy = join(dir, 'toy.json');
writeFileSync(toy, JSON.stringify({ dim: 20, frequentCount: 20, ratios: [1, 0.1], seeds: 3 }));

interface Manifest {
  readonly kind: string;
  readonly items: [IConfigMap, IJob];
}

describe('ltssl submit k8s', () => {
  it('writes an Indexed Job (one completion per planned cell, JOB_COMPLETION_INDEX to ltssl cell --index) and its ConfigMap, both valid batch/v1 and v1 objects', async () => {
    const file = join(dir, 'job.json');
    const run = await cli(
      '--backend', 'onnx', 'submit', 'k8s', '--config', toy, '--protocol', 'toy', '--out', '/study', '--image', 'registry.example/ltssl:0.1.0', '--claim', 'ltssl-study',
      '--concurrency', '4', '--gpus', '1', '--cpu', '4', '--memory', '16Gi', '--mount', 'cifar10:/data/cifar10', '--manifest', file,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    expect(manifest.kind).toBe('List');
    const [configMap, job] = manifest.items;
    // kubernetes-models' validators (the API's JSON schemas) throw on a value of the wrong type or enum.
    expect(() => new Job(job).validate()).not.toThrow();
    expect(() => new ConfigMap(configMap).validate()).not.toThrow();

    const study = JSON.parse(configMap.data!['study.json']!) as { protocol: string; configHash: string };
    expect(study.protocol).toBe('toy');
    const name = `ltssl-toy-${study.configHash.slice(0, 8)}`;
    expect(run.stdout).toBe(
      `wrote ${file}: Indexed Job ${name}, 12 completions (one per planned cell of the toy study, configuration ${study.configHash}), 4 pods at a time; apply it with: kubectl apply -f ${file} (not yet run on a cluster: see docs/scale.md)\n`,
    );
    const spec = job.spec!;
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: 12, parallelism: 4, backoffLimitPerIndex: 2 });
    expect(spec.podFailurePolicy!.rules.map((r) => r.action)).toEqual(['Ignore', 'FailIndex']);
    const pod = spec.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    const container = pod.containers[0]!;
    expect([...container.command!, ...container.args!]).toEqual(['ltssl', '--backend', 'onnx', 'cell', '--config', '/etc/ltssl/study.json', '--index', '$(JOB_COMPLETION_INDEX)', '--config-hash', study.configHash, '--out', '/study']);
    expect(container.resources).toEqual({ limits: { 'nvidia.com/gpu': '1' }, requests: { cpu: '4', memory: '16Gi' } });
    expect(container.volumeMounts!.map((m) => m.mountPath)).toEqual(['/study', '/etc/ltssl', '/data/cifar10']);
    expect(pod.volumes!.map((v) => v.persistentVolumeClaim?.claimName ?? v.configMap?.name)).toEqual(['ltssl-study', name, 'cifar10']);

    // Without --manifest the manifest alone goes to stdout, for `kubectl apply -f -`.
    const piped = await cli('--backend', 'onnx', 'submit', 'k8s', '--config', toy, '--protocol', 'toy', '--out', '/study', '--image', 'registry.example/ltssl:0.1.0', '--claim', 'ltssl-study', '--concurrency', '4', '--gpus', '1', '--cpu', '4', '--memory', '16Gi', '--mount', 'cifar10:/data/cifar10');
    expect(JSON.parse(piped.stdout)).toEqual(manifest);
  });

  it("is caught by the validators when a field's value is wrong (so the check above can fail)", () => {
    const broken = { apiVersion: 'batch/v1', kind: 'Job', spec: { completionMode: 'Indexed', completions: '12', template: { spec: { containers: [{ name: 'cell' }] } } } };
    expect(() => new Job(broken as unknown as IJob).validate()).toThrow(/completions must be integer/);
  });

  it('refuses in one line (exit 2): a relative --out, a --mount without a path, a name that is not a DNS label', async () => {
    const base = ['submit', 'k8s', '--config', toy, '--protocol', 'toy', '--image', 'i', '--claim', 'c'];
    const relative = await cli(...base, '--out', 'study');
    expect(relative).toMatchObject({ code: 2, stderr: "ltssl: --out study: give the study folder's absolute path inside the pods (where --claim c is mounted), e.g. /study\n" });
    const mount = await cli(...base, '--out', '/study', '--mount', 'cifar10');
    expect(mount.code).toBe(2);
    expect(mount.stderr).toMatch(/^ltssl: --mount cifar10: give CLAIM:PATH, .*\n$/);
    const name = await cli(...base, '--out', '/study', '--name', 'Study_1');
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/^ltssl: --name Study_1: a Job name is lowercase letters, .*\n$/);
  });
});
