import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEncoder } from './load-encoder.js';
import { decodeSafetensors, readSafetensorsHeader } from './read-safetensors.js';

/** Written by torch.save (tools/fixtures/gen_pth_files.py): a zip archive, a legacy pickle, a nested checkpoint. */
const PTH = (name: string): string => fileURLToPath(new URL(`../../golden/pth/${name}`, import.meta.url));

describe('a PyTorch .pth file where safetensors is expected', () => {
  it.each([
    ['state-dict-zip.pth', 'zip archive'],
    ['state-dict-legacy.pth', 'pickle'],
    ['checkpoint-nested.pth', 'zip archive'],
  ])('%s is named as one, with the command that converts it', async (name, kind) => {
    const message = new RegExp(`${name.replace('.', '\\.')}: this is a PyTorch \\.pth file \\(a ${kind} written by torch\\.save\\), not safetensors: convert it with '/usr/bin/python3 tools/torch/pth_to_safetensors\\.py FILE\\.pth FILE\\.safetensors'`);
    await expect(readSafetensorsHeader(PTH(name))).rejects.toThrow(message);
    // What `ltssl eval` and `ltssl export` call.
    await expect(loadEncoder(PTH(name))).rejects.toThrow(message);
  });

  it('does not take a safetensors file whose header length starts with the pickle bytes 0x80 0x02 for one', async () => {
    // A header of 640 bytes: its length reads 80 02 00 00 00 00 00 00.
    const header = new TextEncoder().encode('{}'.padEnd(640, ' '));
    const bytes = new Uint8Array(8 + header.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    expect([bytes[0], bytes[1]]).toEqual([0x80, 0x02]);
    await expect(decodeSafetensors(bytes)).resolves.toEqual({ tensors: {}, metadata: {} });
  });

  it('still reports a damaged file that is no .pth as a damaged safetensors file', async () => {
    const bytes = new Uint8Array(16).fill(0xff);
    await expect(decodeSafetensors(bytes, 'x.safetensors')).rejects.toThrow(/^x\.safetensors: byte 0: the header length says \d+ bytes of JSON follow/);
  });
});
