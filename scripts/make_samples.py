#!/usr/bin/python3
"""Regenerates the bundled sample datasets in samples/.

Run with Debian's Python (numpy and scikit-learn installed):  /usr/bin/python3 scripts/make_samples.py

- iris.csv:    the classic 150 rows, copied from scikit-learn's bundled iris data, with the target
               written as the species name.
- binary.csv:  300 rows, two overlapping Gaussian classes "no"/"yes" (not linearly separable).
- blobs3.csv:  300 rows, three Gaussian blobs "A", "B", "C" that overlap a little.
"""
import csv
import os

import numpy as np
import sklearn.datasets

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def iris():
    src = os.path.join(os.path.dirname(sklearn.datasets.__file__), "data", "iris.csv")
    with open(src) as f:
        reader = csv.reader(f)
        first = next(reader)
        names = first[2:]
        rows = [[*r[:4], names[int(r[4])]] for r in reader]
    assert len(rows) == 150
    write("iris.csv", ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], rows)


def binary(rng):
    n = 150
    no = rng.normal(loc=[0.0, 0.0], scale=[1.0, 1.2], size=(n, 2))
    yes = rng.normal(loc=[1.6, 1.2], scale=[1.1, 1.0], size=(n, 2))
    X = np.vstack([no, yes])
    y = ["no"] * n + ["yes"] * n
    order = rng.permutation(2 * n)
    write("binary.csv", ["x1", "x2", "label"], [[f"{X[i, 0]:.4f}", f"{X[i, 1]:.4f}", y[i]] for i in order])


def blobs3(rng):
    centers = {"A": [0.0, 0.0], "B": [3.0, 0.5], "C": [1.2, 2.8]}
    rows = []
    for label, c in centers.items():
        pts = rng.normal(loc=c, scale=0.9, size=(100, 2))
        rows += [[f"{x:.4f}", f"{y:.4f}", label] for x, y in pts]
    order = rng.permutation(len(rows))
    write("blobs3.csv", ["x", "y", "class"], [rows[i] for i in order])


def main():
    os.makedirs(OUT, exist_ok=True)
    iris()
    binary(np.random.default_rng(20240601))
    blobs3(np.random.default_rng(20240602))


if __name__ == "__main__":
    main()
