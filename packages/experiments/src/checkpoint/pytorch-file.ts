/**
 * torch.save's two formats, told apart from safetensors by their first bytes:
 * a zip archive (PyTorch 1.6 on: 'PK\x03\x04') or a bare pickle (the legacy
 * format and pickle.dump: the PROTO opcode 0x80, then protocol 2 to 5).
 */
export function pytorchFileKind(first: Uint8Array): 'zip archive' | 'pickle' | undefined {
  if (first[0] === 0x50 && first[1] === 0x4b && first[2] === 0x03 && first[3] === 0x04) return 'zip archive';
  if (first[0] === 0x80 && first[1] !== undefined && first[1] >= 2 && first[1] <= 5) return 'pickle';
  return undefined;
}

/** The command that converts a .pth state_dict to safetensors (tools/torch/pth_to_safetensors.py, with Debian's PyTorch). */
export const PTH_CONVERT_COMMAND = '/usr/bin/python3 tools/torch/pth_to_safetensors.py FILE.pth FILE.safetensors';

/** What to tell the user who gave a .pth file where a safetensors file was expected. */
export function pytorchFileMessage(kind: 'zip archive' | 'pickle'): string {
  return (
    `this is a PyTorch .pth file (a ${kind} written by torch.save), not safetensors: convert it with '${PTH_CONVERT_COMMAND}' ` +
    "(in the ltssl repository; it loads with torch.load(weights_only=True), so no code in the file runs), then give the .safetensors file"
  );
}
