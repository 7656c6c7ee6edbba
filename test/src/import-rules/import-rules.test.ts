import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkImports } from './check-imports.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A throwaway workspace: files by path, package.json objects serialised. */
function workspace(files: Record<string, string | object>): string {
  const root = mkdtempSync(join(tmpdir(), 'ltssl-import-rules-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

const pkg = (name: string, layer: string, deps: Record<string, string> = {}, devDeps: Record<string, string> = {}) => ({
  name,
  nx: { tags: [layer] },
  dependencies: deps,
  devDependencies: devDeps,
});

/** A clean three-package workspace that each test plants one violation into. */
function base(extra: Record<string, string | object> = {}): string {
  return workspace({
    'package.json': { workspaces: ['packages/*'] },
    'packages/core/package.json': pkg('@ltssl/core', 'layer:core'),
    'packages/core/src/index.ts': "export const x = 1;\n",
    'packages/driver-reference/package.json': pkg('@ltssl/driver-reference', 'layer:driver', { '@ltssl/core': '0' }, { '@ltssl/conformance': '0' }),
    'packages/driver-reference/src/index.ts': "import { x } from '@ltssl/core';\nexport const y = x;\n",
    'packages/conformance/package.json': pkg('@ltssl/conformance', 'layer:conformance', { '@ltssl/core': '0', '@ltssl/driver-reference': '0' }),
    'packages/conformance/src/index.ts': "import '@ltssl/core';\nimport '@ltssl/driver-reference';\n",
    'packages/driver-reference/src/driver.test.ts': "import '@ltssl/conformance';\n",
    ...extra,
  });
}

describe('import rules', () => {
  it('hold in this repository', () => {
    expect(checkImports(repoRoot)).toEqual([]);
  });

  it('hold in the clean planted workspace (the fixture itself is legal)', () => {
    expect(checkImports(base())).toEqual([]);
  });

  it('fail on a planted violation: core importing a driver', () => {
    const root = base({ 'packages/core/src/bad.ts': "import { y } from '@ltssl/driver-reference';\nexport const z = y;\n" });
    expect(checkImports(root)).toContainEqual({
      file: 'packages/core/src/bad.ts',
      message: "imports '@ltssl/driver-reference' (layer:driver); layer:core may import only layer:core (its tests also layer:testing)",
    });
  });

  it('fail when a driver imports conformance outside its tests, or another driver', () => {
    const root = base({
      'packages/driver-reference/src/lib.ts': "import '@ltssl/conformance';\n",
      'packages/driver-onnx/package.json': pkg('@ltssl/driver-onnx', 'layer:driver', { '@ltssl/driver-reference': '0' }),
      'packages/driver-onnx/src/index.ts': "import '@ltssl/driver-reference';\n",
    });
    const messages = checkImports(root).map((v) => `${v.file}: ${v.message}`);
    expect(messages).toContain("packages/driver-reference/src/lib.ts: imports '@ltssl/conformance' (layer:conformance); layer:driver may import only layer:core (its tests also layer:conformance, layer:testing)");
    expect(messages).toContain("packages/driver-onnx/src/index.ts: imports '@ltssl/driver-reference' (layer:driver); layer:driver may import only layer:core (its tests also layer:conformance, layer:testing)");
    expect(messages).toContain("packages/driver-onnx/package.json: declares dependency '@ltssl/driver-reference' (layer:driver); layer:driver may import only layer:core (its tests also layer:conformance, layer:testing)");
  });

  it('fail when core imports an engine, reaches into another package, or imports an undeclared package', () => {
    const root = base({
      'packages/core/src/engine.ts': "import * as ort from 'onnxruntime-node';\nexport { ort };\n",
      'packages/core/src/reach.ts': "export * from '../../driver-reference/src/index.js';\n",
      'packages/conformance/src/lazy.ts': "export const load = () => import('@ltssl/core/golden');\n",
      'packages/experiments/package.json': pkg('@ltssl/experiments', 'layer:experiments'),
      'packages/experiments/src/index.ts': "import '@ltssl/core';\n",
    });
    const messages = checkImports(root).map((v) => `${v.file}: ${v.message}`);
    expect(messages).toContain("packages/core/src/engine.ts: imports the tensor engine 'onnxruntime-node'; only drivers touch engines (layer:core must stay engine-free)");
    expect(messages).toContain("packages/core/src/reach.ts: imports '../../driver-reference/src/index.js', outside its package @ltssl/core; import the other package by name");
    expect(messages).toContain("packages/experiments/src/index.ts: imports '@ltssl/core', which @ltssl/experiments's package.json does not declare as a dependency or peerDependency");
    expect(messages.some((m) => m.startsWith('packages/conformance/src/lazy.ts'))).toBe(false);
  });

  it('fail on a package without a layer tag', () => {
    const root = base({ 'packages/stray/package.json': { name: '@ltssl/stray' } });
    expect(checkImports(root)[0]!.message).toMatch(/^@ltssl\/stray needs exactly one known layer tag/);
  });
});
