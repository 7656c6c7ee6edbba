import { singleOpProgram, toHostTensor, type Driver, type HostTensor, type OpCase, type OpName } from '@ltssl/core';

/** Compiles `op` on the case's input types, runs it on the case's inputs, returns y. */
export async function runOpCase(driver: Driver, op: OpName, c: OpCase): Promise<HostTensor> {
  const executable = await driver.compile(singleOpProgram(op, c.inputs, c.attrs));
  try {
    const feeds = Object.fromEntries(c.inputs.map((t, i) => [`x${i}`, toHostTensor(t)]));
    const { y } = await executable.run(feeds);
    return y!;
  } finally {
    executable.dispose();
  }
}
