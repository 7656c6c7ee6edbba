import { readFileSync } from 'node:fs';
import { caseInDType, compareTensors, singleOpProgram, toHostTensor, type HostTensor, type OpCase, type OpCaseFile } from '@ltssl/core';
import onnxProto from 'onnx-proto';
import { forEachConvTap } from '@ltssl/testing';
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../lower/lower-program.js';
import { LOWERINGS } from '../registry.js';
import { FILTER_GRAD_FORMS, filterGradForm } from './conv2d-backprop-filter.js';
import { windowsApply } from './conv2d-backprop-filter-windows.js';
import { patchesLowering } from './conv2d-backprop-filter-patches.js';
import { runOnCpu } from './run-on-cpu.test-helper.js';

/**
 * Every form of dw the CPU profile may pick, on ORT's CPU provider: the
 * PyTorch golden cases (strides, asymmetric pads, rows the forward never
 * reached, a 1x1 shortcut, a window as large as the input) and a batch of the
 * small CNN's stride-2 shape against a direct sum. The conformance suite runs
 * only the form the profile picks for its shapes; this covers the others.
 */
const GOLDEN = JSON.parse(readFileSync(new URL('../../../../core/golden/ops/conv2dBackpropFilter.json', import.meta.url), 'utf8')) as OpCaseFile;

/** The patches form in chunks of one image, and of three (the small CNN case's 4 images as 3 + 1). */
const CHUNKED = { 'patches, an image a chunk': patchesLowering(1), 'patches, 3 + 1 images': patchesLowering(3 * 3 * 9 * 25 * 4) };
const FORMS = { ...FILTER_GRAD_FORMS, ...CHUNKED };

function lowerWith(form: keyof typeof FORMS, c: OpCase) {
  return lowerProgram(singleOpProgram('conv2dBackpropFilter', c.inputs, c.attrs), { lowerings: { ...LOWERINGS, conv2dBackpropFilter: FORMS[form] } });
}

async function runForm(form: keyof typeof FORMS, c: OpCase): Promise<HostTensor> {
  const lowered = lowerWith(form, c);
  return runOnCpu(lowered.model, lowered.feeds, c.inputs);
}

/** dw[o,c,p,q] = sum_{n,i,j} dy[n,o,i,j] x[n,c,i*s+p-top,j*s+q-left], zero outside x. */
function directSum(c: OpCase): number[] {
  const [x, dy] = c.inputs as [OpCase['inputs'][0], OpCase['inputs'][0]];
  const { strides, pads, filterShape } = c.attrs as { strides: number[]; pads: number[]; filterShape: number[] };
  const dw = new Array<number>(filterShape.reduce((a, b) => a * b, 1)).fill(0);
  forEachConvTap({ x: x.shape, filter: filterShape, strides, pads }, (xi, wi, yi) => (dw[wi]! += dy.data[yi]! * x.data[xi]!));
  return dw;
}

const SMALL_CNN_STRIDE_2: OpCase = (() => {
  const x = { dtype: 'float32' as const, shape: [4, 3, 9, 9], data: Array.from({ length: 4 * 3 * 81 }, (_, i) => Math.sin(i * 0.7)) };
  const dy = { dtype: 'float32' as const, shape: [4, 5, 5, 5], data: Array.from({ length: 4 * 5 * 25 }, (_, i) => Math.cos(i * 0.3)) };
  const c: OpCase = { name: 'small-cnn-stride2', attrs: { strides: [2, 2], pads: [1, 1, 1, 1], filterShape: [5, 3, 3, 3] }, inputs: [x, dy], expected: { dtype: 'float32', shape: [5, 3, 3, 3], data: [] } };
  return { ...c, expected: { ...c.expected, data: directSum(c) } };
})();

/** Stride 1, dy the size of x (the windows form's cases): a non-square image, symmetric and one-sided pads. */
function sameSizeCase(name: string, pads: number[]): OpCase {
  const x = { dtype: 'float32' as const, shape: [3, 4, 5, 6], data: Array.from({ length: 3 * 4 * 30 }, (_, i) => Math.sin(i * 0.9)) };
  const dy = { dtype: 'float32' as const, shape: [3, 2, 5, 6], data: Array.from({ length: 3 * 2 * 30 }, (_, i) => Math.cos(i * 0.4)) };
  const c: OpCase = { name, attrs: { strides: [1, 1], pads, filterShape: [2, 4, 3, 3] }, inputs: [x, dy], expected: { dtype: 'float32', shape: [2, 4, 3, 3], data: [] } };
  return { ...c, expected: { ...c.expected, data: directSum(c) } };
}
const SAME_SIZE = [sameSizeCase('same-size', [1, 1, 1, 1]), sameSizeCase('same-size, pads top-right', [2, 0, 0, 2])];

const applies = (form: keyof typeof FORMS, c: OpCase): boolean =>
  form !== 'windows' || windowsApply(c.inputs[0]!.shape, c.inputs[1]!.shape, (c.attrs as { strides: number[] }).strides);

describe('conv2dBackpropFilter forms on the CPU provider', () => {
  for (const form of Object.keys(FORMS) as (keyof typeof FORMS)[]) {
    it(`${form}: the golden cases and a direct sum`, async () => {
      const cases = [...GOLDEN.cases.map((g) => caseInDType(g, 'float32')), SMALL_CNN_STRIDE_2, ...SAME_SIZE].filter((c) => applies(form, c));
      expect(cases.length).toBeGreaterThanOrEqual(SAME_SIZE.length);
      for (const c of cases) {
        const got = await runForm(form, c);
        expect(compareTensors(got, toHostTensor(c.expected), { rtol: 1e-4, atol: 1e-4 }), `${form} ${c.name}`).toBeUndefined();
      }
    });
  }

  it('patches: every patches Conv reads a filter computed from dy, so ORT cannot gather them before the backward reaches the layer', () => {
    const lowered = lowerWith('patches, 3 + 1 images', SMALL_CNN_STRIDE_2);
    const nodes = onnxProto.onnx.ModelProto.decode(lowered.model).graph!.node!;
    const producer = new Map(nodes.flatMap((n) => n.output!.map((o) => [o, n] as const)));
    const dy = lowered.feeds[1]!.onnx;
    const readsDy = (value: string, seen = new Set<string>()): boolean => {
      if (value === dy) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      return (producer.get(value)?.input ?? []).some((v) => readsDy(v, seen));
    };
    const gathers = nodes.filter((n) => n.opType === 'Conv');
    expect(gathers).toHaveLength(2);
    for (const conv of gathers) expect(readsDy(conv.input![1]!), conv.name!).toBe(true);
  });

  it('picks a form for each of the study networks’ shapes by the measured rule', () => {
    expect(filterGradForm([128, 1, 28, 28], [128, 16, 28, 28], [3, 3], [1, 1])).toBe('patches'); // small CNN, first layer
    expect(filterGradForm([128, 256, 8, 8], [128, 256, 8, 8], [3, 3], [1, 1])).toBe('windows'); // ResNet-18, layer 3
    expect(filterGradForm([128, 128, 16, 16], [128, 256, 8, 8], [3, 3], [2, 2])).toBe('taps'); // ResNet-18, layer 3's first, strided
    expect(filterGradForm([128, 128, 16, 16], [128, 256, 8, 8], [1, 1], [2, 2])).toBe('taps'); // a 1x1 shortcut
  });
});
