"""Checks that a table holds what a function needs, with errors that say what to fix.

Every function in the package that takes a table calls these first, so a learner who
passes the wrong thing hears which column is wrong and what was expected, instead of
getting a silently wrong number.

>>> import pandas as pd
>>> require_columns(pd.DataFrame({"customer_id": [1]}), ["customer_id", "amount"], table="transactions")
Traceback (most recent call last):
...
ValueError: transactions is missing column 'amount' (it has: customer_id; expected: customer_id, amount)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

#: The column kinds a table schema may name. A trailing "?" allows blanks (missing values).
KINDS = ("int", "float", "bool", "str", "date", "datetime")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, table: str = "table") -> None:
    """Raise ``ValueError`` naming the first column of ``columns`` that ``frame`` lacks.

    Also raises ``TypeError`` when ``frame`` is not a DataFrame at all.

    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1], "b": [2]}), ["a"], table="demo")  # fine: returns None
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{table} should be a pandas DataFrame, got {type(frame).__name__}")
    wanted = list(columns)
    present = list(frame.columns) + ([frame.index.name] if frame.index.name else [])
    for column in wanted:
        if column not in present:
            raise ValueError(
                f"{table} is missing column {column!r} "
                f"(it has: {', '.join(map(str, present)) or 'no columns'}; expected: {', '.join(wanted)})"
            )


def check_transactions(
    frame: pd.DataFrame,
    columns: Iterable[str] = ("customer_id", "date", "amount"),
    *,
    table: str = "transactions",
) -> pd.DataFrame:
    """Check a purchases table and return a clean copy of its ``columns``.

    A transactions table has one row per purchase: ``customer_id`` (who bought),
    ``date`` (when) and ``amount`` (how much, in US dollars). This checks the columns
    asked for and raises, naming the column, the first bad row and what was expected,
    when the table is not a DataFrame (``TypeError``), lacks a column, has no rows,
    has a missing ``customer_id``, a date that is missing or not a date, or an amount
    that is missing, infinite or negative (``ValueError``). Dates written as text
    (``"2025-01-31"``) are converted. The input is never changed; a column that is the
    index (``customer_id`` for example) comes back as a column.

    >>> import pandas as pd
    >>> purchases = pd.DataFrame(
    ...     {"customer_id": [1, 2], "date": ["2025-01-05", "2025-02-01"], "amount": [20.0, 35.5]}
    ... )
    >>> check_transactions(purchases)["date"].dt.month.tolist()
    [1, 2]
    >>> check_transactions(purchases.assign(amount=[20.0, -5.0]))
    Traceback (most recent call last):
    ...
    ValueError: transactions column 'amount' has 1 negative value (first: -5.0 at index 1); expected amounts of at least 0 US dollars
    """
    wanted = list(columns)
    require_columns(frame, wanted, table=table)
    data = frame if all(column in frame.columns for column in wanted) else frame.reset_index()
    data = data[wanted].copy()
    if len(data) == 0:
        raise ValueError(f"{table} is empty (0 rows); expected at least one purchase")
    for column in wanted:
        values = data[column]
        about = f"{table} column {column!r}"
        if column == "date" and not pd.api.types.is_datetime64_any_dtype(values):
            parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
            _raise_if(parsed.isna() & values.notna(), values,
                      about + " should hold dates (YYYY-MM-DD), but {where} has {value!r}")
            data[column] = values = parsed
        if column == "amount" and not pd.api.types.is_numeric_dtype(values):
            numbers = pd.to_numeric(values, errors="coerce")
            _raise_if(numbers.isna() & values.notna(), values,
                      about + " should hold numbers (US dollars), but {where} has {value!r}")
            data[column] = values = numbers.astype(float)
        what = {"customer_id": "an id", "date": "a date", "amount": "an amount"}.get(column, "a value")
        _raise_if(values.isna(), values,
                  about + " has {count} missing {values} (first at {where}); expected " + what + " on every row")
        if column == "amount":
            _raise_if(np.isinf(values), values,
                      about + " has {count} infinite {values} (first: {value!r} at {where}); expected finite amounts")
            _raise_if(values < 0, values,
                      about + " has {count} negative {values} (first: {value!r} at {where}); "
                      "expected amounts of at least 0 US dollars")
    return data


def _raise_if(bad: pd.Series, values: pd.Series, message: str) -> None:
    """Raise ``ValueError(message)`` if any ``bad``, filling in the count and the first bad row and value."""
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        count = int(bad.sum())
        where = f"{values.index.name or 'index'} {values.index[first]}"
        value = values.iloc[first]
        value = value.item() if isinstance(value, np.generic) else value
        raise ValueError(message.format(count=f"{count:,}", values="value" if count == 1 else "values",
                                        where=where, value=value))


def read_csv_table(path: str | Path, schema: Mapping[str, str], *, index: str | None = None) -> pd.DataFrame:
    """Read a CSV file and convert each column to the kind ``schema`` names.

    ``schema`` maps column name to one of :data:`KINDS`, with a trailing ``"?"`` where
    blanks are allowed. The result has the schema's columns in the schema's order,
    indexed by ``index`` if given. A missing file, a missing column, or a value that is
    not of its column's kind raises ``FileNotFoundError`` or ``ValueError`` naming the
    file, the column, the row and the value.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.csv"
    >>> _ = path.write_text("customer_id,amount\\n1,9.5\\n2,oops\\n")
    >>> read_csv_table(path, {"customer_id": "int", "amount": "float"})
    Traceback (most recent call last):
    ...
    ValueError: demo.csv: column 'amount' should hold numbers (float), but row 2 has 'oops'
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: file not found (expected a CSV table with columns {', '.join(schema)})")
    plain = _read_plain(path, schema)
    if plain is not None:
        return plain.set_index(index) if index else plain
    # Something in the file is not plain: read every value as text, to name the one at fault.
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    name = path.name
    missing = [column for column in schema if column not in raw.columns]
    if missing:
        raise ValueError(
            f"{name}: missing column {missing[0]!r} "
            f"(found: {', '.join(raw.columns)}; expected: {', '.join(schema)})"
        )
    converted = {column: _convert(raw[column], kind, name, column) for column, kind in schema.items()}
    frame = pd.DataFrame(converted)
    return frame.set_index(index) if index else frame


def _read_plain(path: Path, schema: Mapping[str, str]) -> pd.DataFrame | None:
    """The table, when every number in it is plainly written; None when the careful reading must decide.

    The CSV parser converts numbers at C speed, so the course's data loads in a fraction
    of a second (a graded notebook's hidden tests load it again and again). Anything it
    does not take as it is (a blank where none is allowed, ``1.5`` where a whole number
    belongs, a word) sends the file to the careful reading of :func:`read_csv_table`,
    which names the row and the value.
    """
    numbers = {"int": "int64", "int?": "Int64", "float": "float64", "float?": "float64"}
    types = {column: numbers.get(kind, str) for column, kind in schema.items()}
    blanks = {column: [""] for column, kind in schema.items() if kind in ("int?", "float?")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a cast the parser gives up on: we read carefully
            raw = pd.read_csv(path, dtype=types, keep_default_na=False, na_values=blanks or [],
                              float_precision="round_trip")  # the nearest double, as float() gives
    except (ValueError, TypeError, OverflowError):
        return None
    if any(column not in raw.columns for column in schema):
        return None
    converted = {}
    for column, kind in schema.items():
        if kind in numbers:
            if kind == "float" and raw[column].isna().any():
                return None
            converted[column] = raw[column]
        else:
            converted[column] = _convert(raw[column], kind, path.name, column)
    return pd.DataFrame(converted)


def _convert(values: pd.Series, kind: str, name: str, column: str) -> pd.Series:
    optional = kind.endswith("?")
    base = kind.rstrip("?")
    if base not in KINDS:
        raise ValueError(f"unknown column kind {kind!r} for {column!r}; expected one of {', '.join(KINDS)}")
    # numpy's string functions run in C: a course's tables load in a fraction of a second,
    # which matters most to a graded notebook whose hidden tests load the data again.
    text = values.to_numpy(dtype=str)
    stripped = np.strings.strip(text)
    blank = np.strings.str_len(stripped) == 0
    if blank.any() and not optional:
        row = int(np.flatnonzero(blank)[0]) + 1
        raise ValueError(f"{name}: column {column!r} has a blank value in row {row}, and blanks are not allowed there")
    if base == "str":
        return values.where(~blank, None).astype("string") if optional else values.astype("string")
    if base == "bool":
        lower = np.strings.lower(stripped)
        true, false = lower == "true", lower == "false"
        _fail_where(~(true | false) & ~blank, values, name, column, "true or false")
        if optional:
            return pd.Series(pd.array(np.where(blank, None, true), dtype="boolean"), index=values.index)
        return pd.Series(true, index=values.index)
    if base in ("date", "datetime"):
        parsed = pd.to_datetime(values.where(~blank, None), errors="coerce", format="ISO8601")
        _fail_where(parsed.isna() & ~blank, values, name, column, f"{base}s (YYYY-MM-DD{'' if base == 'date' else ' HH:MM:SS'})")
        return parsed
    numbers = pd.to_numeric(values.where(~blank, None), errors="coerce")
    _fail_where(numbers.isna() & ~blank, values, name, column, f"numbers ({base})")
    if base == "int":
        _fail_where(numbers.notna() & (numbers % 1 != 0), values, name, column, "whole numbers (int)")
        return numbers.astype("Int64") if optional else numbers.astype("int64")
    return numbers.astype("float64")


def _fail_where(bad: pd.Series | np.ndarray, values: pd.Series, name: str, column: str, expected: str) -> None:
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}: column {column!r} should hold {expected}, but row {row + 1} has {values.iloc[row]!r}")


def _number(value: object) -> float:
    """``value`` as a float, or NaN when it is not a number (so range checks fail with a clear message)."""
    if isinstance(value, bool):
        return float("nan")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _plain(value: object) -> object:
    """A numpy scalar as the Python number it holds, so messages show ``3``, not ``np.int64(3)``."""
    return value.item() if isinstance(value, np.generic) else value
