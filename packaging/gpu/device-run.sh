#!/usr/bin/env bash
# One call on the GPU machine: build core + imblab-cli against PyTorch's bundled LibTorch, run the
# pipeline benchmarks, then the fmnist-lt-resnet32 parity sweeps, writing everything to $OUT.
# Needs .gpudeps (../shared/gpu/prepare.sh) and .gpudata (the four Fashion-MNIST .gz files) carried:
#   device run --carry .gpudeps --carry .gpudata -- bash packaging/gpu/device-run.sh
# Stages are cut by time so the whole call ends inside BUDGET seconds (default 570).
set -uo pipefail
# The device tool brings back at most 8 files: details go to $W and come back as one archive.
FINAL=${OUT:-$PWD/gpu-out}
BUDGET=${BUDGET:-570}
OUT=$PWD/gpu-work
rm -rf "$OUT" && mkdir -p "$OUT" "$FINAL"
# Run folders keep their summaries, configs and logs; the models stay behind.
pack() { tar czf "$FINAL/details.tgz" --exclude='*.pt' --exclude='*.safetensors' -C "$OUT" . ; cp "$OUT/summary.txt" "$FINAL/" 2>/dev/null; }
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
DATA=(--data .gpudata --device cuda)

# --- Benchmarks: one process per line (each loads the data, uploads it, warms up, captures).
bench() {  # name, then flags
  local name=$1; shift
  timeout 90 "$CLI" bench "${DATA[@]}" --warmup 10 "$@" >"$OUT/bench-$name.json" 2>"$OUT/bench-$name.err"
  local rc=$?
  log "bench $name rc=$rc: $(tr -d '\n ' <"$OUT/bench-$name.json" | grep -o '"pipeline":"[a-z]*"\|"img_per_s":[0-9.]*' | tr '\n' ' ')"
  [ $rc -eq 0 ] || tail -3 "$OUT/bench-$name.err"
}
for model in resnet32:128:200 resnet32:512:60 cnn:128:200; do
  IFS=: read -r m b steps <<<"$model"
  P=(--preset fmnist-lt-resnet32 --model "$m" --batch-size "$b" --steps "$steps")
  bench "$m-b$b-eager"        "${P[@]}" --pipeline host
  bench "$m-b$b-device"       "${P[@]}" --pipeline device
  bench "$m-b$b-graph"        "${P[@]}" --pipeline graph
  bench "$m-b$b-graph-bf16cl" "${P[@]}" --pipeline graph --precision bf16 --channels-last
done
R=(--preset fmnist-lt-resnet32 --batch-size 128 --steps 200)
bench "resnet32-b128-graph-nondet"        "${R[@]}" --pipeline graph --nondeterministic
bench "resnet32-b128-graph-bf16cl-nondet" "${R[@]}" --pipeline graph --precision bf16 --channels-last --nondeterministic
bench "resnet32-b128-graph-bf16"          "${R[@]}" --pipeline graph --precision bf16

# --- Parity sweeps on fmnist-lt-resnet32: ERM, CE-DRW, CB-RS, LDAM-DRW x 3 seeds.
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
# The fastest mode one run at a time (clean wall time per run), then fp32 graphs (the eager
# arithmetic, replayed) and fp32 eager, several runs at once on the one GPU.
sweep fast-bf16cl $(( $(left) > 170 ? 170 : $(left) )) --pipeline graph --precision bf16 --channels-last
sweep fp32-graph $(( $(left) > 120 ? 120 : $(left) )) --pipeline graph --parallel 4
sweep fp32-eager $(( $(left) - 5 )) --pipeline host --parallel 12
log "done"
