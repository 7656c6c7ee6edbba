/**
 * ONNX Runtime execution providers this driver can run on, and how each was
 * verified: the one place that is said (`ltssl drivers` prints it, and
 * docs/drivers/onnx.md's table is checked against it). Paths that could not
 * run on the machines this project is built on are marked untested.
 */
export type ProviderName = 'cpu' | 'cuda' | 'webgpu';

export interface ProviderInfo {
  readonly name: ProviderName;
  /** The --backend name of the driver using it. */
  readonly backend: string;
  readonly kind: 'cpu' | 'gpu';
  /** How the project has exercised it (the registration's `verified`). */
  readonly status: string;
  /** What to do when it cannot start. */
  readonly remedy: string;
}

export const PROVIDERS: Readonly<Record<ProviderName, ProviderInfo>> = {
  cpu: {
    name: 'cpu',
    backend: 'onnx',
    kind: 'cpu',
    status: 'tested: the full conformance suite runs on it in CI',
    remedy: 'reinstall onnxruntime-node',
  },
  cuda: {
    name: 'cuda',
    backend: 'onnx-cuda',
    kind: 'gpu',
    status: 'untested: no CUDA machine was available to this project',
    remedy: "install the CUDA provider as onnxruntime-node documents (ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node) on a machine with an NVIDIA driver and CUDA 12",
  },
  webgpu: {
    name: 'webgpu',
    backend: 'onnx-webgpu',
    kind: 'gpu',
    status: 'untested on hardware: tools/gpu-check.sh runs its conformance, bench rows and a study on a GPU machine, not yet run there; in CI its conformance suite runs on Mesa 25 lavapipe, a software adapter',
    remedy: 'install a Vulkan driver for your GPU (on a CPU-only Debian 12 machine, Mesa 25 lavapipe from bookworm-backports)',
  },
};
