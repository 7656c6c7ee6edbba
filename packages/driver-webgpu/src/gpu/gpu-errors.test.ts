import { expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder } from '@ltssl/core';
import { describeNeeding, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { WebGpuDriver } from '../webgpu-driver.js';

describeNeeding(SOFTWARE_WEBGPU, 'WebGPU errors are never silent', () => {
  it('names the kernel, line and source of a WGSL error', async () => {
    const driver = new WebGpuDriver();
    await driver.init();
    // The device opens on the first compile.
    const b = new ProgramBuilder('ok');
    b.output('y', b.op('neg', [b.input('x', 'float32', [2])], {}));
    const ok = await driver.compile(b.build());
    const error = await driver.context!.pipeline('broken', 'fn main() { let x: f32 = 1u; }', []).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^driver 'webgpu': kernel 'broken' does not compile: .* at line 1:\d+: fn main\(\) \{ let x: f32 = 1u; \}$/);
    // The error was caught by its scope: the device is still usable.
    expect(Array.from((await ok.run({ x: hostTensor('float32', [2], [1, -2]) })).y!.data)).toEqual([-1, 2]);
    await driver.dispose();
  });

  it('reports a lost device on the next run, with the reason', async () => {
    const driver = new WebGpuDriver();
    await driver.init();
    const b = new ProgramBuilder('after-loss');
    b.output('y', b.op('neg', [b.input('x', 'float32', [2])], {}));
    const executable = await driver.compile(b.build());
    const device = driver.context!.device;
    device.destroy();
    // The context's own handler on `lost` was attached first, so it has run once this resolves.
    await device.lost;
    const error = await executable.run({ x: hostTensor('float32', [2]) }).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.driverUnavailable)).toBe(true);
    expect((error as Error).message).toMatch(/^driver 'webgpu': program 'after-loss': the device was destroyed/);
    await driver.dispose();
  });
});
