#!/usr/bin/env bash
# The "before" row of tools/bench/cell.mjs: the tree of commit 0f245e2 (the code issue 15's work started
# from) with only the phase timers of baseline/phase-timing-0f245e2.patch added, installed and built.
#   bash tools/bench/before-tree.sh [DIR]   (default /tmp/ltssl-before), then
#   node tools/bench/cell.mjs --ltssl before=DIR:spin=0,after=.
set -euo pipefail
dest=${1:-/tmp/ltssl-before}
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dest"
mkdir -p "$dest"
git -C "$root" archive 0f245e2 | tar -x -C "$dest"
patch -s -d "$dest" -p1 < "$root/tools/bench/baseline/phase-timing-0f245e2.patch"
# The benchmark's cell worker is not in that commit; today's runs against that tree's API too.
cp "$root/tools/bench/cell-worker.mjs" "$dest/tools/bench/cell-worker.mjs"
(cd "$dest" && npm ci --no-audit --no-fund > /dev/null && npx nx run-many -t build --outputStyle=static > /dev/null)
echo "built the before tree in $dest"
