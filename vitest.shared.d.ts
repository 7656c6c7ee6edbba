import { type ViteUserConfig } from 'vitest/config';
/**
 * Vitest settings every project shares: workspace packages resolve to their
 * TypeScript sources (the '@ltssl/source' export condition), and each project
 * writes a JSON report that tools/run-tests.mjs sums into one line.
 */
export declare function projectConfig(name: string, overrides?: ViteUserConfig['test']): ViteUserConfig;
//# sourceMappingURL=vitest.shared.d.ts.map