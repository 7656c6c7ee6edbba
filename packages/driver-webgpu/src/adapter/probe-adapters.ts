import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { BACKEND_REQUESTS, eglEnvironment, type DawnBackend } from './backends.js';
import { KERNEL_LIMITS } from './limits.js';
import { isSoftwareAdapter, type AdapterIdentity } from './software.js';

/** What probing one Dawn backend found: a working adapter, or why there is none. */
export type BackendProbe =
  | { readonly backend: DawnBackend; readonly ok: true; readonly adapter: AdapterIdentity; readonly software: boolean; readonly features: readonly string[] }
  | { readonly backend: DawnBackend; readonly ok: false; readonly reason: string };

// Runs in a child process: for each backend, request an adapter and a device
// with the kernels' limits, run one compute dispatch (y = 2x) and check it.
const CHILD = `
const [webgpuUrl, requestsJson, limitsJson] = process.argv.slice(1);
const { create } = await import(webgpuUrl);
const kept = [];
const results = [];
const limitsNeeded = JSON.parse(limitsJson);
for (const r of JSON.parse(requestsJson)) {
  try {
    const gpu = create(r.createOptions);
    kept.push(gpu);
    const adapter = await gpu.requestAdapter({ featureLevel: r.featureLevel, powerPreference: 'high-performance' });
    if (!adapter) { results.push({ backend: r.backend, ok: false, reason: 'Dawn found no adapter' }); continue; }
    const i = adapter.info;
    const identity = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter === true };
    const short = Object.entries(limitsNeeded).find(([k, v]) => (adapter.limits[k] ?? 0) < v);
    if (short) { results.push({ backend: r.backend, ok: false, reason: 'adapter ' + i.device + ': ' + short[0] + ' is ' + adapter.limits[short[0]] + ', the kernels need ' + short[1] }); continue; }
    const device = await adapter.requestDevice({ requiredLimits: limitsNeeded });
    const module = device.createShaderModule({ code: '@group(0) @binding(0) var<storage, read_write> v: array<f32>; @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) g: vec3<u32>) { v[g.x] = 2.0 * v[g.x]; }' });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const data = device.createBuffer({ size: 16, usage: 0x80 | 0x4 | 0x8 });
    const staging = device.createBuffer({ size: 16, usage: 0x1 | 0x8 });
    device.queue.writeBuffer(data, 0, new Float32Array([1, 2, 3, 4]));
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: data } }] }));
    pass.dispatchWorkgroups(1);
    pass.end();
    encoder.copyBufferToBuffer(data, 0, staging, 0, 16);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(1);
    const got = Array.from(new Float32Array(staging.getMappedRange().slice(0)));
    staging.unmap();
    device.destroy();
    if (got.join() !== '2,4,6,8') { results.push({ backend: r.backend, ok: false, reason: 'adapter ' + i.device + ' computed [' + got + '] for 2 * [1,2,3,4]' }); continue; }
    results.push({ backend: r.backend, ok: true, adapter: identity, features: [...adapter.features] });
  } catch (error) {
    results.push({ backend: r.backend, ok: false, reason: String(error && error.message || error).split('\\n')[0] });
  }
}
process.stdout.write('\\n@@probe ' + JSON.stringify(results) + '\\n');
process.exit(0);
`;

/** Dawn's own explanation on stderr (e.g. 'Vulkan shaderUniform*ArrayDynamicIndexing required'), for the reason. */
function dawnWarning(stderr: string, backend: DawnBackend): string | undefined {
  const lines = stderr.split('\n');
  const tag = backend === 'vulkan' ? 'Vulkan' : 'OpenGL';
  const at = lines.findIndex((l) => /^(Warning|Error):/.test(l) && l.includes(tag) && !/artificially reduced/.test(l));
  return at < 0 ? undefined : lines[at]!.replace(/^(Warning|Error):\s*/, '');
}

const cache = new Map<string, Promise<BackendProbe>>();

/**
 * Probes each backend in its own child process (so a backend that aborts
 * cannot hide another's result), once per process: the adapters of a machine
 * do not change while a command runs, and `ltssl drivers` starts this driver
 * under two names.
 */
export function probeBackends(backends: readonly DawnBackend[], timeoutMs = 60_000): Promise<BackendProbe[]> {
  return Promise.all(
    backends.map((backend) => {
      let probe = cache.get(backend);
      if (!probe) {
        probe = probeInChild([backend], timeoutMs).then((r) => r[0]!);
        cache.set(backend, probe);
      }
      return probe;
    }),
  );
}

/**
 * Probes Dawn's backends in a child process with a time limit: Dawn's native
 * code prints to stderr, and a broken GPU driver can hang or abort the process;
 * none of that may reach the caller. Each backend is checked end to end (an
 * adapter, a device with the kernels' limits, one dispatch read back).
 */
function probeInChild(backends: readonly DawnBackend[], timeoutMs: number): Promise<BackendProbe[]> {
  const webgpuUrl = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  const requests = JSON.stringify(backends.map((b) => BACKEND_REQUESTS[b]));
  const env = { ...process.env, ...(backends.includes('opengl') ? eglEnvironment(process.env) : {}) };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, webgpuUrl, requests, JSON.stringify(KERNEL_LIMITS)], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('@@probe '));
      if (line) {
        const raw = JSON.parse(line.slice('@@probe '.length)) as ({ backend: DawnBackend; ok: boolean; reason?: string; adapter?: AdapterIdentity; features?: string[] })[];
        resolve(
          raw.map((r): BackendProbe =>
            r.ok
              ? { backend: r.backend, ok: true, adapter: r.adapter!, software: isSoftwareAdapter(r.adapter!), features: r.features ?? [] }
              : { backend: r.backend, ok: false, reason: r.reason === 'Dawn found no adapter' ? `Dawn found no adapter${dawnWarning(stderr, r.backend) ? ` (${dawnWarning(stderr, r.backend)})` : ''}` : r.reason! },
          ),
        );
        return;
      }
      const why = signal === 'SIGKILL' ? `no answer within ${timeoutMs / 1000} s` : `the probe process exited with ${signal ?? `code ${code}`}`;
      const detail = stderr.trim().split('\n').filter(Boolean).slice(-1)[0];
      resolve(backends.map((backend) => ({ backend, ok: false, reason: detail ? `${why}: ${detail}` : why })));
    });
  });
}
