/** What an adapter says about itself (GPUAdapterInfo's strings). */
export interface AdapterIdentity {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter?: boolean;
}

// Mesa's llvmpipe (OpenGL) and lavapipe (Vulkan), SwiftShader, Windows' WARP.
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software rasterizer|microsoft basic render/i;

/**
 * True for a rasterizer running on the CPU. GPUAdapterInfo has no adapter type
 * in Dawn's Node bindings, so the names decide, plus the fallback flag.
 */
export function isSoftwareAdapter(a: AdapterIdentity): boolean {
  return a.isFallbackAdapter === true || SOFTWARE.test(`${a.vendor} ${a.architecture} ${a.device} ${a.description}`);
}

/** One line naming an adapter: its device string and the driver's description. */
export function describeAdapter(a: AdapterIdentity): string {
  const name = [a.vendor, a.architecture, a.device].filter((s) => s.length > 0).join(' ').replace(/-+$/, '');
  return a.description && a.description !== name ? `${name || 'unnamed adapter'} (${a.description})` : name || 'unnamed adapter';
}
