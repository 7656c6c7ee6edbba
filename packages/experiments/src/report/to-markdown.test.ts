import { describe, expect, it } from 'vitest';
import { escapeMarkdown, toMarkdown } from './to-markdown.js';

describe('toMarkdown', () => {
  it('escapes only what changes the meaning of text: pipes, stars, brackets, tags, word-edge underscores', () => {
    expect(escapeMarkdown('Delta_SSL < Delta_SL and Δ_SL')).toBe('Delta_SSL < Delta_SL and Δ_SL');
    expect(escapeMarkdown('a | b *c* [d] <file> _e_ `f` \\')).toBe('a \\| b \\*c\\* \\[d\\] &lt;file> \\_e\\_ \\`f\\` \\\\');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
  });

  it('writes tables with right-aligned numeric columns and figures by relative path', () => {
    const md = toMarkdown({
      title: 'T',
      blocks: [
        { kind: 'table', table: { header: ['method', 'id.linear (%)'], numeric: [false, true], rows: [['a|b', '85.00 ± 1.00']] } },
        { kind: 'figure', name: 'delta-id-linear', title: 'Δ(n, r)', caption: 'c', svgPath: 'figures/delta-id-linear.svg', pngPath: 'figures/delta-id-linear.png', svg: '<svg/>' },
      ],
    });
    expect(md).toBe('# T\n\n| method | id.linear (%) |\n| --- | ---: |\n| a\\|b | 85.00 ± 1.00 |\n\n![Δ(n, r)](figures/delta-id-linear.svg)\n\n*c* ([PNG](figures/delta-id-linear.png))\n');
  });
});
