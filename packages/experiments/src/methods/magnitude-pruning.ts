/**
 * Global magnitude pruning (SDCLR's Mask.magnitudePruning, without its
 * optional random part): over all the given weight tensors together, the
 * threshold is the (ceil(fraction N) + 1)-th smallest |w| of the N weights
 * (the last one when that runs past N), and a weight is kept (mask 1) when
 * |w| >= threshold, else pruned (0). Ties at the threshold are all kept, so
 * slightly fewer than fraction N may be pruned; fraction 0 keeps everything.
 *
 * @param weights the tensors pruned together (every convolution kernel of the encoder)
 * @param fraction share to prune, in [0, 1)
 * @returns one 0/1 mask per tensor, shaped like it
 */
export function magnitudePruneMasks(weights: readonly ArrayLike<number>[], fraction: number): Float32Array[] {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`magnitudePruneMasks: the fraction to prune must be in [0, 1), got ${fraction}`);
  const total = weights.reduce((n, w) => n + w.length, 0);
  if (total === 0) return weights.map(() => new Float32Array(0));
  const magnitudes = new Float64Array(total);
  let at = 0;
  for (const w of weights) for (let i = 0; i < w.length; i++) magnitudes[at++] = Math.abs(w[i]!);
  magnitudes.sort();
  const threshold = magnitudes[Math.min(Math.ceil(fraction * total), total - 1)]!;
  return weights.map((w) => Float32Array.from({ length: w.length }, (_, i) => (Math.abs(w[i]!) >= threshold ? 1 : 0)));
}
