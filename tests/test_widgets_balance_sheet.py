"""The base-risk figures and the balance-sheet explorer: the lines sit at the mean and the percentile the value
at risk is read from, the bars add up what they say, and the explorer's slider changes the page, the readout
and the table, computing each quarter once and reusing the pages it is given."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from customering_utils import plots, risk, widgets
from customering_utils.widgets import balance_sheet as explorer_module


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---- plots.value_distributions -----------------------------------------------------------------


@pytest.fixture
def simulated() -> pd.DataFrame:
    values = np.random.default_rng(1).normal(200_000, 5_000, 300)
    return pd.DataFrame({"base_value": values})


def test_value_distributions_marks_the_mean_and_the_value_at_risk(simulated):
    ax = plots.value_distributions({"whole base": simulated})
    mean, low = ax.get_lines()
    values = simulated["base_value"]
    assert mean.get_xdata()[0] == pytest.approx(values.mean() / 1000)
    assert low.get_xdata()[0] == pytest.approx(np.quantile(values, 0.05) / 1000)
    at_risk = risk.value_at_risk(values)
    label = ax.get_legend().get_texts()[1].get_text()
    assert f"\\${at_risk / 1000:,.1f}k" in label and f"({at_risk / values.mean():.1%} of the mean)" in label
    assert sum(bar.get_height() for bar in ax.containers[0]) == len(values)  # every simulated year is counted
    assert ax.get_xlabel() == "value over the horizon (thousand US$, today's money)"
    assert ax.get_ylabel() == "simulated years (count)"


def test_value_distributions_compares_bases_per_dollar_at_any_level(simulated):
    smaller = simulated["base_value"] / 4 + np.random.default_rng(2).normal(0, 3_000, 300)
    ax = plots.value_distributions({"whole": simulated, "smaller": smaller}, level=0.90, relative=True)
    _, whole_low, _, small_low = ax.get_lines()
    expected = 100 * np.quantile(smaller, 0.10) / smaller.mean()
    assert small_low.get_xdata()[0] == pytest.approx(expected)
    assert whole_low.get_color() != small_low.get_color()
    assert "10th percentile" in ax.get_legend().get_texts()[1].get_text()
    assert len(ax.patches) == 2  # one outline per base
    assert ax.get_xlabel() == "value over the horizon (% of the base's mean)"


@pytest.mark.parametrize("draws, level, error, message", [
    ([1, 2, 3], 0.95, TypeError, "dict of bases"),
    ({"a": pd.DataFrame({"value": [1.0, 2.0]})}, 0.95, ValueError, "no column 'base_value'"),
    ({"a": pd.Series([1.0, np.nan])}, 0.95, ValueError, "finite"),
    ({"a": pd.Series([1.0, 2.0])}, 1.5, ValueError, "level should be a share"),
    ({str(i): pd.Series([1.0, 2.0]) for i in range(6)}, 0.95, ValueError, "at most 5"),
])
def test_value_distributions_rejects_bad_input(draws, level, error, message):
    with pytest.raises(error, match=message):
        plots.value_distributions(draws, level=level)


# ---- plots.churn_risk_bands --------------------------------------------------------------------


def test_churn_risk_bands_adds_up_expected_value_and_value_at_stake():
    p_alive = pd.Series([0.95, 0.9, 0.45, 0.2, 0.0])
    value = pd.Series([100.0, 50.0, 30.0, 10.0, 0.0])
    ax = plots.churn_risk_bands(p_alive, value, bands=4)
    expected, stake = ax.containers
    assert [bar.get_height() for bar in expected] == pytest.approx([0.01, 0.03, 0.0, 0.15])  # bands of 0.25
    stake_by_hand = [10 * 0.8 / 0.2, 30 * 0.55 / 0.45, 0.0, 100 * 0.05 / 0.95 + 50 * 0.1 / 0.9]  # CLV (1 - P) / P
    assert [bar.get_height() for bar in stake] == pytest.approx([s / 1000 for s in stake_by_hand])
    assert [bar.get_y() for bar in stake] == pytest.approx([bar.get_height() for bar in expected])  # stacked
    assert ax.get_ylabel() == "value (thousand US$, today's money)"


@pytest.mark.parametrize("p_alive, value, bands, message", [
    (pd.Series([0.5, 1.2]), pd.Series([1.0, 2.0]), 10, "probabilities from 0 to 1"),
    (pd.Series([0.5, 0.2]), pd.Series([1.0, -2.0]), 10, "at least 0"),
    (pd.Series([0.5, 0.2]), pd.Series([1.0, 2.0], index=[5, 6]), 10, "same index"),
    (pd.Series([0.5, 0.2]), pd.Series([1.0, 2.0]), 1, "at least 2"),
])
def test_churn_risk_bands_rejects_bad_input(p_alive, value, bands, message):
    with pytest.raises(ValueError, match=message):
        plots.churn_risk_bands(p_alive, value, bands=bands)


# ---- widgets.balance_sheet_explorer ------------------------------------------------------------


def _page(value: float, nps: float, display: float) -> tuple[Figure, pd.DataFrame]:
    """A page as plots.balance_sheet returns it, with made-up figures."""
    rows = {"value of the base": (value, value - 8_000, value + 9_000, value - 20_000, "US$"),
            "equity at risk (95% VaR)": (value * 0.04, np.nan, np.nan, 6_000.0, "US$"),
            "share of value on the top 20%": (0.6, 0.58, 0.62, 0.61, "share"),
            "customers alive (expected)": (6_000.0, np.nan, np.nan, 5_500.0, "customers"),
            "service level (calls answered within 20 s)": (0.85, np.nan, np.nan, 0.86, "share"),
            "NPS": (nps, nps - 7, nps + 7, nps - 1, "points"),
            "CLV:CAC display": (display, display - 0.1, display + 0.1, 0.7, "ratio"),
            "CLV:CAC referral": (4.4, 4.0, 4.8, 4.2, "ratio")}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "lower", "upper", "previous", "unit"])
    table["change"] = table["value"] - table["previous"]
    figure = Figure(figsize=(3, 2))
    figure.suptitle(f"page {value:,.0f}")
    return figure, table[["value", "lower", "upper", "previous", "change", "unit"]]


class _World:
    transactions = pd.DataFrame({"date": pd.to_datetime(["2025-01-05", "2025-12-20"])})


def test_explorer_shows_the_page_it_is_given_and_moves_with_the_slider(monkeypatch):
    drawn = []
    monkeypatch.setattr(explorer_module, "balance_sheet", lambda *args, **kwargs: drawn.append(args) or _page(1, 0, 1))
    pages = {"2025-09-30": _page(170_000, -23.0, 0.7), pd.Timestamp("2025-12-31"): _page(195_000, -21.5, 0.8)}
    explorer = widgets.balance_sheet_explorer(_World(), quarters=("2025-09-30", "2025-12-31"), pages=pages)
    quarter, readout, page, table = explorer.children
    assert quarter.value == pd.Timestamp("2025-12-31") and quarter.label == "Q4 2025"
    assert "31 December 2025" in readout.value and "<b>$195,000</b>" in readout.value and "NPS -21.5" in readout.value
    assert "equity at risk $7,800 (4.0% of the value)" in readout.value
    assert "CLV:CAC below 1: <b>display</b>" in readout.value and page.value[:4] == b"\x89PNG"
    assert "195,000" in table.value and "60.0%" in table.value
    first_page = page.value
    quarter.value = pd.Timestamp("2025-09-30")
    assert "30 September 2025" in readout.value and "<b>$170,000</b>" in readout.value and "NPS -23.0" in readout.value
    assert page.value != first_page and "170,000" in table.value
    assert drawn == []  # both quarters were given: nothing was computed


def test_explorer_computes_a_quarter_once_and_keeps_it(monkeypatch):
    drawn = []

    def fake(world, day, **kwargs):
        drawn.append((day, kwargs))
        return _page(100_000 + day.month, -20.0, 1.2)

    monkeypatch.setattr(explorer_module, "balance_sheet", fake)
    pages: dict = {}
    explorer = widgets.balance_sheet_explorer(_World(), quarters=("2025-06-30", "2025-09-30"), start="2025-06-30",
                                              pages=pages, n_draws=50, seed=3, n_resamples=100)
    quarter, readout, _, _ = explorer.children
    assert "Every channel's CLV:CAC is above 1" in readout.value and "$100,006" in readout.value
    quarter.value = pd.Timestamp("2025-09-30")
    quarter.value = pd.Timestamp("2025-06-30")
    quarter.value = pd.Timestamp("2025-09-30")
    assert [day for day, _ in drawn] == [pd.Timestamp("2025-06-30"), pd.Timestamp("2025-09-30")]
    assert drawn[0][1] == {"n_draws": 50, "seed": 3, "n_resamples": 100}
    assert set(pages) == {pd.Timestamp("2025-06-30"), pd.Timestamp("2025-09-30")}


def test_explorer_offers_the_last_eight_quarters_by_default(monkeypatch):
    monkeypatch.setattr(explorer_module, "balance_sheet", lambda *args, **kwargs: _page(1_000, 0, 1))
    quarter = widgets.balance_sheet_explorer(_World()).children[0]
    days = [day for _, day in quarter.options]
    assert days[0] == pd.Timestamp("2024-03-31") and days[-1] == pd.Timestamp("2025-12-31") and len(days) == 8
    assert quarter.value == days[-1]


def test_explorer_rejects_bad_input():
    with pytest.raises(ValueError, match="start should be one of quarters"):
        widgets.balance_sheet_explorer(_World(), quarters=("2025-12-31",), start="2025-09-30")
    with pytest.raises(ValueError, match="last days of months"):
        widgets.balance_sheet_explorer(_World(), quarters=("2025-12-15",))
    with pytest.raises(TypeError, match="pages should be a dict"):
        widgets.balance_sheet_explorer(_World(), quarters=("2025-12-31",), pages=[1])


def test_figures_and_explorer_are_exported():
    assert {"value_distributions", "churn_risk_bands"} <= set(plots.__all__)
    assert "balance_sheet_explorer" in widgets.__all__
