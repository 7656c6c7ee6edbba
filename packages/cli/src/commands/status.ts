import { describeLeaseOwner, studyStatus } from '@ltssl/experiments';
import { EXIT, type CliIO } from '../io.js';
import { cellStateLines } from './status-cells.js';

/** Pending cells listed by id before the rest is only counted. */
const PENDING_SHOWN = 10;

/** An error message on one line, however many it had. */
const oneLine = (text: string | undefined): string => (text ?? '(no error message)').replace(/\s*[\r\n]+\s*/g, ' | ').trim();

/**
 * `ltssl status DIR`: the planned cells of a study folder by what their
 * result files say (done, pending, failed with its error), from plan.json and
 * cells/*.json. Exit 0 whatever the state; 1 (from the thrown error) when DIR
 * is not a study folder.
 */
export async function statusCommand(io: CliIO, dir: string, options: { readonly cells?: boolean } = {}): Promise<number> {
  const s = await studyStatus(dir);
  const out = (line: string): unknown => io.stdout.write(line + '\n');
  const planHash = s.plan.configHash;
  const otherConfig = (hash: string): string => `configuration ${hash}, not the plan's ${planHash}: will be recomputed`;
  out(`study ${dir}: ${s.plan.protocol}, configuration ${planHash}, ${s.plan.cells.length} cells planned`);
  out(`done ${s.done.length}, pending ${s.pending.length}, failed ${s.failed.length}`);
  if (options.cells) for (const line of cellStateLines(s)) out(line);
  if (s.failed.length > 0) {
    out('failed:');
    for (const r of s.failed) out(`  ${r.cell.id}: ${oneLine(r.error)}${r.configHash === planHash ? '' : ` [${otherConfig(r.configHash)}]`}`);
  }
  if (s.pending.length > 0) {
    out('pending:');
    const stale = new Map(s.stale.map((r) => [r.cell.id, r.configHash]));
    for (const spec of s.pending.slice(0, PENDING_SHOWN)) {
      const hash = stale.get(spec.id);
      out(`  ${spec.id}${hash === undefined ? '' : ` [finished under ${otherConfig(hash)}]`}`);
    }
    if (s.pending.length > PENDING_SHOWN) out(`  ... and ${s.pending.length - PENDING_SHOWN} more`);
    const staleHidden = s.pending.slice(PENDING_SHOWN).filter((c) => stale.has(c.id)).length;
    if (staleHidden > 0) out(`  (${staleHidden} of those have a result of another configuration and will be recomputed)`);
  }
  for (const r of s.running) out(`computing now: ${r.cell}, by ${describeLeaseOwner(r.owner)}`);
  if (s.unplanned.length > 0) out(`not in the plan (kept, not counted): ${s.unplanned.map((r) => r.cell.id).join(', ')}`);
  for (const r of s.rejected) out(`rejected (its cell counts as pending): ${r.file}: ${oneLine(r.reason)}`);
  if (s.pending.length + s.failed.length > 0) out(`'ltssl run' with --out ${dir} computes the pending and failed cells; finished ones are never recomputed`);
  if (s.done.length > 0) out(`'ltssl collect ${dir}' stores the finished cells in its results.sqlite and results.csv`);
  return EXIT.ok;
}
