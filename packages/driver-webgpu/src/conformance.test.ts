import { expect, it } from 'vitest';
import { runConformance } from '@ltssl/conformance';
import { describeNeeding, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { WEBGPU_KNOWN_GAPS } from './known-gaps.js';
import { WebGpuDriver } from './webgpu-driver.js';

describeNeeding(SOFTWARE_WEBGPU, 'conformance of the WebGPU driver (the adapter this machine has: a Mesa software rasterizer in CI)', () => {
  it('passes every check in float32 against the float64 reference', async () => {
    const report = await runConformance(() => new WebGpuDriver(), { knownGaps: WEBGPU_KNOWN_GAPS });
    const failures = report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`);
    expect(failures).toEqual([]);
    expect(report.skipped).toBe(0);
    expect(report.passed).toBeGreaterThan(300);
  }, 900_000);
});
