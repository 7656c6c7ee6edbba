import type { DeltaRow, SeedStats } from '../study/aggregate.js';
import type { CellResult } from '../study/cell.js';
import { count, numberList } from './format.js';

/**
 * What the results lack for a full report, one sentence each, so a partial
 * study renders what exists and says plainly what is missing rather than
 * drawing empty panels or failing.
 */
export function missingNotes(results: readonly CellResult[], deltas: readonly DeltaRow[], floor: ReadonlyMap<string, SeedStats>): string[] {
  const notes: string[] = [];
  const done = results.filter((r) => r.status === 'done');
  const failed = results.length - done.length;
  if (results.length === 0) return ['No cell results: nothing to report. Run the study first (its cells write cells/*.json).'];
  if (done.length === 0) notes.push(`Every cell failed (${failed}): no accuracy, Δ or figures; see "Failed cells" for the errors.`);
  else if (failed > 0) notes.push(`${count(failed, 'cell')} failed and ${failed === 1 ? 'is' : 'are'} left out of every mean; see "Failed cells".`);

  const configs = [...new Set(done.map((r) => r.configHash))].sort();
  if (configs.length > 1) notes.push(`Finished cells come from ${configs.length} study configurations (${configs.join(', ')}): their means mix them; remove or rerun the stale cells ('ltssl status' names them).`);

  const imbalance = done.filter((r) => r.cell.protocol === 'imbalance');
  const trained = imbalance.filter((r) => r.cell.family !== 'random');
  if (imbalance.length === 0) notes.push('No finished cell of the imbalance protocol: no Δ(n, r) figures or tables.');
  else {
    if (!trained.some((r) => r.cell.r < 1)) notes.push('No finished imbalanced (r < 1) cell: Δ(n, r) needs one beside its balanced cell.');
    if (!trained.some((r) => r.cell.r === 1)) notes.push('No finished balanced (r = 1) cell: Δ(n, r) is relative to A(n, 1), so none can be computed.');
    notes.push(...unpairedNotes(trained));
    const families = new Set(deltas.map((d) => d.family));
    for (const [family, arm] of [['ssl', 'SSL'], ['sl', 'SL']] as const) {
      if (trained.length > 0 && !families.has(family)) notes.push(`No Δ for the ${arm} arm (family '${family}'): no SSL vs SL comparison.`);
    }
    const single = deltas.filter((d) => d.delta.seeds === 1);
    if (single.length > 0) notes.push(`${count(single.length, 'Δ value')} of ${deltas.length} ${single.length === 1 ? 'rests' : 'rest'} on one seed: its std is 0 and no difference can be told from noise; run at least 3 seeds (docs/paper.md).`);
    if (floor.size === 0) notes.push('No finished random-init cell: gain over random init and normalised Δ are not computed (the study config sets randomInit).');
    const noGain = deltas.filter((d) => d.gain && !d.normalizedDelta);
    if (noGain.length > 0) notes.push(`Pre-training gained nothing over random init (gain <= 0) for ${noGain.map((d) => `${d.method} n=${d.n} r=${d.r} ${d.metric}`).join('; ')}: normalised Δ is undefined there and left out.`);
    if (!imbalance.some((r) => Object.keys(r.metrics).some((m) => m.startsWith('ood.')))) notes.push('No out-of-domain metric (ood.*): only in-domain figures (the paper\'s Figure 2 needs an out-of-domain set).');
  }
  const toy = results.filter((r) => r.cell.protocol === 'toy');
  if (toy.length === 0) notes.push('No cell of the toy protocol: no toy figure.');
  else if (!toy.some((r) => r.status === 'done')) notes.push('Every toy cell failed: no toy figure.');
  return notes;
}

/** Imbalanced cells whose seed has no balanced cell at the same (method, n): that seed drops out of Δ. */
function unpairedNotes(trained: readonly CellResult[]): string[] {
  const balanced = new Set(trained.filter((r) => r.cell.r === 1).map((r) => `${r.cell.method}|${r.cell.n}|${r.cell.seed}`));
  const missing = new Map<string, { method: string; n: number; seeds: number[] }>();
  for (const r of trained) {
    if (r.cell.r === 1 || balanced.has(`${r.cell.method}|${r.cell.n}|${r.cell.seed}`)) continue;
    const k = `${r.cell.method}|${r.cell.n}`;
    const g = missing.get(k) ?? { method: r.cell.method, n: r.cell.n, seeds: [] };
    g.seeds.push(r.cell.seed);
    missing.set(k, g);
  }
  return [...missing.values()]
    .sort((a, b) => a.method.localeCompare(b.method) || a.n - b.n)
    .map((g) => `No finished balanced (r = 1) cell of ${g.method} at n=${g.n} for ${new Set(g.seeds).size === 1 ? 'seed' : 'seeds'} ${numberList(g.seeds)}: ${new Set(g.seeds).size === 1 ? 'that seed is' : 'those seeds are'} left out of its Δ.`);
}
