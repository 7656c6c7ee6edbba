import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearDeadLease, describeLeaseOwner, isLeaseHeld, leaseOwner, tryLease } from './lease.js';
import { THIS_WRITER } from './writer-tag.js';

/** The pid of a process that has exited: a holder that was killed. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((done) => child.on('exit', done));
  return child.pid!;
}

describe('leases', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ltssl-lease-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('is taken once: a second taker learns who holds it; released, it is free again', async () => {
    const name = join(dir, 'leases', 'cell-a');
    const first = await tryLease(name, 'ltssl run toy');
    if (!('lease' in first)) throw new Error('the first attempt must take the lease');
    expect(first.lease.owner).toMatchObject({ host: THIS_WRITER.host, pid: process.pid, what: 'ltssl run toy' });
    expect(await isLeaseHeld(name)).toBe(true);
    const second = await tryLease(name, 'ltssl cell cell-a');
    expect(second).toEqual({ heldBy: first.lease.owner });
    expect(describeLeaseOwner(first.lease.owner)).toMatch(new RegExp(`^pid ${process.pid} on ${THIS_WRITER.host} \\(ltssl run toy, since .*\\)$`));
    await first.lease.release();
    expect(await isLeaseHeld(name)).toBe(false);
    expect(await readdir(join(dir, 'leases'))).toEqual([]);
    const third = await tryLease(name, 'again');
    expect('lease' in third).toBe(true);
    if ('lease' in third) await third.lease.release();
  });

  it('is free at once when its holder was a process of this machine that is gone (SIGKILL leaves the lock)', async () => {
    const name = join(dir, 'leases', 'cell-b');
    // What a killed holder leaves: its lock folder and its owner file, naming a pid that is gone.
    const pid = await deadPid();
    await mkdir(`${name}.lock`, { recursive: true });
    await writeFile(`${name}.owner.${THIS_WRITER.host}-${pid}-00000000.json`, JSON.stringify({ host: THIS_WRITER.host, pid, since: new Date().toISOString(), what: 'a killed worker' }));
    expect(await isLeaseHeld(name)).toBe(true);
    expect(await leaseOwner(name)).toBeUndefined();
    const next = await tryLease(name, 'the rerun');
    if (!('lease' in next)) throw new Error("the dead holder's lease must be free");
    expect(await readdir(join(dir, 'leases'))).toEqual(expect.arrayContaining(['cell-b.lock']));
    await next.lease.release();
    expect((await readdir(join(dir, 'leases'))).filter((n) => n.startsWith('cell-b'))).toEqual([]);
  });

  it('is never cleared while a process that may hold it is alive: this one, or one of another host', async () => {
    const name = join(dir, 'leases', 'cell-c');
    const taken = await tryLease(name, 'a worker');
    if (!('lease' in taken)) throw new Error('expected the lease');
    await writeFile(`${name}.owner.another_host-${await deadPid()}-00000000.json`, JSON.stringify({ host: 'another_host', pid: 1, since: new Date().toISOString(), what: 'a worker elsewhere' }));
    expect(await clearDeadLease(name)).toBe(false);
    expect(existsSync(`${name}.lock`)).toBe(true);
    await taken.lease.release();
  });
});
