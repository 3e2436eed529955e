#!/usr/bin/env python3
"""Compares two run folders' metrics.jsonl and summary.json, leaving out timings.

Used on the GPU machine to show that pipelines which should compute the same arithmetic (host
data + eager steps, device data + eager steps, CUDA-graph replay) give the same numbers.
Prints one line per pair: identical, or the largest difference and where it is.
"""
import json
import sys

TIMING = {"img_per_s", "elapsed_s", "eta_s", "wall_seconds", "train_seconds", "seconds", "pipeline"}


def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in TIMING and "second" not in k}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x


def diff(a, b, where, worst):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                worst.append((float("inf"), f"{where}.{k} missing on one side"))
            else:
                diff(a[k], b[k], f"{where}.{k}", worst)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            worst.append((float("inf"), f"{where}: {len(a)} vs {len(b)} items"))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{where}[{i}]", worst)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if a != b:
            worst.append((abs(a - b), f"{where}: {a} vs {b}"))
    elif a != b:
        worst.append((float("inf"), f"{where}: {a!r} vs {b!r}"))


def load(run):
    with open(f"{run}/metrics.jsonl") as f:
        records = [strip(json.loads(line)) for line in f if line.strip()]
    with open(f"{run}/summary.json") as f:
        return {"metrics": records, "summary": strip(json.load(f))}


def main(a, b):
    worst = []
    A, B = load(a), load(b)
    diff(A, B, "", worst)
    n = len(A["metrics"])
    if not worst:
        print(f"{a} == {b}: identical ({n} metric records and the summary, timings left out)")
        return 0
    worst.sort(key=lambda w: -w[0])
    print(f"{a} vs {b}: {len(worst)} values differ; largest: {worst[0][1]}; "
          f"balanced error {A['summary'].get('balanced_error')} vs {B['summary'].get('balanced_error')}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
