import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeNeeding, MESA_LAVAPIPE } from '@ltssl/testing';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-verbose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeNeeding(MESA_LAVAPIPE, '--verbose on a GPU provider', () => {
  it("prints, once per program, where ONNX Runtime's WebGPU provider runs its nodes; without it, nothing", async () => {
    const config = join(dir, 'toy.json');
    writeFileSync(config, JSON.stringify({ dim: 12, frequentCount: 12, ratios: [1], seeds: 1, sl: { steps: 10 }, ssl: { steps: 10 }, probe: { testPerClass: 10, steps: 10 } }));
    const verbose = await cli('run', 'toy', '--backend', 'onnx-webgpu', '--config', config, '--out', join(dir, 'verbose'), '--verbose');
    expect(verbose.stderr).toBe('');
    expect(verbose.code).toBe(0);
    const lines = verbose.stdout.split('\n').filter((l) => l.startsWith('[onnx-webgpu] '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\[onnx-webgpu\] program '[^']+': ONNX Runtime places (all \d+ nodes|its one node) on its webgpu provider$/);
    expect(new Set(lines).size).toBe(lines.length);
    const quiet = await cli('run', 'toy', '--backend', 'onnx-webgpu', '--config', config, '--out', join(dir, 'quiet'));
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('[onnx-webgpu]');
  }, 180_000);
});
