/** A method option that must be a positive integer (a width, a queue size, a split count). */
export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** A method option that must be a positive number (a temperature). */
export function positiveNumber(value: number, what: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${what} must be a positive finite number, got ${value}`);
  return value;
}
