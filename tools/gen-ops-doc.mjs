// Writes docs/ops.md from the op definitions in @ltssl/core (built first by `npm run docs:ops`).
import { writeFileSync } from 'node:fs';
import { renderOpsDoc } from '@ltssl/core';

const target = new URL('../docs/ops.md', import.meta.url);
writeFileSync(target, renderOpsDoc());
console.error(`wrote ${target.pathname}`);
