#!/usr/bin/env node
import { runCli } from './cli.js';

// A reader that stops early (ltssl ... | head) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv, { stdout: process.stdout, stderr: process.stderr });
