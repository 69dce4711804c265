"""Writes train.csv and test.csv for ../../models/tiny.snn: 16 pixel values per sample,
4 classes, each class a bright quarter of the pixels plus noise, as values p / 256. Label
first, no header line."""
import random

rng = random.Random(4)


def sample(label):
    pixels = [rng.randint(0, 60) for _ in range(16)]
    for i in range(4 * label, 4 * label + 4):
        pixels[i] = rng.randint(150, 255)
    return [label] + [p / 256 for p in pixels]


for name, count in (("train.csv", 400), ("test.csv", 100)):
    with open(name, "w") as f:
        for n in range(count):
            row = sample(n % 4)
            f.write(",".join([str(row[0])] + [f"{v:.8f}" for v in row[1:]]) + "\n")
