import type { Block, ReportDocument, TextTable } from './document.js';
import { inlineSvg } from './inline-svg.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #1a1a1a; line-height: 1.45; overflow-wrap: break-word; }
h1, h2, h3 { line-height: 1.2; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
div.table { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .8em 0; font-size: .9em; }
th, td { border: 1px solid #d0d0d0; padding: .25em .6em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f3f3; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #fafafa; }
figure { margin: 1.5em 0; overflow-x: auto; } figcaption { font-size: .9em; color: #444; max-width: 60em; }
figure svg { max-width: 100%; height: auto; }
`;

function table(t: TextTable): string {
  const cls = (i: number): string => (t.numeric?.[i] ? ' class="num"' : '');
  const head = `<tr>${t.header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`);
  // Long cells (package lists, hashes) wrap, and a table still wider than the page scrolls inside its box: the page fits its window.
  return `<div class="table"><table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}\n</ul>`;
    case 'table':
      return table(b.table);
    case 'figure':
      return `<figure id="figure-${escapeHtml(b.name)}">\n${inlineSvg(b.svg, b.name)}\n<figcaption><strong>${escapeHtml(b.title)}.</strong> ${escapeHtml(b.caption)} (<a href="${escapeHtml(b.pngPath)}">PNG</a>)</figcaption>\n</figure>`;
  }
}

/**
 * report.html: one self-contained page. The figures are inline SVG and the
 * style is inline, so it opens offline, from an e-mail or a CI artifact, and
 * fetches nothing (an empty inline icon stops the browser asking for /favicon.ico).
 */
export function toHtml(doc: ReportDocument): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n<title>${escapeHtml(doc.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<h1>${escapeHtml(doc.title)}</h1>\n${doc.blocks.map(block).join('\n')}\n</body>\n</html>\n`;
}
