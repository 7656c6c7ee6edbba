import { describe, expect, it } from 'vitest';
import { runConformance } from '@ltssl/conformance';
import { TFJS_KNOWN_GAPS } from './known-gaps.js';
import { TfjsDriver } from './tfjs-driver.js';

describe('conformance of the TensorFlow.js driver (wasm engine)', () => {
  it('passes every check in float32', async () => {
    const report = await runConformance(() => new TfjsDriver({ backend: 'tfjs-wasm' }), { knownGaps: TFJS_KNOWN_GAPS });
    const failures = report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`);
    expect(failures).toEqual([]);
    expect(report.driver.details['engine']).toBe('wasm');
    expect(report.passed).toBeGreaterThan(300);
  }, 300_000);
});
