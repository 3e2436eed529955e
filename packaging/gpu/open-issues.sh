#!/usr/bin/env bash
# The GPU checks the open issues still need, for a lent GPU machine (docs/performance.md, "GPU
# checks"). Everything but a run's models comes back in $OUT: summary.txt (the figures),
# details.tgz (logs, run folders), app-cuda.png (the app after training on the GPU).
#
# One call, carrying .gpudeps .gpudeps-qt .gpudata (about 63 MiB of the 64 one call carries):
#     BUDGET=540 bash packaging/gpu/open-issues.sh
# Here, once: PKGS="libturbojpeg0-dev libturbojpeg0 libjpeg62-turbo-dev libjpeg62-turbo libspng-dev libspng0 libicu-dev libicu72 liblz4-dev liblz4-1" ../shared/gpu/prepare.sh;
# bash packaging/gpu/prepare-gpudata.sh (drops .gpudeps' docs, adds gloo's headers beside it, and
# puts Fashion-MNIST in .gpudata as xz, which is what lets everything fit one call);
# bash packaging/gpu/prepare-qt.sh.
#
# Stages, in this order, each skipped when the BUDGET seconds left would not hold it:
#   build    configure and build imblab-cli (and, with Qt carried, the app, its bench and tests)
#   stream   ResNet-32 with the images streamed from pinned host memory against resident (#15)
#   nccl     the NCCL allreduce's cost: a world of one under torchrun against the plain run, and
#            two ranks sharing the one GPU over NCCL (#16)
#   sam      the SAM step, eager against graph-captured, and its cost over plain SGD (#17)
#   samcheck CE-DRW+SAM with both passes graph-captured against the eager pipeline, numbers compared (#17)
#   app      the desktop app on CUDA: main-window tests, GUI bench, a screenshot (#14)
#   gloo     with Debian's gloo headers carried (PyTorch's wheel has none) and built in, runs a
#            world of one and two ranks sharing the GPU over Gloo (#16)
#   methods  every method on fmnist-lt-resnet32, 3 seeds, fast mode, as far as time allows (#17;
#            METHODS=a,b,... picks them)
# Gloo is built in when its headers are carried (GLOO=OFF leaves it out); should imblab-cli not
# build with it (another LibTorch), the build goes on without it and the gloo stage is skipped.
set -uo pipefail
FINAL=${OUT:-$PWD/gpu-out}
BUDGET=${BUDGET:-560}
STAGES=${STAGES-build stream nccl sam samcheck app gloo methods}
want() { [[ " $STAGES " == *" $1 "* ]]; }
OUT=$PWD/gpu-work
rm -rf "$OUT" && mkdir -p "$OUT" "$FINAL"
pack() {
  tar czf "$FINAL/details.tgz" --exclude='*.pt' --exclude='*.safetensors' --exclude='*.onnx' -C "$OUT" .
}
trap pack EXIT
trap 'exit 143' TERM INT  # so that a call stopped at its limit still packs what it has
# The figures go to $FINAL as they come: a call killed outright still brings them back.
say() { tee -a "$OUT/summary.txt" "$FINAL/summary.txt"; }
log() { echo "[$(date +%T) +${SECONDS}s] $*" | say; }
left() { echo $((BUDGET - SECONDS)); }
room() {  # room N NAME: true when N seconds are left for stage NAME, else says it is skipped
  pack  # what the stages before left, in case this one is cut off
  [ "$(left)" -ge "$1" ] && return 0
  log "$2: skipped, $(left) s left of $BUDGET"
  return 1
}
field() { grep -o "\"$2\": *[0-9.e+-]*" "$1" 2>/dev/null | head -1 | sed 's/.*: *//'; }

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | say

# --- Data: carried (.gpudata: xz, unpacked to the plain IDX files the reader also takes; or gz).
DATA=/tmp/imblab-data
mkdir -p "$DATA"
if [ -d .gpudata ]; then
  cp -u .gpudata/*.gz "$DATA/" 2>/dev/null
  python3 -c 'import lzma, os, shutil, sys
for f in sys.argv[2:]:
    dst = os.path.join(sys.argv[1], os.path.basename(f)[:-3])
    if not os.path.exists(dst):
        with lzma.open(f) as i, open(dst, "wb") as o: shutil.copyfileobj(i, o)' "$DATA" .gpudata/*.xz 2>/dev/null
fi
HAVE_DATA=0
ls "$DATA"/train-images-idx3-ubyte* >/dev/null 2>&1 && HAVE_DATA=1
export IMBLAB_CACHE_DIR=/tmp/imblab-cache
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
GLOO_HEADERS=$PWD/.gpudeps/gloo/include
GLOO=${GLOO:-$([ -f "$GLOO_HEADERS/gloo/algorithm.h" ] && echo ON || echo OFF)}
if want build; then
  GUI=OFF PREFIX="$TORCH;$PWD/.gpudeps/root/usr" LINK=""
  TARGETS=(imblab-cli)
  if [ $HAVE_QT = 1 ]; then
    GUI=ON PREFIX="$PREFIX;$QT/usr" LINK="-Wl,-rpath-link,$QTLIB"
    TARGETS+=(imblab imblab-gui-bench tst_main_window tst_run_queue tst_training_panel)
  fi
  configure() {
    log "configure (GUI $GUI)"
    # The tests look for Debian's /usr/bin/python3 and /usr/bin/torchrun; here PyTorch's are elsewhere.
    cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMBLAB_GUI=$GUI -DIMBLAB_TESTS=$GUI \
          -DIMBLAB_C10D_GLOO=$GLOO -DIMBLAB_GLOO_INCLUDE_DIR="$GLOO_HEADERS" \
          -DIMBLAB_SYSTEM_PYTHON3="$(command -v python3)" -DIMBLAB_TORCHRUN="$(command -v torchrun || echo torchrun)" \
          -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_EXE_LINKER_FLAGS="$LINK" >"$OUT/cmake-gui-$GUI.log" 2>&1 &&
      cp "$OUT/cmake-gui-$GUI.log" "$OUT/cmake.log"
  }
  if ! configure; then
    tail -30 "$OUT/cmake-gui-$GUI.log" | say
    [ $GUI = ON ] || exit 1
    # The CUDA stages need no Qt: go on without it.
    rm -rf build-gpu && HAVE_QT=0 GUI=OFF PREFIX="$TORCH;$PWD/.gpudeps/root/usr" LINK="" && configure || exit 1
  fi
  grep -E "LibTorch|backends|NCCL|Qt6|gloo" "$OUT/cmake.log" | say
  # The command-line tool first: the CUDA stages need it alone, and a GUI build error must not hide it.
  if ! ninja -C build-gpu imblab-cli >"$OUT/build.log" 2>&1; then
    grep -E "error" -A4 "$OUT/build.log" | head -80 | say
    [ "$GLOO" = ON ] || exit 1
    # Only the collectives' file sees gloo's headers: without them it alone recompiles.
    log "imblab-cli did not build with gloo's headers: again without them"
    GLOO=OFF
    cmake -B build-gpu -DIMBLAB_C10D_GLOO=OFF >/dev/null 2>&1 && ninja -C build-gpu imblab-cli >"$OUT/build.log" 2>&1 || {
      grep -E "error" -A4 "$OUT/build.log" | head -80 | say; exit 1; }
  fi
  log "built imblab-cli (gloo $GLOO)"
  if [ $HAVE_QT = 1 ]; then
    ninja -C build-gpu -k 0 "${TARGETS[@]}" >"$OUT/build-gui.log" 2>&1 ||
      grep -E "error" -A4 "$OUT/build-gui.log" | head -60 | say
    log "built ${TARGETS[*]}: $(cd build-gpu && ls app/imblab app/imblab-gui-bench tests/tst_main_window tests/tst_run_queue tests/tst_training_panel 2>/dev/null | tr '\n' ' ')"
  fi
fi
[ -x "$CLI" ] || { log "no $CLI: run the build stage"; exit 1; }
"$CLI" --version | say

sums() {  # run folder → one line of its figures
  local s=$1/summary.json
  echo "balanced_error $(field "$s" balanced_error) img/s $(field "$s" img_per_s) wall $(field "$s" wall_seconds) s" \
       "allreduce_ms $(field "$s" allreduce_ms_per_step)"
}
R32BASE=(--preset fmnist-lt-resnet32 --seed 0 --device cuda)
R32=("${R32BASE[@]}" --epochs 2)
port() { echo $((29500 + RANDOM % 2000)); }
TORCHRUN=(torchrun)
command -v torchrun >/dev/null || TORCHRUN=(python3 -m torch.distributed.run)

# --- #15: streamed against resident images, on both device pipelines (same numbers expected:
# the streamed batch is the resident batch, copied from pinned memory before each step).
if want stream && [ $HAVE_DATA = 1 ] && room 120 stream; then
  for p in device graph; do
    for r in device stream; do
      timeout 60 "$CLI" train "${R32[@]}" --pipeline $p --data-residency $r --out "$OUT/stream/$p-$r" \
        >"$OUT/stream-$p-$r.log" 2>&1
      log "stream: $p pipeline, residency $r rc=$? $(sums "$OUT/stream/$p-$r")"
      grep -m2 -iE "error|residen|stream" "$OUT/stream-$p-$r.log" | say
    done
    python3 packaging/gpu/compare_runs.py "$OUT/stream/$p-device" "$OUT/stream/$p-stream" | say
  done
fi

# --- #16: NCCL's allreduce in a world of one (the device pipeline: a group runs it eagerly)
# against the plain device-pipeline run; the numbers must be identical, the time is the cost.
world1() {  # world1 BACKEND CLI: a world of one under torchrun, compared with the plain run
  timeout 90 "${TORCHRUN[@]}" --nproc_per_node 1 --master_addr 127.0.0.1 --master_port "$(port)" --no_python \
    "$2" train "${R32[@]}" --pipeline device --dist-backend "$1" --out "$OUT/dist/world1-$1" >"$OUT/dist-world1-$1.log" 2>&1
  log "$1: world of one rc=$? $(sums "$OUT/dist/world1-$1")"
  grep -E "collectives over|error|not in this build" "$OUT/dist-world1-$1.log" | head -3 | say
  [ -f "$OUT/dist/world1-$1/summary.json" ] && [ -f "$OUT/dist/plain/summary.json" ] &&
    python3 packaging/gpu/compare_runs.py "$OUT/dist/plain" "$OUT/dist/world1-$1" | say
}
two_ranks() {  # two_ranks BACKEND CLI: two ranks on the one GPU (they share cuda:0), one epoch
  timeout 90 "${TORCHRUN[@]}" --nproc_per_node 2 --master_addr 127.0.0.1 --master_port "$(port)" --no_python \
    "$2" train "${R32BASE[@]}" --epochs 1 --pipeline device --dist-backend "$1" --out "$OUT/dist/two-$1" >"$OUT/dist-two-$1.log" 2>&1
  log "$1: two ranks on one GPU rc=$? $(sums "$OUT/dist/two-$1")"
  grep -E "shares|error|Error|refuse|Duplicate" "$OUT/dist-two-$1.log" | head -4 | say
}
if want nccl && [ $HAVE_DATA = 1 ] && room 60 nccl; then
  timeout 60 "$CLI" train "${R32[@]}" --pipeline device --out "$OUT/dist/plain" >"$OUT/dist-plain.log" 2>&1
  log "plain device pipeline rc=$? $(sums "$OUT/dist/plain")"
  world1 nccl "$CLI"
  two_ranks nccl "$CLI"
fi

# --- #17: the SAM step (two forward/backward passes), eager device pipeline against the graph
# replay, beside plain SGD; bf16 + channels-last as the fast mode trains.
if want sam && [ $HAVE_DATA = 1 ] && room 80 sam; then
  for p in device graph; do
    for extra in "" "--sam 0.05"; do
      name="sam-$p${extra:+-sam}"
      timeout 45 "$CLI" bench --preset fmnist-lt-resnet32 --device cuda --batch-size 128 --warmup 10 --steps 200 \
        --pipeline $p --precision bf16 --channels-last $extra >"$OUT/$name.json" 2>"$OUT/$name.err"
      log "bench $name rc=$? img/s $(field "$OUT/$name.json" img_per_s) pipeline $(grep -o '"pipeline": *"[a-z]*"' "$OUT/$name.json")"
    done
  done
fi

# --- #17: SAM's two passes captured in one graph against the eager device pipeline (fp32, where
# the two pipelines give identical numbers), two epochs of CE-DRW+SAM.
if want samcheck && [ $HAVE_DATA = 1 ] && room 40 samcheck; then
  for p in device graph; do
    timeout 60 "$CLI" train "${R32[@]}" --method ce-drw-sam --pipeline $p --out "$OUT/samcheck/$p" >"$OUT/samcheck-$p.log" 2>&1
    log "samcheck: ce-drw-sam $p pipeline rc=$? $(sums "$OUT/samcheck/$p")"
  done
  python3 packaging/gpu/compare_runs.py "$OUT/samcheck/device" "$OUT/samcheck/graph" | say
fi

# --- #14: the app on CUDA.
if want app && room 120 app; then
  if [ $HAVE_QT = 1 ] && [ -x build-gpu/app/imblab ]; then
    preset=blobs-teaching
    [ $HAVE_DATA = 1 ] && preset=fmnist-lt-quick
    timeout 100 "${QTENV[@]}" build-gpu/app/imblab-gui-bench $preset 2 cuda >"$OUT/gui-bench.json" 2>"$OUT/gui-bench.err"
    log "app: gui bench ($preset, 2 epochs, cuda) rc=$? $(tr -d '\n' <"$OUT/gui-bench.json")"
    tail -3 "$OUT/gui-bench.err" | say
    timeout 60 "${QTENV[@]}" build-gpu/app/imblab --screenshot "$FINAL/app-cuda.png" --size 1280x800 --preset $preset \
      --epochs 2 >"$OUT/screenshot.log" 2>&1
    log "app: screenshot rc=$?"
    for t in tst_main_window tst_run_queue tst_training_panel; do
      [ -x build-gpu/tests/$t ] && room 40 "$t" || continue
      timeout $(( $(left) < 150 ? $(left) - 20 : 130 )) "${QTENV[@]}" build-gpu/tests/$t >"$OUT/$t.log" 2>&1
      log "app: $t rc=$? $(grep -E '^Totals' "$OUT/$t.log")"
      grep -E "^FAIL|QFATAL|Segmentation|Loc:" "$OUT/$t.log" | head -8 | say
    done
  else
    log "app: skipped (no Qt carried, or the app did not build)"
  fi
fi

# --- #16: Gloo over CUDA tensors (PyTorch's wheel has gloo inside libtorch but no headers; the
# carried ones are Debian's): a world of one and two ranks sharing the GPU.
if want gloo && [ $HAVE_DATA = 1 ] && [ "$GLOO" = ON ] && room 30 gloo; then
  world1 gloo "$CLI"
  two_ranks gloo "$CLI"
fi

# --- #17: the methods table on ResNet-32, fast mode, 3 seeds: whatever the time allows
# (results.md covers the runs that finished; the four paper baselines last, as the H100 table
# already has them).
if want methods && [ $HAVE_DATA = 1 ] && room 60 methods; then
  secs=$(( $(left) - 15 ))
  log "methods: sweep for up to ${secs}s"
  timeout "$secs" "$CLI" sweep --preset fmnist-lt-resnet32 --device cuda --pipeline graph --precision bf16 --channels-last \
    --methods "${METHODS:-ldam-drw-sam,ce-drw-sam,mislas,imbsam,wb,crt,lws,tau-norm,bs-mixup-drw,mixup-drw,ldam-drw,ce-drw,cb-rs,erm}" \
    --seeds 0,1,2 --parallel 3 --out "$OUT/methods" >"$OUT/methods.log" 2>&1
  log "methods rc=$? ($(ls "$OUT/methods" 2>/dev/null | wc -l) entries)"
  pkill -f "$CLI" 2>/dev/null  # the runs a timed-out sweep had started (each its own process)
  [ -f "$OUT/methods/results.md" ] && say <"$OUT/methods/results.md"
fi
log "done"
