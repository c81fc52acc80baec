"""Where the course's data files are, however the package was installed.

The data (the committed data world and the real data sets) is looked for, in order:

1. in the folder named by the environment variable ``CUSTOMERING_DATA``, when it is set
   (a JupyterHub image or a grading sandbox sets it; nothing else is tried then, so a
   wrong setting is reported rather than silently bypassed);
2. in ``datasets/`` beside the package: a copy of the course repository, whether the
   package is installed from it in editable mode (``pip install -e .``) or not at all;
3. in ``<environment>/share/customering/datasets``, where ``pip install`` of the
   package's wheel puts the same files.

Each holds ``world/`` (the data world), ``cdnow/`` (the CDNOW files) and ``hillstrom/``
(the Hillstrom e-mail experiment).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The environment variable that names the data folder.
ENVIRONMENT_VARIABLE = "CUSTOMERING_DATA"
_MARKER = Path("world") / "MANIFEST.sha256"


def candidate_directories() -> list[tuple[Path, str]]:
    """The folders looked in, in order, each with a phrase saying where it comes from."""
    setting = os.environ.get(ENVIRONMENT_VARIABLE)
    if setting:
        return [(Path(setting).expanduser(), f"the {ENVIRONMENT_VARIABLE} setting")]
    package = Path(__file__).resolve().parents[1]
    return [(package.parent / "datasets", "the course repository beside the package"),
            (Path(sys.prefix) / "share" / "customering" / "datasets", "the installed package's data")]


def data_directory() -> Path:
    """The folder that holds the course's data sets (``world/``, ``cdnow/``, ``hillstrom/``).

    Returns
    -------
    pathlib.Path
        The first of :func:`candidate_directories` that holds the data world.

    Raises
    ------
    FileNotFoundError
        When none does; the message lists every place looked in and how to point the
        package at the data.

    Examples
    --------
    >>> (data_directory() / "world" / "customers.csv").is_file()
    True
    """
    looked = []
    for folder, origin in candidate_directories():
        if (folder / _MARKER).is_file():
            return folder
        looked.append(f"{folder} ({origin})")
    raise FileNotFoundError(
        "the course's data files were not found; looked in: " + "; ".join(looked)
        + f". Set {ENVIRONMENT_VARIABLE} to the folder that holds world/ and cdnow/ "
        "(the datasets/ folder of the course repository).")
