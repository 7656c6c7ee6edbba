import { expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder } from '@ltssl/core';
import { describeNeeding, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { WebGpuDriver } from './webgpu-driver.js';
import type { WebGpuExecutable } from './webgpu-executable.js';

describeNeeding(SOFTWARE_WEBGPU, 'per-kernel GPU times (WebGpuExecutable.profile)', () => {
  /** A conv, a fused BatchNorm-like chain and a reduction: three kernels. */
  function program() {
    const b = new ProgramBuilder('profiled');
    const x = b.input('x', 'float32', [2, 3, 6, 6]);
    const w = b.input('w', 'float32', [4, 3, 3, 3]);
    const y = b.op('conv2d', [x, w], { strides: [1, 1], pads: [1, 1, 1, 1] });
    const z = b.op('relu', [b.op('mul', [b.op('add', [y, y], {}), y], {})], {});
    b.output('sum', b.op('reduceSum', [z], { axes: [0, 1, 2, 3], keepDims: false }));
    return b.build();
  }
  const feeds = { x: hostTensor('float32', [2, 3, 6, 6], Array.from({ length: 216 }, (_, i) => (i % 7) / 7)), w: hostTensor('float32', [4, 3, 3, 3], Array.from({ length: 108 }, (_, i) => (i % 5) / 5 - 0.4)) };

  it('times every dispatch of a step on an adapter with timestamps, and refuses without them', async () => {
    const driver = new WebGpuDriver({ profiling: true });
    await driver.init();
    const executable = (await driver.compile(program())) as WebGpuExecutable;
    const plain = (await executable.run(feeds)).sum!.data[0]!;
    if (driver.context!.timestamps) {
      const { fetched, kernels } = await executable.profile(feeds);
      expect(fetched.sum!.data[0]).toBe(plain);
      expect(kernels.map((k) => k.kernel)).toEqual(['conv2d', 'fused(add,mul,relu)', 'reduceSum']);
      for (const k of kernels) expect(k.ns).toBeGreaterThanOrEqual(0);
      expect(kernels.some((k) => k.ns > 0)).toBe(true);
    } else {
      const error = await executable.profile(feeds).catch((e: unknown) => e);
      expect(hasErrorCode(error, ERROR_CODES.executableMisuse)).toBe(true);
      expect((error as Error).message).toContain("needs GPU timestamps");
    }
    // The query set and its buffers are gone after the call.
    expect(driver.context!.live.buffers['query resolve']).toBe(0);
    expect(driver.context!.live.buffers['read staging']).toBe(0);
    executable.dispose();
    await driver.dispose();
  });
});
