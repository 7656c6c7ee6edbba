#!/usr/bin/env node
// The process a queue worker forks for one cell: the CLI (its arguments are `ltssl cell ...`), tied to the
// worker by the IPC channel fork() opens. When the worker dies (SIGKILL included) the channel closes and this
// process ends at once, so a killed worker leaves no training behind; the cell's lease is freed on exit, and
// the cell resumes from its checkpoints when the queue hands it out again.
import { runCli } from '../cli.js';

/** The exit code when the worker is gone (nobody reads it, but a shell would). */
const ORPHANED_EXIT = 1;

process.on('disconnect', () => {
  process.stderr.write('ltssl: the queue worker that started this cell is gone; stopping (the cell resumes from its checkpoints when the queue hands it out again)\n');
  process.exit(ORPHANED_EXIT);
});
// The channel only watches the worker: it must not keep this process alive once the cell is done.
process.channel?.unref();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ORPHANED_EXIT); // the worker's end of the pipe is gone with it
    throw error;
  });
}

process.exitCode = await runCli(process.argv, { stdout: process.stdout, stderr: process.stderr });
