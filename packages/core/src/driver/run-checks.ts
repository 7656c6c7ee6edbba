import { ERROR_CODES, LtsslError } from '../errors.js';
import { formatShape, shapesEqual, type Shape } from '../ir/shape.js';
import type { DType } from '../ir/dtype.js';
import type { Program } from '../program/program.js';
import { describeMismatch, type Feeds, type StateDict } from './host-tensor.js';

/**
 * Checks shared by every driver's Executable, so a bad feed reads the same on
 * every engine.
 */

export function checkFeeds(program: Program, feeds: Feeds): void {
  if (typeof feeds !== 'object' || feeds === null) {
    throw new LtsslError(ERROR_CODES.feedInvalid, `program '${program.name}': feeds must be an object of name -> tensor`);
  }
  const declared = new Set(program.inputs.map((i) => i.name));
  const unknown = Object.keys(feeds).filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    throw new LtsslError(ERROR_CODES.feedInvalid, `program '${program.name}': unknown feed(s) ${unknown.map((n) => `'${n}'`).join(', ')}; its inputs are ${[...declared].join(', ') || 'none'}`);
  }
  for (const input of program.inputs) {
    if (!(input.name in feeds)) {
      throw new LtsslError(ERROR_CODES.feedInvalid, `program '${program.name}': missing feed '${input.name}' (${input.dtype}${formatShape(input.shape)})`);
    }
    const problem = describeMismatch(feeds[input.name], input.dtype, input.shape);
    if (problem) throw new LtsslError(ERROR_CODES.feedInvalid, `program '${program.name}': feed '${input.name}': ${problem}`);
  }
}

/** The output names to fetch: all outputs by default; unknown names are an error. */
export function resolveFetch(program: Program, fetch?: readonly string[]): string[] {
  const names = program.outputs.map((o) => o.name);
  if (fetch === undefined) return names;
  const unknown = fetch.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new LtsslError(ERROR_CODES.feedInvalid, `program '${program.name}': cannot fetch ${unknown.map((n) => `'${n}'`).join(', ')}; its outputs are ${names.join(', ') || 'none'}`);
  }
  return [...new Set(fetch)];
}

/** The slot names to read: all slots by default; unknown names are an error. */
export function resolveStateNames(program: Program, names?: readonly string[]): string[] {
  const slots = program.state.map((s) => s.name);
  if (names === undefined) return slots;
  const unknown = names.filter((name) => !slots.includes(name));
  if (unknown.length > 0) {
    throw new LtsslError(ERROR_CODES.stateInvalid, `program '${program.name}': no state slot ${unknown.map((n) => `'${n}'`).join(', ')}; its slots are ${slots.join(', ') || 'none'}`);
  }
  return [...names];
}

/** Checks a (partial) state dict against the Program's slots before anything is written. */
export function checkStateDict(program: Program, state: StateDict): void {
  resolveStateNames(program, Object.keys(state));
  for (const slot of program.state) {
    if (!(slot.name in state)) continue;
    const problem = describeMismatch(state[slot.name], slot.dtype, slot.shape);
    if (problem) throw new LtsslError(ERROR_CODES.stateInvalid, `program '${program.name}': state '${slot.name}': ${problem}`);
  }
}

/** Checks that a slot shared with another executable has the same type in both programs. */
export function checkSharedSlot(program: Program, name: string, mine: { dtype: DType; shape: Shape }, theirs: { dtype: DType; shape: Shape }): void {
  if (mine.dtype !== theirs.dtype || !shapesEqual(mine.shape, theirs.shape)) {
    throw new LtsslError(
      ERROR_CODES.stateInvalid,
      `program '${program.name}': slot '${name}' is ${mine.dtype}${formatShape(mine.shape)} here but ${theirs.dtype}${formatShape(theirs.shape)} in the shared executable; rename one or match the types`,
    );
  }
}
