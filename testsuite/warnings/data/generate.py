"""Writes heavy_neuron.npy for ../W0401_cycles_not_met.snn (run from this directory): a
(64, 32) pruned matrix where left neuron 0 keeps all 32 of its weights, the other even
neurons 4 each and the odd ones none (pruned inputs), so that one bank serves 32 edges
however many lanes the junction has. Plain Python, so that regenerating it needs nothing but
an interpreter.
"""
import struct


def save(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % (shape,)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%df" % len(values), *values))


rows, cols = 64, 32
w = [0.0] * (rows * cols)
for c in range(cols):
    w[c] = 0.25
for r in range(2, rows, 2):
    for k in range(4):
        w[r * cols + (r + 8 * k) % cols] = 0.125
save("heavy_neuron.npy", (rows, cols), w)

# big_weights.npy for ../W0501_weights_saturated.snn: a (16, 4) matrix whose first row lies
# beyond fixed<8, 5>'s range [-4, 4).
big = [0.0] * 64
for c in range(4):
    big[c] = 5.0 + c
    big[16 + c] = -0.25 * c
save("big_weights.npy", (16, 4), big)

# dense_16x4.npy for ../W0502_weights_off_edges.snn: every entry non-zero.
save("dense_16x4.npy", (16, 4), [0.125 * ((i % 7) - 3) or 0.0625 for i in range(64)])
