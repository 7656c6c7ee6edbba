#!/usr/bin/env bash
# ltssl on a GPU machine that has no Node.js, no npm and no network, in one prepared run:
#   GPU and Vulkan info; unpack the pack (Node.js, the whole `ltssl` CLI, its native modules);
#   Dawn's adapters (stops, exit 3, naming why, when there is no hardware Vulkan adapter);
#   drivers      `ltssl drivers`
#   conformance  `ltssl conformance` on webgpu-gpu and onnx-webgpu (and the step drift when webgpu fails)
#   bench        tools/bench/train-step.mjs: small CNN and ResNet-18 steps on webgpu-gpu, onnx-webgpu
#                and PyTorch CUDA with TF32 off, in the same run (PyTorch where a python3 has torch),
#                and the 4096^3 matmul
#   run          `ltssl run imbalance` with a GPU-sized configuration (SimCLR, ResNet-18, the embedded
#                Fashion-MNIST at r = 1 and r = 0.004: two cells, MNIST out of domain) on the faster GPU
#                backend that passed conformance, then `ltssl report` of it
#   train        (off by default) `ltssl train`: SimCLR, small CNN width 32, 10 epochs, a kNN monitor per epoch
# Logs (one per step), train-step.json, the study (cells, results.sqlite, results.csv, report/) and
# summary.txt (each step's exit status and seconds) go to $OUT (or /tmp/ltssl-gpu-check/out).
#
# Needs tools/gpu-check/pack/, made by `node tools/gpu-pack.mjs` on a machine with npm and apt.
#   GPU_CHECK_SOFTWARE=1        accept a software adapter, to test this script without a GPU: the same
#                               steps on webgpu (llvmpipe) and onnx-webgpu (lavapipe), smallest settings
#   GPU_CHECK_STEPS="a b"       the steps to run (default: drivers conformance bench run); "tune" (not in
#                               the default: it needs its own device call, up to 8 minutes) sweeps
#                               driver-webgpu's conv tile table on the step's layers (tune-webgpu.mjs)
#   GPU_CHECK_BENCH=0           leave the bench out; GPU_CHECK_RUN=0 the study; GPU_CHECK_TRAIN=1 adds train
#   GPU_CHECK_RUN_BACKEND=NAME  the study's backend (default: the faster in the bench of those that passed)
#   GPU_CHECK_RUN_EPOCHS=N      the study's pre-training epochs (default 10; 1 in software mode)
#   GPU_CHECK_DEADLINE_S=S      every step ends within S s of the start (default 540; 1200 in software mode)
# Exit codes: 0 every step passed; 1 a step failed (see summary.txt); 3 no GPU adapter; 4 no pack;
# 5 no way to decompress (no xz, and the packed one does not run).
set -uo pipefail
cd "$(dirname "$0")/.."
TREE="$PWD"
PACK="$TREE/tools/gpu-check/pack"
WORK="${TMPDIR:-/tmp}/ltssl-gpu-check"
OUT_DIR="${OUT:-$WORK/out}"
SOFTWARE="${GPU_CHECK_SOFTWARE:-0}"
STEPS=" ${GPU_CHECK_STEPS:-drivers conformance bench run} "
[ "${GPU_CHECK_BENCH:-1}" = 0 ] && STEPS="${STEPS/ bench / }"
[ "${GPU_CHECK_RUN:-1}" = 0 ] && STEPS="${STEPS/ run / }"
[ "${GPU_CHECK_TRAIN:-0}" = 1 ] && STEPS="$STEPS train "
wants() { [[ "$STEPS" == *" $1 "* ]]; }
[ -d "$PACK" ] || { echo "gpu-check: NO PACK: $PACK is missing; run 'node tools/gpu-pack.mjs' where npm works and carry tools/gpu-check/pack"; exit 4; }
rm -rf "$WORK" && mkdir -p "$WORK" "$OUT_DIR"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
STARTED=$(now_ms)
# Every step ends by the deadline, so the summary is written before a device call's own limit (600 s) ends it.
DEADLINE=$(( STARTED + 1000 * ${GPU_CHECK_DEADLINE_S:-$([ "$SOFTWARE" = 1 ] && echo 1200 || echo 540)} ))
SUMMARY=()
FAILED=0
# step NAME LIMIT_S COMMAND...: the command under a time limit (and the deadline), its output to the screen and
# $OUT_DIR/NAME.txt; its exit status and seconds go to the summary. Returns the command's status (124: past its limit).
step() {
  local name=$1 limit=$2 start rc left
  shift 2
  left=$(( (DEADLINE - $(now_ms)) / 1000 ))
  if [ "$left" -lt 15 ]; then
    echo "== $name: skipped, the deadline (GPU_CHECK_DEADLINE_S) is ${left} s away"
    FAILED=1
    SUMMARY+=("$(printf '%-28s %-9s' "$name" 'SKIPPED (deadline)')")
    return 124
  fi
  [ "$SOFTWARE" = 1 ] && limit=$(( 2 * limit ))  # a software adapter on a few cores is slower than any GPU
  [ "$left" -lt "$limit" ] && limit=$left
  echo "== $name"
  start=$(now_ms)
  # Dawn's OpenGL backend prints two harmless warnings per device ('artificially reduced'): dropped.
  timeout --kill-after=10 "$limit" "$@" 2>&1 | grep --line-buffered -v 'artificially reduced' | tee "$OUT_DIR/$name.txt"
  rc=${PIPESTATUS[0]}
  [ "$rc" = 124 ] && echo "gpu-check: $name stopped at its ${limit} s limit"
  [ "$rc" = 0 ] || FAILED=1
  SUMMARY+=("$(printf '%-28s %-9s %7s s' "$name" "$([ "$rc" = 0 ] && echo ok || echo "FAILED $rc")" "$(awk -v ms=$(( $(now_ms) - start )) 'BEGIN { printf "%.1f", ms / 1000 }')")")
  return "$rc"
}
finish() {
  { echo "== summary ($(awk -v ms=$(( $(now_ms) - STARTED )) 'BEGIN { printf "%.1f", ms / 1000 }') s in all; steps:$STEPS)"; printf '%s\n' "${SUMMARY[@]}"; } | tee "$OUT_DIR/summary.txt"
  exit "$1"
}

echo "== GPU"
if command -v nvidia-smi > /dev/null; then nvidia-smi 2>&1 | tee "$OUT_DIR/nvidia-smi.txt"; else echo "nvidia-smi: not found"; fi

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

echo "== unpack"
unpack_start=$(now_ms)
# xz: the system's, else the one the pack carries (built for glibc 2.34, as dawn.node needs anyway).
XZ=(xz)
if ! command -v xz > /dev/null; then
  cp -r "$PACK/xz" "$WORK/xz" && chmod +x "$WORK/xz/xz"  # carried files may lose their modes
  XZ=(env "LD_LIBRARY_PATH=$WORK/xz${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$WORK/xz/xz")
  "${XZ[@]}" --version > /dev/null 2>&1 || { echo "gpu-check: no xz here and the packed one does not run ($("${XZ[@]}" --version 2>&1 | head -1)); install xz-utils"; exit 5; }
  echo "no system xz: using the packed $("${XZ[@]}" --version | head -1)"
fi
# The pack's node/ and app/ outside the tree (the copy may be read-only); every FILE.xz back to FILE.
cp -r "$PACK/node" "$PACK/app" "$WORK/" && chmod -R u+w "$WORK"
find "$WORK" -name '*.xz' -print0 | xargs -0 -r -n 1 -P "$(nproc)" "${XZ[@]}" -d
# The embedded dataset comes from the tree itself (the pack would carry it twice): the bundles read it as
# app/datasets/fashion-mnist, as experiments/src/data/datasets.ts does from its package.
cp -r "$TREE/packages/experiments/datasets" "$WORK/app/"
NODE="$WORK/node/bin/node"
chmod +x "$NODE"
APP="$WORK/app/cli/dist"
LTSSL=("$NODE" "$APP/ltssl.mjs")
echo "node $("$NODE" --version); $(tr '\n' ';' < "$PACK/VERSIONS")"
echo "unpacked in $(awk -v ms=$(( $(now_ms) - unpack_start )) 'BEGIN { printf "%.1f", ms / 1000 }') s"

echo "== Vulkan loader"
# The system's when it is 1.3.234 or newer (VK_LOADER_DRIVERS_DISABLE, which the ONNX driver needs to tell
# a GPU from a software adapter), else Debian 12's from the pack.
system_loader=$(ldconfig -p 2>/dev/null | awk '/libvulkan\.so\.1 / { print $NF; exit }')
loader_version=$([ -n "$system_loader" ] && readlink -f "$system_loader" | sed -n 's/.*libvulkan\.so\.\([0-9.]*\)$/\1/p')
if [ -n "$system_loader" ] && { [ -z "$loader_version" ] || [ "$(printf '%s\n' 1.3.234 "$loader_version" | sort -V | head -1)" = 1.3.234 ]; }; then
  echo "system libvulkan.so.1: $system_loader (${loader_version:-version not in its name})"
else
  mkdir -p "$WORK/vulkan"
  if command -v dpkg-deb > /dev/null; then dpkg-deb -x "$PACK/libvulkan1.deb" "$WORK/vulkan"
  else (cd "$WORK/vulkan" && ar x "$PACK/libvulkan1.deb" && tar xf data.tar.*); fi
  export LD_LIBRARY_PATH="$WORK/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "using the packed loader ($(grep libvulkan "$PACK/VERSIONS")): the system has ${system_loader:+only }${system_loader:-none}${loader_version:+ $loader_version}"
fi

adapters() { step adapters 60 "$NODE" "$APP/gpu-check.mjs" adapters $([ "$SOFTWARE" = 1 ] || echo --require-gpu); }
adapters; found=$?
# NVIDIA's stock ICD names libGLX_nvidia.so.0, which needs an X server: in a headless container its
# vk_icdGetInstanceProcAddr returns no vkCreateInstance and the loader finds no driver. The same driver
# answers through libEGL_nvidia.so.0 without a display, so retry with an ICD file naming that library
# (exported: ONNX Runtime's own Dawn, in the drivers' child processes, reads it too).
if [ "$found" = 3 ] && ldconfig -p 2>/dev/null | grep 'libEGL_nvidia.so.0 ' > /dev/null; then  # not grep -q: under pipefail its early exit fails ldconfig
  printf '{"file_format_version":"1.0.1","ICD":{"library_path":"libEGL_nvidia.so.0","api_version":"1.3.0"}}\n' > "$WORK/nvidia_egl_icd.json"
  export VK_DRIVER_FILES="$WORK/nvidia_egl_icd.json" VK_ICD_FILENAMES="$WORK/nvidia_egl_icd.json"
  echo "no adapter through the system ICD files; retrying with NVIDIA's headless (EGL) Vulkan ICD: $WORK/nvidia_egl_icd.json"
  SUMMARY=()
  FAILED=0
  adapters; found=$?
fi
if [ "$found" = 3 ]; then
  echo "gpu-check: stopped: Dawn finds no hardware Vulkan adapter (reasons above); nothing was run on a GPU"
  finish 3
fi

if [ "$SOFTWARE" = 1 ]; then BACKENDS=(webgpu onnx-webgpu); else BACKENDS=(webgpu-gpu onnx-webgpu); fi
wants drivers && step drivers 90 "${LTSSL[@]}" drivers

# Backends whose conformance passed (all of them when conformance is not among the steps).
PASSED=()
if wants conformance; then
  for backend in "${BACKENDS[@]}"; do
    if step "conformance-$backend" 180 "${LTSSL[@]}" --backend "$backend" conformance; then PASSED+=("$backend")
    elif [ "${backend#webgpu}" != "$backend" ] && grep -q '^FAIL step/' "$OUT_DIR/conformance-$backend.txt"; then
      # Is a failing step check the driver, or the problem's sensitivity?
      step "drift-$backend" 120 "$NODE" "$APP/gpu-check.mjs" drift --backend "$backend"
    fi
  done
else
  PASSED=("${BACKENDS[@]}")
fi

if wants tune; then
  step tune 480 "$NODE" "$APP/tune-webgpu.mjs" --out "$OUT_DIR/tune" $([ "$SOFTWARE" = 1 ] && echo --quick --batch 2 --budget-s 240)
fi

if wants bench; then
  # The first python3 that has torch: PATH's, then the usual places.
  PYTHON=""
  for candidate in "$(command -v python3)" /usr/bin/python3 /usr/local/bin/python3 /opt/conda/bin/python3; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import torch' > /dev/null 2>&1 && { PYTHON="$candidate"; break; }
  done
  torch=(--torch none)
  if [ -z "$PYTHON" ]; then echo "PyTorch: no python3 here has torch (tried PATH's python3, /usr/bin, /usr/local/bin, /opt/conda/bin): the bench has no PyTorch rows"
  elif [ "$SOFTWARE" = 1 ]; then torch=(--torch cpu --python "$PYTHON")
  else torch=(--torch cuda --python "$PYTHON"); fi
  drivers=$(IFS=,; echo "${BACKENDS[*]}" | sed 's/webgpu-gpu/webgpu/')  # the bench's webgpu takes a GPU first
  bench=(--drivers "$drivers" --threads 1 "${torch[@]}")
  [ "$SOFTWARE" = 1 ] && bench=(--drivers "$drivers" --threads 2 "${torch[@]}" --models small-cnn --quick)
  step bench 240 "$NODE" "$APP/train-step.mjs" "${bench[@]}"
  cp "$WORK/app/reports/bench/train-step.json" "$OUT_DIR/" 2> /dev/null
fi

# The study's backend: named, else the faster (in the bench's largest model) of those that passed.
run_backend="${GPU_CHECK_RUN_BACKEND:-}"
if [ -z "$run_backend" ] && [ "${#PASSED[@]}" -gt 0 ]; then
  run_backend=$("$NODE" -e '
    const [file, ...passed] = process.argv.slice(1);
    const bench = (() => { try { return JSON.parse(require("fs").readFileSync(file, "utf8")); } catch { return { rows: [] }; } })();
    const name = (row) => (row.driver === "webgpu" && !row.software ? "webgpu-gpu" : row.driver);
    const rows = bench.rows.filter((r) => !r.error && passed.includes(name(r)));
    const model = rows.some((r) => r.model === "resnet18") ? "resnet18" : "small-cnn";
    const best = rows.filter((r) => r.model === model).sort((a, b) => a.msPerStep - b.msPerStep)[0];
    console.log(best ? name(best) : passed[0]);
  ' "$OUT_DIR/train-step.json" "${PASSED[@]}")
  echo "study backend: $run_backend (passed conformance: ${PASSED[*]}; the faster in the bench when it ran)"
fi

if wants run; then
  if [ -z "$run_backend" ]; then
    echo "== run: skipped, no backend passed conformance"
    FAILED=1
    SUMMARY+=("$(printf '%-28s %-9s' run 'SKIPPED (no backend passed conformance)')")
  else
    # Fields over the quick preset (docs/study.md): one method, r = 1 and 0.004, one seed, no random-init cell.
    if [ "$SOFTWARE" = 1 ]; then
      config='{"methods":["simclr"],"randomInit":false,"seeds":1,"sizes":[300],"ratios":[1,0.004],
        "encoder":{"arch":"small-cnn","width":4},"pretrain":{"epochs":'"${GPU_CHECK_RUN_EPOCHS:-1}"',"batch":64,"checkpointEvery":1},
        "probe":{"epochs":3,"oodPerClass":20}}'
    else
      config='{"methods":["simclr"],"randomInit":false,"seeds":1,"sizes":[2100],"ratios":[1,0.004],
        "encoder":{"arch":"resnet18","width":64},"pretrain":{"epochs":'"${GPU_CHECK_RUN_EPOCHS:-10}"',"batch":128,"checkpointEvery":5}}'
    fi
    echo "$config" > "$WORK/imbalance-gpu.json"
    cp "$WORK/imbalance-gpu.json" "$OUT_DIR/"
    study="$WORK/study"
    step "run-imbalance-$run_backend" 300 "${LTSSL[@]}" --backend "$run_backend" run imbalance --config "$WORK/imbalance-gpu.json" --out "$study"
    step report 90 "${LTSSL[@]}" report "$study"
    # Everything but the checkpoints (ResNet-18's are tens of MiB each).
    mkdir -p "$OUT_DIR/study" && tar -C "$study" --exclude=./checkpoints -cf - . | tar -C "$OUT_DIR/study" -xf -
  fi
fi

if wants train; then
  train_backend="${run_backend:-${BACKENDS[0]}}"
  train=(--method simclr --width 32 --batch 256 --epochs 10 --knn-every 1)
  [ "$SOFTWARE" = 1 ] && train=(--method simclr --width 4 --batch 128 --epochs 1 --total 512 --knn-every 1)
  step "train-$train_backend" 300 "${LTSSL[@]}" --backend "$train_backend" train "${train[@]}"
fi

[ "$FAILED" = 0 ] && echo "gpu-check: every step passed" || echo "gpu-check: a step FAILED (summary below)"
finish "$FAILED"
