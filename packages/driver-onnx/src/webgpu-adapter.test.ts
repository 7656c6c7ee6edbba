import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDriver } from '@ltssl/core';
import { describeNeeding, MESA_LAVAPIPE } from '@ltssl/testing';
import { onnxRegistrations } from './module.js';
import { OnnxDriver } from './onnx-driver.js';
import { identifyWebGpuAdapter } from './webgpu-adapter.js';

// Lavapipe alone, even on a machine that also has a GPU: the Vulkan loader reads only this manifest.
const LAVAPIPE_ONLY = '/usr/share/vulkan/icd.d/lvp_icd.json';

describeNeeding(MESA_LAVAPIPE, "ONNX Runtime's WebGPU provider on Mesa's lavapipe", () => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env['VK_DRIVER_FILES'];
    process.env['VK_DRIVER_FILES'] = LAVAPIPE_ONLY;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['VK_DRIVER_FILES'];
    else process.env['VK_DRIVER_FILES'] = saved;
  });

  it('is identified as a software rasterizer, not a GPU', async () => {
    expect(await identifyWebGpuAdapter()).toEqual({ software: true, description: 'software rasterizer on the CPU (Mesa lavapipe)' });
  }, 60_000);

  it("names the software adapter in the device line, as kind 'cpu'", async () => {
    const driver = new OnnxDriver({ provider: 'webgpu' });
    const info = await driver.init();
    await driver.dispose();
    expect(info).toMatchObject({ driver: 'onnx-webgpu', kind: 'cpu', software: true, details: { software: 'true' } });
    expect(info.device).toMatch(/^software rasterizer on the CPU \(Mesa lavapipe\), ONNX Runtime [\d.]+ webgpu execution provider$/);
  }, 60_000);

  it('--backend auto takes the CPU provider and says why it passed over onnx-webgpu', async () => {
    const started = await startDriver(onnxRegistrations, 'auto');
    await started.driver.dispose();
    expect(started.info.driver).toBe('onnx');
    const skipped = started.skipped.find((s) => s.name === 'onnx-webgpu');
    expect(skipped?.reason).toMatch(/^runs on a software rasterizer \(software rasterizer on the CPU \(Mesa lavapipe\), .*\), which auto never chooses over a CPU engine; run on it with --backend onnx-webgpu$/);
  }, 90_000);
});
