#!/usr/bin/env bash
# Configures and builds Imbalance Lab into build/ (Release, Ninja, ccache when present).
# Extra CMake arguments pass through, e.g. -DIMBLAB_GUI=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build --parallel "$(nproc)"
