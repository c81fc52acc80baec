"""The Hillstrom e-mail experiment: 64,000 customers randomised to a men's e-mail, a women's e-mail or none.

Published by Kevin Hillstrom for the MineThatData E-Mail Analytics and Data Mining
Challenge (2008), and the standard public data set for A/B tests and uplift models. The
raw file is in ``datasets/hillstrom/`` with its provenance and its SHA-256 checksum; the
loader checks the checksum every time, so an altered copy is reported rather than analysed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .location import data_directory

__all__ = ["load_hillstrom"]

#: The published file's name and SHA-256 checksum (of its bytes, CRLF line endings included).
FILE_NAME = "hillstrom.csv"
SHA256 = "0e5893329d8b93cefecc571777672028290ab69865718020c78c7284f291aece"

#: The published columns, in the file's order, with the type each is loaded as.
COLUMNS: dict[str, str] = {
    "recency": "int64", "history_segment": "category", "history": "float64", "mens": "int64", "womens": "int64",
    "zip_code": "category", "newbie": "int64", "channel": "category", "segment": "category", "visit": "int64",
    "conversion": "int64", "spend": "float64",
}

#: The values of each text column, in the order their categories take. ``segment`` starts with
#: the control arm; "Surburban" is spelled as published.
CATEGORIES: dict[str, list[str]] = {
    "history_segment": ["1) $0 - $100", "2) $100 - $200", "3) $200 - $350", "4) $350 - $500", "5) $500 - $750",
                        "6) $750 - $1,000", "7) $1,000 +"],
    "zip_code": ["Urban", "Surburban", "Rural"],
    "channel": ["Phone", "Web", "Multichannel"],
    "segment": ["No E-Mail", "Mens E-Mail", "Womens E-Mail"],
}

#: The control arm of ``segment``.
CONTROL = "No E-Mail"


def hillstrom_directory() -> Path:
    """Folder holding the Hillstrom file: ``hillstrom/`` in the course's data folder."""
    return data_directory() / "hillstrom"


def file_checksum(path: str | Path) -> str:
    """The SHA-256 checksum of a file's bytes, as ``sha256sum`` prints it."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_hillstrom(directory: str | Path | None = None) -> pd.DataFrame:
    """The Hillstrom (2008) e-mail experiment: one row per customer, the published columns, typed.

    64,000 customers who had bought in the previous twelve months were randomised, about a
    third each, to an e-mail featuring men's merchandise (``"Mens E-Mail"``), one featuring
    women's merchandise (``"Womens E-Mail"``), or no e-mail (``"No E-Mail"``, the control
    arm). ``visit``, ``conversion`` and ``spend`` record what each did in the two weeks
    after. The columns are the published ones, in the published order:

    - ``recency`` (int): months since the last purchase, 1 to 12;
    - ``history_segment`` (ordered category): the band of ``history``, "1) $0 - $100" to
      "7) $1,000 +";
    - ``history`` (float): US dollars spent in the past year;
    - ``mens``, ``womens`` (int, 0 or 1): bought men's / women's merchandise in the past year;
    - ``zip_code`` (category): "Urban", "Surburban" (sic, as published) or "Rural";
    - ``newbie`` (int, 0 or 1): a new customer in the past twelve months;
    - ``channel`` (category): "Phone", "Web" or "Multichannel", where they bought in the past year;
    - ``segment`` (category): the randomised arm, categories in the order "No E-Mail",
      "Mens E-Mail", "Womens E-Mail" (control first);
    - ``visit``, ``conversion`` (int, 0 or 1): visited the website / bought in the two weeks;
    - ``spend`` (float): US dollars spent in the two weeks.

    The file's SHA-256 checksum is checked against the published file's before it is read.

    Parameters
    ----------
    directory : str or Path, optional
        The folder holding ``hillstrom.csv``; ``None`` (the default) uses the course's copy
        in ``datasets/hillstrom``.

    Returns
    -------
    DataFrame
        64,000 rows, one per customer, in the file's order (numbered 0 to 63,999; the file
        has no customer id), with the twelve columns above.

    Raises
    ------
    FileNotFoundError
        When the file is missing.
    ValueError
        When its checksum differs from the published file's (it was altered or truncated).

    Examples
    --------
    >>> hillstrom = load_hillstrom()
    >>> len(hillstrom)
    64000
    >>> hillstrom["segment"].value_counts(sort=False).to_dict()
    {'No E-Mail': 21306, 'Mens E-Mail': 21307, 'Womens E-Mail': 21387}
    >>> hillstrom.groupby("segment", observed=True)["visit"].mean().round(4).to_dict()
    {'No E-Mail': 0.1062, 'Mens E-Mail': 0.1828, 'Womens E-Mail': 0.1514}
    """
    path = (hillstrom_directory() if directory is None else Path(directory)) / FILE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{path}: Hillstrom file not found (expected the published file {FILE_NAME} "
                                "from datasets/hillstrom)")
    found = file_checksum(path)
    if found != SHA256:
        raise ValueError(f"{path}: SHA-256 checksum {found} differs from the published file's {SHA256}; "
                         "the file was altered or is incomplete. Restore it from the course repository "
                         "(datasets/hillstrom/hillstrom.csv)")
    # The checksum guarantees the published content, so the types can be read off directly.
    dtypes = {column: pd.CategoricalDtype(CATEGORIES[column], ordered=column == "history_segment")
              if kind == "category" else kind for column, kind in COLUMNS.items()}
    return pd.read_csv(path, dtype=dtypes)
