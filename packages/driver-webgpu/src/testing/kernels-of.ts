import type { NodeId, Program } from '@ltssl/core';
import type { KernelPlan } from '../kernels/kernel.js';
import { KERNELS } from '../kernels/registry.js';

/** Every op node's kernel plan, as the driver's compile makes them (default tiles): for the planners' unit tests. */
export function kernelsOf(program: Program): Map<NodeId, KernelPlan> {
  const plans = new Map<NodeId, KernelPlan>();
  for (const node of program.graph.nodes) {
    if (node.kind !== 'op') continue;
    const inputs = node.inputs.map((id) => program.graph.node(id));
    plans.set(node.id, (KERNELS[node.op] as (args: unknown) => KernelPlan)({ node, inputs, output: node }));
  }
  return plans;
}
