import type { CellResult } from '../study/cell.js';

/**
 * A result as the store gives it back (readCellRows): the store keeps no
 * empty list, so an empty class-count, per-class or epoch list reads back as
 * absent. Comparing a cell file with its stored rows compares this form of
 * the file with what the rows read back as.
 */
export function storedForm(result: CellResult): CellResult {
  const { classCounts, perClass, epochs, ...rest } = result;
  const perClassKept = Object.entries(perClass ?? {}).filter(([, values]) => values.length > 0);
  return {
    ...rest,
    ...(classCounts && classCounts.length > 0 ? { classCounts } : {}),
    ...(perClassKept.length > 0 ? { perClass: Object.fromEntries(perClassKept) } : {}),
    ...(epochs && epochs.length > 0 ? { epochs } : {}),
  };
}
