import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpsDoc } from './ops-doc.js';

describe('docs/ops.md', () => {
  it('matches the op definitions (regenerate with `npm run docs:ops`)', () => {
    const committed = readFileSync(new URL('../../../../docs/ops.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderOpsDoc());
  });
});
