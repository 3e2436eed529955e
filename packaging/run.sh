#!/usr/bin/env bash
# Sets everything up and starts the app on the embedded Fashion-MNIST default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
bash packaging/build.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run.sh: no display found (DISPLAY and WAYLAND_DISPLAY are unset)." >&2
  echo "  Start it in a desktop session, or under a virtual display: xvfb-run -a build/app/imblab" >&2
  echo "  Headless alternatives: build/app/imblab-cli train --preset fmnist-lt-quick --out runs/x" >&2
  exit 1
fi
exec build/app/imblab "$@"
