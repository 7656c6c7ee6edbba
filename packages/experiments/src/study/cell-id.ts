/** A stable, filesystem-safe cell id from its parts: 'imbalance_simsiam_n2400_r0.01_s0'. */
export function cellId(protocol: string, method: string, n: number, r: number, seed: number): string {
  return `${protocol}_${method}_n${n}_r${r}_s${seed}`.replace(/[^A-Za-z0-9._-]/g, '-');
}
