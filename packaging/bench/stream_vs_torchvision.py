#!/usr/bin/python3
"""The streamed image pipeline against torchvision's, side by side in one invocation.

    /usr/bin/python3 packaging/bench/stream_vs_torchvision.py [--cli build/app/imblab-cli]
        [--images 2000] [--workers 2] [--batches 30] [--folder DIR] [--memory]

Writes (unless --folder names one) DIR/train/<class>/*.jpg: photo-sized JPEGs (400-500 x
300-375 px, quality 90, ImageNet's typical size) in 20 classes. Both sides then deliver
training batches of 128 as a training step receives them: decoded, RandomResizedCrop to 224
(scale 0.08-1, ratio 3/4-4/3), horizontal flip, normalised to float. Ours is `imblab-cli bench
--input-only` with the stream pipeline, --workers decoding threads and one torch thread in the
process that takes the batches; torchvision's is ImageFolder + DataLoader(num_workers=--workers,
shuffle, persistent workers) with RandomResizedCrop, RandomHorizontalFlip, ToTensor and
Normalize (Pillow decodes), one torch thread in the process that takes them. Each side runs
2 untimed batches, then --batches timed ones. Prints one JSON line: both images/s, the ratio, the
workers, the processor; with --memory, also each side's peak memory as the set grows tenfold
(ours streamed and decoded in memory; theirs: the main process and its workers' peaks summed).
"""
import argparse, json, os, random, subprocess, sys, tempfile, time

import torch
import torchvision
import torchvision.transforms as T
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import cpu_name  # noqa: E402

BATCH, SIZE = 128, 224


def write_photos(root, images, classes=20):
    """Smooth gradients with noise and a few edges: JPEG sizes like photos', not like flat cards."""
    rng = random.Random(0)
    import numpy as np
    nrng = np.random.default_rng(0)
    for i in range(images):
        c = i % classes
        w, h = rng.randrange(400, 501), rng.randrange(300, 376)
        yy, xx = np.mgrid[0:h, 0:w]
        base = np.stack([(xx * (c + 1) % 255), (yy * 2 % 255), ((xx + yy) // 7 % 2) * 180], axis=-1).astype(np.float32)
        img = np.clip(base + nrng.normal(0, 18, (h, w, 3)), 0, 255).astype(np.uint8)
        folder = os.path.join(root, "train", f"c{c:02d}")
        os.makedirs(folder, exist_ok=True)
        Image.fromarray(img).save(os.path.join(folder, f"{i}.jpg"), quality=90)


def ours(cli, folder, workers, batches, pipeline="stream"):
    cmd = [cli, "bench", "--input-only", "--dataset", "folder", "--data", os.path.join(folder, "train"),
           "--data-pipeline", pipeline, "--image-size", str(SIZE), "--batch-size", str(BATCH), "--profile", "none",
           "--test-split", "0.01", "--threads", "1", "--data-threads", str(workers), "--warmup", "2", "--steps", str(batches),
           "--no-cache"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def peak_mb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def theirs(folder, workers, batches):
    """Runs in a child process so that its peak memory is its own."""
    code = f"""
import json, os, time, torch, torchvision, torchvision.transforms as T
torch.set_num_threads(1)
tf = T.Compose([T.RandomResizedCrop({SIZE}), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
ds = torchvision.datasets.ImageFolder({os.path.join(folder, "train")!r}, tf)
dl = torch.utils.data.DataLoader(ds, batch_size={BATCH}, shuffle=True, num_workers={workers}, drop_last=True,
                                 persistent_workers=True)
def batches():
    while True:
        for x, y in dl:
            yield x
it = batches()
for _ in range(2): next(it)
t0 = time.perf_counter(); n = 0
for _ in range({batches}): n += next(it).shape[0]
secs = time.perf_counter() - t0
def peak(pid):
    for line in open(f"/proc/{{pid}}/status"):
        if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024
    return 0.0
workers = [w.pid for w in dl._iterator._workers] if dl._iterator else []
print(json.dumps({{"images_per_s": n / secs, "seconds": secs, "images": n, "peak_rss_mb": peak(os.getpid()) + sum(peak(p) for p in workers)}}))
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", default="build/app/imblab-cli")
    p.add_argument("--images", type=int, default=2000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--batches", type=int, default=30)
    p.add_argument("--folder")
    p.add_argument("--memory", action="store_true", help="also peak memory at --images and ten times as many")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = a.folder or os.path.join(tmp, "photos")
        if not a.folder:
            write_photos(folder, a.images)
        mine = ours(a.cli, folder, a.workers, a.batches)
        tv = theirs(folder, a.workers, a.batches)
        result = {"images": a.images, "image_size": SIZE, "batch": BATCH, "workers": a.workers, "processor": cpu_name(),
                  "cores": os.cpu_count(), "torch": torch.__version__, "torchvision": torchvision.__version__,
                  "imblab_images_per_s": round(mine["images_per_s"], 1), "torchvision_images_per_s": round(tv["images_per_s"], 1),
                  "ratio": round(mine["images_per_s"] / tv["images_per_s"], 2)}
        if a.memory:
            big = os.path.join(tmp, "photos10")
            write_photos(big, a.images * 10)
            for name, path in (("1x", folder), ("10x", big)):
                result[f"imblab_stream_peak_mb_{name}"] = round(ours(a.cli, path, a.workers, 5)["peak_rss_mb"])
                result[f"imblab_decoded_peak_mb_{name}"] = round(ours(a.cli, path, a.workers, 5, "decoded")["peak_rss_mb"])
                result[f"torchvision_peak_mb_{name}"] = round(theirs(path, a.workers, 5)["peak_rss_mb"])
        print(json.dumps(result))


if __name__ == "__main__":
    main()
