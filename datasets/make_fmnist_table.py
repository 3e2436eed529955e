#!/usr/bin/python3
"""Writes a long-tailed CSV table from the Fashion-MNIST Debian package, to try the CSV source
on files anyone here has:

    python3 datasets/make_fmnist_table.py OUT [--n-max 500] [--rho 50] [--test-per-class 100]

OUT/train.csv holds n_max·rho^(-c/9) rows of class c (an exponential long tail, class 0 the
largest), OUT/test.csv a balanced test table. Each row is an image mean-pooled to 7×7: 49 numeric
columns p00..p66 (0..255), then a "label" column with the class name. Standard library only.
"""
import argparse
import os

from make_fmnist_folder import idx  # the IDX reader: same files, same package

NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def pooled(pixels, h, w, cells=7):
    step = h // cells
    out = []
    for cy in range(cells):
        for cx in range(cells):
            total = sum(pixels[(cy * step + y) * w + cx * step + x] for y in range(step) for x in range(step))
            out.append("%.2f" % (total / (step * step)))
    return out


def write(path, images_file, labels_file, counts):
    (n, h, w), pixels = idx(images_file)
    _, labels = idx(labels_file)
    written = [0] * 10
    with open(path, "w") as f:
        f.write(",".join("p%d%d" % (y, x) for y in range(7) for x in range(7)) + ",label\n")
        for i in range(n):
            c = labels[i]
            if written[c] >= counts[c]:
                continue
            f.write(",".join(pooled(pixels[i * h * w:(i + 1) * h * w], h, w)) + ',"%s"\n' % NAMES[c])
            written[c] += 1
    return written


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--n-max", type=int, default=500)
    p.add_argument("--rho", type=float, default=50)
    p.add_argument("--test-per-class", type=int, default=100)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    train = [int(a.n_max * a.rho ** (-c / 9)) for c in range(10)]
    print("train per class:", write(os.path.join(a.out, "train.csv"), "train-images-idx3-ubyte", "train-labels-idx1-ubyte", train))
    print("test per class:", write(os.path.join(a.out, "test.csv"), "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                                   [a.test_per_class] * 10))


if __name__ == "__main__":
    main()
