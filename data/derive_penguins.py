"""Derive data/penguins.csv from the Palmer penguins table.

The course ships the derived file; this script records exactly how it was
made, so anyone can check it. It needs the original ``penguins.csv`` (the
simplified table of the palmerpenguins data package, 344 rows and 8
columns) and writes the numeric file the course reads:

    python data/derive_penguins.py ORIGINAL.csv data/penguins.csv

Rows with any of the four measurements missing ("NA") are dropped (2 of
344). The species name is written as a code: 0 Adelie, 1 Chinstrap,
2 Gentoo. The measurements are copied as they are, text for text.
"""

import csv
import sys

SPECIES = ("Adelie", "Chinstrap", "Gentoo")
MEASUREMENTS = (
    "flipper_length_mm",
    "body_mass_g",
    "bill_length_mm",
    "bill_depth_mm",
)


def derive(source, target):
    with open(source, newline="") as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows if "NA" not in (r[m] for m in MEASUREMENTS)]
    with open(target, "w", newline="") as f:
        f.write(",".join(MEASUREMENTS + ("species",)) + "\n")
        for r in kept:
            values = [r[m] for m in MEASUREMENTS]
            values.append(str(SPECIES.index(r["species"])))
            f.write(",".join(values) + "\n")
    return len(rows), len(kept)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    read, kept = derive(sys.argv[1], sys.argv[2])
    print(f"read {read} rows, kept {kept}")
