import type { BackendProbe } from './probe-adapters.js';

/** Which adapters a driver accepts: 'any' takes a software rasterizer when no GPU is present; 'hardware' never does. */
export type AdapterPolicy = 'any' | 'hardware';

export type WorkingProbe = Extract<BackendProbe, { ok: true }>;

/**
 * The adapter to run on: the first hardware adapter in backend order, else
 * (policy 'any') the first software one. Undefined with the reason when none
 * qualifies; the reason lists what each backend found.
 */
export function chooseAdapter(probes: readonly BackendProbe[], policy: AdapterPolicy): { choice: WorkingProbe } | { reason: string } {
  const working = probes.filter((p): p is WorkingProbe => p.ok);
  const hardware = working.find((p) => !p.software);
  if (hardware) return { choice: hardware };
  const software = working[0];
  if (software && policy === 'any') return { choice: software };
  const found = probes
    .map((p) => (p.ok ? `${p.backend}: software adapter ${p.adapter.device || p.adapter.description}` : `${p.backend}: ${p.reason}`))
    .join('; ');
  const remedy = software
    ? "only a software rasterizer is here; '--backend webgpu' runs on it"
    : 'install a Vulkan driver for the GPU (NVIDIA: the proprietary driver with its Vulkan ICD, and libvulkan1; headless, as in a container, set VK_DRIVER_FILES to an ICD file naming libEGL_nvidia.so.0: the stock one names libGLX_nvidia.so.0, which needs a display), or Mesa (libegl1, libgl1-mesa-dri) for the software rasterizer';
  return { reason: `no ${policy === 'hardware' ? 'hardware ' : ''}WebGPU adapter (${found}); ${remedy}` };
}
