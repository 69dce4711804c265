"""Writes the pruned weight matrices of ../pruned.snn (run from this directory).

Magnitude pruning of seeded Gaussian matrices: the largest |w| survive. Plain Python, so
that regenerating them needs nothing but an interpreter.
"""
import random
import struct


def save(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % (shape,)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%df" % len(values), *values))


def pruned(rows, cols, keep, seed):
    rng = random.Random(seed)
    w = [rng.gauss(0.0, (2.0 / (rows + cols)) ** 0.5) for _ in range(rows * cols)]
    threshold = sorted((abs(v) for v in w), reverse=True)[int(keep * rows * cols) - 1]
    return [v if abs(v) >= threshold else 0.0 for v in w]


save("hidden.npy", (64, 32), pruned(64, 32, 0.20, 1))
save("hidden_bias.npy", (32,), [random.Random(2).uniform(-0.1, 0.1) for _ in range(32)])
save("output.npy", (32, 10), pruned(32, 10, 0.40, 3))
