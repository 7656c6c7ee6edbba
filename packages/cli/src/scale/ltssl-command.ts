import { fileURLToPath } from 'node:url';
import type { GlobalOptions } from '../global-options.js';

/** The built CLI's entry point (dist/main.js), beside this module's folder. */
export const CLI_MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * The command that runs this ltssl on a machine like this one: this Node.js
 * and this CLI's main.js, by absolute path (a cluster's compute nodes see the
 * login node's shared installation). `--ltssl` on the scheduler commands
 * replaces it where they do not.
 */
export function thisLtssl(): string[] {
  return [process.execPath, CLI_MAIN];
}

/** The global options a job's `ltssl cell` must be given to run as this command does (same driver). */
export function globalArguments(options: GlobalOptions): string[] {
  return ['--backend', options.backend, ...options.driverModule.flatMap((m) => ['--driver-module', m])];
}

/** One word for a POSIX shell: left bare when it is plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a --ltssl command ("ltssl", "/opt/node/bin/node /opt/ltssl/main.js") into words at whitespace. */
export function commandWords(command: string): string[] {
  return command.trim().split(/\s+/).filter(Boolean);
}
