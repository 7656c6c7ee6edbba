import type { Program } from '../program/program.js';
import { copyOp, rewriteProgram, type GraphPass } from './graph-pass.js';

/**
 * Dead code and dead state: ops no output or update needs are dropped, and so
 * is an update that writes a slot its own pre-step value (`slot <- slot`,
 * which other passes leave behind when they see through an identity chain):
 * it changes nothing, and a driver would copy the slot for it. Slots stay
 * declared, so reading, writing and sharing state work as before.
 */
export const deadState: GraphPass = {
  name: 'dead-state',
  run: (program: Program) => rewriteProgram(program, copyOp, { dropUpdate: (slotNode, valueNode) => slotNode === valueNode }),
};
