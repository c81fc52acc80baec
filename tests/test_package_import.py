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


@pytest.mark.parametrize("statement", [
    "import customering_utils",
    "from customering_utils import datasets",
    "from customering_utils import experiments, uplift",
    "from customering_utils import datasets; datasets.load_hillstrom()",
])
def test_module_3_loads_scikit_learn_and_statsmodels_only_when_used(statement):
    """scikit-learn (the meta-learners) and statsmodels (power, Newcombe's interval) are default
    dependencies since Module 3, but load only inside the functions that use them."""
    code = f"{statement}; import sys, json; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    heavy = sorted({name.split(".")[0] for name in loaded} & {"sklearn", "statsmodels"})
    assert heavy == [], f"'{statement}' imported {heavy}; import them inside the functions that need them"


def test_module_3_libraries_do_load_when_used():
    """The check above is not vacuous: planning a test does load statsmodels."""
    code = ("from customering_utils import experiments; import sys; experiments.sample_size(0.01, baseline=0.1); "
            "print('statsmodels' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip() == "True"
