import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DeviceInfo } from '@ltssl/core';
import { ltsslVersion } from '../checkpoint/ltssl-version.js';
import type { CellEnvironment } from './cell.js';

/** The nearest ancestor of `start` holding `name`. */
function findUp(start: string, name: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, name))) return join(dir, name);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function gitCommit(start: string): string | undefined {
  const git = findUp(start, '.git');
  if (!git) return undefined;
  try {
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = join(git, head.slice(5));
    if (existsSync(ref)) return readFileSync(ref, 'utf8').trim();
    const packed = join(git, 'packed-refs');
    return existsSync(packed) ? readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` ${head.slice(5)}`))?.split(' ')[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a cell ran: driver and device, Node and platform, the ltssl version,
 * the driver's own details (engine version, provider, threads), the lockfile's
 * hash and the git commit of the checkout, when there is one.
 */
export function cellEnvironment(info: DeviceInfo, cwd = process.cwd()): CellEnvironment {
  const lock = findUp(cwd, 'package-lock.json');
  const commit = gitCommit(cwd);
  return {
    driver: info.driver,
    device: info.device,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    ltsslVersion: ltsslVersion(),
    packages: { ...info.details },
    ...(lock ? { lockfileHash: createHash('sha256').update(readFileSync(lock)).digest('hex') } : {}),
    ...(commit ? { gitCommit: commit } : {}),
  };
}
