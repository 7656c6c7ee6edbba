import type { OpName } from '@ltssl/core';
import type { ProviderName } from '../providers.js';
import type { Lowering } from '../lowerings/lowering.js';
import { LOWERINGS } from '../lowerings/registry.js';
import { argMaxWebGpuLowering } from '../lowerings/webgpu/arg-max.js';
import { cpuConv2dBackpropFilterLowering } from '../lowerings/cpu/conv2d-backprop-filter.js';
import { cpuConv2dBackpropInputLowering } from '../lowerings/cpu/conv2d-backprop-input.js';

export type LoweringTable = { readonly [K in OpName]?: Lowering<K> };

/**
 * One lowering profile per execution provider: what runs fastest differs between
 * ORT's CPU kernels and its WebGPU ones, so each provider takes the standard
 * lowerings plus its own overrides, chosen by the driver from its provider and
 * never by the caller. Every profile computes the same function; the conformance
 * suite checks each on its provider.
 */
export const LOWERING_PROFILES: Readonly<Record<ProviderName, LoweringTable>> = {
  // ORT's CPU provider: the convolution gradients in the forms its kernels run fastest for the node's shapes (lowerings/cpu/).
  cpu: { ...LOWERINGS, conv2dBackpropFilter: cpuConv2dBackpropFilterLowering, conv2dBackpropInput: cpuConv2dBackpropInputLowering },
  cuda: LOWERINGS,
  // The WebGPU provider lacks some kernels the CPU lowerings use (int64 Cast), so ORT would run
  // those nodes on its CPU provider: lowerings/webgpu/ replaces them with op sequences it runs.
  webgpu: { ...LOWERINGS, argMax: argMaxWebGpuLowering },
};
