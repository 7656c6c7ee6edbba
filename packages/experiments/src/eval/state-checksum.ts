import { createHash } from 'node:crypto';
import type { Executable } from '@ltssl/core';

/**
 * A SHA-256 over the names, shapes and bytes of the slots whose names start
 * with `prefix`: the encoder must hash the same before and after a probe
 * (moco's main_lincls.py asserts the same of its backbone).
 */
export async function stateChecksum(executable: Executable, prefix: string): Promise<string> {
  const names = executable.program.state.map((s) => s.name).filter((n) => n.startsWith(prefix)).sort();
  const state = await executable.readState(names);
  const hash = createHash('sha256');
  for (const name of names) {
    const t = state[name]!;
    hash.update(`${name}:${t.dtype}[${t.shape.join(',')}]`);
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest('hex');
}
