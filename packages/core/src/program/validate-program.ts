import { ERROR_CODES, LtsslError } from '../errors.js';
import { inferOp } from '../ir/graph.js';
import { isDType } from '../ir/dtype.js';
import { formatShape, isShape, shapesEqual, sizeOf } from '../ir/shape.js';
import type { Attrs } from '../ir/op-def.js';
import type { Program } from './program.js';

function invalid(program: Program, message: string): never {
  throw new LtsslError(ERROR_CODES.programInvalid, `program '${program.name}': ${message}`);
}

function unique(program: Program, what: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0) invalid(program, `${what} names must be non-empty strings, got ${JSON.stringify(name)}`);
    if (seen.has(name)) invalid(program, `${what} '${name}' is declared twice`);
    seen.add(name);
  }
}

/**
 * Checks a Program's signature against its graph: unique names, input and
 * state nodes that match their declarations, updates of matching type, outputs
 * that exist, and every op node's type re-derived from its rule. Drivers call it
 * in compile(), so a Program built by hand or by another copy of core is
 * checked the same way as one from ProgramBuilder.
 */
export function validateProgram(program: Program): void {
  const { graph } = program;
  unique(program, 'input', program.inputs.map((i) => i.name));
  unique(program, 'state slot', program.state.map((s) => s.name));
  unique(program, 'output', program.outputs.map((o) => o.name));
  unique(program, 'update of slot', program.updates.map((u) => u.slot));

  const inputs = new Map(program.inputs.map((i) => [i.name, i]));
  const slots = new Map(program.state.map((s) => [s.name, s]));
  const nodeCount = graph.nodes.length;
  const inRange = (id: number, what: string): void => {
    if (!Number.isInteger(id) || id < 0 || id >= nodeCount) invalid(program, `${what} refers to node ${id}, but the graph has ${nodeCount} nodes`);
  };

  for (const decl of [...program.inputs, ...program.state]) {
    if (!isDType(decl.dtype)) invalid(program, `'${decl.name}' has unknown dtype ${JSON.stringify(decl.dtype)}`);
    if (!isShape(decl.shape)) invalid(program, `'${decl.name}' has an invalid shape ${JSON.stringify(decl.shape)}`);
  }
  for (const slot of program.state) {
    if (slot.init.kind === 'values' && slot.init.values.length !== sizeOf(slot.shape)) {
      invalid(program, `state slot '${slot.name}' ${formatShape(slot.shape)} holds ${sizeOf(slot.shape)} values but its init gives ${slot.init.values.length}`);
    }
    if (slot.init.kind === 'fill' && !Number.isFinite(slot.init.value)) invalid(program, `state slot '${slot.name}' init fill value must be finite`);
  }

  for (const node of graph.nodes) {
    if (node.kind === 'input') {
      const decl = inputs.get(node.name);
      if (!decl || decl.node !== node.id) invalid(program, `graph input node ${node.id} '${node.name}' is not a declared input`);
      if (decl.dtype !== node.dtype || !shapesEqual(decl.shape, node.shape)) invalid(program, `input '${node.name}' is declared ${decl.dtype}${formatShape(decl.shape)} but its node is ${node.dtype}${formatShape(node.shape)}`);
    } else if (node.kind === 'state') {
      const decl = slots.get(node.name);
      if (!decl || decl.node !== node.id) invalid(program, `graph state node ${node.id} '${node.name}' is not a declared slot`);
      if (decl.dtype !== node.dtype || !shapesEqual(decl.shape, node.shape)) invalid(program, `slot '${node.name}' is declared ${decl.dtype}${formatShape(decl.shape)} but its node is ${node.dtype}${formatShape(node.shape)}`);
    } else {
      for (const id of node.inputs) {
        if (!(id < node.id && id >= 0)) invalid(program, `op node ${node.id} (${node.op}) reads node ${id}, which does not come before it`);
      }
      const { type } = inferOp(node.op, node.inputs.map((id) => graph.node(id)), node.attrs as Attrs, node.label);
      if (type.dtype !== node.dtype || !shapesEqual(type.shape, node.shape)) {
        invalid(program, `op node ${node.id} (${node.op}) records ${node.dtype}${formatShape(node.shape)} but its rule gives ${type.dtype}${formatShape(type.shape)}`);
      }
    }
  }
  for (const decl of [...program.inputs, ...program.state]) {
    inRange(decl.node, `'${decl.name}'`);
  }

  for (const update of program.updates) {
    const slot = slots.get(update.slot);
    if (!slot) invalid(program, `update targets unknown slot '${update.slot}'`);
    inRange(update.node, `the update of '${update.slot}'`);
    const node = graph.node(update.node);
    if (node.dtype !== slot.dtype || !shapesEqual(node.shape, slot.shape)) {
      invalid(program, `the update of '${slot.name}' is ${node.dtype}${formatShape(node.shape)} but the slot is ${slot.dtype}${formatShape(slot.shape)}`);
    }
  }
  for (const output of program.outputs) inRange(output.node, `output '${output.name}'`);
  if (program.outputs.length === 0 && program.updates.length === 0) invalid(program, `it has no outputs and no state updates, so running it would do nothing`);
}
