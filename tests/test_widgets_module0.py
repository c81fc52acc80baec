"""Module 0's explorers and their figures: the activity window against the truth, and the Lorenz curve.

Each explorer reads out the numbers of the package's own functions, redraws when a control
moves, gives the same text and picture every run (nbval compares the stored outputs), and
rejects what it cannot show with a message that says what to pass.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import activity, concentration, plots, widgets

#: On 31 March 2025: customer 1 bought on 1 March and stays; 2 bought on 20 March and has left;
#: 3 bought on 1 February and stays; 4 bought on 1 October 2024 and has left.
PURCHASES = pd.DataFrame({
    "customer_id": [1, 2, 3, 4],
    "date": pd.to_datetime(["2025-03-01", "2025-03-20", "2025-02-01", "2024-10-01"]),
    "amount": [40.0, 10.0, 30.0, 20.0],
})
STILL = pd.Series({1: True, 2: False, 3: True, 4: False})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- the figure of the activity window -------------------------------------------------------

def test_window_errors_figure_draws_the_four_counts_and_marks_the_window():
    table = activity.window_errors(PURCHASES, STILL, on="2025-03-31", windows=[30, 60, 200])
    ax = plots.window_errors(table, window=60)
    assert ax.get_xlabel() == "activity window (days)" and ax.get_ylabel() == "customers (count)"
    assert ax.get_title() == "Active by the rule against the truth, 31 March 2025"
    active, still, gone, missed = ax.get_lines()[:4]
    assert active.get_ydata().tolist() == table["active"].tolist() == [1, 3, 4]  # 30: 2; 60: 1-3; 200: all
    assert still.get_ydata().tolist() == [2, 2, 2]
    assert gone.get_ydata().tolist() == table["counted_but_gone"].tolist()
    assert missed.get_ydata().tolist() == table["missed"].tolist()
    colours = [to_hex(line.get_color()).upper() for line in (active, still, gone, missed)]
    assert colours == [plots.PALETTE[name] for name in ("blue", "black", "vermillion", "orange")]
    # A dot on each line at the window marked (after the vertical line).
    dots = [line for line in ax.get_lines()[4:] if line.get_marker() == "o"]
    assert [float(dot.get_xdata()[0]) for dot in dots] == [60.0] * 4
    assert ax.get_ylim()[0] == 0


@pytest.mark.parametrize("table, window, message", [
    (pd.DataFrame({"active": [1]}, index=[30]), None, "table is missing column 'still_customers'"),
    (activity.window_errors(PURCHASES, STILL, "2025-03-31", windows=[30]), 45,
     "window should be one of the table's windows"),
])
def test_window_errors_figure_rejects_what_it_cannot_draw(table, window, message):
    with pytest.raises(ValueError, match=message):
        plots.window_errors(table, window=window)


def test_lorenz_figure_names_the_measure():
    ax = plots.lorenz([1, 1, 2], measure="purchases")
    assert ax.get_ylabel() == "share of purchases (%)"
    assert ax.get_title().startswith("Lorenz curve of purchases (Gini ")
    assert plots.lorenz([1, 1, 2]).get_ylabel() == "share of revenue (%)"  # the default is unchanged


# --- the activity window explorer --------------------------------------------------------------

def test_activity_explorer_reads_out_window_errors_and_redraws_when_the_slider_moves():
    explorer = widgets.activity_window_explorer(PURCHASES, STILL, on="2025-03-31", window_days=30)
    slider, readout, picture = explorer.children
    assert (slider.min, slider.max, slider.step, slider.value) == (30, 730, 5, 30)
    # 30 days (2 to 31 March): customer 2 only, who has left; 1 and 3 missed.
    assert "<b>1</b> customer counted active, against <b>2</b> truly still customers (50.0% too few)" in readout.value
    assert "already gone: <b>1</b>. Still customers counted inactive: <b>2</b>" in readout.value
    assert "Misclassified: 3 of 4 customers (75.0%)" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"
    first_text, first_picture = readout.value, picture.value
    slider.value = 200  # back to 12 September 2024: customers 1, 2, 3 and 4
    assert readout.value != first_text and picture.value != first_picture
    assert "<b>4</b> customers counted active, against <b>2</b> truly still customers (100.0% too many)" in readout.value
    assert "already gone: <b>2</b>. Still customers counted inactive: <b>0</b>" in readout.value


def test_activity_explorer_says_the_lessons_numbers_on_the_world(world):
    still = ~world.truth.customers["churned"]
    readout = widgets.activity_window_explorer(world.transactions, still, on="2025-12-31").children[1].value
    assert "<b>6,972</b> customers counted active, against <b>6,210</b> truly still customers (12.3% too many)" in readout
    assert "already gone: <b>1,885</b>. Still customers counted inactive: <b>1,123</b>" in readout
    assert "Misclassified: 3,008 of 10,000 customers (30.1%)" in readout


def test_activity_explorer_shows_the_same_output_every_time_and_leaves_its_inputs_alone():
    before, still_before = PURCHASES.copy(), STILL.copy()
    first = widgets.activity_window_explorer(PURCHASES, STILL, on="2025-03-31")
    second = widgets.activity_window_explorer(PURCHASES, STILL, on="2025-03-31")
    assert first.children[1].value == second.children[1].value
    assert first.children[2].value == second.children[2].value  # the same PNG bytes
    assert first.model_id not in first._repr_mimebundle_()["text/plain"]
    pd.testing.assert_frame_equal(PURCHASES, before)
    pd.testing.assert_series_equal(STILL, still_before)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"window_days": 20}, ValueError, "window_days should be a whole number of days from 30 to 730, a multiple of 5"),
    ({"window_days": 366}, ValueError, "a multiple of 5"),
    ({"window_days": 365.0}, ValueError, "window_days should be a whole number of days"),
    ({"on": "someday"}, ValueError, "on should be a date such as '2025-12-31'"),
    ({"still_customer": [True] * 4}, TypeError, "still_customer should be a pandas Series"),
])
def test_activity_explorer_rejects_what_it_cannot_show(kwargs, error, message):
    arguments = {"transactions": PURCHASES, "still_customer": STILL, "on": "2025-03-31", **kwargs}
    with pytest.raises(error, match=message):
        widgets.activity_window_explorer(**arguments)


# --- the Lorenz explorer -------------------------------------------------------------------------

def test_lorenz_explorer_reads_out_the_gini_and_shares_and_redraws():
    explorer = widgets.lorenz_explorer(PURCHASES)
    measure, period, readout, picture = explorer.children
    assert measure.options == ("revenue", "purchases") and measure.value == "revenue"
    assert period.options == ("all years", "2024", "2025") and period.value == "all years"
    revenue = concentration.customer_values(PURCHASES)
    assert f"Gini <b>{concentration.gini(revenue):.3f}</b>" in readout.value
    # Revenue 40, 30, 20, 10: the top 20% is 1 customer with 40 of 100; the bottom half 10 + 20.
    assert "the top 20% of them hold <b>40.0%</b> of the revenue, the bottom half 30.0%" in readout.value
    assert "4 customers (all years)" in readout.value
    first_text, first_picture = readout.value, picture.value
    period.value = "2025"  # customers 1, 2 and 3
    assert "<b>Revenue, 2025</b>: 3 customers who bought in 2025" in readout.value
    assert readout.value != first_text and picture.value != first_picture
    measure.value = "purchases"  # one purchase each: all equal
    assert "Gini <b>0.000</b>" in readout.value


def test_lorenz_explorer_agrees_with_the_package_on_the_world(world):
    explorer = widgets.lorenz_explorer(world.transactions, measure="purchases", period="2025")
    values = concentration.customer_values(world.transactions, "purchases", year=2025)
    readout = explorer.children[2].value
    assert f"Gini <b>{concentration.gini(values):.3f}</b>" in readout
    assert f"hold <b>{concentration.top_share(values, 0.2):.1%}</b> of the purchases" in readout
    assert f"{len(values):,} customers who bought in 2025" in readout


def test_lorenz_explorer_shows_the_same_output_every_time():
    first, second = widgets.lorenz_explorer(PURCHASES), widgets.lorenz_explorer(PURCHASES)
    assert first.children[2].value == second.children[2].value
    assert first.children[3].value == second.children[3].value
    assert first.model_id not in first._repr_mimebundle_()["text/plain"]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"measure": "visits"}, ValueError, r"measure should be one of \['revenue', 'purchases'\]"),
    ({"period": "2030"}, ValueError, r"period should be one of \['all years', '2024', '2025'\]"),
    ({"transactions": PURCHASES.drop(columns="amount")}, ValueError, "transactions is missing column 'amount'"),
    ({"transactions": [1, 2]}, TypeError, "transactions should be a pandas DataFrame"),
])
def test_lorenz_explorer_rejects_what_it_cannot_show(kwargs, error, message):
    arguments = {"transactions": PURCHASES, **kwargs}
    with pytest.raises(error, match=message):
        widgets.lorenz_explorer(**arguments)
