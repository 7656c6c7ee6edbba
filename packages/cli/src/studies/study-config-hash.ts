import { configHash, subsetFileDigests, type SubsetFileSpec } from '@ltssl/experiments';

/**
 * The hash a study folder is keyed by: its configuration and, when it names
 * subset files, their bytes. A path alone would let an edited file resume
 * against cells drawn from the old one. A configuration without subset files
 * hashes as it always has, so existing folders keep resuming.
 */
export async function studyConfigHash(config: unknown): Promise<string> {
  const spec = (config as { readonly subsetFile?: SubsetFileSpec } | null)?.subsetFile;
  if (spec === undefined) return configHash(config);
  return configHash({ config, subsetFiles: await subsetFileDigests(spec) });
}
