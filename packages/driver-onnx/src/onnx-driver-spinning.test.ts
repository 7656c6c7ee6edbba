import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CPU_SPINNING, OnnxDriver } from './onnx-driver.js';

describe("the CPU provider's intra-op spinning", () => {
  afterEach(() => {
    delete process.env['LTSSL_ONNX_SPINNING'];
  });

  it('is off unless asked for, and says so in the device details', async () => {
    expect(DEFAULT_CPU_SPINNING).toBe(false);
    expect((await new OnnxDriver().init()).details['intraOpSpinning']).toBe('false');
    expect((await new OnnxDriver({ intraOpSpinning: true }).init()).details['intraOpSpinning']).toBe('true');
    process.env['LTSSL_ONNX_SPINNING'] = '1';
    expect(new OnnxDriver().intraOpSpinning).toBe(true);
  });

  it('refuses an LTSSL_ONNX_SPINNING that is not 0 or 1', () => {
    process.env['LTSSL_ONNX_SPINNING'] = 'yes';
    expect(() => new OnnxDriver().intraOpSpinning).toThrow("LTSSL_ONNX_SPINNING must be 0 or 1, got 'yes'");
  });
});
