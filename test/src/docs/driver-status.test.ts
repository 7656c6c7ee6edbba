import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DriverRegistration } from '@ltssl/core';
import { onnxRegistrations } from '@ltssl/driver-onnx';
import { referenceRegistration } from '@ltssl/driver-reference';
import { tfjsRegistrations } from '@ltssl/driver-tfjs';
import { webgpuRegistrations } from '@ltssl/driver-webgpu';
import { describe, expect, it } from 'vitest';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
const registrations: readonly DriverRegistration[] = [...onnxRegistrations, ...tfjsRegistrations, ...webgpuRegistrations, referenceRegistration];

/** Every backend row of the tables in docs/drivers/*.md: its status cell, code spans unwrapped, by backend name. */
function documentedStatus(): Map<string, { page: string; status: string }> {
  const rows = new Map<string, { page: string; status: string }>();
  for (const page of readdirSync(`${DOCS}drivers`).filter((f) => f.endsWith('.md'))) {
    const lines = readFileSync(`${DOCS}drivers/${page}`, 'utf8').split('\n');
    let statusColumn = -1;
    for (const line of lines) {
      const cells = line.startsWith('|') ? line.split('|').slice(1, -1).map((c) => c.trim()) : [];
      if (cells[0] === 'backend') statusColumn = cells.indexOf('status');
      const name = /^`([a-z0-9-]+)`$/.exec(cells[0] ?? '')?.[1];
      if (name && statusColumn > 0) rows.set(name, { page, status: cells[statusColumn]!.replace(/`/g, '') });
      if (cells.length === 0) statusColumn = -1;
    }
  }
  return rows;
}

describe("each driver's verified status is said in one place", () => {
  it('every built-in driver states it, and docs/drivers/*.md start each status cell with those words', () => {
    const documented = documentedStatus();
    for (const r of registrations) {
      expect(r.verified, `${r.name} states no verified status`).toMatch(/\S/);
      if (r.name === 'reference') {
        // The reference driver has no page of its own: docs/architecture.md says it.
        expect(readFileSync(`${DOCS}architecture.md`, 'utf8')).toContain(r.verified!);
        continue;
      }
      const row = documented.get(r.name);
      expect(row, `no row for \`${r.name}\` in a docs/drivers/*.md table with a status column`).toBeDefined();
      expect(row!.status.startsWith(r.verified!), `docs/drivers/${row!.page}, \`${r.name}\`: the status cell must start with "${r.verified}", it reads "${row!.status}"`).toBe(true);
    }
  });

  it('says no GPU path is untested where the docs report a run on one', () => {
    const gpu = webgpuRegistrations.find((r) => r.name === 'webgpu-gpu')!;
    expect(gpu.verified).toMatch(/^tested on an NVIDIA H200/);
    expect(gpu.description).not.toMatch(/untested/);
  });
});
