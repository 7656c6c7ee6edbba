/**
 * Dawn backends this driver tries, in order, and how each is asked for. Vulkan
 * is how Linux exposes GPUs (NVIDIA, AMD, Intel) and, with Mesa 25 or newer,
 * the lavapipe software rasterizer; Dawn's OpenGL backend runs where Vulkan
 * cannot, notably on Mesa's llvmpipe through headless EGL, but only in WebGPU's
 * compatibility mode.
 */
export type DawnBackend = 'vulkan' | 'opengl';

export interface BackendRequest {
  readonly backend: DawnBackend;
  /** Options for the `webgpu` package's create(). */
  readonly createOptions: readonly string[];
  /** WebGPU feature level: 'core', or 'compatibility' where the backend offers only that (OpenGL). */
  readonly featureLevel: 'core' | 'compatibility';
}

export const BACKEND_REQUESTS: Readonly<Record<DawnBackend, BackendRequest>> = {
  vulkan: { backend: 'vulkan', createOptions: ['backend=vulkan'], featureLevel: 'core' },
  opengl: { backend: 'opengl', createOptions: ['backend=opengl'], featureLevel: 'compatibility' },
};

export const DEFAULT_BACKENDS: readonly DawnBackend[] = ['vulkan', 'opengl'];

export function isDawnBackend(name: string): name is DawnBackend {
  return Object.hasOwn(BACKEND_REQUESTS, name);
}

/**
 * Environment for Dawn's OpenGL backend with no display: EGL's surfaceless
 * platform (Mesa). Set only when the caller has not chosen a platform.
 */
export function eglEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return env['EGL_PLATFORM'] ? {} : { EGL_PLATFORM: 'surfaceless' };
}
