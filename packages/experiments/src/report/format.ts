import type { SeedStats } from '../study/aggregate.js';

/** `x.toFixed(digits)` without the '-0.00' that rounding a tiny negative number gives. */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const text = x.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A fraction as a percentage with two decimals, without the sign: '85.23'. */
export function percent(x: number): string {
  return fixed(x * 100, 2);
}

/** Mean ± std of a fraction, in percent: '85.23 ± 0.41'. */
export function percentStats(stats: SeedStats): string {
  return `${percent(stats.mean)} ± ${percent(stats.std)}`;
}

/** Mean ± std of a raw value (toy metrics are not all accuracies): '0.845 ± 0.012'. */
export function rawStats(stats: SeedStats): string {
  return `${fixed(stats.mean, 3)} ± ${fixed(stats.std, 3)}`;
}

/** A list of numbers sorted ascending and joined: '0, 1, 2'. */
export function numberList(values: Iterable<number>, order: 'asc' | 'desc' = 'asc'): string {
  return [...new Set(values)].sort((a, b) => (order === 'asc' ? a - b : b - a)).join(', ');
}

/** Plural: '1 seed', '3 seeds'. */
export function count(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}
