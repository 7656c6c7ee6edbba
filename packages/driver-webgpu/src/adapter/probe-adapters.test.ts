import { expect, it } from 'vitest';
import { describeNeeding, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { probeBackends } from './probe-adapters.js';

describeNeeding(SOFTWARE_WEBGPU, 'probing adapters in a child process', () => {
  it('reports each backend: an adapter that computed, or why not, without touching this process', async () => {
    const probes = await probeBackends(['vulkan', 'opengl']);
    expect(probes.map((p) => p.backend)).toEqual(['vulkan', 'opengl']);
    for (const p of probes) {
      if (p.ok) expect(p.adapter.device.length + p.adapter.description.length).toBeGreaterThan(0);
      else expect(p.reason.length).toBeGreaterThan(0);
    }
    // Mesa's software rasterizer is here (the describe block needs it).
    expect(probes.some((p) => p.ok)).toBe(true);
  });
});
