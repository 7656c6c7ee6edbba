import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { writeJsonAtomic } from '../checkpoint/atomic-write.js';
import { ensureFolder } from './ensure-folder.js';
import { folderWriteError } from './folder-write-error.js';
import { THIS_WRITER, writerMayBeAlive, type WriterTag } from './writer-tag.js';

/**
 * Leases: a claim on a piece of a study folder (the whole folder for a sweep,
 * one cell for whoever computes it) that many processes, on one machine or
 * several sharing the folder, respect. A lease is a lock folder NAME.lock
 * made by proper-lockfile (mkdir is atomic, also on NFS) whose mtime its
 * holder refreshes every `updateMs` (the heartbeat). Before taking it, a
 * process writes NAME.owner.HOST-PID-TOKEN.json (who, since when, what for), so a
 * lock folder always has its holder's owner file beside it, even when the
 * holder is killed the moment after its mkdir. A lease is free again when
 * its holder releases it, when its heartbeat is older than `staleMs` (a holder
 * on another machine that died), or at once when every process that could
 * hold it is a process of this machine that is gone (SIGKILL leaves the lock
 * folder behind; the pids tell).
 *
 * Scale-out (a Slurm array, queue workers) builds on this: a worker calls
 * tryLease for the cell it is handed, computes it only with the lease, stops
 * when `lost` fires, and releases it when the cell's result file is written.
 */
export interface LeaseOwner extends WriterTag {
  /** When it was taken (ISO time). */
  readonly since: string;
  /** What the holder does with it, for messages: "ltssl run imbalance: cell imbalance_simclr_n600_r1_s0". */
  readonly what: string;
}

export interface Lease {
  /** The lease's name: the lock folder is NAME.lock. */
  readonly name: string;
  readonly owner: LeaseOwner;
  /** Aborted when the lease is lost (its heartbeat could not be written, or another process took it): stop the work. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** A lease taken, or who holds it (undefined when that cannot be told: a holder on another machine that wrote no owner file). */
export type LeaseAttempt = { readonly lease: Lease } | { readonly heldBy: LeaseOwner | undefined };

export interface LeaseOptions {
  /** A lease whose heartbeat is older than this is free (default 60 s: longer than any pause of a busy event loop). */
  readonly staleMs?: number;
  /** How often the holder refreshes it (default 10 s). */
  readonly updateMs?: number;
}

const lockFolder = (name: string): string => `${name}.lock`;
/** One attempt's owner file: the writer and a random token, since one process may try for a lease twice at once. */
const ownerFile = (name: string, w: WriterTag, token: string): string => `${name}.owner.${w.host}-${w.pid}-${token}.json`;

interface Candidate {
  readonly file: string;
  readonly owner: LeaseOwner;
}

/** The owner files of lease NAME, earliest first: every attempt that holds it or is trying to take it. */
async function candidates(name: string): Promise<Candidate[]> {
  const prefix = `${basename(name)}.owner.`;
  let names: string[];
  try {
    names = (await readdir(dirname(name))).filter((n) => n.startsWith(prefix) && n.endsWith('.json'));
  } catch {
    return [];
  }
  const found: Candidate[] = [];
  for (const n of names) {
    const file = join(dirname(name), n);
    try {
      const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LeaseOwner>;
      if (typeof value.host === 'string' && typeof value.pid === 'number' && typeof value.since === 'string' && typeof value.what === 'string') found.push({ file, owner: value as LeaseOwner });
    } catch {
      // removed meanwhile by its writer
    }
  }
  return found.sort((a, b) => a.owner.since.localeCompare(b.owner.since));
}

/** Who holds lease NAME, as far as its owner files tell: the earliest attempt (but `except`) whose process may be alive. */
export async function leaseOwner(name: string, except?: string): Promise<LeaseOwner | undefined> {
  return (await candidates(name)).find((c) => c.file !== except && writerMayBeAlive(c.owner))?.owner;
}

/** True when lease NAME is held (its lock folder exists), whoever holds it. */
export async function isLeaseHeld(name: string): Promise<boolean> {
  return lockfile.check(name, { realpath: false, lockfilePath: lockFolder(name), stale: 60_000 }).catch(() => false);
}

/**
 * Frees lease NAME when every other process that could hold it was a process
 * of this machine that is gone, and removes their owner files; returns true
 * when it freed a lock. A lock with a live or foreign candidate is left
 * alone, and so is one with no owner file at all (its heartbeat decides).
 */
export async function clearDeadLease(name: string, except?: string): Promise<boolean> {
  const others = (await candidates(name)).filter((c) => c.file !== except);
  const dead = others.filter((c) => !writerMayBeAlive(c.owner));
  if (dead.length < others.length) return false;
  for (const c of dead) await rm(c.file, { force: true });
  if (dead.length === 0) return false;
  await rm(lockFolder(name), { recursive: true, force: true });
  return true;
}

/**
 * Takes lease NAME (its folder is created when missing) without waiting:
 * `{lease}` when taken, `{heldBy}` when another process holds it. `what`
 * goes into the owner file for others' messages.
 */
export async function tryLease(name: string, what: string, options: LeaseOptions = {}): Promise<LeaseAttempt> {
  const folder = lockFolder(name);
  await ensureFolder(dirname(folder), 'the folder of the lease');
  const owner: LeaseOwner = { host: THIS_WRITER.host, pid: THIS_WRITER.pid, since: new Date().toISOString(), what };
  const mine = ownerFile(name, owner, randomBytes(4).toString('hex'));
  await writeJsonAtomic(mine, owner);
  await clearDeadLease(name, mine);
  const controller = new AbortController();
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(name, {
      realpath: false,
      lockfilePath: folder,
      stale: options.staleMs ?? 60_000,
      update: options.updateMs ?? 10_000,
      retries: 0,
      onCompromised: (error) => controller.abort(new Error(`lost the lease ${folder}: ${error.message}`)),
    });
  } catch (error) {
    await rm(mine, { force: true });
    if ((error as { code?: string }).code === 'ELOCKED') return { heldBy: await leaseOwner(name, mine) };
    throw folderWriteError(folder, 'take the lease', error);
  }
  let released = false;
  return {
    lease: {
      name,
      owner,
      lost: controller.signal,
      async release() {
        if (released) return;
        released = true;
        // A lease already lost is not ours to remove. Killed between the two, an owner file without a lock
        // folder is harmless: the next taker removes it.
        if (!controller.signal.aborted) await release().catch(() => undefined);
        await rm(mine, { force: true });
      },
    },
  };
}

/** "pid 123 on host-a (ltssl run toy, since 2026-...)", for messages. */
export function describeLeaseOwner(owner: LeaseOwner | undefined): string {
  return owner ? `pid ${owner.pid} on ${owner.host} (${owner.what}, since ${owner.since})` : 'a process on another machine';
}
