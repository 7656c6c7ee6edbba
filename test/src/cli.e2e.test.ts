import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The built `ltssl` bin, run as a user runs it: a separate Node process.
const cliPackage = createRequire(import.meta.url).resolve('@ltssl/cli/package.json');
const bin = join(dirname(cliPackage), (JSON.parse(readFileSync(cliPackage, 'utf8')) as { bin: { ltssl: string } }).bin.ltssl);

function ltssl(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('the built ltssl command', () => {
  it('exists (the test target builds its dependencies first)', () => {
    expect(existsSync(bin), `${bin} is missing: run 'npm run build'`).toBe(true);
  });

  it("runs as 'npx ltssl' does after 'npm ci && npm start' on a fresh clone", () => {
    // npm links the bin at install time, before any build: it must be a committed file with its run bit
    // in git (not a build output, which a fresh clone does not have when npm ci runs).
    const workspace = join(dirname(cliPackage), '..', '..');
    const tracked = spawnSync('git', ['ls-files', '-s', relative(workspace, bin)], { cwd: workspace, encoding: 'utf8' });
    expect(tracked.stdout, `${bin} must be committed with mode 100755`).toMatch(/^100755 /);
    expect(statSync(bin).mode & 0o111, `${bin} is not executable`).toBe(0o111);
    const run = spawnSync('npx', ['--no-install', 'ltssl', '--version'], { cwd: workspace, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(cliPackage, 'utf8')) as { version: string }).version);
  });

  it('lists the reference driver', () => {
    const run = ltssl('drivers');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^reference\s+0\s+available/m);
  });

  it('exits 2 with one line on a bad flag, value or command', () => {
    for (const args of [['drivers', '--bogus'], ['drivers', '--backend', 'nope'], ['bogus']]) {
      const run = ltssl(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });
});
