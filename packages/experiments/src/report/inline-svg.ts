/**
 * An SVG made ready to sit inline in an HTML page beside others: the XML
 * declaration dropped, and every id (and each reference to it) prefixed, since
 * ids are global to a page and two figures' 'clip1' would clip each other.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const body = svg.replace(/^\s*<\?xml[^>]*>\s*/, '');
  const ids = new Set([...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  if (ids.size === 0) return body;
  const rename = (id: string): string => (ids.has(id) ? `${prefix}-${id}` : id);
  return body
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${rename(id)}${b}`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(\s(?:xlink:)?href="#)([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${rename(id)}${b}`);
}
