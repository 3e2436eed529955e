#!/usr/bin/env bash
# Makes the GPU checks fit one device call (packaging/gpu/open-issues.sh): after
# ../shared/gpu/prepare.sh, drops the unpacked packages' documentation from .gpudeps, puts
# Debian's gloo headers beside them in .gpudeps/gloo/include (outside the prefix the main build
# searches, so only the gloo stage sees them), and stores Fashion-MNIST in .gpudata as xz (26 MB
# against gzip's 31 MB); the reader takes the plain IDX files the device side unpacks them to.
# Run it here, from the project's root, after packaging/install-deps.sh.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
[ -d .gpudeps/root ] || { echo "run ../shared/gpu/prepare.sh first" >&2; exit 1; }
[ -f /usr/include/gloo/algorithm.h ] || { echo "no /usr/include/gloo: run packaging/install-deps.sh first" >&2; exit 1; }
src=/usr/share/datasets/fashion-mnist
[ -f $src/train-images-idx3-ubyte.gz ] || { echo "no $src: run packaging/install-deps.sh first" >&2; exit 1; }
grep -qx '/.gpudata/' .git/info/exclude 2>/dev/null || echo '/.gpudata/' >> .git/info/exclude
rm -rf .gpudeps/root/usr/share/doc .gpudeps/root/usr/share/man .gpudeps/gloo
mkdir -p .gpudeps/gloo/include && cp -r /usr/include/gloo .gpudeps/gloo/include/
rm -rf .gpudata && mkdir -p .gpudata
for f in $src/*-ubyte.gz; do
  zcat "$f" | xz -9e -T2 >".gpudata/$(basename "$f" .gz).xz"
done
echo "prepared: .gpudeps $(du -sh .gpudeps | cut -f1), .gpudata $(du -sh .gpudata | cut -f1)"
