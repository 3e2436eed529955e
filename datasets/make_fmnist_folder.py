#!/usr/bin/python3
"""Writes a long-tailed image folder from the Fashion-MNIST Debian package, to try the
image-folder source on files anyone here has:

    python3 datasets/make_fmnist_folder.py OUT [--n-max 500] [--rho 50] [--test-per-class 100] [--lists]

OUT/train/<class>/<i>.png holds n_max·rho^(-c/9) images of class c (an exponential long tail,
class 0 the largest), OUT/test/<class>/<i>.png a balanced test set. Class folders take the
Fashion-MNIST names ("T-shirt/top" becomes "T-shirt_top"; "Ankle boot" keeps its space).
With --lists it also writes the same images as list files (the ImageNet-LT convention):
OUT/train.txt and OUT/test.txt of "train/<class>/<i>.png <label>" lines, with the Fashion-MNIST
label numbers, and OUT/classes.txt naming label i on line i.
Standard library only: the PNGs are written with zlib.
"""
import argparse
import gzip
import os
import struct
import zlib

SOURCE = "/usr/share/datasets/fashion-mnist"
NAMES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def idx(name):
    path = os.path.join(SOURCE, name)
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return shape, data[4 + 4 * dims:]


def png(pixels, width, height):
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def write(out, split, images_file, labels_file, counts):
    (n, h, w), pixels = idx(images_file)
    _, labels = idx(labels_file)
    written = [0] * 10
    lines = []
    for i in range(n):
        c = labels[i]
        if written[c] >= counts[c]:
            continue
        folder = os.path.join(out, split, NAMES[c])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "%05d.png" % written[c]), "wb") as f:
            f.write(png(pixels[i * h * w:(i + 1) * h * w], w, h))
        lines.append("%s/%s/%05d.png %d\n" % (split, NAMES[c], written[c], c))
        written[c] += 1
    return written, lines


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--n-max", type=int, default=500)
    p.add_argument("--rho", type=float, default=50)
    p.add_argument("--test-per-class", type=int, default=100)
    p.add_argument("--lists", action="store_true", help="also write train.txt, test.txt and classes.txt")
    a = p.parse_args()
    train = [int(a.n_max * a.rho ** (-c / 9)) for c in range(10)]
    got, train_lines = write(a.out, "train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte", train)
    test, test_lines = write(a.out, "test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", [a.test_per_class] * 10)
    if a.lists:
        for name, lines in (("train.txt", train_lines), ("test.txt", test_lines), ("classes.txt", [n + "\n" for n in NAMES])):
            with open(os.path.join(a.out, name), "w") as f:
                f.writelines(lines)
    print("train per class:", got)
    print("test per class:", test)


if __name__ == "__main__":
    main()
