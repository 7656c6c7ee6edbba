import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ENGINE_PACKAGES, LAYER_RULES, type LayerRule } from './rules.js';
import { sourceFiles, workspacePackages, type WorkspacePackage } from './workspace.js';

export interface Violation {
  /** Path relative to the workspace root. */
  readonly file: string;
  readonly message: string;
}

/** 'pkg' or '@scope/pkg' from an import specifier. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function layerOf(pkg: WorkspacePackage): string | undefined {
  const layers = pkg.tags.filter((t) => t.startsWith('layer:'));
  return layers.length === 1 ? layers[0] : undefined;
}

function allowed(rule: LayerRule, target: WorkspacePackage, targetLayer: string, isTest: boolean): boolean {
  if (rule.may === '*') return true;
  if (rule.may.includes(targetLayer) || rule.packages?.includes(target.name)) return true;
  return isTest && (rule.testsMay?.includes(targetLayer) ?? false);
}

function describeRule(layer: string, rule: LayerRule): string {
  const may = rule.may === '*' ? ['anything'] : [...rule.may, ...(rule.packages ?? [])];
  const tests = rule.testsMay?.length ? ` (its tests also ${rule.testsMay.join(', ')})` : '';
  return `${layer} may import only ${may.join(', ')}${tests}`;
}

/**
 * Every import in every workspace package, checked against LAYER_RULES: the
 * target's layer, engines outside drivers, relative imports that leave the
 * package, and @ltssl imports missing from package.json. Also checks the
 * declared @ltssl dependencies themselves, so a forbidden edge cannot hide in
 * package.json until someone imports it.
 */
export function checkImports(root: string): Violation[] {
  const packages = workspacePackages(root);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const violations: Violation[] = [];

  for (const pkg of packages) {
    const layer = layerOf(pkg);
    const rule = layer === undefined ? undefined : LAYER_RULES[layer];
    const pkgFile = relative(root, resolve(pkg.dir, 'package.json'));
    if (!layer || !rule) {
      violations.push({ file: pkgFile, message: `${pkg.name} needs exactly one known layer tag in nx.tags (${Object.keys(LAYER_RULES).join(', ')}), has ${JSON.stringify(pkg.tags)}` });
      continue;
    }
    for (const [kind, names] of [['dependency', pkg.declared.runtime], ['devDependency', pkg.declared.dev]] as const) {
      for (const name of names) {
        const target = byName.get(name);
        const targetLayer = target && layerOf(target);
        if (target && targetLayer && !allowed(rule, target, targetLayer, kind === 'devDependency')) {
          violations.push({ file: pkgFile, message: `declares ${kind} '${name}' (${targetLayer}); ${describeRule(layer, rule)}` });
        }
      }
    }

    for (const file of sourceFiles(pkg.dir)) {
      const rel = relative(root, file);
      const isTest = rule.testsOnly === true || /\.test\.[cm]?[jt]s$/.test(file);
      // Tool configs at a package's root (vitest.config.ts) may share the workspace's config file.
      const isToolConfig = dirname(file) === pkg.dir && /\.config\.[cm]?[jt]s$/.test(file);
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName: specifier } of importedFiles) {
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          if (!isToolConfig && target !== pkg.dir && !target.startsWith(pkg.dir + sep)) {
            violations.push({ file: rel, message: `imports '${specifier}', outside its package ${pkg.name}; import the other package by name` });
          }
          continue;
        }
        if (specifier.startsWith('node:')) continue;
        const name = packageOf(specifier);
        const target = byName.get(name);
        if (target) {
          if (target === pkg) continue;
          const targetLayer = layerOf(target) ?? '(untagged)';
          if (!allowed(rule, target, targetLayer, isTest)) {
            violations.push({ file: rel, message: `imports '${specifier}' (${targetLayer}); ${describeRule(layer, rule)}` });
          }
          if (!pkg.declared.runtime.includes(name) && !(isTest && pkg.declared.dev.includes(name))) {
            violations.push({ file: rel, message: `imports '${name}', which ${pkg.name}'s package.json does not declare${isTest ? '' : ' as a dependency or peerDependency'}` });
          }
        } else if (ENGINE_PACKAGES.some((re) => re.test(name)) && !rule.engines) {
          violations.push({ file: rel, message: `imports the tensor engine '${name}'; only drivers touch engines (${layer} must stay engine-free)` });
        }
      }
    }
  }
  return violations;
}
