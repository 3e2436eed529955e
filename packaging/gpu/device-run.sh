#!/usr/bin/env bash
# One call on the GPU machine: build core + imblab-cli against PyTorch's bundled LibTorch; check that
# the fp32 pipelines compute the same numbers; profile the step kernel by kernel; run the pipeline
# benchmarks, then the fmnist-lt-resnet32 parity sweeps, writing everything to $OUT.
# Needs .gpudeps (../shared/gpu/prepare.sh) and .gpudata (the four Fashion-MNIST .gz files, or the
# .xz files of packaging/gpu/prepare-gpudata.sh) carried:
#   device run --carry .gpudeps --carry .gpudata -- bash packaging/gpu/device-run.sh
# Stages are cut by time so the whole call ends inside BUDGET seconds (default 570); STAGES picks
# them (default: all but extra, in this order: equal profile bench extra parallel fp32 fast).
set -uo pipefail
# The device tool brings back at most 8 files: details go to gpu-work/ and come back as one archive.
FINAL=${OUT:-$PWD/gpu-out}
BUDGET=${BUDGET:-570}
STAGES=${STAGES:-equal profile bench parallel fp32 fast}
want() { [[ " $STAGES " == *" $1 "* ]]; }
OUT=$PWD/gpu-work
rm -rf "$OUT" && mkdir -p "$OUT" "$FINAL"
# Run folders keep their summaries, configs and logs; the models stay behind.
# The op tables also come back on their own (summary + archive + five tables: under the limit).
pack() {
  tar czf "$FINAL/details.tgz" --exclude='*.pt' --exclude='*.safetensors' -C "$OUT" .
  cp "$OUT/summary.txt" "$OUT"/ops-*.md "$FINAL/" 2>/dev/null
}
trap pack EXIT
log() { echo "[$(date +%T) +${SECONDS}s] $*" | tee -a "$OUT/summary.txt"; }
left() { echo $((BUDGET - SECONDS)); }

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$OUT/gpu.txt"
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())' | tee -a "$OUT/gpu.txt"

TORCH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
export LD_LIBRARY_PATH=$PWD/.gpudeps/root/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
log "configure"
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMBLAB_GUI=OFF \
      -DCMAKE_PREFIX_PATH="$TORCH;$PWD/.gpudeps/root/usr" >"$OUT/cmake.log" 2>&1 \
  || { tail -40 "$OUT/cmake.log"; exit 1; }
grep -E "LibTorch|C\+\+" "$OUT/cmake.log" | tee -a "$OUT/summary.txt"
log "build"
if ! ninja -C build-gpu -k 0 imblab-cli >"$OUT/build.log" 2>&1; then
  grep -E "error|Error" -A4 "$OUT/build.log" | head -80
  exit 1
fi
log "built"
CLI=build-gpu/app/imblab-cli
# .gpudata holds the .gz files, or the .xz ones of packaging/gpu/prepare-gpudata.sh: those are
# unpacked to the plain IDX files the reader also takes.
DATADIR=.gpudata
if ! ls .gpudata/*.gz >/dev/null 2>&1; then
  DATADIR=/tmp/imblab-data && mkdir -p "$DATADIR"
  python3 -c 'import lzma, os, shutil, sys
for f in sys.argv[2:]:
    with lzma.open(f) as i, open(os.path.join(sys.argv[1], os.path.basename(f)[:-3]), "wb") as o:
        shutil.copyfileobj(i, o)' "$DATADIR" .gpudata/*.xz
fi
DATA=(--data "$DATADIR" --device cuda)

# --- 1. The fp32 pipelines compute the same arithmetic: host data + eager steps, device data +
# eager steps, and the CUDA-graph replay of those steps; LDAM-DRW for 2 epochs (the DRW weights
# switch on at epoch 1, inside the captured graph). Identical numbers make the fp32-graph sweep
# below the fp32 eager column.
if want equal; then
  for p in host device graph; do
    timeout 60 "$CLI" train "${DATA[@]}" --preset fmnist-lt-resnet32 --loss ldam --rebalance cb-rw --defer-epoch 1 \
      --epochs 2 --seed 0 --pipeline $p --out "$OUT/equal/$p" >"$OUT/equal-$p.log" 2>&1
    log "equal: $p rc=$? $(grep -o '"balanced_error":[0-9.]*' "$OUT/equal/$p/summary.json" 2>/dev/null)"
  done
  python3 packaging/gpu/compare_runs.py "$OUT/equal/host" "$OUT/equal/device" | tee -a "$OUT/summary.txt"
  python3 packaging/gpu/compare_runs.py "$OUT/equal/device" "$OUT/equal/graph" | tee -a "$OUT/summary.txt"
fi

# --- 2. Kernel-level profiles of the ResNet-32 step (LibTorch's Kineto profiler; the kernels of a
# graph replay are recorded one by one): tables per step, one trace.
bench() {  # name, then flags; BENCH_LIMIT seconds at most (default 90)
  local name=$1; shift
  timeout "${BENCH_LIMIT:-90}" "$CLI" bench "${DATA[@]}" --warmup 10 "$@" >"$OUT/bench-$name.json" 2>"$OUT/bench-$name.err"
  local rc=$?
  log "bench $name rc=$rc: $(tr -d '\n ' <"$OUT/bench-$name.json" | grep -o '"pipeline":"[a-z]*"\|"img_per_s":[0-9.]*\|"[a-z_]*_per_step":[0-9.]*' | tr '\n' ' ')"
  [ $rc -eq 0 ] || tail -3 "$OUT/bench-$name.err"
  return $rc
}
R=(--preset fmnist-lt-resnet32 --batch-size 128 --steps 100)
# A profiler that cannot start, hangs or sees no kernels costs one try, not five.
want profile && BENCH_LIMIT=45 bench prof-graph-bf16cl "${R[@]}" --pipeline graph --precision bf16 --channels-last \
    --op-table "$OUT/ops-b128-graph-bf16cl.md" --op-trace "$OUT/trace-b128-graph-bf16cl.json" --op-steps 5
if want profile && grep -q "device busy" "$OUT/ops-b128-graph-bf16cl.md" 2>/dev/null; then
  export BENCH_LIMIT=45
  bench prof-device-fp32  "${R[@]}" --pipeline device --op-table "$OUT/ops-b128-device-fp32.md"
  bench prof-graph-fp32   "${R[@]}" --pipeline graph --op-table "$OUT/ops-b128-graph-fp32.md"
  bench prof-graph-bf16cl-nondet "${R[@]}" --pipeline graph --precision bf16 --channels-last --nondeterministic \
    --op-table "$OUT/ops-b128-graph-bf16cl-nondet.md"
  bench prof-b512-graph-bf16cl --preset fmnist-lt-resnet32 --batch-size 512 --steps 40 --pipeline graph \
    --precision bf16 --channels-last --op-table "$OUT/ops-b512-graph-bf16cl.md"
  unset BENCH_LIMIT
fi
for f in "$OUT"/ops-*.md; do [ -e "$f" ] || continue; echo "== $f"; sed -n '3p' "$f"; sed -n '/by kernel family/,/^## Device kernels/p' "$f" | grep '^|' ; done | tee -a "$OUT/summary.txt"

# --- 3. Benchmarks: one process per line (each loads the data, uploads it, warms up, captures).
if want bench; then
  for model in resnet32:128:200 resnet32:512:60 cnn:128:200; do
    IFS=: read -r m b steps <<<"$model"
    P=(--preset fmnist-lt-resnet32 --model "$m" --batch-size "$b" --steps "$steps")
    bench "$m-b$b-eager"        "${P[@]}" --pipeline host
    bench "$m-b$b-device"       "${P[@]}" --pipeline device
    bench "$m-b$b-graph"        "${P[@]}" --pipeline graph
    bench "$m-b$b-graph-bf16cl" "${P[@]}" --pipeline graph --precision bf16 --channels-last
  done
  R2=(--preset fmnist-lt-resnet32 --batch-size 128 --steps 200)
  bench "resnet32-b128-graph-nondet"        "${R2[@]}" --pipeline graph --nondeterministic
  bench "resnet32-b128-graph-bf16cl-nondet" "${R2[@]}" --pipeline graph --precision bf16 --channels-last --nondeterministic
  bench "resnet32-b128-graph-bf16"          "${R2[@]}" --pipeline graph --precision bf16
fi

# --- 3b. The rest of the precision/layout/batch matrix (fp32 with channels-last; batch 256).
if want extra; then
  bench resnet32-b128-graph-fp32cl "${R[@]}" --pipeline graph --channels-last --op-table "$OUT/ops-b128-graph-fp32cl.md"
  bench resnet32-b256-graph-bf16cl --preset fmnist-lt-resnet32 --batch-size 256 --steps 100 --pipeline graph \
    --precision bf16 --channels-last
  bench resnet32-b256-graph-fp32 --preset fmnist-lt-resnet32 --batch-size 256 --steps 100 --pipeline graph
  bench resnet32-b128-device-bf16cl "${R[@]}" --pipeline device --precision bf16 --channels-last
fi

# --- 4. Several runs on the one GPU at once (what sweep --parallel does): 4 processes side by side.
if want parallel && [ "$(left)" -gt 300 ]; then
  log "parallel: 4 x resnet32 b128 graph bf16cl"
  for i in 1 2 3 4; do
    timeout 60 "$CLI" bench "${DATA[@]}" --preset fmnist-lt-resnet32 --batch-size 128 --warmup 10 --steps 1500 \
      --pipeline graph --precision bf16 --channels-last >"$OUT/parallel-$i.json" 2>"$OUT/parallel-$i.err" &
  done
  wait
  log "parallel: img/s $(cat "$OUT"/parallel-*.json | grep -o '"img_per_s": [0-9.]*' | awk '{s+=$2; printf "%.0f ", $2} END {printf "sum %.0f", s}')"
fi

# --- 5. Parity sweeps on fmnist-lt-resnet32: ERM, CE-DRW, CB-RS, LDAM-DRW x 3 seeds, one run at a
# time (clean wall time per run): fp32 (graph replay of the eager arithmetic, see 1.), then the
# fastest mode.
sweep() {  # name, seconds, then flags
  local name=$1 secs=$2; shift 2
  if [ "$secs" -lt 20 ]; then log "sweep $name skipped: no time left"; return; fi
  log "sweep $name (up to ${secs}s)"
  timeout "$secs" "$CLI" sweep "${DATA[@]}" --preset fmnist-lt-resnet32 --methods erm,ce-drw,cb-rs,ldam-drw \
    --seeds 0,1,2 --out "$OUT/runs-gpu/$name" "$@" >"$OUT/sweep-$name.log" 2>&1
  log "sweep $name rc=$?"
  [ -f "$OUT/runs-gpu/$name/runs.csv" ] && cat "$OUT/runs-gpu/$name/runs.csv" | tee -a "$OUT/summary.txt"
  [ -f "$OUT/runs-gpu/$name/results.md" ] && cat "$OUT/runs-gpu/$name/results.md" | tee -a "$OUT/summary.txt"
}
want fp32 && sweep fp32-graph $(( $(left) - 5 )) --pipeline graph
want fast && sweep fast-bf16cl $(( $(left) - 5 )) --pipeline graph --precision bf16 --channels-last
log "done"
