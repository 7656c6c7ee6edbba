import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';

/** Runs the CLI in-process with captured output: what the tests of every command use. */
export async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'ltssl', ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

/**
 * Source of a RegExp matching any formatDuration output ('59.2 s', '1m05s', '1h02m'):
 * a test must not depend on how long the machine took.
 */
export const DURATION = String.raw`(?:\d+\.\d s|\d+m\d{2}s|\d+h\d{2}m|\?)`;

/** Writes `value` as JSON to DIR/NAME and returns the path: a test's config file. */
export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}
