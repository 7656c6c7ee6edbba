import { isVariadic } from '../ir/op-def.js';
import { OP_NAMES, OPS } from './registry.js';

const escape = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * docs/ops.md, rendered from the op definitions themselves, so the page cannot
 * drift from the rules the IR enforces (a test compares the two).
 */
export function renderOpsDoc(): string {
  const lines = [
    '# The op set',
    '',
    '<!-- Generated from packages/core/src/ops by `npm run docs:ops`; a test fails when this file is stale. -->',
    '',
    `ltssl's IR has ${OP_NAMES.length} primitive ops. Every driver implements all of them; autodiff, the nn`,
    'modules and the optimizers are written in them. Images are NCHW, filters OIHW. Inputs of element-wise ops',
    'broadcast by NumPy rules and share one dtype (no implicit promotion: insert a `cast`). There is no random',
    'op: randomness enters as feeds. `sumTo(g, shape)` in a VJP is `reduceSum` over the broadcast axes followed',
    'by `reshape`. Golden cases for every op live in packages/core/golden/ops (PyTorch, float64).',
    '',
    '| op | inputs | summary |',
    '| --- | --- | --- |',
    ...OP_NAMES.map((name) => {
      const def = OPS[name];
      const inputs = def.inputs.length === 0 ? '(none)' : def.inputs.join(', ');
      return `| [\`${name}\`](#${name.toLowerCase()}) | ${inputs} | ${escape(def.doc.summary)} |`;
    }),
    '',
  ];
  for (const name of OP_NAMES) {
    const def = OPS[name];
    lines.push(`## ${name}`, '', def.doc.summary, '');
    lines.push(`- Inputs: ${def.inputs.length === 0 ? 'none' : def.inputs.map((i) => `\`${i}\``).join(', ')}${isVariadic(def) ? ' (one or more)' : ''}`);
    const attrs = Object.entries(def.doc.attrs);
    lines.push(attrs.length === 0 ? '- Attributes: none' : '- Attributes:');
    for (const [attr, meaning] of attrs) lines.push(`  - \`${attr}\`: ${meaning}`);
    lines.push(`- Shape rule: ${def.doc.shape}`);
    lines.push(`- VJP: ${def.doc.vjp}`, '');
  }
  return lines.join('\n');
}
