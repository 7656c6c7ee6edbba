import { plannedCellStates, type StudyStatus } from '@ltssl/experiments';

/**
 * `ltssl status DIR --cells`: one line per planned cell, in plan order: its
 * plan index (what `ltssl cell --index`, a Slurm array task id and a
 * Kubernetes completion index name), its state and its id. `running` is a
 * cell whose lease a live process holds.
 */
export function cellStateLines(status: StudyStatus): string[] {
  const cells = plannedCellStates(status);
  const width = String(Math.max(0, cells.length - 1)).length;
  return ['cells (plan index, state, id):', ...cells.map((c) => `  ${String(c.index).padStart(width)}  ${c.state.padEnd(7)}  ${c.id}`)];
}
