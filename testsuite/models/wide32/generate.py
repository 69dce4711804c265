"""Writes the weights of ../wide32_round.snn and ../wide32_saturate.snn (run from this
directory): float64 matrices whose values sit at the ends of fixed<32, 31> and fixed<32, 0>,
so that products reach 2^63 and every rounding and saturation works at full width. Plain
Python, so that regenerating them needs nothing but an interpreter.
"""
import random
import struct


def save(path, shape, values):
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': %s, }" % (shape,)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%dd" % len(values), *values))


def extreme(rng, frac, n):
    """Raw values near both ends of fixed<32, frac>, as the floats they stand for."""
    top = 2**31 - 1
    raws = [rng.choice([top, -top - 1, top - rng.randrange(2**20), -top + rng.randrange(2**20),
                        rng.randrange(-top, top)]) for _ in range(n)]
    return [r / 2**frac for r in raws]


rng = random.Random(32)
save("round_hidden.npy", (16, 8), extreme(rng, 31, 16 * 8))
save("round_output.npy", (8, 4), extreme(rng, 31, 8 * 4))
save("saturate_hidden.npy", (16, 8), extreme(rng, 0, 16 * 8))
save("saturate_output.npy", (8, 4), extreme(rng, 0, 8 * 4))
