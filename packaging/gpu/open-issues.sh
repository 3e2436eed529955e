#!/usr/bin/env bash
# The GPU checks the open issues still need, for a lent GPU machine (docs/performance.md, "GPU
# checks"). Everything but a run's models comes back in $OUT: summary.txt (the figures),
# details.tgz (logs, run folders), app-cuda.png (the app after training on the GPU).
#
# The files do not fit one call (64 MiB: the tree, LibTorch's missing pieces, Qt, Fashion-MNIST),
# so two calls back to back, the machine kept warm between them (it goes back after 30 s idle):
#   1. carry .gpudeps .gpudata:    STAGES="build stream nccl sam methods" bash packaging/gpu/open-issues.sh
#   2. carry .gpudeps .gpudeps-qt: STAGES="build app" bash packaging/gpu/open-issues.sh
# The first leaves the data in /tmp/imblab-data and the build in build-gpu for the second; a cold
# second call rebuilds and runs the app checks on the blobs preset alone.
# Here, once: ../shared/gpu/prepare.sh with PKGS="libturbojpeg0-dev libturbojpeg0 libspng-dev
# libspng0"; bash packaging/gpu/prepare-qt.sh; mkdir -p .gpudata && cp
# /usr/share/datasets/fashion-mnist/*.gz .gpudata/ (with /.gpudata/ in .git/info/exclude).
#
# Stages, each cut to fit BUDGET seconds (default 560):
#   build    configure and build imblab-cli (and, with Qt carried, the app, its bench and tests)
#   stream   ResNet-32 with the images streamed from pinned host memory against resident (#15)
#   nccl     the NCCL allreduce's cost: a world of one under torchrun against the plain run (#16)
#   sam      the SAM step, eager against graph-captured, and its cost over plain SGD (#17)
#   methods  every method on fmnist-lt-resnet32, 3 seeds, fast mode, as far as time allows (#17)
#   app      the desktop app on CUDA: main-window tests, GUI bench, a screenshot (#14)
set -uo pipefail
FINAL=${OUT:-$PWD/gpu-out}
BUDGET=${BUDGET:-560}
STAGES=${STAGES-build stream nccl sam methods}
want() { [[ " $STAGES " == *" $1 "* ]]; }
OUT=$PWD/gpu-work
rm -rf "$OUT" && mkdir -p "$OUT" "$FINAL"
pack() {
  tar czf "$FINAL/details.tgz" --exclude='*.pt' --exclude='*.safetensors' --exclude='*.onnx' -C "$OUT" .
  cp "$OUT/summary.txt" "$FINAL/" 2>/dev/null
}
trap pack EXIT
log() { echo "[$(date +%T) +${SECONDS}s] $*" | tee -a "$OUT/summary.txt"; }
left() { echo $((BUDGET - SECONDS)); }
field() { grep -o "\"$2\": *[0-9.e+-]*" "$1" 2>/dev/null | head -1 | sed 's/.*: *//'; }

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$OUT/summary.txt"

# --- Data: carried now (.gpudata), or left by the previous call.
DATA=/tmp/imblab-data
if [ -d .gpudata ]; then mkdir -p "$DATA" && cp -u .gpudata/*.gz "$DATA/"; fi
HAVE_DATA=0
[ -f "$DATA/train-images-idx3-ubyte.gz" ] && HAVE_DATA=1
# The presets read Fashion-MNIST from Debian's folder.
if [ $HAVE_DATA = 1 ] && [ ! -e /usr/share/datasets/fashion-mnist ]; then
  mkdir -p /usr/share/datasets && ln -s "$DATA" /usr/share/datasets/fashion-mnist
fi
log "data: $([ $HAVE_DATA = 1 ] && echo "Fashion-MNIST in $DATA" || echo none)"

# --- Qt: Debian's packages unpacked outside the tree; moc/uic/rcc and our Qt programs get the
# unpacked libraries through wrappers and QTENV, the compiler and Python keep the machine's.
QT=/tmp/imblab-qt
QTLIB=$QT/usr/lib/x86_64-linux-gnu:$QT/lib/x86_64-linux-gnu
if [ -d .gpudeps-qt/debs ] && [ ! -f "$QT/.unpacked" ]; then
  rm -rf "$QT" && mkdir -p "$QT"
  for d in .gpudeps-qt/debs/*.deb; do dpkg-deb -x "$d" "$QT"; done
  for tool in moc uic rcc; do
    t=$QT/usr/lib/qt6/libexec/$tool
    mv "$t" "$t.real"
    printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec "$0.real" "$@"\n' "$QTLIB" >"$t" && chmod +x "$t"
  done
  printf '<?xml version="1.0"?>\n<fontconfig><dir>%s/usr/share/fonts</dir><cachedir>/tmp/imblab-fc</cachedir></fontconfig>\n' \
    "$QT" >"$QT/fonts.conf"
  touch "$QT/.unpacked"
fi
HAVE_QT=0
[ -f "$QT/.unpacked" ] && HAVE_QT=1
QTENV=(env LD_LIBRARY_PATH="$QTLIB:$PWD/.gpudeps/root/usr/lib/x86_64-linux-gnu"
       QT_PLUGIN_PATH="$QT/usr/lib/x86_64-linux-gnu/qt6/plugins" QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE="$QT/fonts.conf")

# --- Build.
TORCH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
export LD_LIBRARY_PATH=$PWD/.gpudeps/root/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
CLI=build-gpu/app/imblab-cli
if want build; then
  GUI=OFF PREFIX="$TORCH;$PWD/.gpudeps/root/usr" LINK=""
  TARGETS=(imblab-cli)
  if [ $HAVE_QT = 1 ]; then
    GUI=ON PREFIX="$PREFIX;$QT/usr" LINK="-Wl,-rpath-link,$QTLIB"
    TARGETS+=(imblab imblab-gui-bench tst_main_window tst_run_queue tst_training_panel)
  fi
  log "configure (GUI $GUI)"
  # The tests look for Debian's /usr/bin/python3 and /usr/bin/torchrun; here PyTorch's are elsewhere.
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMBLAB_GUI=$GUI -DIMBLAB_TESTS=$GUI \
        -DIMBLAB_SYSTEM_PYTHON3="$(command -v python3)" -DIMBLAB_TORCHRUN="$(command -v torchrun || echo torchrun)" \
        -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_EXE_LINKER_FLAGS="$LINK" >"$OUT/cmake.log" 2>&1 \
    || { tail -40 "$OUT/cmake.log" | tee -a "$OUT/summary.txt"; exit 1; }
  grep -E "LibTorch|backends|NCCL|Qt6|gloo" "$OUT/cmake.log" | tee -a "$OUT/summary.txt"
  if ! ninja -C build-gpu -k 0 "${TARGETS[@]}" >"$OUT/build.log" 2>&1; then
    grep -E "error|Error" -A4 "$OUT/build.log" | head -60 | tee -a "$OUT/summary.txt"
    [ -x "$CLI" ] || exit 1
  fi
  log "built ${TARGETS[*]}"
fi
[ -x "$CLI" ] || { log "no $CLI: run the build stage"; exit 1; }

sums() {  # run folder → one line of its figures
  local s=$1/summary.json
  echo "balanced_error $(field "$s" balanced_error) img/s $(field "$s" img_per_s) wall $(field "$s" wall_seconds) s" \
       "allreduce_ms $(field "$s" allreduce_ms_per_step)"
}
R32=(--preset fmnist-lt-resnet32 --epochs 2 --seed 0 --device cuda)

# --- #15: streamed against resident images, on both device pipelines (same numbers expected:
# the streamed batch is the resident batch, copied from pinned memory before each step).
if want stream && [ $HAVE_DATA = 1 ]; then
  for p in device graph; do
    for r in device stream; do
      timeout 90 "$CLI" train "${R32[@]}" --pipeline $p --data-residency $r --out "$OUT/stream/$p-$r" \
        >"$OUT/stream-$p-$r.log" 2>&1
      log "stream: $p pipeline, residency $r rc=$? $(sums "$OUT/stream/$p-$r")"
    done
    python3 packaging/gpu/compare_runs.py "$OUT/stream/$p-device" "$OUT/stream/$p-stream" | tee -a "$OUT/summary.txt"
  done
fi

# --- #16: NCCL's allreduce in a world of one (the device pipeline: a group runs it eagerly)
# against the plain device-pipeline run; the numbers must be identical, the time is the cost.
if want nccl && [ $HAVE_DATA = 1 ]; then
  timeout 90 "$CLI" train "${R32[@]}" --pipeline device --out "$OUT/nccl/plain" >"$OUT/nccl-plain.log" 2>&1
  log "nccl: plain device pipeline rc=$? $(sums "$OUT/nccl/plain")"
  for b in nccl gloo; do
    timeout 120 torchrun --nproc_per_node 1 --master_addr 127.0.0.1 --master_port $((29500 + RANDOM % 1000)) --no_python \
      "$CLI" train "${R32[@]}" --pipeline device --dist-backend $b --out "$OUT/nccl/world1-$b" >"$OUT/nccl-world1-$b.log" 2>&1
    log "nccl: world of one over $b rc=$? $(sums "$OUT/nccl/world1-$b")"
    grep -E "collectives over|error|not in this build" "$OUT/nccl-world1-$b.log" | head -3 | tee -a "$OUT/summary.txt"
    [ -f "$OUT/nccl/world1-$b/summary.json" ] &&
      python3 packaging/gpu/compare_runs.py "$OUT/nccl/plain" "$OUT/nccl/world1-$b" | tee -a "$OUT/summary.txt"
  done
  # Two ranks on the one GPU: each rank takes cuda:LOCAL_RANK, so the second is refused (say how).
  timeout 60 torchrun --nproc_per_node 2 --master_addr 127.0.0.1 --master_port $((30600 + RANDOM % 1000)) --no_python \
    "$CLI" train "${R32[@]}" --epochs 1 --dist-backend nccl --out "$OUT/nccl/two" >"$OUT/nccl-two.log" 2>&1
  log "nccl: two ranks on one GPU rc=$?: $(grep -m1 -o 'error.*' "$OUT/nccl-two.log")"
fi

# --- #17: the SAM step (two forward/backward passes), eager device pipeline against the graph
# replay, beside plain SGD; bf16 + channels-last as the fast mode trains.
if want sam && [ $HAVE_DATA = 1 ]; then
  for p in device graph; do
    for extra in "" "--sam 0.05"; do
      name="sam-$p${extra:+-sam}"
      timeout 60 "$CLI" bench --preset fmnist-lt-resnet32 --device cuda --batch-size 128 --warmup 10 --steps 200 \
        --pipeline $p --precision bf16 --channels-last $extra >"$OUT/$name.json" 2>"$OUT/$name.err"
      log "bench $name rc=$? img/s $(field "$OUT/$name.json" img_per_s) pipeline $(grep -o '"pipeline": *"[a-z]*"' "$OUT/$name.json")"
    done
  done
fi

# --- #17: the methods table on ResNet-32, fast mode, 3 seeds: whatever the time allows
# (results.md covers the runs that finished).
if want methods && [ $HAVE_DATA = 1 ]; then
  secs=$(( $(left) - 10 ))
  if [ "$secs" -gt 30 ]; then
    log "methods: sweep for up to ${secs}s"
    timeout "$secs" "$CLI" sweep --preset fmnist-lt-resnet32 --device cuda --pipeline graph --precision bf16 --channels-last \
      --methods erm,ldam-drw,ce-drw,cb-rs,mixup-drw,bs-mixup-drw,ce-drw-sam,ldam-drw-sam,crt,lws,tau-norm,mislas,wb,imbsam \
      --seeds 0,1,2 --parallel 3 --out "$OUT/methods" >"$OUT/methods.log" 2>&1
    log "methods rc=$? ($(ls "$OUT/methods" 2>/dev/null | wc -l) entries)"
    pkill -f "$CLI" 2>/dev/null  # the runs a timed-out sweep had started (each its own process)
    [ -f "$OUT/methods/results.md" ] && tee -a "$OUT/summary.txt" <"$OUT/methods/results.md"
  fi
fi

# --- #14: the app on CUDA.
if want app; then
  if [ $HAVE_QT = 1 ] && [ -x build-gpu/app/imblab ]; then
    for t in tst_main_window tst_run_queue tst_training_panel; do
      timeout 240 "${QTENV[@]}" build-gpu/tests/$t >"$OUT/$t.log" 2>&1
      log "app: $t rc=$? $(grep -E '^Totals' "$OUT/$t.log")"
      grep -E "^FAIL|QFATAL|Segmentation" "$OUT/$t.log" | head -5 | tee -a "$OUT/summary.txt"
    done
    preset=blobs-teaching
    [ $HAVE_DATA = 1 ] && preset=fmnist-lt-quick
    timeout 180 "${QTENV[@]}" build-gpu/app/imblab-gui-bench $preset 2 >"$OUT/gui-bench.json" 2>"$OUT/gui-bench.err"
    log "app: gui bench ($preset, 2 epochs) rc=$? $(tr -d '\n' <"$OUT/gui-bench.json")"
    timeout 120 "${QTENV[@]}" build-gpu/app/imblab --screenshot "$FINAL/app-cuda.png" --size 1280x800 --preset $preset \
      --epochs 2 >"$OUT/screenshot.log" 2>&1
    log "app: screenshot rc=$?"
  else
    log "app: skipped (no Qt carried, or the app did not build)"
  fi
fi
log "done"
