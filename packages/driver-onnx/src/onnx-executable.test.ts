import { describe, expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode, ProgramBuilder } from '@ltssl/core';
import { OnnxDriver } from './onnx-driver.js';

async function started(): Promise<OnnxDriver> {
  const driver = new OnnxDriver();
  await driver.init();
  return driver;
}

describe('OnnxExecutable', () => {
  it('refuses float64 with the node and the reason', async () => {
    const b = new ProgramBuilder('wide');
    b.output('y', b.op('exp', [b.input('x', 'float64', [2])], {}));
    const error = await (await started()).compile(b.build()).catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.dtypeUnsupported)).toBe(true);
    expect((error as Error).message).toMatch(/^driver 'onnx' does not compute in float64 \(ONNX Runtime has no float64 Conv kernels\): node 0 of program 'wide' \(x\) is float64\[2\]; use float32$/);
  });

  // The Executable contract (pre-step outputs, commits, fetch lists, shared state, feed checks) is
  // conformance's 'contract/' section, run on this driver by conformance.test.ts.
  it('runs a program with no state when no output is asked for (ORT refuses an empty fetch list)', async () => {
    const b = new ProgramBuilder('features');
    b.output('y', b.op('exp', [b.input('x', 'float32', [2])], {}));
    const executable = await (await started()).compile(b.build());
    expect(await executable.run({ x: { dtype: 'float32', shape: [2], data: new Float32Array([0, 1]) } }, [])).toEqual({});
    executable.dispose();
  });

  it('needs init before compile', async () => {
    const b = new ProgramBuilder('probe');
    b.output('y', b.op('exp', [b.input('x', 'float32', [2])], {}));
    await expect(new OnnxDriver().compile(b.build())).rejects.toThrow("driver 'onnx' is not initialised");
  });
});
