import type { Block, ReportDocument, TextTable } from './document.js';

/**
 * Escapes what would change the meaning of plain text in CommonMark, and only
 * that, so the file stays readable and searchable as text: backslashes,
 * backticks, emphasis stars, link brackets, pipes (tables), '<' before a tag
 * name, and underscores that are not inside a word (an intraword '_' as in
 * Delta_SSL never starts emphasis).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`)
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/_/g, (c, i: number, s: string) => (/[\p{L}\p{N}]/u.test(s[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(s[i + 1] ?? '') ? c : `\\${c}`))
    .replace(/\r?\n/g, ' ');
}

function table(t: TextTable): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  const rule = `|${t.header.map((_, i) => (t.numeric?.[i] ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(t.header), rule, ...t.rows.map(line)].join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return escapeMarkdown(b.text);
    case 'list':
      return b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n');
    case 'table':
      return table(b.table);
    case 'figure':
      // Relative paths: the report folder can be moved or zipped whole.
      return `![${escapeMarkdown(b.title)}](${b.svgPath})\n\n*${escapeMarkdown(b.caption)}* ([PNG](${b.pngPath}))`;
  }
}

/** report.md: figures by relative path (figures/*.svg, with the PNG linked). */
export function toMarkdown(doc: ReportDocument): string {
  return `# ${escapeMarkdown(doc.title)}\n\n${doc.blocks.map(block).join('\n\n')}\n`;
}
