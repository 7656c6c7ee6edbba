import type { Program } from '../program/program.js';
import { algebraicSimplification } from './algebraic-simplification.js';
import { commonSubexpressions } from './common-subexpressions.js';
import { constantFolding } from './constant-folding.js';
import { deadState } from './dead-state.js';
import type { GraphPass } from './graph-pass.js';

/**
 * The passes every traced Program goes through, in order: simplification
 * exposes constants and duplicates, folding turns constant chains into one
 * literal, CSE merges what is left equal, and dead-state drops what no longer
 * feeds an output or an update (every rewrite also drops unused ops).
 */
export const GRAPH_PASSES: readonly GraphPass[] = [algebraicSimplification, constantFolding, commonSubexpressions, deadState];

/** `program` after `passes` (default GRAPH_PASSES), each applied once, in order. */
export function optimizeProgram(program: Program, passes: readonly GraphPass[] = GRAPH_PASSES): Program {
  return passes.reduce((p, pass) => pass.run(p), program);
}
