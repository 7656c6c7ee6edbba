/**
 * A stable, filesystem-safe cell id from its parts: 'imbalance_simsiam_n2400_r0.01_s0', or with the
 * imbalance profile of a protocol that runs several, 'rwsam_simsiam-rwsam_step_n1800_r0.01_s0'.
 */
export function cellId(protocol: string, method: string, n: number, r: number, seed: number, profile?: string): string {
  return `${protocol}_${method}${profile === undefined ? '' : `_${profile}`}_n${n}_r${r}_s${seed}`.replace(/[^A-Za-z0-9._-]/g, '-');
}
