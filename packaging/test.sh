#!/usr/bin/env bash
# Sets everything up and runs every test: installs the Debian packages, builds, runs CTest.
# GUI tests run on Qt's offscreen platform, so no display is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
bash packaging/build.sh
QT_QPA_PLATFORM=offscreen ctest --test-dir build --output-on-failure --parallel 2 --timeout 900
