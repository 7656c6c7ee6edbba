import { InvalidArgumentError } from 'commander';

/** Commander parsers: a bad number is a usage error (exit 2) naming what was expected. */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected an integer, got '${value}'`);
  return n;
}

export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}

/** '--temperature-schedule MIN,MAX,PERIOD': SimCLR's cosine schedule (tau_-, tau_+, the period in epochs); the method's schema checks the values. */
export function parseTemperatureSchedule(value: string): { min: number; max: number; periodEpochs: number } {
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 3 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
    throw new InvalidArgumentError(`expected MIN,MAX,PERIOD (tau_-, tau_+, the period in epochs, e.g. 0.1,1,200), got '${value}'`);
  }
  const [min, max, periodEpochs] = numbers as [number, number, number];
  return { min, max, periodEpochs };
}
