import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs mounted for one test: a disk that fills up, or turns read-only, on demand. */
export interface Tmpfs {
  readonly dir: string;
  remountReadOnly(): void;
  unmount(): void;
}

function mountAt(size: string): { dir: string } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ltssl-tmpfs-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status === 0) return { dir };
  rmSync(dir, { recursive: true, force: true });
  return { error: `mount -t tmpfs failed here: ${(mount.stderr || mount.error?.message || '').trim()}` };
}

let unavailable: string | undefined | null = null;

/**
 * Why no tmpfs can be mounted here, or undefined when one can: the disk-full
 * and read-only tests need a real file system that says ENOSPC or EROFS, and
 * mounting one needs root on Linux (CI runs as root). Tried once, with a
 * mount that is undone at once, so a skipped test leaves nothing mounted.
 */
export function tmpfsUnavailable(): string | undefined {
  if (unavailable !== null) return unavailable;
  if (process.platform !== 'linux') unavailable = 'a tmpfs needs Linux';
  else if (process.getuid?.() !== 0) unavailable = 'mounting a tmpfs needs root (CI runs as root)';
  else {
    const trial = mountAt('4k');
    if ('error' in trial) unavailable = trial.error;
    else {
      spawnSync('umount', [trial.dir]);
      rmSync(trial.dir, { recursive: true, force: true });
      unavailable = undefined;
    }
  }
  return unavailable;
}

/** Mounts a tmpfs of `size` ('300k') on a fresh folder, inside the test that uses it (unmount it in a finally). */
export function mountTmpfs(size: string): Tmpfs {
  const mounted = mountAt(size);
  if ('error' in mounted) throw new Error(mounted.error);
  const { dir } = mounted;
  return {
    dir,
    remountReadOnly: () => {
      const r = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`remount ${dir} read-only: ${r.stderr}`);
    },
    unmount: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
