import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Vitest settings every project shares: workspace packages resolve to their
 * TypeScript sources (the '@ltssl/source' export condition), and each project
 * writes a JSON report that tools/run-tests.mjs sums into one line.
 */
export function projectConfig(name: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  const reportName = name.replace(/^@/, '').replace(/\//g, '-');
  return defineConfig({
    resolve: { conditions: ['@ltssl/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@ltssl/source', 'module', 'node', 'import', 'default'], externalConditions: ['@ltssl/source'] } },
    test: {
      name,
      environment: 'node',
      // The suite shares 2 cores with Nx running every project at once: a
      // 5 s default limit failed a correct toy test under that load (CI,
      // stop 22). A test never asserts on time; the limit only catches a
      // hang, so it is generous.
      testTimeout: 120_000,
      hookTimeout: 120_000,
      include: ['src/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: `${import.meta.dirname}/reports/vitest/${reportName}.json` }]],
      ...overrides,
    },
  });
}
