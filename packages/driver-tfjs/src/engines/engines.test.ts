import { describe, expect, it } from 'vitest';
import { byPriority, ERROR_CODES, hasErrorCode } from '@ltssl/core';
import { version_core } from '@tensorflow/tfjs-core';
import { tfjsRegistrations } from '../module.js';
import { TfjsDriver } from '../tfjs-driver.js';
import { resolveNative } from './native-engine.js';

const nodeInstalled = resolveNative('@tensorflow/tfjs-node') !== undefined;
const gpuInstalled = resolveNative('@tensorflow/tfjs-node-gpu') !== undefined;

describe('TensorFlow.js engines', () => {
  it('registers the GPU engine first and the best-available alias below every concrete engine', () => {
    expect(byPriority(tfjsRegistrations).map((r) => r.name)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'tfjs-wasm', 'tfjs']);
  });

  it('starts the wasm engine with SIMD, one thread in Node', async () => {
    const info = await new TfjsDriver({ backend: 'tfjs-wasm' }).init();
    expect(info).toMatchObject({ driver: 'tfjs-wasm', kind: 'cpu', dtypes: ['float32', 'int32'], details: { engine: 'wasm', simd: 'true', tfjs: version_core } });
    expect(info.device).toBe(`CPU, TensorFlow.js ${version_core} wasm backend (XNNPACK, SIMD, 1 thread)`);
  });

  it.skipIf(nodeInstalled)('says how to install tfjs-node when it is not installed', async () => {
    const error = await new TfjsDriver({ backend: 'tfjs-node' }).init().catch((e: unknown) => e);
    expect(hasErrorCode(error, ERROR_CODES.driverUnavailable)).toBe(true);
    expect((error as Error).message).toBe(`driver 'tfjs-node' cannot start: @tensorflow/tfjs-node is not installed: npm install @tensorflow/tfjs-node@${version_core} (downloads libtensorflow)`);
  });

  it.skipIf(nodeInstalled || gpuInstalled)("'tfjs' takes the first engine that starts and names the ones it skipped", async () => {
    const info = await new TfjsDriver({ backend: 'tfjs' }).init();
    expect(info.driver).toBe('tfjs');
    expect(info.details['engine']).toBe('wasm');
    expect(info.details['skipped']).toMatch(/^tfjs-node-gpu: @tensorflow\/tfjs-node-gpu is not installed: .*; tfjs-node: @tensorflow\/tfjs-node is not installed: /);
  });
});
