import { describe, expect, it } from 'vitest';
import { inlineSvg } from './inline-svg.js';

describe('inlineSvg', () => {
  it('prefixes ids and every reference to them, so two figures on one page cannot clip each other', () => {
    const svg = '<?xml version="1.0"?>\n<svg><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use href="#clip1"/><use xlink:href="#clip1"/><a href="#other"/></g></svg>';
    const out = inlineSvg(svg, 'delta-id-linear');
    expect(out).toBe('<svg><defs><clipPath id="delta-id-linear-clip1"><rect/></clipPath></defs><g clip-path="url(#delta-id-linear-clip1)"><use href="#delta-id-linear-clip1"/><use xlink:href="#delta-id-linear-clip1"/><a href="#other"/></g></svg>');
  });

  it('leaves an SVG without ids as it is', () => {
    expect(inlineSvg('<svg><g/></svg>', 'x')).toBe('<svg><g/></svg>');
  });
});
