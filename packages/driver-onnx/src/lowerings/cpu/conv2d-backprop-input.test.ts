import { readFileSync } from 'node:fs';
import { caseInDType, compareTensors, singleOpProgram, toHostTensor, type HostTensor, type OpCase, type OpCaseFile } from '@ltssl/core';
import { convOutputSize, forEachConvTap } from '@ltssl/testing';
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../lower/lower-program.js';
import { LOWERINGS } from '../registry.js';
import { conv2dBackpropInputPhasesLowering, phasesApply } from './conv2d-backprop-input-phases.js';
import { inputGradForm } from './conv2d-backprop-input.js';
import { nchwcConv } from './nchwc-conv.js';
import { runOnCpu } from './run-on-cpu.test-helper.js';

/**
 * The phases form of dx on ORT's CPU provider, against a direct sum: the
 * PyTorch golden cases it applies to, and shapes the golden file lacks
 * (stride 3, a 2x2 kernel at stride 2, strides 2 and 1, asymmetric pads, the small CNN's
 * 14x14 and 28x28 layers, a row the forward never reached).
 */
const GOLDEN = JSON.parse(readFileSync(new URL('../../../../core/golden/ops/conv2dBackpropInput.json', import.meta.url), 'utf8')) as OpCaseFile;

interface Geometry {
  readonly name: string;
  readonly x: readonly [number, number, number, number];
  readonly o: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
}

/** dx[n,c,r,s] = sum over o and the taps that put dy[n,o,i,j] on (r, s) of dy * w[o,c,p,q]. */
function directCase({ name, x: [n, c, h, wd], o, kernel: [kh, kw], stride: [sh, sw], pads }: Geometry): OpCase {
  const geometry = { x: [n, c, h, wd], filter: [o, c, kh, kw], strides: [sh, sw], pads };
  const [oh, ow] = convOutputSize(geometry);
  const dy = Array.from({ length: n * o * oh * ow }, (_, i) => Math.sin(i * 0.37));
  const w = Array.from({ length: o * c * kh * kw }, (_, i) => Math.cos(i * 0.61));
  const dx = new Array<number>(n * c * h * wd).fill(0);
  forEachConvTap(geometry, (xi, wi, yi) => (dx[xi]! += dy[yi]! * w[wi]!));
  return {
    name,
    attrs: { strides: [sh, sw], pads: [...pads], inputShape: [n, c, h, wd] },
    inputs: [
      { dtype: 'float32', shape: [n, o, oh, ow], data: dy },
      { dtype: 'float32', shape: [o, c, kh, kw], data: w },
    ],
    expected: { dtype: 'float32', shape: [n, c, h, wd], data: dx },
  };
}

const EXTRA: readonly Geometry[] = [
  { name: 'small-cnn-28', x: [2, 4, 28, 28], o: 6, kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1] },
  { name: 'small-cnn-14', x: [2, 6, 14, 14], o: 5, kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1] },
  { name: 'stride-3-kernel-5', x: [1, 2, 9, 12], o: 3, kernel: [5, 5], stride: [3, 3], pads: [2, 2, 2, 2] },
  { name: 'kernel-2-stride-2', x: [2, 3, 8, 6], o: 4, kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0] },
  { name: 'strides-2-1', x: [2, 3, 8, 7], o: 4, kernel: [3, 3], stride: [2, 1], pads: [1, 1, 1, 1] },
  { name: 'asymmetric-pads', x: [1, 3, 10, 8], o: 2, kernel: [3, 3], stride: [2, 2], pads: [1, 0, 0, 1] },
  // The bottom pad reaches past dy's last row for a phase: ConvTranspose keeps it.
  { name: 'pad-past-the-end', x: [1, 3, 10, 8], o: 2, kernel: [3, 3], stride: [2, 2], pads: [1, 0, 2, 1] },
  { name: 'uncovered-row', x: [1, 2, 8, 8], o: 3, kernel: [3, 3], stride: [2, 2], pads: [0, 0, 0, 0] },
  { name: 'stride-1-wide-pad', x: [1, 2, 6, 5], o: 3, kernel: [3, 2], stride: [1, 1], pads: [2, 1, 0, 0] },
];

async function runPhases(c: OpCase): Promise<HostTensor> {
  const lowered = lowerProgram(singleOpProgram('conv2dBackpropInput', c.inputs, c.attrs), { lowerings: { ...LOWERINGS, conv2dBackpropInput: conv2dBackpropInputPhasesLowering } });
  return runOnCpu(lowered.model, lowered.feeds, c.inputs);
}

const applies = (c: OpCase): boolean => {
  const { strides, pads, inputShape } = c.attrs as { strides: number[]; pads: number[]; inputShape: number[] };
  return phasesApply(strides, pads, c.inputs[1]!.shape.slice(2), inputShape, c.inputs[0]!.shape);
};

describe('conv2dBackpropInput as forward Convs over its output phases (CPU provider)', () => {
  const cases = [...GOLDEN.cases.map((g) => caseInDType(g, 'float32')), ...EXTRA.map(directCase)];

  it('applies to the golden cases but the 1x1 stride-2 shortcut, and to the extra shapes but the pad past the end', () => {
    expect(cases.filter(applies).map((c) => c.name)).toEqual(['resnet-3x3', 'downsample-stride2', 'uncovered-tail', 'full-window', ...EXTRA.map((g) => g.name).filter((n) => n !== 'pad-past-the-end')]);
  });

  it('computes ConvTranspose’s dx wherever it applies', async () => {
    for (const c of cases.filter(applies)) {
      const got = await runPhases(c);
      expect(compareTensors(got, toHostTensor(c.expected), { rtol: 1e-4, atol: 1e-4 }), c.name).toBeUndefined();
    }
  });

  it('picks a form for each of the study networks’ shapes by the measured rule', () => {
    const attrs = (stride: number, pad: number, inputShape: number[]) => ({ strides: [stride, stride], pads: [pad, pad, pad, pad], inputShape });
    expect(inputGradForm([256, 32, 14, 14], [32, 16, 3, 3], attrs(2, 1, [256, 16, 28, 28]))).toBe('phases'); // small CNN, layer 2
    expect(inputGradForm([128, 64, 32, 32], [64, 64, 3, 3], attrs(1, 1, [128, 64, 32, 32]))).toBe('phases'); // ResNet-18, stage 1
    expect(inputGradForm([128, 256, 8, 8], [256, 128, 3, 3], attrs(2, 1, [128, 128, 16, 16]))).toBe('transpose'); // ResNet-18, into stage 3
    expect(inputGradForm([128, 256, 8, 8], [256, 128, 1, 1], attrs(2, 0, [128, 128, 16, 16]))).toBe('transpose'); // a 1x1 shortcut
    // On NCHWc kernels the phases win ResNet-18's strided layers too, but not a shortcut's.
    expect(inputGradForm([128, 256, 8, 8], [256, 128, 3, 3], attrs(2, 1, [128, 128, 16, 16]), nchwcConv(16))).toBe('phases');
    expect(inputGradForm([128, 256, 8, 8], [256, 128, 1, 1], attrs(2, 0, [128, 128, 16, 16]), nchwcConv(16))).toBe('transpose');
  });
});
