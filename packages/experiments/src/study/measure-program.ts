import { CounterRng, hostTensor, RNG_STREAMS, type Driver, type Program } from '@ltssl/core';

/**
 * Seconds one run of `program` takes on `driver`: compiled, run once for
 * allocation and warm-up, then timed over `runs` runs. Feeds are seeded
 * normal noise (int32 inputs zero; 'lr' a tiny 1e-4), enough for a step to do
 * its full work. What the sweep estimates (`--dry-run`) are built from.
 */
export async function secondsPerRun(driver: Driver, program: Program, runs = 3): Promise<number> {
  const executable = await driver.compile(program);
  try {
    const feeds = Object.fromEntries(
      program.inputs.map((input) => {
        const size = input.shape.reduce((a, b) => a * b, 1);
        if (input.dtype === 'int32') return [input.name, hostTensor('int32', input.shape, new Int32Array(size))];
        if (input.name === 'lr') return [input.name, hostTensor('float32', input.shape, [1e-4])];
        const data = new Float32Array(size);
        new CounterRng(0, RNG_STREAMS.data, 0).fillNormal(data, 0, 1);
        return [input.name, hostTensor('float32', input.shape, data)];
      }),
    );
    await executable.run(feeds, []);
    const start = performance.now();
    for (let i = 0; i < runs; i++) await executable.run(feeds, []);
    return (performance.now() - start) / 1000 / runs;
  } finally {
    executable.dispose();
  }
}

/** Told before each program is measured (e.g. 'simsiam step at batch 512'), so a long estimate shows progress. */
export type OnMeasure = (what: string) => void;
