import type { OpName } from '@ltssl/core';
import type { ProviderName } from '../providers.js';
import type { Lowering } from '../lowerings/lowering.js';
import { LOWERINGS } from '../lowerings/registry.js';
import { argMaxWebGpuLowering } from '../lowerings/webgpu/arg-max.js';
import { cpuConv2dLowering } from '../lowerings/cpu/conv2d.js';
import { cpuConv2dBackpropFilterLowering } from '../lowerings/cpu/conv2d-backprop-filter.js';
import { cpuConv2dBackpropInputLowering } from '../lowerings/cpu/conv2d-backprop-input.js';
import { nchwcConv, plainConv } from '../lowerings/cpu/nchwc-conv.js';

export type LoweringTable = { readonly [K in OpName]?: Lowering<K> };

/** What the machine's ORT build offers that a profile may use. */
export interface ProfileMachine {
  /** MLAS's NCHWc block size (nchwc-block.ts), or undefined where ORT has no NCHWc kernels. */
  readonly nchwcBlock?: number;
}

/** ORT's CPU provider: the convolutions in the forms its kernels run fastest for the node's shapes (lowerings/cpu/). */
function cpuProfile({ nchwcBlock }: ProfileMachine): LoweringTable {
  const conv = nchwcBlock ? nchwcConv(nchwcBlock) : plainConv;
  return { ...LOWERINGS, conv2d: cpuConv2dLowering(conv), conv2dBackpropFilter: cpuConv2dBackpropFilterLowering, conv2dBackpropInput: cpuConv2dBackpropInputLowering(conv) };
}

/**
 * One lowering profile per execution provider: what runs fastest differs between
 * ORT's CPU kernels and its WebGPU ones, so each provider takes the standard
 * lowerings plus its own overrides, chosen by the driver from its provider and
 * never by the caller. Every profile computes the same function; the conformance
 * suite checks each on its provider.
 */
export function loweringProfile(provider: ProviderName, machine: ProfileMachine = {}): LoweringTable {
  switch (provider) {
    case 'cpu':
      return cpuProfile(machine);
    case 'cuda':
      return LOWERINGS;
    case 'webgpu':
      // The WebGPU provider lacks some kernels the CPU lowerings use (int64 Cast), so ORT would run
      // those nodes on its CPU provider: lowerings/webgpu/ replaces them with op sequences it runs.
      return { ...LOWERINGS, argMax: argMaxWebGpuLowering };
  }
}
