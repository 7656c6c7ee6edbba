import type { Graph, NodeId } from './graph.js';

/**
 * The nodes `roots` depend on, in topological order: what a run must compute to
 * produce its fetches and state updates. Everything else in the graph is skipped.
 */
export function liveNodes(graph: Graph, roots: readonly NodeId[]): NodeId[] {
  const live = new Uint8Array(graph.nodes.length);
  for (const root of roots) live[root] = 1;
  for (let id = graph.nodes.length - 1; id >= 0; id--) {
    if (!live[id]) continue;
    const node = graph.nodes[id]!;
    if (node.kind === 'op') for (const input of node.inputs) live[input] = 1;
  }
  const order: NodeId[] = [];
  live.forEach((flag, id) => flag && order.push(id));
  return order;
}
