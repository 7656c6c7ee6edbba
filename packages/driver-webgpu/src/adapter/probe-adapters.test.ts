import { describe, expect, it } from 'vitest';
import { probeBackends } from './probe-adapters.js';

describe('probing adapters in a child process', () => {
  it('reports each backend: an adapter that computed, or why not, without touching this process', async () => {
    const probes = await probeBackends(['vulkan', 'opengl']);
    expect(probes.map((p) => p.backend)).toEqual(['vulkan', 'opengl']);
    for (const p of probes) {
      if (p.ok) expect(p.adapter.device.length + p.adapter.description.length).toBeGreaterThan(0);
      else expect(p.reason.length).toBeGreaterThan(0);
    }
    // Machines that run this suite have at least Mesa's llvmpipe (CI installs it).
    expect(probes.some((p) => p.ok)).toBe(true);
  });
});
