#!/usr/bin/python3
"""Writes a long-tailed folder of many small JPEG classes, and the same files as iNaturalist
annotation JSON, to try Imbalance Lab at 100, 1 000 or 8 142 classes without downloading anything:

    python3 datasets/make_long_tail_jpegs.py OUT [--classes 1000] [--n-max 100] [--n-min 2]
                                                 [--test-per-class 3] [--size 32]

OUT/train/c0000/…/<i>.jpg holds floor(n_max·(n_min/n_max)^(c/(k−1))) images of class c (an
exponential long tail from n_max down to n_min), OUT/test/c0000/ a balanced test set; OUT/train.json
and OUT/val.json describe the same files as iNaturalist 2018 does (images, annotations, categories
with names like "Genus species 0042", ids shuffled so that their order is not the folder order).
Each class is a colour and an orientation of stripes with noise, so a network can tell many of
them apart. Needs Pillow and NumPy (Debian: python3-pil, python3-numpy).
"""
import argparse
import json
import math
import os
import random

import numpy as np
from PIL import Image


def class_image(rng, c, k, size):
    hue = (c * 0.618033988749895) % 1.0
    angle = math.pi * ((c * 7) % k) / k
    yy, xx = np.mgrid[0:size, 0:size]
    phase = rng.uniform(0, 2 * math.pi)
    stripes = 0.5 + 0.5 * np.sin((np.cos(angle) * xx + np.sin(angle) * yy) * (0.4 + (c % 5) * 0.15) + phase)
    base = np.array([0.5 + 0.5 * math.cos(2 * math.pi * (hue + t / 3)) for t in range(3)])
    img = stripes[..., None] * base[None, None, :] + rng.normal(0, 0.12, (size, size, 3))
    return Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--n-max", type=int, default=100)
    p.add_argument("--n-min", type=int, default=2)
    p.add_argument("--test-per-class", type=int, default=3)
    p.add_argument("--size", type=int, default=32)
    a = p.parse_args()
    k = a.classes
    rng = np.random.default_rng(0)
    ids = list(range(1, k + 1))
    random.Random(0).shuffle(ids)  # category ids not in folder order
    files = {"train": [], "val": []}
    for c in range(k):
        n = math.floor(a.n_max * (a.n_min / a.n_max) ** (c / max(1, k - 1)))
        for split, count in (("train", n), ("test", a.test_per_class)):
            folder = os.path.join(a.out, split, f"c{c:04d}")
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                name = os.path.join(split, f"c{c:04d}", f"{i}.jpg")
                class_image(rng, c, k, a.size).save(os.path.join(a.out, name), quality=90)
                files["train" if split == "train" else "val"].append((name, ids[c]))
    categories = [{"id": ids[c], "name": f"Genus species {c:04d}", "supercategory": "Synthetica"} for c in range(k)]
    for split, listed in files.items():
        images = [{"id": i + 1, "file_name": f, "width": a.size, "height": a.size} for i, (f, _) in enumerate(listed)]
        annotations = [{"id": i + 1, "image_id": i + 1, "category_id": cat} for i, (_, cat) in enumerate(listed)]
        with open(os.path.join(a.out, f"{split}.json"), "w") as f:
            json.dump({"info": {"description": "synthetic long tail"}, "images": images, "annotations": annotations,
                       "categories": categories}, f)
    print(json.dumps({"classes": k, "train": len(files["train"]), "test": len(files["val"])}))


if __name__ == "__main__":
    main()
