"""Derive data/digits.csv from the 8x8 handwritten digits table.

The original has no header: 1797 rows of 64 pixel counts (0 to 16, row
by row of the 8x8 image) followed by the digit. This script adds a
header line, pixel_00 ... pixel_77 (row, column) and ``digit``, and
copies every row unchanged:

    python data/derive_digits.py ORIGINAL.csv[.gz] data/digits.csv
"""

import gzip
import sys

HEADER = [f"pixel_{r}{c}" for r in range(8) for c in range(8)] + ["digit"]


def derive(source, target):
    opener = gzip.open if source.endswith(".gz") else open
    with opener(source, "rt") as f:
        rows = [line.strip() for line in f if line.strip()]
    for number, row in enumerate(rows, start=1):
        if len(row.split(",")) != len(HEADER):
            raise SystemExit(f"{source}, line {number}: expected 65 values")
    with open(target, "w", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        f.write("\n".join(rows) + "\n")
    return len(rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"wrote {derive(sys.argv[1], sys.argv[2])} rows")
