/**
 * Which layer may import which: DESIGN.md's arrows, enforced by
 * check-imports.ts on the `layer:*` Nx tag in each package.json.
 * Arrows point down only: cli -> experiments -> core <- drivers.
 */
export interface LayerRule {
  /** Layers its source may import; '*' for any. */
  readonly may: readonly string[] | '*';
  /** Extra layers its *.test.ts files may import. */
  readonly testsMay?: readonly string[];
  /** Extra packages, by name, it may import. */
  readonly packages?: readonly string[];
  /** It may import tensor engines (onnxruntime, TensorFlow.js, webgpu). */
  readonly engines?: boolean;
  /** Every file of the package is test code (its helpers too), so devDependencies count. */
  readonly testsOnly?: boolean;
}

export const LAYER_RULES: Readonly<Record<string, LayerRule>> = {
  'layer:core': { may: ['layer:core'], testsMay: ['layer:testing'] },
  'layer:driver': { may: ['layer:core'], testsMay: ['layer:conformance', 'layer:testing'], engines: true },
  'layer:conformance': { may: ['layer:core'], packages: ['@ltssl/driver-reference'], testsMay: ['layer:testing'] },
  'layer:experiments': { may: ['layer:core'], testsMay: ['layer:testing'] },
  'layer:cli': { may: '*', engines: true },
  'layer:e2e': { may: '*', engines: true, testsOnly: true },
  // Test helpers (which system packages a test needs): imports nothing of ltssl, and only tests import it.
  'layer:testing': { may: [] },
};

/** Tensor engines: only drivers (and the CLI and tests that compose them) touch these. */
export const ENGINE_PACKAGES: readonly RegExp[] = [/^onnxruntime(-node|-web|-common)?$/, /^@tensorflow\//, /^webgpu$/, /^onnx-proto$/];
