import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTemporaryFile, writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ltssl-atomic-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('writes every chunk, in order, and leaves no temporary file', async () => {
    const file = join(dir, 'a.bin');
    await writeFileAtomic(file, async (write) => {
      await write(new Uint8Array([1, 2]));
      await write(new Uint8Array(0));
      await write(new Uint8Array([3]));
    });
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['a.bin']);
  });

  it('leaves nothing under the name when the writer fails half way, and an existing file as it was', async () => {
    const fresh = join(dir, 'fresh.bin');
    const failing = async (write: (b: Uint8Array) => Promise<void>) => {
      await write(new Uint8Array(1000).fill(9));
      throw new Error('the state went bad half way');
    };
    await expect(writeFileAtomic(fresh, failing)).rejects.toThrow('the state went bad half way');
    const existing = join(dir, 'existing.bin');
    await writeFile(existing, 'old contents');
    await expect(writeFileAtomic(existing, failing)).rejects.toThrow('the state went bad half way');
    expect(await readFile(existing, 'utf8')).toBe('old contents');
    expect((await readdir(dir)).sort()).toEqual(['a.bin', 'existing.bin']);
  });

  it('replaces an existing file when it succeeds', async () => {
    const file = join(dir, 'existing.bin');
    await writeFileAtomic(file, (write) => write(new TextEncoder().encode('new contents')));
    expect(await readFile(file, 'utf8')).toBe('new contents');
  });

  it('names the file and the cause when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'no-such-folder', 'x.bin'), async () => undefined)).rejects.toThrow(/x\.bin: cannot create the temporary file .*no such file; check the folder exists/);
  });

  it('writes into a hidden temporary file beside the target, which no checkpoint name matches', async () => {
    const file = join(dir, 'epoch-0005.safetensors');
    let during: string[] = [];
    await writeFileAtomic(file, async (write) => {
      await write(new Uint8Array([1]));
      during = (await readdir(dir)).filter((n) => !['a.bin', 'existing.bin'].includes(n));
    });
    expect(during).toHaveLength(1);
    expect(isTemporaryFile(during[0]!)).toBe(true);
    expect(during[0]).toMatch(/^\.epoch-0005\.safetensors\..*\.tmp$/);
    expect(isTemporaryFile('epoch-0005.safetensors')).toBe(false);
  });
});
