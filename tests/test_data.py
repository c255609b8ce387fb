"""Tests for utils.data: the shipped penguin file and bad data files."""

import csv
from pathlib import Path

import numpy as np
import pytest

from utils.data import (DataFileError, flipper_and_mass, load_digits,
                        load_penguins, read_numeric_csv)

CSV = Path(__file__).resolve().parent.parent / "data" / "penguins.csv"
COLUMNS = ("flipper_length_mm", "body_mass_g", "bill_length_mm",
           "bill_depth_mm", "species")
HEADER = ",".join(COLUMNS)


def read_with_csv_module():
    """Read the shipped file with the standard library, column by column."""
    with CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {name: [float(r[name]) for r in rows] for name in COLUMNS}


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# The shipped data -----------------------------------------------------------

def test_load_penguins_has_342_rows_in_every_column():
    penguins = load_penguins()
    assert penguins._fields == COLUMNS
    for name in COLUMNS:
        assert getattr(penguins, name).shape == (342,), name


def test_load_penguins_matches_the_csv_module():
    want = read_with_csv_module()
    penguins = load_penguins()
    for name in COLUMNS:
        np.testing.assert_array_equal(getattr(penguins, name), want[name])


def test_species_are_integer_codes_0_to_2():
    species = load_penguins().species
    assert np.issubdtype(species.dtype, np.integer)
    assert set(species.tolist()) == {0, 1, 2}
    # The Palmer penguins table has 152 Adelie, 68 Chinstrap and 124
    # Gentoo; one Adelie and one Gentoo lack measurements and are dropped.
    assert np.bincount(species).tolist() == [151, 68, 123]


def test_measurements_are_in_plausible_ranges():
    penguins = load_penguins()
    assert np.all((170 <= penguins.flipper_length_mm)
                  & (penguins.flipper_length_mm <= 235))
    assert np.all((2500 <= penguins.body_mass_g)
                  & (penguins.body_mass_g <= 6500))


def test_flipper_and_mass_is_centred_cm_and_kg():
    want = read_with_csv_module()
    flipper_cm = [v / 10 for v in want["flipper_length_mm"]]
    mean_cm = sum(flipper_cm) / len(flipper_cm)
    x, y = flipper_and_mass()
    assert x.shape == y.shape == (342,)
    assert abs(x.mean()) < 1e-12
    np.testing.assert_allclose(x, [v - mean_cm for v in flipper_cm],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(y, [v / 1000 for v in want["body_mass_g"]],
                               rtol=1e-15)
    # Flippers of about 17-23 cm, masses of about 2.7-6.3 kg.
    assert 4 < np.ptp(x) < 8
    assert 2.5 < y.min() < y.max() < 6.5


def test_load_penguins_reads_an_explicit_path(tmp_path):
    copy = write(tmp_path, CSV.read_text(encoding="utf-8"))
    np.testing.assert_array_equal(load_penguins(path=copy).body_mass_g,
                                  load_penguins().body_mass_g)


# read_numeric_csv on small files --------------------------------------------

def test_read_numeric_csv_returns_columns_and_values(tmp_path):
    path = write(tmp_path, "a, b\n1,2.5\n-3,4e2\n")
    columns, values = read_numeric_csv(path)
    assert columns == ("a", "b")
    assert values.dtype == np.float64
    np.testing.assert_array_equal(values, [[1.0, 2.5], [-3.0, 400.0]])


def test_windows_line_endings_and_blank_lines_are_accepted(tmp_path):
    path = write(tmp_path, "a,b\r\n1,2\r\n\r\n3,4\r\n")
    columns, values = read_numeric_csv(path)
    assert columns == ("a", "b")
    np.testing.assert_array_equal(values, [[1.0, 2.0], [3.0, 4.0]])


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "no_such_file.csv"
    with pytest.raises(FileNotFoundError, match="no_such_file.csv"):
        read_numeric_csv(path)
    with pytest.raises(FileNotFoundError, match="no_such_file.csv"):
        load_penguins(path=path)


def test_a_directory_is_not_a_data_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_numeric_csv(tmp_path)


def test_truncated_row_names_file_and_line(tmp_path):
    # Line 1 is the header, so the short row is on line 3.
    path = write(tmp_path, "a,b,c\n1,2,3\n4,5\n", name="short.csv")
    with pytest.raises(DataFileError) as info:
        read_numeric_csv(path)
    message = str(info.value)
    assert "short.csv" in message
    assert "line 3" in message
    assert "expected 3 values, found 2" in message


def test_row_with_too_many_fields_is_rejected(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3,4,5\n")
    with pytest.raises(DataFileError, match="line 3"):
        read_numeric_csv(path)


def test_data_file_error_is_a_value_error():
    assert issubclass(DataFileError, ValueError)


def test_non_numeric_value_names_line_column_and_value(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3,4\n5,abc\n", name="text.csv")
    with pytest.raises(DataFileError) as info:
        read_numeric_csv(path)
    message = str(info.value)
    assert "text.csv" in message
    assert "line 4" in message
    assert "'b'" in message
    assert "'abc'" in message


def test_line_numbers_count_blank_lines(tmp_path):
    # Lines: 1 header, 2 data, 3 blank, 4 bad value.
    path = write(tmp_path, "a,b\n1,2\n\n3,x\n")
    with pytest.raises(DataFileError, match="line 4"):
        read_numeric_csv(path)


def test_empty_field_is_not_a_number(tmp_path):
    path = write(tmp_path, "a,b\n1,\n")
    with pytest.raises(DataFileError, match="line 2"):
        read_numeric_csv(path)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf"])
def test_non_finite_values_are_rejected(tmp_path, text):
    path = write(tmp_path, f"a,b\n1,{text}\n")
    with pytest.raises(DataFileError) as info:
        read_numeric_csv(path)
    assert "line 2" in str(info.value)
    assert repr(text) in str(info.value)


def test_header_only_file_is_rejected(tmp_path):
    path = write(tmp_path, "a,b\n", name="header.csv")
    with pytest.raises(DataFileError) as info:
        read_numeric_csv(path)
    assert "header.csv" in str(info.value)
    assert "no data" in str(info.value)


@pytest.mark.parametrize("text", ["", "\n", "   \n1,2\n"])
def test_empty_file_is_rejected(tmp_path, text):
    path = write(tmp_path, text, name="empty.csv")
    with pytest.raises(DataFileError) as info:
        read_numeric_csv(path)
    assert "empty.csv" in str(info.value)
    assert "empty" in str(info.value).replace("empty.csv", "")


# load_penguins on damaged copies -------------------------------------------

def test_load_penguins_with_too_few_rows(tmp_path):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    path = write(tmp_path, "\n".join(lines[:-10]) + "\n", name="cut.csv")
    with pytest.raises(DataFileError) as info:
        load_penguins(path=path)
    message = str(info.value)
    assert "cut.csv" in message
    assert "342" in message and "332" in message


def test_load_penguins_with_an_extra_row(tmp_path):
    text = CSV.read_text(encoding="utf-8") + "200,4000,40,18,1\n"
    path = write(tmp_path, text)
    with pytest.raises(DataFileError, match="343"):
        load_penguins(path=path)


def test_load_penguins_with_the_last_line_cut_short(tmp_path):
    text = CSV.read_text(encoding="utf-8").rstrip("\n")
    path = write(tmp_path, text[:-4], name="cut.csv")
    with pytest.raises(DataFileError) as info:
        load_penguins(path=path)
    assert "cut.csv" in str(info.value)
    assert "line 343" in str(info.value)


def test_load_penguins_with_wrong_columns(tmp_path):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("body_mass_g", "mass_kg")
    path = write(tmp_path, "\n".join(lines) + "\n", name="cols.csv")
    with pytest.raises(DataFileError) as info:
        load_penguins(path=path)
    message = str(info.value)
    assert "cols.csv" in message
    assert "mass_kg" in message
    assert "body_mass_g" in message


def test_load_penguins_with_columns_in_another_order(tmp_path):
    # Same names, swapped order: reading by position would mix them up.
    rows = CSV.read_text(encoding="utf-8").splitlines()
    swapped = []
    for line in rows:
        f = line.split(",")
        swapped.append(",".join([f[1], f[0]] + f[2:]))
    path = write(tmp_path, "\n".join(swapped) + "\n")
    with pytest.raises(DataFileError, match="expected the columns"):
        load_penguins(path=path)


def test_flipper_and_mass_passes_the_path_on(tmp_path):
    with pytest.raises(FileNotFoundError, match="elsewhere.csv"):
        flipper_and_mass(path=tmp_path / "elsewhere.csv")


def test_load_penguins_rejects_an_unknown_species_code(tmp_path):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    fields = lines[5].split(",")
    fields[-1] = "2.7"
    lines[5] = ",".join(fields)
    path = write(tmp_path, "\n".join(lines) + "\n", name="codes.csv")
    with pytest.raises(DataFileError) as info:
        load_penguins(path=path)
    message = str(info.value)
    assert "codes.csv" in message and "data row 5" in message
    assert "2.7" in message and "species" in message


def test_a_file_that_is_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b\n1,\xff\xfe\n")
    with pytest.raises(DataFileError) as info:
        read_numeric_csv(path)
    assert "binary.csv" in str(info.value)
    assert "UTF-8" in str(info.value)


def test_load_digits_matches_the_csv_module():
    with (CSV.parent / "digits.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[-1] == "digit" and len(header) == 65
    digits = load_digits()
    assert digits.images.shape == (1797, 64)
    np.testing.assert_array_equal(
        digits.images, np.array([[float(v) for v in r[:64]] for r in body]))
    np.testing.assert_array_equal(digits.digit, [int(r[64]) for r in body])
    assert set(np.unique(digits.digit)) == set(range(10))


def test_load_digits_rejects_a_pixel_out_of_range(tmp_path):
    lines = (CSV.parent / "digits.csv").read_text().splitlines()
    fields = lines[3].split(",")
    fields[10] = "17"
    lines[3] = ",".join(fields)
    path = write(tmp_path, "\n".join(lines) + "\n", name="pix.csv")
    with pytest.raises(DataFileError) as info:
        load_digits(path)
    assert "pix.csv" in str(info.value) and "data row 3" in str(info.value)


def test_load_digits_rejects_a_short_file(tmp_path):
    lines = (CSV.parent / "digits.csv").read_text().splitlines()
    path = write(tmp_path, "\n".join(lines[:100]) + "\n", name="cut.csv")
    with pytest.raises(DataFileError, match="1797"):
        load_digits(path)
