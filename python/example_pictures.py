"""Writes a few Fashion-MNIST validation images as PNG pictures for the README's examples.

Each is scaled 4x (112x112) and drawn dark on light, as a catalogue photo is, so that the server's
and predict's picture path (gray, inverted when the border is light, trimmed, fitted to 28x28) is
exercised. Usage: /usr/bin/python3 python/example_pictures.py OUT_DIR [--all]
With --all it writes every one of the 10,000 (test-00000-label.png ...), for batch-predict's scaling table.
"""
import gzip
import struct
import sys
import zlib

NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
DATA = "/usr/share/datasets/fashion-mnist/"


def png(path, rows):
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(row) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def main(out, every=False):
    images = gzip.open(DATA + "t10k-images-idx3-ubyte.gz").read()[16:]
    labels = gzip.open(DATA + "t10k-labels-idx1-ubyte.gz").read()[8:]
    if every:
        for index, label in enumerate(labels):
            pixels = images[index * 784:(index + 1) * 784]
            rows = [[255 - pixels[(r // 4) * 28 + c // 4] for c in range(112)] for r in range(112)]
            png(f"{out}/test-{index:05d}-{NAMES[label]}.png", rows)
        print(f"{out}: {len(labels)} pictures")
        return
    done = set()
    for index, label in enumerate(labels):
        if label in done or NAMES[label] not in ("sandal", "trouser", "bag", "sneaker"):
            continue
        done.add(label)
        pixels = images[index * 784:(index + 1) * 784]
        rows = [[255 - pixels[(r // 4) * 28 + c // 4] for c in range(112)] for r in range(112)]
        png(f"{out}/{NAMES[label]}.png", rows)
        print(f"{out}/{NAMES[label]}.png: validation image {index}")


if __name__ == "__main__":
    main(sys.argv[1], "--all" in sys.argv[2:])
