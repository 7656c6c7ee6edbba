/**
 * How this project exercised each kind of adapter, shown by `ltssl drivers`
 * and recorded with results. Paths that no machine of the project could run
 * are marked untested.
 */
export const ADAPTER_STATUS = {
  software: 'tested: the conformance suite runs on Mesa llvmpipe (Dawn OpenGL, compatibility mode) in CI',
  hardware: 'untested on hardware: no GPU machine was available to this project (tools/gpu-check.sh is prepared)',
} as const;
