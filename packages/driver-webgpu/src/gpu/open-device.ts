import { BACKEND_REQUESTS, eglEnvironment } from '../adapter/backends.js';
import type { WorkingProbe } from '../adapter/choose-adapter.js';
import { requiredLimits } from '../adapter/limits.js';
import { describeAdapter } from '../adapter/software.js';
import { keepAlive, loadDawn } from './dawn.js';

export interface OpenedDevice {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly limits: Readonly<Record<string, number>>;
  readonly timestamps: boolean;
}

/**
 * Opens in this process the adapter the probe found working: same backend,
 * same feature level, the kernels' limits. Throws, with the reason, when the
 * adapter Dawn gives here is not the probed one or refuses the device.
 */
export async function openDevice(choice: WorkingProbe, options: { readonly timestamps?: boolean } = {}): Promise<OpenedDevice> {
  const request = BACKEND_REQUESTS[choice.backend];
  if (request.backend === 'opengl') Object.assign(process.env, eglEnvironment(process.env));
  const { create } = await loadDawn();
  const gpu = create([...request.createOptions]);
  keepAlive(gpu);
  const adapter = await gpu.requestAdapter({ featureLevel: request.featureLevel, powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`Dawn's ${choice.backend} backend found no adapter in this process, although the probe found ${describeAdapter(choice.adapter)}`);
  if (adapter.info.device !== choice.adapter.device) throw new Error(`Dawn's ${choice.backend} backend gave adapter '${adapter.info.device}' here, the probe '${choice.adapter.device}'`);
  const adapterLimits: Record<string, number> = {};
  for (const name in adapter.limits) adapterLimits[name] = (adapter.limits as unknown as Record<string, number>)[name]!;
  const wanted = requiredLimits(adapterLimits);
  if ('missing' in wanted) throw new Error(`adapter ${describeAdapter(choice.adapter)}: ${wanted.missing}`);
  // Timestamps only when asked (a profiling run) and present: the kernels never need them.
  const timestamps = options.timestamps === true && adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({ label: `ltssl webgpu on ${choice.adapter.device}`, requiredLimits: wanted.limits, ...(timestamps ? { requiredFeatures: ['timestamp-query' as GPUFeatureName] } : {}) });
  return { device, adapter, limits: wanted.limits, timestamps };
}
