/**
 * Conformance checks this driver is known to fail, one reason each (check-id
 * prefix -> reason). Empty: every check passes on the wasm engine.
 */
export const TFJS_KNOWN_GAPS: Readonly<Record<string, string>> = {};
