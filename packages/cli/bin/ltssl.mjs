#!/usr/bin/env node
// The `ltssl` bin npm links at install time, before any build exists: a committed file (with its
// run bit in git) that loads the built CLI, so `npx ltssl` works after every build and says what to
// do before the first one.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("ltssl: the CLI is not built yet (no packages/cli/dist/main.js); run 'npm run build' (or 'npm start') first\n");
  process.exit(1);
}
await import(main.href);
