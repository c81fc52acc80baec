"""`import customering_utils` stays light: no plotting, widget or machine-learning library."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("matplotlib", "ipywidgets", "IPython", "sklearn", "statsmodels", "torch", "seaborn", "plotly")


@pytest.mark.parametrize("statement", [
    "import customering_utils",
    "from customering_utils import datasets, service, tables",
])
def test_import_loads_no_plotting_widget_or_ml_library(statement):
    code = f"{statement}; import sys, json; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    heavy = sorted({name.split(".")[0] for name in loaded} & set(HEAVY))
    assert heavy == [], f"'{statement}' imported {heavy}; import them inside the functions that need them"
