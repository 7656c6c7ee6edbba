import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ContainerModule } from 'inversify';
import { UsageError } from './io.js';

/** A ContainerModule from any copy of inversify: recognised by shape, not by class. */
function isContainerModule(value: unknown): value is ContainerModule {
  return typeof value === 'object' && value !== null && typeof (value as { load?: unknown }).load === 'function' && typeof (value as { id?: unknown }).id === 'number';
}

async function importSpecifier(specifier: string, cwd: string): Promise<Record<string, unknown>> {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    return (await import(pathToFileURL(resolve(cwd, specifier)).href)) as Record<string, unknown>;
  }
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // Not next to the CLI: try the user's project, where `npm install PACKAGE` put it.
    const path = createRequire(resolve(cwd, 'package.json')).resolve(specifier);
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  }
}

/**
 * Loads `--driver-module SPECIFIER`: a package name or a path to a module whose
 * default export (or only ContainerModule export) binds a DriverRegistration.
 */
export async function loadDriverModule(specifier: string, cwd = process.cwd()): Promise<ContainerModule> {
  let namespace: Record<string, unknown>;
  try {
    namespace = await importSpecifier(specifier, cwd);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`--driver-module '${specifier}' could not be loaded: ${reason}`);
  }
  if (isContainerModule(namespace.default)) return namespace.default;
  const modules = Object.values(namespace).filter(isContainerModule);
  if (modules.length === 1) return modules[0]!;
  throw new UsageError(
    `--driver-module '${specifier}' must export an inversify ContainerModule (as its default export)` +
      (modules.length > 1 ? `; it exports ${modules.length} and none is the default` : '; it exports none'),
  );
}
