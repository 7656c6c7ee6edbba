import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const PAPER = 'docs/paper.md';
/** This file writes section references as scanner examples, so it is left out of the scan for them. */
const SELF = relative(repoRoot, fileURLToPath(import.meta.url)).split(sep).join('/');

/** A section reference to docs/paper.md: where it is, and the section it names. */
interface SectionReference {
  readonly file: string;
  readonly line: number;
  readonly section: string;
}

/**
 * `docs/paper.md "Name"`, `docs/paper.md, "Name"`, `docs/paper.md ("Name")`, also
 * with the name on the next line of a comment (` * "Name"`, `// "Name"`) and with
 * escaped quotes (`\"Name\"`, inside a JSON or TS string).
 */
const SECTION_REF = /docs\/paper\.md,?(?:\s|\*|\/\/|#(?!\w))*\(?\\?["“]([^"”\\\n]+)\\?["”]/g;
/** `docs/paper.md#anchor`, as a Markdown link would write it. */
const ANCHOR_REF = /docs\/paper\.md#([\w-]+)/g;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

export function sectionReferences(file: string, text: string): SectionReference[] {
  return [...text.matchAll(SECTION_REF)].map((m) => ({ file, line: lineOf(text, m.index!), section: m[1]!.trim() }));
}

export function anchorReferences(file: string, text: string): SectionReference[] {
  return [...text.matchAll(ANCHOR_REF)].map((m) => ({ file, line: lineOf(text, m.index!), section: m[1]! }));
}

/** The headings of a Markdown text (any level), outside fenced code blocks. */
export function headings(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The references whose section is not a heading of the page (by exact text, or by anchor). */
export function brokenReferences(markdown: string, refs: readonly SectionReference[], anchors: readonly SectionReference[] = []): string[] {
  const names = new Set(headings(markdown));
  const slugs = new Set([...names].map(slug));
  return [
    ...refs.filter((r) => !names.has(r.section)).map((r) => `${r.file}:${r.line}: "${r.section}"`),
    ...anchors.filter((r) => !slugs.has(r.section)).map((r) => `${r.file}:${r.line}: #${r.section}`),
  ];
}

/** Tracked files and untracked ones git does not ignore, present on disk, outside node_modules and reports, text only. */
function repositoryTextFiles(): { path: string; text: string }[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const paths = [...new Set(listed.split('\0').filter(Boolean))];
  const files: { path: string; text: string }[] = [];
  for (const path of paths) {
    if (path.split('/').some((part) => part === 'node_modules' || part === 'reports')) continue;
    const abs = join(repoRoot, path);
    if (!existsSync(abs)) continue; // deleted in the working tree
    const stat = statSync(abs);
    if (!stat.isFile() || stat.size > 4 * 1024 * 1024) continue;
    const buffer = readFileSync(abs);
    if (buffer.includes(0)) continue; // binary
    files.push({ path, text: buffer.toString('utf8') });
  }
  return files;
}

describe('the reference scanner', () => {
  it('finds every quoting form the code uses', () => {
    const text = [
      ' * Imbalance profiles of docs/paper.md ("Definitions"): how',
      ' * (docs/paper.md "Toy model"), and docs/paper.md, "Measuring at small scale").',
      " subtitle: 'docs/paper.md \"rwSAM\"; mean'",
      ' * The objective (docs/paper.md',
      ' * "Protocol"): and {"note": "docs/paper.md \\"Peers\\""}',
      " it(\"docs/paper.md's examples\") and docs/paper.md's \"not a section\"",
    ].join('\n');
    expect(sectionReferences('x.ts', text).map((r) => [r.line, r.section])).toEqual([
      [1, 'Definitions'],
      [2, 'Toy model'],
      [2, 'Measuring at small scale'],
      [3, 'rwSAM'],
      [4, 'Protocol'],
      [5, 'Peers'],
    ]);
  });

  it('reports a section that is not a heading, and not one inside a code block', () => {
    const page = '# Title\n\n## Toy model\n\n```md\n## Fenced\n```\n\n### rwSAM ##\n';
    expect(headings(page)).toEqual(['Title', 'Toy model', 'rwSAM']);
    const refs = sectionReferences('a.ts', 'docs/paper.md "Toy model" docs/paper.md "Fenced"\ndocs/paper.md "toy model"');
    const anchors = anchorReferences('b.md', '[x](docs/paper.md#toy-model) [y](docs/paper.md#fenced)');
    expect(brokenReferences(page, refs, anchors)).toEqual(['a.ts:1: "Fenced"', 'a.ts:2: "toy model"', 'b.md:1: #fenced']);
  });
});

describe('docs/paper.md references', () => {
  const files = repositoryTextFiles();

  it('docs/paper.md exists', () => {
    expect(existsSync(join(repoRoot, PAPER)), `${PAPER} is missing`).toBe(true);
  });

  it('every section the repository quotes is a heading of docs/paper.md', () => {
    const markdown = readFileSync(join(repoRoot, PAPER), 'utf8');
    const sources = files.filter((f) => f.path !== SELF);
    const refs = sources.flatMap((f) => sectionReferences(f.path, f.text));
    const anchors = sources.flatMap((f) => anchorReferences(f.path, f.text));
    expect(refs.length, 'no quoted section reference found: the scanner is broken').toBeGreaterThan(0);
    expect(brokenReferences(markdown, refs, anchors), `headings of ${PAPER}: ${JSON.stringify(headings(markdown))}`).toEqual([]);
  });

  it('no file names the old page or the shared folder outside the repository', () => {
    // Built from parts, so that this file does not name them either and is scanned like every other.
    const forbidden = [['PAPER', 'md'].join('.'), ['..', 'shared'].join('/')];
    const hits = files
      .filter((f) => f.path !== PAPER)
      .flatMap((f) =>
        f.text.split('\n').flatMap((line, i) => forbidden.filter((s) => line.includes(s)).map((s) => `${f.path}:${i + 1}: ${s}`)),
      );
    expect(hits).toEqual([]);
  });
});
