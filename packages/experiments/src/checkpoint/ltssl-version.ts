import { readFileSync } from 'node:fs';

let version: string | undefined;

/**
 * The version of ltssl that is running, from @ltssl/experiments' package.json
 * (two folders up from both src/checkpoint/ and dist/checkpoint/), read once.
 * Checkpoints record it, so a file says which code wrote it.
 */
export function ltsslVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
