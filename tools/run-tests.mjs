#!/usr/bin/env node
// The README's test command: type-check and test every project through Nx, then
// print one aggregate line over all test projects from vitest's JSON reports.
// Exits non-zero when anything failed, or when a project wrote no report.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'reports', 'vitest');
rmSync(reports, { recursive: true, force: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'typecheck', 'test', '--outputStyle=static', '--skip-nx-cache', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});

const projects = spawnSync('npx', ['nx', 'show', 'projects', '--with-target', 'test', '--json'], { cwd: root, env, encoding: 'utf8' });
const expected = projects.status === 0 ? JSON.parse(projects.stdout) : [];

let passed = 0;
let failed = 0;
let skipped = 0;
const skips = [];
const found = existsSync(reports) ? readdirSync(reports).filter((f) => f.endsWith('.json')) : [];
for (const file of found) {
  const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrors ?? 0);
  skipped += report.numPendingTests + report.numTodoTests;
  // A skipped test's title says why (the system package it needs and how to install it).
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') skips.push(`${file.replace(/\.json$/, '')}: ${test.fullName}`);
  }
}
if (skips.length > 0) console.log(`skipped:\n${skips.map((s) => `  ${s}`).join('\n')}`);
const missing = expected.filter((name) => !found.includes(`${name.replace(/^@/, '').replace(/\//g, '-')}.json`));
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')} (it failed to start or did not run)`);
if (nx.status !== 0 && failed === 0) {
  // A type error or a failed build fails no test, but it fails the run: count it.
  console.log('a typecheck or build task failed (see the Nx output above)');
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(nx.status !== 0 || failed > 0 || missing.length > 0 ? 1 : 0);
