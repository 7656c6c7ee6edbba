import { collect } from '@ltssl/experiments';
import { EXIT, type CliIO } from '../io.js';

const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;

/**
 * `ltssl collect DIR [OTHER ...]`: merges the cell result files of DIR and of
 * the other folders into DIR (cells/, results.sqlite, results.csv) and says
 * what it did. Exit 1 when a file could not be collected (listed on stderr);
 * everything else was still collected.
 */
export async function collectCommand(io: CliIO, dir: string, sources: readonly string[]): Promise<number> {
  const s = await collect(dir, sources);
  const out = (line: string): unknown => io.stdout.write(line + '\n');
  out(`collected ${plural(s.cells, 'cell')} from ${plural(s.folders, 'folder')} into ${dir}`);
  if (s.copied.length > 0) {
    const replacing = s.copied.filter((c) => c.replaced).length;
    out(`  copied ${plural(s.copied.length, 'cell file')} into ${dir}/cells${replacing > 0 ? ` (${replacing} replacing an older result)` : ''}`);
  }
  for (const c of s.conflicts) {
    const dropped = c.dropped.map((f) => `${f.file} (finished ${f.result.finishedAt}, ${f.result.status})`).join(', ');
    out(`  conflict: ${c.id} differs between folders; kept ${c.kept.file} (finished ${c.kept.result.finishedAt}, ${c.kept.result.status}: ${c.reason}); not kept: ${dropped}`);
  }
  const failed = s.failed > 0 ? `; ${plural(s.failed, 'failed cell')} (see 'ltssl status ${dir}')` : '';
  if (s.rebuilt) out(`  ${s.rebuilt.why}: moved it to ${s.rebuilt.movedTo} and rebuilt the store from the cell files`);
  const corrected = [s.repaired > 0 ? `${s.repaired} repaired (rows that disagreed with their cell file)` : '', s.removed > 0 ? `${s.removed} removed (no cell file)` : ''].filter(Boolean);
  out(`store ${s.store}: ${s.added} added, ${s.replaced} replaced, ${s.unchanged} unchanged${corrected.length > 0 ? `, ${corrected.join(', ')}` : ''}${failed}`);
  out(`wrote ${s.csv}: ${plural(s.csvRows, 'row')}`);
  if (s.rejected.length === 0) return EXIT.ok;
  io.stderr.write(`ltssl: ${plural(s.rejected.length, 'file')} not collected:\n`);
  for (const r of s.rejected) io.stderr.write(`  ${r.file}: ${r.reason}\n`);
  return EXIT.failure;
}
