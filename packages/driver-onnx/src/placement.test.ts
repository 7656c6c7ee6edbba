import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgramBuilder } from '@ltssl/core';
import { supervisedStep } from '@ltssl/conformance';
import { describeNeeding, MESA_LAVAPIPE } from '@ltssl/testing';
import { lowerProgram } from './lower/lower-program.js';
import { loweringProfile } from './lower/profiles.js';
import { OnnxDriver } from './onnx-driver.js';
import { describePlacement, parsePlacements, probePlacement } from './placement.js';

// An excerpt of ORT 1.30's verbose session log, as a session with one CPU fallback writes it.
const LOG = `2026-12-02 16:39:01.691960643 [I:onnxruntime:, graph_transformer.cc:15 Apply] GraphTransformer MemcpyTransformer modified: 1 with status: OK
2026-12-02 16:39:01.691965 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements
2026-12-02 16:39:01.691966 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1
2026-12-02 16:39:01.691967 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Cast (argMax#1/Cast_3)
2026-12-02 16:39:01.691968 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 2
2026-12-02 16:39:01.691969 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   ArgMax (argMax#1/ArgMax_1)
2026-12-02 16:39:01.691970 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   MemcpyToHost (Memcpy)
2026-12-02 16:39:01.691971 [I:onnxruntime:, allocation_planner.cc:2653 CreateGraphPartitioner] Use DeviceBasedPartition as default`;

/** logits [4, 5] -> top-1 [4]: the op whose standard lowering the WebGPU provider cannot place whole. */
function argMaxProgram() {
  const b = new ProgramBuilder('predict');
  b.output('predictions', b.op('argMax', [b.input('logits', 'float32', [4, 5])], { axis: 1, keepDims: false }));
  return b.build();
}

describe('node placement', () => {
  it("reads ORT's placement block, naming the Program op each CPU node came from", () => {
    const placement = parsePlacements(LOG);
    expect(placement).toEqual({ total: 3, cpu: [{ opType: 'Cast', name: 'argMax#1/Cast_3', source: 'argMax' }] });
    expect(describePlacement(placement!, 'webgpu')).toBe('ONNX Runtime runs 1 of 3 nodes on its CPU provider instead of webgpu: 1 Cast (from argMax)');
    expect(describePlacement({ total: 9, cpu: [] }, 'webgpu')).toBe('ONNX Runtime places all 9 nodes on its webgpu provider');
    expect(describePlacement({ total: 1, cpu: [] }, 'webgpu')).toBe('ONNX Runtime places its one node on its webgpu provider');
    expect(parsePlacements('no placements here')).toBeUndefined();
  });
});

describeNeeding(MESA_LAVAPIPE, "ONNX Runtime's WebGPU provider places every node of ltssl's programs", () => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env['VK_DRIVER_FILES'];
    process.env['VK_DRIVER_FILES'] = '/usr/share/vulkan/icd.d/lvp_icd.json';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['VK_DRIVER_FILES'];
    else process.env['VK_DRIVER_FILES'] = saved;
  });

  it('the standard argMax lowering leaves its int64 Cast to the CPU provider (what the WebGPU profile avoids)', async () => {
    const placement = await probePlacement(lowerProgram(argMaxProgram(), { lowerings: loweringProfile('cpu') }).model, 'webgpu');
    expect(placement.cpu.map((n) => `${n.opType} from ${n.source}`)).toEqual(['Cast from argMax']);
  }, 60_000);

  it('with the WebGPU profile, argMax and a whole supervised step stay on the WebGPU provider, as --verbose reports', async () => {
    const driver = new OnnxDriver({ provider: 'webgpu' });
    await driver.init();
    try {
      const step = supervisedStep({ encoder: 'small-cnn', width: 4, channels: 1, size: 8, batch: 4, classes: 3, seed: 1 });
      for (const program of [argMaxProgram(), step]) {
        const executable = await driver.compile(program);
        const lines = await executable.diagnostics!();
        executable.dispose();
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^program '${program.name}': ONNX Runtime places all \\d+ nodes on its webgpu provider$`));
      }
    } finally {
      await driver.dispose();
    }
  }, 120_000);
});
