import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The child's entry point in the built CLI (dist/scale/cell-child.js). */
const CELL_CHILD = fileURLToPath(new URL('./cell-child.js', import.meta.url));

/** How a cell's child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last line it wrote to stderr (an ltssl error is one line), for the job's failure. */
  readonly lastError: string | undefined;
}

export interface CellChild {
  readonly pid: number;
  readonly exited: Promise<ChildExit>;
  /** Asks it to stop (SIGTERM: the cell stops at the end of a step and writes a checkpoint). */
  stop(): void;
}

/**
 * Runs `ltssl <args>` (a `cell` command) in a child process with an IPC
 * channel, so that the child ends when this process does, however it ends.
 * Its output lines go to `onLine`; training never runs in this process, so
 * its event loop is free to renew the job's lock.
 */
export function runCellChild(args: readonly string[], onLine: (line: string, stream: 'stdout' | 'stderr') => void): CellChild {
  const child: ChildProcess = fork(CELL_CHILD, [...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, NO_COLOR: '1' } });
  let lastError: string | undefined;
  const lines = (stream: 'stdout' | 'stderr'): Promise<void> =>
    new Promise((done) => {
      const source = child[stream];
      if (!source) return done();
      const reader = createInterface({ input: source, crlfDelay: Infinity });
      reader.on('line', (line) => {
        if (stream === 'stderr' && line.trim() !== '') lastError = line.replace(/^ltssl: /, '');
        onLine(line, stream);
      });
      reader.on('close', done);
    });
  const output = Promise.all([lines('stdout'), lines('stderr')]);
  const exited = new Promise<ChildExit>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code, signal) => void output.then(() => done({ code, signal, lastError })));
  });
  return {
    pid: child.pid ?? -1,
    exited,
    stop: () => void child.kill('SIGTERM'),
  };
}
