import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setFaultHook } from '../files/fault-points.js';
import { FolderWriteError } from '../files/folder-write-error.js';
import { parseTemporaryFileName, temporaryFileName } from '../files/stale-temp-files.js';
import { THIS_WRITER } from '../files/writer-tag.js';
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

  it('names the temporary file for its writer: host, pid and a random suffix', async () => {
    const name = temporaryFileName(join(dir, 'cell.json'), 'a1b2c3d4').slice(dir.length + 1);
    expect(name).toBe(`.cell.json.${THIS_WRITER.host}-${process.pid}-a1b2c3d4.tmp`);
    expect(parseTemporaryFileName(name)).toEqual({ target: 'cell.json', writer: THIS_WRITER });
    expect(parseTemporaryFileName('cell.json')).toBeUndefined();
  });

  it("sweeps only its own target's temporaries left by a dead writer of this host, never a live or foreign one's", async () => {
    const sub = await mkdtemp(join(dir, 'sweep-'));
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => child.on('exit', done));
    const dead = { host: THIS_WRITER.host, pid: child.pid! };
    const left = [
      temporaryFileName(join(sub, 'epoch-0002.safetensors'), '00000001', dead), // swept
      temporaryFileName(join(sub, 'epoch-0003.safetensors'), '00000002', dead), // another target: kept
      temporaryFileName(join(sub, 'epoch-0002.safetensors'), '00000003', { host: 'other_host', pid: child.pid! }), // another host: kept
      temporaryFileName(join(sub, 'epoch-0002.safetensors'), '00000004', THIS_WRITER), // a live writer: kept
    ];
    for (const f of left) await writeFile(f, 'partial');
    await writeFileAtomic(join(sub, 'epoch-0002.safetensors'), (sink) => sink(new Uint8Array([1])));
    expect((await readdir(sub)).sort()).toEqual(['epoch-0002.safetensors', ...left.slice(1).map((f) => f.slice(sub.length + 1))].sort());
  });

  describe('a planted fault at the Nth write', () => {
    afterEach(() => setFaultHook(undefined));

    it('is a FolderWriteError naming the file; the old file stays and no temporary is left', async () => {
      const sub = await mkdtemp(join(dir, 'fault-'));
      const file = join(sub, 'plan.json');
      await writeFileAtomic(file, (sink) => sink(new TextEncoder().encode('old')));
      let writes = 0;
      setFaultHook((point, detail) => {
        if (point === 'write' && detail === file && ++writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      });
      await writeFileAtomic(file, (sink) => sink(new TextEncoder().encode('first')));
      const error = await writeFileAtomic(file, (sink) => sink(new TextEncoder().encode('second'))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FolderWriteError);
      expect((error as FolderWriteError).file).toBe(file);
      expect(await readFile(file, 'utf8')).toBe('first');
      expect(await readdir(sub)).toEqual(['plan.json']);
    });
  });
});
