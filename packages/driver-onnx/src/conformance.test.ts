import { describe, expect, it } from 'vitest';
import { runConformance } from '@ltssl/conformance';
import { describeNeeding, MESA_LAVAPIPE } from '@ltssl/testing';
import { ONNX_KNOWN_GAPS } from './known-gaps.js';
import { OnnxDriver } from './onnx-driver.js';

describe('conformance of the ONNX Runtime driver (CPU provider)', () => {
  it('passes every check in float32', async () => {
    const report = await runConformance(() => new OnnxDriver({ provider: 'cpu' }), { knownGaps: ONNX_KNOWN_GAPS });
    const failures = report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`);
    expect(failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(300);
  }, 300_000);
});

describeNeeding(MESA_LAVAPIPE, "conformance of the ONNX Runtime driver (WebGPU provider, on Mesa's lavapipe)", () => {
  it('passes every check in float32, with its own lowering profile', async () => {
    const report = await runConformance(() => new OnnxDriver({ provider: 'webgpu' }), { knownGaps: ONNX_KNOWN_GAPS });
    const failures = report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`);
    expect(failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(300);
  }, 600_000);
});
