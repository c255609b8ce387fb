"""Load the datasets shipped in ``data/``; nothing is downloaded.

``read_numeric_csv`` reads a comma-separated file with one header line
and numbers only. A missing file, a short or long row (as left by a
truncated download or copy) and a value that is not a number each raise
an error that names the file and the line.
"""

from pathlib import Path
from typing import NamedTuple

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

PENGUIN_ROWS = 342
PENGUIN_SPECIES = ("Adelie", "Chinstrap", "Gentoo")


class DataFileError(ValueError):
    """A data file exists but its content is not what the course expects."""


def read_numeric_csv(path):
    """Return ``(columns, values)`` from a numeric CSV file.

    ``columns`` is the tuple of names on the header line, ``values`` a
    float64 array with one row per data line.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"data file not found: {path}. The course ships its data in "
            f"the data/ folder of the repository; restore the file with "
            f"'git checkout -- data/' or clone the repository again."
        )
    try:
        with path.open(encoding="utf-8") as f:
            lines = f.read().splitlines()
    except UnicodeDecodeError as error:
        raise DataFileError(
            f"{path}: not a text file in UTF-8 (byte {error.start} "
            f"cannot be read); restore it from the repository"
        ) from None
    if not lines or not lines[0].strip():
        raise DataFileError(f"{path}: the file is empty (no header line)")
    columns = tuple(name.strip() for name in lines[0].split(","))
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split(",")
        if len(fields) != len(columns):
            raise DataFileError(
                f"{path}, line {number}: expected {len(columns)} values, "
                f"found {len(fields)}; the file may be truncated or damaged"
            )
        rows.append([_number(f, path, number, c)
                     for f, c in zip(fields, columns)])
    if not rows:
        raise DataFileError(f"{path}: the file has a header but no data")
    return columns, np.array(rows, dtype=np.float64)


def _number(field, path, line, column):
    try:
        value = float(field)
    except ValueError:
        raise DataFileError(
            f"{path}, line {line}, column {column!r}: "
            f"{field.strip()!r} is not a number"
        ) from None
    if not np.isfinite(value):
        raise DataFileError(
            f"{path}, line {line}, column {column!r}: "
            f"{field.strip()!r} is not a finite number"
        )
    return value


class Penguins(NamedTuple):
    """Measurements of 342 penguins; see ``data/README.md``."""

    flipper_length_mm: np.ndarray
    body_mass_g: np.ndarray
    bill_length_mm: np.ndarray
    bill_depth_mm: np.ndarray
    species: np.ndarray  # 0 Adelie, 1 Chinstrap, 2 Gentoo


def load_penguins(path=None):
    """Load ``data/penguins.csv`` (or ``path``) as a ``Penguins`` tuple."""
    path = DATA_DIR / "penguins.csv" if path is None else Path(path)
    columns, values = read_numeric_csv(path)
    if columns != Penguins._fields:
        raise DataFileError(
            f"{path}: expected the columns {', '.join(Penguins._fields)}; "
            f"found {', '.join(columns)}"
        )
    if len(values) != PENGUIN_ROWS:
        raise DataFileError(
            f"{path}: expected {PENGUIN_ROWS} rows of data, found "
            f"{len(values)}; the file may be truncated"
        )
    fields = [values[:, i] for i in range(len(columns))]
    codes = fields[-1]
    bad = ~np.isin(codes, np.arange(len(PENGUIN_SPECIES)))
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise DataFileError(
            f"{path}, data row {row}, column 'species': {codes[bad][0]:g} "
            f"is not a species code (0, 1 or 2)"
        )
    fields[-1] = codes.astype(np.int64)
    return Penguins(*fields)


def flipper_and_mass(path=None):
    """Return the course's regression data ``(x, y)``.

    ``x`` is flipper length in centimetres, minus its mean over the data
    set, and ``y`` is body mass in kilograms. Chapter 1 explains why the
    input is centred.
    """
    penguins = load_penguins(path)
    flipper_cm = penguins.flipper_length_mm / 10.0
    x = flipper_cm - flipper_cm.mean()
    y = penguins.body_mass_g / 1000.0
    return x, y


DIGIT_ROWS = 1797


class Digits(NamedTuple):
    """1797 handwritten digits as 8x8 images; see ``data/README.md``.

    ``images`` has shape (1797, 64): each row is an 8x8 image read row by
    row, with pixel values from 0 to 16. ``digit`` holds the labels 0-9.
    """

    images: np.ndarray
    digit: np.ndarray


def load_digits(path=None):
    """Load ``data/digits.csv`` (or ``path``) as a ``Digits`` tuple."""
    path = DATA_DIR / "digits.csv" if path is None else Path(path)
    columns, values = read_numeric_csv(path)
    if len(columns) != 65 or columns[-1] != "digit":
        raise DataFileError(
            f"{path}: expected 64 pixel columns and then 'digit'; found "
            f"{len(columns)} columns ending with {columns[-1]!r}"
        )
    if len(values) != DIGIT_ROWS:
        raise DataFileError(
            f"{path}: expected {DIGIT_ROWS} rows of data, found "
            f"{len(values)}; the file may be truncated"
        )
    images, digit = values[:, :64], values[:, 64]
    for name, array, top in (("a pixel", images, 16), ("digit", digit, 9)):
        bad = (array != np.round(array)) | (array < 0) | (array > top)
        if bad.any():
            row = int(np.argwhere(bad)[0][0]) + 1
            raise DataFileError(
                f"{path}, data row {row}: {name} outside 0..{top} or not "
                f"a whole number"
            )
    return Digits(images, digit.astype(np.int64))
