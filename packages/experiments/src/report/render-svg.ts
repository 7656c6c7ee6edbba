import type { TopLevelSpec } from 'vega-lite';
import { useFigureTextMetrics } from './figure-text-metrics.js';

/** An SVG and what vega-lite and vega said while making it (a warning means a spec bug; tests check for none). */
export interface RenderedSvg {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/**
 * vega-lite spec -> vega spec -> SVG text, headless: `renderer: 'none'` builds
 * the scenegraph without a canvas or a DOM, and text is measured with the
 * metrics of the font the PNG is drawn with (figure-text-metrics.ts), so this
 * runs in plain Node. vega and vega-lite are loaded on first use, not at
 * import, because the CLI imports this package for every command and only
 * `ltssl report` draws.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<RenderedSvg> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  useFigureTextMetrics(vega);
  const warnings: string[] = [];
  const text = (args: readonly unknown[]): string => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  // A logger that collects instead of printing: the report must not write to the CLI's stdout.
  const logger = {
    level: (): number => vega.Warn,
    error: (...args: unknown[]) => {
      throw new Error(`vega: ${text(args)}`);
    },
    warn: (...args: unknown[]) => void warnings.push(text(args)),
    info: () => undefined,
    debug: () => undefined,
  };
  const compiled = vegaLite.compile(spec, { logger: logger as never });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger: logger as never });
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}
