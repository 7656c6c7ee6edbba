/**
 * Conformance checks this driver is known to fail, one reason each (check-id
 * prefix -> reason). Empty: every check passes on Mesa llvmpipe (Dawn's OpenGL
 * backend), as CI runs it.
 */
export const WEBGPU_KNOWN_GAPS: Readonly<Record<string, string>> = {};
