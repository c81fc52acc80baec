"""The CDNOW data set: purchases of an online CD store's 1997 Q1 cohort, to June 1998.

Published by Fader and Hardie as the standard benchmark for buy-till-you-die models
(Fader, Hardie and Lee 2005). The raw files are in ``datasets/cdnow/`` with their
provenance.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .location import data_directory

#: Raw file, expected columns (whitespace-separated), and whether it has a header line.
_FILES = {
    True: ("CDNOW_sample.txt", ["customer_id", "sample_id", "date", "quantity", "amount"], False),
    False: ("CDNOW_master.txt", ["customer_id", "date", "quantity", "amount"], True),
}


def cdnow_directory() -> Path:
    """Folder holding the raw CDNOW files: ``cdnow/`` in the course's data folder."""
    return data_directory() / "cdnow"


def load_cdnow(sample: bool = True, directory: str | Path | None = None) -> pd.DataFrame:
    """CDNOW purchases as a transactions table: ``customer_id``, ``date``, ``quantity``, ``amount``.

    ``sample=True`` gives the 1/10 sample of 2,357 customers (6,919 purchases) used by
    Fader, Hardie and Lee (2005); ``sample=False`` the full cohort of 23,570 customers
    (69,659 purchases). ``customer_id`` is the master file's id in both, so a sample
    customer can be found in the full data. ``amount`` is in US dollars; ``quantity`` is
    the number of CDs. Rows are in the files' order (by customer, then date).

    Parameters
    ----------
    sample : bool, default True
        ``True`` for the 2,357-customer sample, ``False`` for all 23,570 customers.
    directory : str or Path, optional
        The folder holding the raw files; ``None`` (the default) uses the course's copy
        in ``datasets/cdnow``.

    Returns
    -------
    DataFrame
        One row per purchase, with ``customer_id``, ``date``, ``quantity`` (CDs, a count)
        and ``amount`` (US dollars).

    Examples
    --------
    >>> cdnow = load_cdnow()
    >>> len(cdnow), cdnow["customer_id"].nunique()
    (6919, 2357)
    >>> cdnow.columns.tolist()
    ['customer_id', 'date', 'quantity', 'amount']
    """
    if not isinstance(sample, bool):
        raise TypeError(f"sample should be True (the 2,357-customer sample) or False (all 23,570), got {sample!r}")
    name, columns, header = _FILES[sample]
    path = (cdnow_directory() if directory is None else Path(directory)) / name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: CDNOW file not found (expected the raw file {name} from datasets/cdnow)")
    raw = pd.read_csv(path, sep=r"\s+", header=0 if header else None, dtype=str, engine="python")
    if raw.shape[1] != len(columns):
        raise ValueError(f"{name}: expected {len(columns)} whitespace-separated columns ({', '.join(columns)}), found {raw.shape[1]}")
    raw.columns = columns
    frame = pd.DataFrame({"customer_id": pd.to_numeric(raw["customer_id"], errors="coerce")})
    frame["date"] = pd.to_datetime(raw["date"], format="%Y%m%d", errors="coerce")
    frame["quantity"] = pd.to_numeric(raw["quantity"], errors="coerce")
    frame["amount"] = pd.to_numeric(raw["amount"], errors="coerce")
    for column, expected in (("customer_id", "a whole number"), ("date", "a date as YYYYMMDD"),
                             ("quantity", "a whole number of CDs"), ("amount", "a dollar amount")):
        bad = frame[column].isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(f"{name}: column {column!r} should be {expected}, but row {row + 1} has {raw[column].iloc[row]!r}")
    return frame.astype({"customer_id": "int64", "quantity": "int64"})
