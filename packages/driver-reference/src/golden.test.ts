import { describe, expect, it } from 'vitest';
import { caseInDType, compareTensors, singleOpProgram, toHostTensor, type OpCase, type OpName } from '@ltssl/core';
import { loadAllGoldenCases } from '@ltssl/core/golden';
import { ReferenceDriver } from './reference-driver.js';

async function runCase(driver: ReferenceDriver, op: OpName, c: OpCase) {
  const program = singleOpProgram(op, c.inputs, c.attrs);
  const executable = await driver.compile(program);
  const feeds = Object.fromEntries(c.inputs.map((t, i) => [`x${i}`, toHostTensor(t)]));
  const { y } = await executable.run(feeds);
  executable.dispose();
  return y!;
}

const cases = loadAllGoldenCases().flatMap((file) => file.cases.map((c) => [file.op, c.name, c] as const));

describe('reference driver against the golden op cases (PyTorch, float64)', async () => {
  const driver = new ReferenceDriver();
  await driver.init();

  it.each(cases)('%s/%s matches at rtol 1e-6', async (op, _name, c) => {
    const y = await runCase(driver, op, c);
    expect(compareTensors(y, c.expected, { rtol: 1e-6, atol: 1e-12 })).toBeUndefined();
  });
});

describe('reference driver in float32 precision', async () => {
  const driver = new ReferenceDriver({ precision: 'float32' });
  await driver.init();

  it.each(cases)('%s/%s matches the float64 values within float32 rounding', async (op, _name, c) => {
    const c32 = caseInDType(c, 'float32');
    const y = await runCase(driver, op, c32);
    expect(y.data).toBeInstanceOf(c32.expected.dtype === 'int32' ? Int32Array : Float32Array);
    expect(compareTensors(y, c32.expected, { rtol: 1e-5, atol: 1e-5 })).toBeUndefined();
  });
});
