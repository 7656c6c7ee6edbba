import { describe, expect, it } from 'vitest';
import { runConformance } from '@ltssl/conformance';
import { setBackend, version_core } from '@tensorflow/tfjs-core';
import { TfjsDriver } from './tfjs-driver.js';

/**
 * tfjs-node's convolution gradients are TensorFlow's own kernels, which this
 * project cannot install. The same code path (Conv2DBackpropInput through
 * conv2dTranspose, Conv2DBackpropFilter through runKernel, explicit padding,
 * NHWC / HWIO) runs here on tfjs's cpu backend, which has both kernels, on the
 * convolution cases of the suite. (The cpu backend is too slow to train on.)
 */
describe('the native convolution-gradient path (tfjs cpu backend)', () => {
  it('passes the conformance cases of the three convolution ops', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    const driver = () =>
      new TfjsDriver({
        engine: async () => {
          if (!(await setBackend('cpu'))) throw new Error('tfjs cpu backend did not start');
          return { backend: 'cpu', kernelContext: { nativeKernels: true }, info: { device: `CPU, TensorFlow.js ${version_core} cpu backend`, kind: 'cpu', dtypes: ['float32', 'int32'], details: {} } };
        },
      });
    const report = await runConformance(driver, { filter: (id) => /^op\/(golden|generated)\/conv2d/.test(id) });
    expect(report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(report.passed).toBeGreaterThanOrEqual(36);
  }, 60_000);
});
