import { createRequire } from 'node:module';

/**
 * The versions of what drew the figures, named in the report: the pixels of a
 * PNG depend on them, so a changed figure can be traced to an upgrade.
 */
export async function rendererVersions(): Promise<Record<string, string>> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  // vega and vega-lite export their version; resvg-js and the font package have no "exports" map, so their package.json can be required.
  const require = createRequire(import.meta.url);
  const versionOf = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;
  return { vega: vega.version, 'vega-lite': vegaLite.version, '@resvg/resvg-js': versionOf('@resvg/resvg-js'), 'dejavu-fonts-ttf': versionOf('dejavu-fonts-ttf') };
}
