"""The unit-economics figures and explorer: CAC lines at the right values and averages, CLV:CAC coloured by
what its interval says, payback curves that cross the CAC where economics.payback_period says, an explorer whose
sliders change the readout as the arithmetic says, the same output every run, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import economics, plots, widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def marketing() -> pd.DataFrame:
    return pd.DataFrame({"month": ["2025-01-01", "2025-02-01", "2025-03-01"] * 2,
                         "channel": ["search"] * 3 + ["display"] * 3,
                         "spend": [1000.0, 1500.0, 1200.0, 900.0, 0.0, 1800.0], "new_customers": [20, 30, 24, 10, 0, 20]})


@pytest.fixture
def ratios() -> pd.DataFrame:
    return pd.DataFrame({"clv_to_cac": [1.5, 0.6, 1.02], "clv_to_cac_lower": [1.3, 0.5, 0.9],
                         "clv_to_cac_upper": [1.7, 0.7, 1.1]}, index=["search", "display", "social"])


@pytest.fixture
def inputs():
    clv_table = pd.DataFrame({"clv": [60.0, 40.0], "clv_lower": [50.0, 35.0], "clv_upper": [70.0, 45.0]},
                             index=["search", "display"])
    cac_table = pd.DataFrame({"media_spend": [1000.0, 900.0], "rewards": [0.0, 0.0], "new_customers": [20, 10]},
                             index=["search", "display"])
    curves = pd.DataFrame({"search": [10.0] * 6, "display": [5.0] * 4 + [np.nan] * 2})
    return clv_table, cac_table, curves


# ---- plots.cac_by_month ------------------------------------------------------------------------


def test_cac_by_month_draws_each_months_cac_and_the_weighted_average(marketing):
    table = economics.acquisition_cost(marketing, overhead=0.1)
    ax = plots.cac_by_month(table)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:2]] == ["display", "search"]
    assert np.allclose(lines[1].get_ydata(), [55.0, 55.0, 55.0])  # (spend x 1.1) / customers
    assert np.isnan(lines[0].get_ydata()[1])  # no customers: no CAC, a gap
    assert lines[2].get_ydata()[0] == pytest.approx(2700 * 1.1 / 30)  # total cost over total customers
    assert to_hex(lines[0].get_color()).upper() == plots.PALETTE["vermillion"]
    assert ax.get_ylabel() == "CAC (US$ per new customer)"


def test_cac_by_month_needs_channel_and_month(marketing):
    with pytest.raises(ValueError, match="indexed by channel and month"):
        plots.cac_by_month(economics.acquisition_cost(marketing, by="channel"))
    with pytest.raises(TypeError, match="pandas DataFrame"):
        plots.cac_by_month([1, 2])


# ---- plots.clv_to_cac_ratios -------------------------------------------------------------------


def test_clv_to_cac_ratios_sorts_and_colours_by_the_interval(ratios):
    ax = plots.clv_to_cac_ratios(ratios)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["display", "social", "search"]
    dots = ax.collections[-1]
    assert dots.get_offsets()[:, 0].tolist() == pytest.approx([0.6, 1.02, 1.5])
    assert [to_hex(colour).upper() for colour in dots.get_facecolors()] == [
        plots.PALETTE["vermillion"], plots.PALETTE["orange"], plots.PALETTE["blue"]]
    assert [tuple(segment[:, 0]) for segment in ax.collections[0].get_segments()] == [(0.5, 0.7), (0.9, 1.1), (1.3, 1.7)]
    assert ax.get_lines()[0].get_xdata()[0] == pytest.approx(1.0)


def test_clv_to_cac_ratios_rejects_bad_tables(ratios):
    with pytest.raises(ValueError, match="no column 'clv_to_cac_upper'"):
        plots.clv_to_cac_ratios(ratios.drop(columns="clv_to_cac_upper"))
    with pytest.raises(ValueError, match="finite"):
        plots.clv_to_cac_ratios(ratios.assign(clv_to_cac=[1.0, np.inf, 1.0]))


# ---- plots.payback_curves ----------------------------------------------------------------------


def test_payback_curves_cross_the_cac_where_payback_period_says():
    curves = pd.DataFrame({"search": [10.0, 8.0, 6.0, 5.0], "display": [3.0, 2.0, np.nan, np.nan]})
    cac = pd.Series({"search": 20.0, "display": 30.0})
    ax = plots.payback_curves(curves, cac, discount_rate=0.10)
    search, display = ax.get_lines()[:2]
    expected = np.r_[0.0, np.cumsum(np.array([10.0, 8.0, 6.0, 5.0]) * 1.1 ** (-np.arange(4) / 12))]
    assert np.allclose(search.get_ydata(), expected)
    assert display.get_xdata().tolist() == [0, 1, 2]  # the curve stops where the data do
    back = economics.payback_period([10.0, 8.0, 6.0, 5.0], 20.0, 0.10)
    assert ax.collections[0].get_offsets()[0].tolist() == pytest.approx([back, 20.0])
    assert search.get_label() == f"search: pays back in {back:.1f} months"
    assert display.get_label() == "display: not within 2 months"
    assert [line.get_ydata()[0] for line in ax.get_lines()[2:]] == [20.0, 30.0]


def test_payback_curves_needs_a_cac_for_every_channel():
    with pytest.raises(ValueError, match="no value for 'display'"):
        plots.payback_curves(pd.DataFrame({"display": [1.0]}), pd.Series({"search": 1.0}), 0.1)


# ---- widgets.unit_economics_explorer -----------------------------------------------------------


def _readout(explorer) -> str:
    return explorer.children[2].value


def test_the_explorer_reads_out_the_arithmetic_and_follows_its_sliders(inputs):
    clv_table, cac_table, curves = inputs
    explorer = widgets.unit_economics_explorer(clv_table, cac_table, curves, margin=0.30, overhead=0.10, discount_rate=0.0)
    margin, overhead = explorer.children[:2]
    text = _readout(explorer)
    assert "$55.00" in text and "1.09" in text and "5.5 months" in text  # search: CAC 1,100 / 20; 55 / 10 a month
    assert "$99.00" in text and "0.40" in text and "not within 4 months" in text  # display: 990 / 10
    first_picture = explorer.children[3].value
    margin.value = 0.60  # twice the margin: twice the CLV and the monthly margin
    text = _readout(explorer)
    assert "2.18" in text and "2.8 months" in text and "0.81" in text
    assert explorer.children[3].value != first_picture
    overhead.value = 0.0
    text = _readout(explorer)
    assert "$50.00" in text and "2.40" in text and "2.5 months" in text


def test_the_explorer_gives_the_same_picture_every_run(inputs):
    one = widgets.unit_economics_explorer(*inputs)
    two = widgets.unit_economics_explorer(*inputs)
    assert one.children[3].value == two.children[3].value and _readout(one) == _readout(two)


def test_the_explorer_agrees_with_economics(inputs):
    clv_table, cac_table, curves = inputs
    explorer = widgets.unit_economics_explorer(clv_table, cac_table, curves, overhead=0.15, discount_rate=0.10)
    cac = (cac_table["media_spend"] * 1.15) / cac_table["new_customers"]
    ratio = economics.clv_to_cac(clv_table, cac)
    back = economics.payback_period(curves["search"], cac["search"], 0.10)
    text = _readout(explorer)
    assert np.isfinite(back)
    assert f"{ratio.loc['search', 'clv_to_cac']:.2f}" in text and f"{back:.1f} months" in text


@pytest.mark.parametrize("change, error, message", [
    ({"margin": 0.0}, ValueError, "margin should be"),
    ({"overhead": -0.1}, ValueError, "overhead should be"),
    ({"discount_rate": -0.1}, ValueError, "discount_rate should be"),
])
def test_the_explorer_rejects_impossible_settings(inputs, change, error, message):
    with pytest.raises(error, match=message):
        widgets.unit_economics_explorer(*inputs, **change)


def test_the_explorer_needs_every_channel(inputs):
    clv_table, cac_table, curves = inputs
    with pytest.raises(ValueError, match="curves has nothing for channel 'display'"):
        widgets.unit_economics_explorer(clv_table, cac_table, curves[["search"]])
    with pytest.raises(ValueError, match="no column 'rewards'"):
        widgets.unit_economics_explorer(clv_table, cac_table.drop(columns="rewards"), curves)
