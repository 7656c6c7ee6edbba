/** Accuracy overall and per class (the tail classes are where imbalance shows). */
export interface Accuracy {
  /** Top-1 over all rows, in [0, 1]. */
  readonly top1: number;
  /** Top-1 of each class's rows; NaN for a class with no rows. */
  readonly perClass: readonly number[];
}

export function accuracyOf(predictions: ArrayLike<number>, labels: ArrayLike<number>, classes: number): Accuracy {
  const hits = new Array<number>(classes).fill(0);
  const totals = new Array<number>(classes).fill(0);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    totals[y]!++;
    if (predictions[i] === y) {
      hits[y]!++;
      correct++;
    }
  }
  return { top1: labels.length > 0 ? correct / labels.length : Number.NaN, perClass: hits.map((h, c) => (totals[c]! > 0 ? h / totals[c]! : Number.NaN)) };
}
