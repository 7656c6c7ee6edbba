import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of executable `name` on PATH, or undefined when no folder of PATH holds one (what a shell's `command -v` finds). */
export function findExecutable(name: string, path: string = process.env['PATH'] ?? ''): string | undefined {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const file = join(folder, name);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here, or not executable: the next folder
    }
  }
  return undefined;
}
