"""Figures and widgets: labelled, drawn from the right numbers, and loaded only when used."""

from __future__ import annotations

import json
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from customering_utils import concentration, plots, widgets  # noqa: E402
from customering_utils.economics import simple_clv  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_importing_the_analytics_modules_loads_no_plotting_or_widget_library():
    code = ("import customering_utils, customering_utils.activity, customering_utils.concentration, "
            "customering_utils.economics, customering_utils.plots, customering_utils.widgets, sys, json; "
            "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    heavy = sorted({name.split(".")[0] for name in loaded} & {"matplotlib", "ipywidgets", "IPython"})
    assert heavy == [], f"importing the modules loaded {heavy}; import them inside the functions that draw"


def test_palette_is_okabe_ito_and_defined_once():
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    colours = set(plots.PALETTE.values())
    assert okabe_ito <= colours
    assert len(colours) == len(plots.PALETTE)  # no colour under two names
    from customering_utils.plots import style

    assert style.PALETTE is plots.PALETTE  # defined once, in the style module


def test_lorenz_draws_the_curve_the_diagonal_and_the_gini():
    values = [0.0, 0.0, 0.0, 10.0]
    ax = plots.lorenz(values)
    assert ax.get_title() == "Lorenz curve of revenue (Gini 0.75)"
    assert ax.get_xlabel() == "share of customers (%)" and ax.get_ylabel() == "share of revenue (%)"
    diagonal, curve = ax.get_lines()
    assert diagonal.get_xydata().tolist() == [[0, 0], [100, 100]]
    # Ascending 0, 0, 0, 10: the poorest three quarters hold nothing, the last customer everything.
    assert curve.get_xydata().tolist() == [[0, 0], [25, 0], [50, 0], [75, 0], [100, 100]]
    assert to_hex(curve.get_color()).upper() == plots.PALETTE["blue"]


def test_lorenz_draws_into_the_axes_it_is_given():
    _, (left, right) = plt.subplots(1, 2)
    revenue = pd.Series([5.0, 1.0, 3.0, 1.0])
    assert plots.lorenz(revenue, ax=right) is right
    assert left.get_lines() == [] and f"Gini {concentration.gini(revenue):.2f}" in right.get_title()


def test_active_customers_plot():
    counts = pd.Series([120, 150, 170], index=pd.date_range("2025-01-31", periods=3, freq="ME"),
                       name="active_customers")
    ax = plots.active_customers(counts)
    (line,) = ax.get_lines()
    assert line.get_ydata().tolist() == [120, 150, 170]
    assert ax.get_ylabel() == "active customers (count)" and ax.get_xlabel() == "date"
    assert ax.get_title() == "Active customers over time"
    assert ax.get_ylim()[0] == 0


@pytest.mark.parametrize("series, error, message", [
    ([1, 2, 3], TypeError, "series should be a pandas Series of customer counts indexed by date, got list"),
    (pd.Series([1, 2]), TypeError, "series should be indexed by date"),
    (pd.Series([1.0, np.nan], index=pd.date_range("2025-01-01", periods=2)), ValueError, "no missing values"),
])
def test_active_customers_plot_rejects_what_it_cannot_draw(series, error, message):
    with pytest.raises(error, match=message):
        plots.active_customers(series)


def test_clv_explorer_starts_at_the_given_values():
    explorer = widgets.clv_explorer(100.0, 0.8, 0.1)
    margin, retention, discount, readout, picture = explorer.children
    assert (margin.value, retention.value, discount.value) == (100.0, 0.8, 0.1)
    assert "$266.67" in readout.value  # 100 * 0.8 / 0.3
    assert "4.0 more years" in readout.value  # 0.8 / (1 - 0.8)
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_a_slider_redraws():
    explorer = widgets.clv_explorer(100.0, 0.8, 0.1)
    margin, retention, discount, readout, picture = explorer.children
    first_picture = picture.value
    discount.value = 0.2
    assert f"${simple_clv(100, 0.8, 0.2):,.2f}" in readout.value  # 80 / 0.4 = $200.00
    assert "$200.00" in readout.value
    margin.value = 50.0
    assert "$100.00" in readout.value
    assert picture.value != first_picture


def test_clv_explorer_shows_the_same_text_every_time():
    # nbval compares a widget cell's text/plain output: it must not depend on the run.
    first, second = widgets.clv_explorer(38.28, 0.56, 0.1), widgets.clv_explorer(38.28, 0.56, 0.1)
    assert first._repr_mimebundle_()["text/plain"] == second._repr_mimebundle_()["text/plain"]
    assert first.model_id not in first._repr_mimebundle_()["text/plain"]


@pytest.mark.parametrize("arguments, error, message", [
    ((0.0, 0.8, 0.1), ValueError, "margin should be positive"),
    ((100.0, 1.0, 0.1), ValueError, "retention should be a probability"),
    ((100.0, 0.8, -0.1), ValueError, "discount_rate should be a finite rate"),
    ((100.0, 0.8, 2.0), ValueError, "the explorer's sliders cover retention 0 to 0.99 and discount rates 0 to 1"),
    ((100.0, np.array([0.5, 0.8]), 0.1), TypeError, "retention should be one number, got ndarray"),
    ((True, 0.8, 0.1), TypeError, "margin should be one number, got bool"),
])
def test_clv_explorer_rejects_impossible_starts(arguments, error, message):
    with pytest.raises(error, match=message):
        widgets.clv_explorer(*arguments)


def test_no_figure_of_the_package_picks_its_own_colours():
    """Styling lives in one place: no module but plots/style.py writes a colour by its code."""
    import re
    from pathlib import Path

    import customering_utils

    package = Path(customering_utils.__file__).parent
    found = [f"{path.relative_to(package)}:{number}" for path in package.rglob("*.py") if path.name != "style.py"
             for number, line in enumerate(path.read_text().splitlines(), 1) if re.search(r"[\"']#[0-9a-fA-F]{6}[\"']", line)]
    assert not found, f"colours written outside plots/style.py: {found}"
