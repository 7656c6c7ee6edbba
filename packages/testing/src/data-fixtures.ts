import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dataset fixtures made by tools/fixtures/gen_data_fixtures.py (Python's
 * tarfile, pickle and zipfile, NumPy, PIL; committed): files in the formats
 * researchers bring, good and hostile, for the readers' tests in every package.
 */
export const DATA_FIXTURES = fileURLToPath(new URL('../../experiments/fixtures/data', import.meta.url));

/** A path under the dataset fixtures: dataFixture('hostile', 'truncated.npy'). */
export function dataFixture(...parts: string[]): string {
  return join(DATA_FIXTURES, ...parts);
}

/**
 * The generator's image pattern (gen_data_fixtures.py's `pattern`): the value
 * of channel c, row y, column x of image i (its index in the split) with label k.
 */
export function fixturePixel(k: number, c: number, y: number, x: number, i: number): number {
  return (23 * k + 70 * c + 3 * y + 2 * x + 5 * (i % 7)) % 256;
}
