import { sizeOf, type Shape } from '@ltssl/core';
import { PARAM_WORDS } from '../gpu/gpu-constants.js';
import type { ElementwiseDef } from './elementwise.js';
import type { BufferRef, KernelPlan } from './kernel.js';
import { mergeAxes } from './strides.js';
import { elementGrid, elementMain, IS_NAN, prelude, storage } from './wgsl.js';

/** How a fused chain reads one of its external buffers. */
export type ChainRead =
  /** Shaped like the chain: element i. */
  | { readonly mode: 'direct'; readonly type: 'f32' | 'i32' }
  /** One value for every element (a learning rate). */
  | { readonly mode: 'scalar'; readonly type: 'f32' | 'i32' }
  /** Through strides over the chain's axes, 0 where it is broadcast (a per-channel mean). */
  | { readonly mode: 'strided'; readonly type: 'f32' | 'i32'; readonly strides: readonly number[] };

/** Where a step's operand comes from: an earlier step, an external buffer, or a scalar constant in the uniform. */
export type ChainOperand = { readonly kind: 'step'; readonly index: number } | { readonly kind: 'read'; readonly index: number } | { readonly kind: 'param'; readonly index: number };

export interface ChainStep {
  /** The op, for the kernel's name. */
  readonly op: string;
  readonly def: ElementwiseDef;
  readonly operands: readonly ChainOperand[];
  /** The type of the op's inputs (the IR's binary ops take one dtype). */
  readonly inType: 'f32' | 'i32';
}

/**
 * A chain of element-wise ops over one shape, computed by one thread per
 * element in registers: BatchNorm's normalise-scale-shift-ReLU, its closed-form
 * gradient, an optimizer's update. Only the steps in `writes` reach memory.
 */
export interface FusedChain {
  readonly shape: Shape;
  readonly reads: readonly ChainRead[];
  /** Scalar constants, as u32 bit patterns, typed. */
  readonly params: readonly { readonly bits: number; readonly type: 'f32' | 'i32' }[];
  readonly steps: readonly ChainStep[];
  /** Step indices whose values are written, in output order; each has the step's output type. */
  readonly writes: readonly { readonly step: number; readonly type: 'f32' | 'i32' }[];
}

const HEAD_WORDS = 4; // n, row width, rank, strided reads

/** Merged axes of the strided reads: the rank the shader's index loop walks. */
function mergedAxes(chain: FusedChain): { dims: number[]; strides: number[][] } {
  const strided = chain.reads.filter((r): r is Extract<ChainRead, { mode: 'strided' }> => r.mode === 'strided');
  if (strided.length === 0) return { dims: [], strides: [] };
  const merged = mergeAxes(chain.shape, strided.map((r) => [...r.strides]));
  return { dims: merged.shape, strides: merged.strides };
}

/** Uniform words the chain needs: what the fusion planner checks against PARAM_WORDS before growing a chain. */
export function chainParamWords(chain: FusedChain): number {
  const { dims, strides } = mergedAxes(chain);
  return HEAD_WORDS + chain.params.length + dims.length * (1 + strides.length);
}

/** Storage buffers one dispatch of the chain binds. */
export function chainBindings(chain: FusedChain): number {
  return chain.reads.length + chain.writes.length;
}

/**
 * The chain's shader and dispatch. The shader text depends on the chain's
 * structure only (ops, operand wiring, read modes); shapes, strides and scalar
 * constants are uniforms, so every BatchNorm layer of a network shares one pipeline.
 * Parameters: n, row width, rank, -, scalars[s], dims[rank], strides[rank] per strided read.
 */
export function fusedChainPlan(chain: FusedChain): KernelPlan {
  const n = sizeOf(chain.shape);
  const grid = elementGrid(n);
  const { dims, strides } = mergedAxes(chain);
  const words = [...grid.params, dims.length, strides.length, ...chain.params.map((p) => p.bits), ...dims, ...strides.flat()];
  if (words.length > PARAM_WORDS) throw new Error(`webgpu fused chain of ${chain.steps.map((s) => s.op).join(',')}: ${words.length} parameter words, the uniform holds ${PARAM_WORDS}`);
  const dimsAt = HEAD_WORDS + chain.params.length;
  const lines: string[] = [];
  // One walk over the merged axes gives every strided read its offset.
  const stridedIndex = new Map<number, number>();
  chain.reads.forEach((r, k) => r.mode === 'strided' && stridedIndex.set(k, stridedIndex.size));
  if (stridedIndex.size > 0) {
    lines.push('  let rank = prm(2u);', '  var rem = i;');
    for (const k of stridedIndex.keys()) lines.push(`  var o${k} = 0u;`);
    lines.push('  for (var d = rank; d > 0u; d = d - 1u) {', `    let dim = prm(${dimsAt}u + d - 1u);`, '    let c = rem % dim;', '    rem = rem / dim;');
    for (const [k, s] of stridedIndex) lines.push(`    o${k} = o${k} + c * prm(${dimsAt}u + rank * ${1 + s}u + d - 1u);`);
    lines.push('  }');
  }
  chain.reads.forEach((r, k) => lines.push(`  let r${k} = in${k}[${r.mode === 'direct' ? 'i' : r.mode === 'scalar' ? '0' : `o${k}`}];`));
  chain.params.forEach((p, j) => lines.push(`  let p${j} = bitcast<${p.type}>(prm(${HEAD_WORDS + j}u));`));
  const name = (o: ChainOperand): string => (o.kind === 'step' ? `t${o.index}` : o.kind === 'read' ? `r${o.index}` : `p${o.index}`);
  chain.steps.forEach((s, j) => lines.push(`  let t${j} = ${s.def.expr(s.operands.map(name), s.inType)};`));
  chain.writes.forEach((w, j) => lines.push(`  out${j}[i] = t${w.step};`));
  const bindings = [
    ...chain.reads.map((r, k) => storage(`in${k}`, k + 1, r.type, 'read')),
    ...chain.writes.map((w, j) => storage(`out${j}`, chain.reads.length + j + 1, w.type, 'read_write')),
  ].join('');
  const shader = `${prelude()}${bindings}${IS_NAN}${elementMain(lines.join('\n'))}`;
  const buffers: BufferRef[] = [...chain.reads.map((_, index) => ({ kind: 'input' as const, index })), ...chain.writes.map((_, index) => ({ kind: 'output' as const, index }))];
  return {
    kind: 'dispatch',
    dispatches: [
      {
        kernel: `fused(${chain.steps.map((s) => s.op).join(',')})`,
        shader,
        access: [...chain.reads.map(() => 'read' as const), ...chain.writes.map(() => 'write' as const)],
        buffers,
        params: words,
        workgroups: grid.workgroups,
      },
    ],
  };
}
