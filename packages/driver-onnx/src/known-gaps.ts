/**
 * Conformance checks this driver is known to fail, one reason each (check-id
 * prefix -> reason). Empty: every check passes on the CPU provider.
 */
export const ONNX_KNOWN_GAPS: Readonly<Record<string, string>> = {};
