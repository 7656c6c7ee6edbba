import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface WorkspacePackage {
  readonly name: string;
  /** Absolute directory. */
  readonly dir: string;
  readonly tags: readonly string[];
  /** @ltssl packages it declares, by dependency kind. */
  readonly declared: { readonly runtime: readonly string[]; readonly dev: readonly string[] };
}

interface PackageJson {
  name?: string;
  workspaces?: string[];
  nx?: { tags?: string[] };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;

/** The workspace packages of the root package.json ('dir' and 'dir/*' patterns). */
export function workspacePackages(root: string): WorkspacePackage[] {
  const patterns = readJson(join(root, 'package.json')).workspaces ?? [];
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent).map((d) => join(parent, d)).filter((d) => statSync(d).isDirectory()) : [];
  });
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => {
      const pkg = readJson(join(dir, 'package.json'));
      const ltssl = (deps?: Record<string, string>): string[] => Object.keys(deps ?? {}).filter((d) => d.startsWith('@ltssl/'));
      return {
        name: pkg.name ?? relative(root, dir),
        dir,
        tags: pkg.nx?.tags ?? [],
        declared: { runtime: [...ltssl(pkg.dependencies), ...ltssl(pkg.peerDependencies)], dev: ltssl(pkg.devDependencies) },
      };
    });
}

/** Source files of a package (TypeScript and JavaScript), skipping build output. */
export function sourceFiles(dir: string): string[] {
  const skip = new Set(['node_modules', 'dist', 'out-tsc', 'coverage']);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) walk(join(d, entry.name));
      } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(join(d, entry.name));
      }
    }
  };
  walk(dir);
  return files.sort();
}
