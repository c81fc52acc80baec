"""The survival figures and explorer: Kaplan-Meier steps with their bands, the gap at a time with
Greenwood's interval (checked against a bootstrap), a readout and figure that follow the controls, the
same output every run, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import intervals, plots, survival, widgets
from customering_utils.widgets.survival_curves import survival_gap


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def customers() -> pd.DataFrame:
    """400 customers in two groups and two bands; the 'bad' group leaves faster (a known exponential)."""
    rng = np.random.default_rng(7)
    group = np.repeat(["good", "bad"], 200)
    band = np.tile(["few", "many"], 200)
    life = rng.exponential(np.where(group == "bad", 30.0, 90.0))
    watched = rng.uniform(10, 120, 400)
    return pd.DataFrame({"weeks": np.floor(np.minimum(life, watched)), "left": life <= watched,
                         "group": group, "band": pd.Categorical(band, categories=["few", "many"])},
                        index=pd.Index(np.arange(1, 401), name="customer_id"))


def _tables(customers):
    return {name: survival.kaplan_meier(rows["weeks"], rows["left"]) for name, rows in customers.groupby("group")}


# ---- plots.kaplan_meier_curves -----------------------------------------------------------------


def test_curves_are_steps_with_a_band_per_group(customers):
    tables = _tables(customers)
    ax = plots.kaplan_meier_curves({"good": tables["good"], "bad": tables["bad"]}, at=52,
                                   time_label="weeks since the ticket")
    good, bad, marker = ax.get_lines()
    assert good.get_label() == "good (200 customers)" and bad.get_label() == "bad (200 customers)"
    assert good.get_drawstyle() == "steps-post"
    assert good.get_ydata().tolist()[-len(tables["good"]):] == pytest.approx(tables["good"]["survival"].tolist())
    assert [to_hex(line.get_color()).upper() for line in (good, bad)] == [plots.PALETTE["blue"], plots.PALETTE["vermillion"]]
    assert list(marker.get_xdata()) == [52, 52]
    assert len(ax.collections) == 2  # one band per group
    band = ax.collections[1].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(tables["bad"]["lower"].min())
    assert ax.get_xlabel() == "weeks since the ticket" and ax.get_ylabel() == "share still a customer"
    assert "95%" in ax.get_title() and ax.get_ylim() == (0, 1.02)


def test_curves_draw_into_the_axes_they_are_given_and_take_a_title(customers):
    _, ax = plt.subplots()
    drawn = plots.kaplan_meier_curves(_tables(customers), ax=ax, title="Two groups")
    assert drawn is ax and ax.get_title() == "Two groups"


@pytest.mark.parametrize("bad, error, message", [
    ([], TypeError, "tables should be a dict"),
    ({}, TypeError, "at least one group"),
    ({"a": [1.0, 0.5]}, TypeError, r"tables\['a'\] should be a DataFrame"),
    ({"a": pd.DataFrame({"survival": [1.0]})}, ValueError, r"lacks the columns \['at_risk', 'lower', 'upper'\]"),
    ({"a": pd.DataFrame({"at_risk": [2], "survival": [1.5], "lower": [1.0], "upper": [1.0]})}, ValueError,
     "shares from 0 to 1"),
    ({"a": pd.DataFrame(columns=["at_risk", "survival", "lower", "upper"])}, ValueError, "is empty"),
])
def test_curves_reject_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        plots.kaplan_meier_curves(bad)


# ---- survival_gap ------------------------------------------------------------------------------


def test_the_gap_is_the_difference_of_the_curves_with_greenwoods_interval(customers):
    tables = _tables(customers)
    gap = widgets.survival_gap(tables["bad"], tables["good"], at=26)
    bad_at = tables["bad"].loc[:26].iloc[-1]
    good_at = tables["good"].loc[:26].iloc[-1]
    assert gap.estimate == pytest.approx(bad_at["survival"] - good_at["survival"])
    # The log(-log) bands of each curve are close to Greenwood's plain interval at these sizes.
    assert gap.lower < gap.estimate < gap.upper and gap.confidence == 0.95
    assert widgets.survival_gap(tables["bad"], tables["good"], at=26, confidence=0.8).width < gap.width


def test_greenwoods_interval_agrees_with_a_bootstrap_over_customers(customers):
    tables = _tables(customers)
    greenwood = survival_gap(tables["bad"], tables["good"], at=40)
    rows = customers[["weeks", "left"]].assign(bad=customers["group"] == "bad").to_numpy(dtype=float)

    def gap(sample):
        shares = [survival.kaplan_meier(sample[sample[:, 2] == flag, 0], sample[sample[:, 2] == flag, 1]).loc[:40,
                  "survival"].iloc[-1] for flag in (1.0, 0.0)]
        return shares[0] - shares[1]

    boot = intervals.bootstrap(rows, gap, n_resamples=300, seed=1)
    assert boot.estimate == pytest.approx(greenwood.estimate)
    assert greenwood.lower == pytest.approx(boot.lower, abs=0.04) and greenwood.upper == pytest.approx(boot.upper, abs=0.04)


def test_the_gap_rejects_bad_input(customers):
    tables = _tables(customers)
    with pytest.raises(ValueError, match="at should be a time of at least 0"):
        survival_gap(tables["bad"], tables["good"], at=-1)
    with pytest.raises(ValueError, match="confidence should be a share between 0 and 1"):
        survival_gap(tables["bad"], tables["good"], at=5, confidence=95)
    with pytest.raises(ValueError, match=r"lacks the columns \['events'\]"):
        survival_gap(tables["bad"].drop(columns="events"), tables["good"], at=5)
    late = survival.kaplan_meier([5, 6], [1, 0])
    with pytest.raises(ValueError, match="before the first time"):
        survival_gap(late.drop(index=0.0), tables["good"], at=2)


# ---- widgets.survival_explorer -----------------------------------------------------------------


def test_explorer_reads_out_both_groups_and_the_gap(customers):
    explorer = widgets.survival_explorer(customers["weeks"], customers["left"], customers["group"],
                                         bands=customers["band"], at=26, first="bad", second="good")
    choose, against, band, slider, readout, picture = explorer.children
    assert (choose.value, against.value, band.value, slider.value) == ("bad", "good", "all customers", 26)
    assert list(band.options) == ["all customers", "few", "many"]
    gap = survival_gap(*_tables(customers).values(), at=26)  # groupby order: bad, good
    assert "Among all customers, after 26 weeks:" in readout.value
    assert "bad, 200 customers: <b>" in readout.value and "good, 200 customers: <b>" in readout.value
    assert f"bad minus good: <b>{gap.estimate:+.3f}</b> (95% interval {gap.lower:+.3f} to {gap.upper:+.3f})." in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_readout_and_the_figure(customers):
    explorer = widgets.survival_explorer(customers["weeks"], customers["left"], customers["group"],
                                         bands=customers["band"], at=26)
    choose, against, band, slider, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    band.value = "few"
    assert "Among few, after 26 weeks:" in readout.value and "100 customers" in readout.value
    assert picture.value != first_picture
    slider.value = 0
    assert "after 0 weeks" in readout.value and readout.value != first_text
    assert "The interval holds 0" in readout.value  # at week 0 nearly everyone is still there
    choose.value = "good"
    assert readout.value == "Pick two different groups to compare."


def test_explorer_gives_the_same_output_every_run(customers):
    one = widgets.survival_explorer(customers["weeks"], customers["left"], customers["group"], at=40, confidence=0.9)
    two = widgets.survival_explorer(customers["weeks"], customers["left"], customers["group"], at=40, confidence=0.9)
    assert "90% interval" in one.children[4].value
    assert one.children[4].value == two.children[4].value and one.children[5].value == two.children[5].value
    assert one.children[2].disabled  # no bands: the band drop-down has only "all customers"


def test_explorer_says_when_a_band_has_no_customers_of_a_group(customers):
    bands = pd.Series(np.where(customers["group"] == "bad", "only bad", "mixed"), index=customers.index)
    explorer = widgets.survival_explorer(customers["weeks"], customers["left"], customers["group"], bands=bands)
    explorer.children[2].value = "only bad"
    assert explorer.children[4].value == "No customers of good in only bad: pick another band."


def test_explorer_rejects_bad_input(customers):
    weeks, left, group = customers["weeks"], customers["left"], customers["group"]
    with pytest.raises(TypeError, match="durations should be a pandas Series"):
        widgets.survival_explorer(weeks.to_list(), left, group)
    with pytest.raises(ValueError, match="observed should have the same index as durations"):
        widgets.survival_explorer(weeks, left.iloc[:10], group)
    with pytest.raises(ValueError, match="durations should be finite times of at least 0"):
        widgets.survival_explorer(weeks - 500, left, group)
    with pytest.raises(ValueError, match="observed should hold True/False"):
        widgets.survival_explorer(weeks, left.astype(int) * 2, group)
    with pytest.raises(ValueError, match="at least two groups"):
        widgets.survival_explorer(weeks, left, pd.Series("one", index=weeks.index))
    with pytest.raises(ValueError, match="first should be one of the groups"):
        widgets.survival_explorer(weeks, left, group, first="ugly")
    with pytest.raises(ValueError, match="two different groups"):
        widgets.survival_explorer(weeks, left, group, first="bad", second="bad")
    with pytest.raises(ValueError, match="at should be a time from 0 to the longest duration"):
        widgets.survival_explorer(weeks, left, group, at=10_000)


def test_survival_figure_and_explorer_are_exported():
    assert "kaplan_meier_curves" in plots.__all__
    assert {"survival_explorer", "survival_gap"} <= set(widgets.__all__)


def test_a_curve_whose_customers_leave_at_time_0_starts_at_1_and_drops_at_once():
    table = survival.kaplan_meier([0, 0, 3, 5], observed=[1, 0, 1, 0])
    line = plots.kaplan_meier_curves({"some left at once": table}).get_lines()[0]
    assert line.get_xdata().tolist()[:2] == [0.0, 0.0]
    assert line.get_ydata().tolist()[:2] == pytest.approx([1.0, 0.75])
