import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FIGURE_FONT } from './figures/figure-style.js';

/**
 * The font files the PNG renderer draws text with: DejaVu Sans (regular and
 * bold) from the npm package dejavu-fonts-ttf, under the Bitstream Vera /
 * DejaVu licence kept in that package (node_modules/dejavu-fonts-ttf/LICENSE).
 * resvg draws no text without fonts, and system fonts differ between
 * machines; these files make every PNG the same everywhere.
 */
export interface ReportFonts {
  readonly family: string;
  readonly files: readonly string[];
}

export function reportFonts(): ReportFonts {
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
  } catch (error) {
    throw new Error(`the report's font package dejavu-fonts-ttf is not installed (${(error as Error).message}); run 'npm ci' in the ltssl checkout`, { cause: error });
  }
  const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(root, 'ttf', f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`font file ${missing.join(', ')} is missing from dejavu-fonts-ttf; reinstall it with 'npm ci'`);
  return { family: FIGURE_FONT, files };
}
