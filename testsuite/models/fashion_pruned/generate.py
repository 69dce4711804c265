"""Writes the pruned weights of ../fashion_pruned.snn (run from this directory) from the
weights of dense.snn trained on Fashion-MNIST:

    snnc train dense.snn --data /usr/share/datasets/fashion-mnist --epochs 2 \
        --engine float --save fashion_dense.npz
    python3 generate.py fashion_dense.npz

Magnitude pruning: the hidden junction keeps its largest 10% of weights, the output
junction its largest 50%; biases are kept. Plain Python, so that regenerating them needs
nothing but an interpreter.
"""
import ast
import struct
import sys
import zipfile


def load(archive, name):
    data = archive.read(name + ".npy")
    length = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + length].decode())
    assert header["descr"] == "<f8" and not header["fortran_order"]
    shape = header["shape"]
    count = 1
    for n in shape:
        count *= n
    values = struct.unpack("<%dd" % count, data[10 + length:10 + length + 8 * count])
    return shape, list(values)


def save(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % (shape,)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%df" % len(values), *values))


def pruned(values, keep):
    order = sorted(range(len(values)), key=lambda i: (-abs(values[i]), i))
    kept = set(order[: round(keep * len(values))])
    return [v if i in kept else 0.0 for i, v in enumerate(values)]


archive = zipfile.ZipFile(sys.argv[1])
for junction, keep in (("hidden", 0.10), ("output", 0.50)):
    shape, weights = load(archive, junction + ".weights")
    save(junction + ".npy", shape, pruned(weights, keep))
    shape, biases = load(archive, junction + ".biases")
    save(junction + "_bias.npy", shape, biases)
