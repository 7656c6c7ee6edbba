import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterRng, ERROR_CODES, hasErrorCode, hostTensor, RNG_STREAMS, sizeOf, type HostTensor } from '@ltssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, readSafetensors, type SafetensorsContent } from './read-safetensors.js';
import { encodeSafetensors } from './safetensors-encode.js';

/**
 * A small file with every kind of entry: F32 of several ranks, a scalar I32,
 * F64, an empty tensor, metadata; then the same with I64 and F16 entries made
 * by hand (ltssl never writes them, PyTorch exports do).
 */
function smallFile(): Uint8Array {
  return encodeSafetensors(
    {
      'encoder.conv1.weight': hostTensor('float32', [2, 1, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
      'encoder.bn1.num_batches_tracked': hostTensor('int32', [], [3]),
      'encoder.bn1.running_var': hostTensor('float64', [2], [0.5, 2]),
      'queue': hostTensor('float32', [0]),
    },
    { 'ltssl.epoch': '5' },
  );
}

function pyTorchStyleFile(): Uint8Array {
  const json = new TextEncoder().encode(
    JSON.stringify({
      __metadata__: { format: 'pt' },
      'bn1.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [0, 8] },
      'conv1.weight': { dtype: 'F16', shape: [2, 2], data_offsets: [8, 16] },
      'fc.bias': { dtype: 'BF16', shape: [2], data_offsets: [16, 20] },
    }),
  );
  const out = new Uint8Array(8 + json.length + 20);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const data = 8 + json.length;
  view.setBigInt64(data, 12n, true);
  [0x3c00, 0x4000, 0xbc00, 0x3800, 0x3f80, 0x4000].forEach((h, i) => view.setUint16(data + 8 + 2 * i, h, true));
  return out;
}

/** A read that succeeded must still be well formed: each tensor's data matches its dtype and shape. */
function expectConsistent(result: SafetensorsContent): void {
  for (const [name, t] of Object.entries(result.tensors) as [string, HostTensor][]) {
    const arrayType = { float32: Float32Array, float64: Float64Array, int32: Int32Array }[t.dtype];
    expect(t.data, name).toBeInstanceOf(arrayType);
    expect(t.data.length, name).toBe(sizeOf(t.shape));
  }
  for (const value of Object.values(result.metadata)) expect(typeof value).toBe('string');
}

/** Either a coded CheckpointError naming the file, or a consistent result; never another exception. */
async function expectCodedErrorOrConsistent(read: Promise<SafetensorsContent>, file: string): Promise<'error' | 'read'> {
  try {
    expectConsistent(await read);
    return 'read';
  } catch (error) {
    expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid), `not a coded error: ${String(error)}`).toBe(true);
    expect((error as Error).message.startsWith(`${file}: `), (error as Error).message).toBe(true);
    return 'error';
  }
}

describe.each([
  ['an ltssl-written file', smallFile],
  ['a PyTorch-style file with I64, F16 and BF16', pyTorchStyleFile],
])('fuzzing %s', (_, make) => {
  const bytes = make();

  it('reads intact', async () => {
    expect(await expectCodedErrorOrConsistent(decodeSafetensors(bytes, 'f'), 'f')).toBe('read');
  });

  it('rejects the file truncated at every offset with a coded error', async () => {
    for (let length = 0; length < bytes.length; length++) {
      const error = await decodeSafetensors(bytes.subarray(0, length), 'cut.safetensors').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid), `truncated to ${length} bytes: ${String(error)}`).toBe(true);
    }
  });

  it('never crashes on seeded byte flips: a coded error or a consistent result', async () => {
    const intact = await decodeSafetensors(bytes);
    const dataStart = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const layout = (r: SafetensorsContent) => Object.entries(r.tensors).map(([name, t]) => [name, t.dtype, t.shape]);
    const outcomes = { error: 0, read: 0 };
    for (let trial = 0; trial < 600; trial++) {
      const rng = new CounterRng(2024, RNG_STREAMS.data, trial);
      const damaged = bytes.slice();
      const flips = 1 + rng.int(0, 3);
      const positions = Array.from({ length: flips }, (_, f) => rng.int(1 + 2 * f, damaged.length));
      positions.forEach((p, f) => (damaged[p] ^= 1 + rng.int(2 + 2 * f, 255)));
      const read = decodeSafetensors(damaged, 'flip.safetensors');
      const outcome = await expectCodedErrorOrConsistent(read, 'flip.safetensors');
      outcomes[outcome]++;
      // Flips confined to the data section change values, never which tensors the file holds.
      if (outcome === 'read' && positions.every((p) => p >= dataStart)) expect(layout(await read)).toEqual(layout(intact));
    }
    // Flips in the data section leave a valid file; flips in the length or header mostly do not. Both paths ran.
    expect(outcomes.error).toBeGreaterThan(0);
    expect(outcomes.read).toBeGreaterThan(0);
  });
});

describe('fuzzing through the file reader', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ltssl-fuzz-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('rejects truncated files and survives flipped ones, as on bytes in memory', async () => {
    const bytes = smallFile();
    const file = join(dir, 'f.safetensors');
    for (let length = 0; length < bytes.length; length += 5) {
      await writeFile(file, bytes.subarray(0, length));
      const error = await readSafetensors(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid), `truncated to ${length} bytes: ${String(error)}`).toBe(true);
    }
    for (let trial = 0; trial < 40; trial++) {
      const rng = new CounterRng(7, RNG_STREAMS.data, trial);
      const damaged = bytes.slice();
      damaged[rng.int(0, damaged.length)] ^= 1 + rng.int(1, 255);
      await writeFile(file, damaged);
      await expectCodedErrorOrConsistent(readSafetensors(file), file);
    }
  });
});
