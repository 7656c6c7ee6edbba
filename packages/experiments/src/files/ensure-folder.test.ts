import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountTmpfs, tmpfsUnavailable } from '@ltssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFolder, ensureWritableFolder } from './ensure-folder.js';
import { FolderWriteError } from './folder-write-error.js';

describe('ensureWritableFolder', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ltssl-folder-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('makes missing parents and leaves nothing behind but the folders', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await ensureWritableFolder(deep, 'the study folder (--out)');
    expect(await readdir(deep)).toEqual([]);
  });

  // Node's recursive mkdir spins forever on /proc (ENOENT for a folder it may not make): this must return.
  it('refuses a folder the file system cannot hold (/proc/x) at once, naming it', async () => {
    const error = await ensureFolder('/proc/x/y', 'the study folder (--out)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FolderWriteError);
    expect((error as Error).message).toBe('/proc/x/y: cannot create the study folder (--out): the file system of /proc does not allow new folders; give a folder on a writable disk');
  });

  it('refuses a file, and a path through a file, in words', async () => {
    const file = join(dir, 'plain.txt');
    await writeFile(file, 'x');
    await expect(ensureFolder(file, 'the study folder (--out)')).rejects.toThrow(`${file}: is a file, not a folder; give a folder as the study folder (--out)`);
    await expect(ensureFolder(join(file, 'sub'), 'the study folder (--out)')).rejects.toThrow(`${join(file, 'sub')}: ${file} is a file, not a folder, so the study folder (--out) cannot be made under it`);
  });

  const noTmpfs = tmpfsUnavailable();
  it.skipIf(noTmpfs !== undefined)(`reports a read-only file system as read-only, not as a missing file${noTmpfs ? ` (skipped: ${noTmpfs})` : ''}`, async () => {
    const fs = mountTmpfs('64k');
    try {
      fs.remountReadOnly();
      const error = await ensureWritableFolder(join(fs.dir, 'study'), 'the study folder (--out)').catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/: cannot create the study folder \(--out\) .*: the file system is read-only; the file system is read-only: give an --out on a writable one$/);
      const existing = await ensureWritableFolder(fs.dir, 'the study folder (--out)').catch((e: unknown) => e);
      expect((existing as Error).message).toMatch(new RegExp(`^the study folder \\(--out\\) ${fs.dir} is not writable: cannot create the temporary file .*: the file system is read-only`));
    } finally {
      fs.unmount();
    }
  });
});
