"""Reading and checking tables: every bad input names the file, column and value."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils.tables import read_csv_table, require_columns

SCHEMA = {"id": "int", "when": "date", "amount": "float", "flag": "bool", "note": "str?", "count": "int?"}


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_each_kind(tmp_path):
    path = _write(tmp_path, "id,when,amount,flag,note,count\n1,2024-01-31,2.5,true,hi,3\n2,2024-02-01,0,false,,\n")
    frame = read_csv_table(path, SCHEMA, index="id")
    assert frame.index.tolist() == [1, 2]
    assert frame["when"].tolist() == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01")]
    assert frame["amount"].tolist() == [2.5, 0.0]
    assert frame["flag"].tolist() == [True, False]
    assert frame["note"].isna().tolist() == [False, True]
    assert frame["count"].isna().tolist() == [False, True] and frame["count"].iloc[0] == 3


@pytest.mark.parametrize("text, message", [
    ("id,when,amount,flag\n1,2024-01-01,1,true\n", "t.csv: missing column 'note'"),
    ("id,when,amount,flag,note,count\nx,2024-01-01,1,true,,\n", "column 'id' should hold numbers (int), but row 1 has 'x'"),
    ("id,when,amount,flag,note,count\n1.5,2024-01-01,1,true,,\n", "column 'id' should hold whole numbers (int), but row 1 has '1.5'"),
    ("id,when,amount,flag,note,count\n1,31/01/2024,1,true,,\n", "column 'when' should hold dates (YYYY-MM-DD), but row 1 has '31/01/2024'"),
    ("id,when,amount,flag,note,count\n1,2024-01-01,1,true,,\n2,2024-01-01,lots,true,,\n",
     "column 'amount' should hold numbers (float), but row 2 has 'lots'"),
    ("id,when,amount,flag,note,count\n1,2024-01-01,1,yes,,\n", "column 'flag' should hold true or false, but row 1 has 'yes'"),
    ("id,when,amount,flag,note,count\n1,2024-01-01,,true,,\n", "column 'amount' has a blank value in row 1"),
])
def test_bad_tables_raise_errors_naming_file_column_and_value(tmp_path, text, message):
    with pytest.raises(ValueError) as error:
        read_csv_table(_write(tmp_path, text), SCHEMA)
    assert message in str(error.value)


def test_missing_file_names_the_file_and_the_expected_columns(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.csv: file not found \(expected a CSV table with columns id, when"):
        read_csv_table(tmp_path / "nope.csv", SCHEMA)


def test_require_columns():
    frame = pd.DataFrame({"customer_id": [1], "amount": [2.0]})
    require_columns(frame, ["customer_id", "amount"], table="transactions")
    with pytest.raises(ValueError, match="transactions is missing column 'date'"):
        require_columns(frame, ["customer_id", "date"], table="transactions")
    with pytest.raises(TypeError, match="transactions should be a pandas DataFrame, got list"):
        require_columns([1, 2], ["customer_id"], table="transactions")
    require_columns(frame.set_index("customer_id"), ["customer_id"], table="indexed")  # the index counts


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**12, 10**12), st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 4))),
                min_size=1, max_size=20))
def test_integers_and_floats_survive_a_round_trip(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("rt") / "rt.csv"
    pd.DataFrame(rows, columns=["n", "x"]).to_csv(path, index=False)
    frame = read_csv_table(path, {"n": "int", "x": "float"})
    assert frame["n"].tolist() == [n for n, _ in rows]
    assert frame["x"].tolist() == pytest.approx([x for _, x in rows], rel=1e-12, abs=1e-12)


def _read_carefully(path, schema, index=None):
    """The value-by-value reading, which names any bad row: the reference the quick reading must match."""
    from customering_utils.tables import _convert

    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    frame = pd.DataFrame({column: _convert(raw[column], kind, path.name, column) for column, kind in schema.items()})
    return frame.set_index(index) if index else frame


def test_the_worlds_tables_read_quickly_are_the_tables_read_value_by_value():
    from customering_utils.datasets.world import SCHEMAS, default_directory

    for name, (index, schema) in SCHEMAS.items():
        path = default_directory() / f"{name}.csv"
        pd.testing.assert_frame_equal(read_csv_table(path, schema, index=index),
                                      _read_carefully(path, schema, index), check_exact=True, obj=name)


@pytest.mark.parametrize("text", [
    "id,when,amount,flag,note,count\n 7 ,2024-01-31, 2.5 ,True,  ,\n",  # spaces around values, a blank of spaces
    "id,when,amount,flag,note,count\n1e3,2024-01-31,inf,FALSE,x,4\n",     # written the way Python writes numbers
    "id,when,amount,flag,note,count\n1,2024-01-31,2.5,true,x,1.0\n",      # a whole number with a decimal point
])
def test_unusual_but_valid_values_read_as_the_careful_reading_reads_them(tmp_path, text):
    path = _write(tmp_path, text)
    pd.testing.assert_frame_equal(read_csv_table(path, SCHEMA), _read_carefully(path, SCHEMA), check_exact=True)


@pytest.mark.parametrize("value", ["nan", "NaN", "1_000", "n/a"])
def test_a_number_column_rejects_words_even_where_blanks_are_allowed(tmp_path, value):
    with pytest.raises(ValueError, match=rf"column 'count' should hold numbers \(int\), but row 1 has '{value}'"):
        read_csv_table(_write(tmp_path, f"id,when,amount,flag,note,count\n1,2024-01-31,2.5,true,,{value}\n"), SCHEMA)
    with pytest.raises(ValueError, match=rf"column 'amount' should hold numbers \(float\), but row 1 has '{value}'"):
        read_csv_table(_write(tmp_path, f"id,when,amount,flag,note,count\n1,2024-01-31,{value},true,,\n"), SCHEMA)
