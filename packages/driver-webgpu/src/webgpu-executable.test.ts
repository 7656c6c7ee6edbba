import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, hasErrorCode, hostTensor, ProgramBuilder } from '@ltssl/core';
import { describeNeeding, SOFTWARE_WEBGPU } from '@ltssl/testing';
import { WebGpuDriver } from './webgpu-driver.js';
import { WebGpuExecutable } from './webgpu-executable.js';

describeNeeding(SOFTWARE_WEBGPU, "the WebGPU driver on this machine's adapter", () => {
  let driver: WebGpuDriver;
  beforeAll(async () => {
    driver = new WebGpuDriver();
    await driver.init();
  });
  afterAll(() => driver.dispose());

  describe('WebGpuExecutable', () => {
    it('reuses pool buffers by lifetime: a chain of ops needs two slots, not one per op', async () => {
      // One kernel per op here; fused (the default) the chain is one kernel with one output.
      const unfused = new WebGpuDriver({ fusion: false });
      await unfused.init();
      const b = new ProgramBuilder('chain');
      let v = b.input('x', 'float32', [1024]);
      for (let i = 0; i < 10; i++) v = b.op('exp', [b.op('neg', [v], {})], {});
      b.output('y', v);
      const chain = (await unfused.compile(b.build())) as WebGpuExecutable;
      const y = (await chain.run({ x: hostTensor('float32', [1024]) })).y!;
      // exp(-exp(-...exp(-0))) ten times, computed on the host in float64.
      let expected = 0;
      for (let i = 0; i < 10; i++) expected = Math.exp(-expected);
      expect(y.data[1023]).toBeCloseTo(expected, 5);
      expect(chain.poolBytes).toBe(2 * 1024 * 4);
      chain.dispose();
      await unfused.dispose();
    });

    it('compiles each kernel variant once, whatever the shapes', async () => {
      const add = async (shape: number[]): Promise<void> => {
        const b = new ProgramBuilder('add');
        b.output('y', b.op('add', [b.input('a', 'float32', shape), b.input('b', 'float32', shape)], {}));
        (await driver.compile(b.build())).dispose();
      };
      await add([5]);
      const ctx = driver.context!;
      const before = ctx.pipelineCount;
      await add([7, 9]);
      await add([2, 3, 4, 5]);
      expect(ctx.pipelineCount).toBe(before);
    });

    it('refuses float64 at compile time, naming the node', async () => {
      const b = new ProgramBuilder('wide');
      b.output('y', b.op('exp', [b.input('x', 'float64', [2])], {}));
      const error = await driver.compile(b.build()).catch((e: unknown) => e);
      expect(hasErrorCode(error, ERROR_CODES.dtypeUnsupported)).toBe(true);
      expect((error as Error).message).toBe("driver 'webgpu' does not compute in float64 (WGSL has no 64-bit floats): node 0 of program 'wide' (x) is float64[2]; use float32");
    });

    // The Executable contract (pre-step outputs, commits, fetch lists, shared state, feed checks) is
    // conformance's 'contract/' section, run on this driver by conformance.test.ts.
    it('needs init before compile', async () => {
      const b = new ProgramBuilder('probe');
      b.output('y', b.op('exp', [b.input('x', 'float32', [2])], {}));
      await expect(new WebGpuDriver().compile(b.build())).rejects.toThrow("driver 'webgpu' is not initialised");
    });

    it('handles empty tensors without dispatching', async () => {
      const b = new ProgramBuilder('empty');
      const x = b.input('x', 'float32', [4, 5]);
      b.output('y', b.op('slice', [x], { begin: [1, 0], size: [0, 5] }));
      b.output('z', b.op('concat', [b.op('slice', [x], { begin: [0, 0], size: [0, 5] }), x], { axis: 0 }));
      const empty = await driver.compile(b.build());
      const data = Array.from({ length: 20 }, (_, i) => i);
      const out = await empty.run({ x: hostTensor('float32', [4, 5], data) });
      expect(out.y!.shape).toEqual([0, 5]);
      expect(Array.from(out.z!.data)).toEqual(data);
      empty.dispose();
    });
  });
});
