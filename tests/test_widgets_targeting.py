"""The targeting figures and explorer: means and bands over resamples, the right gap and interval in the
readout, a new figure when a control moves, the same output every run, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import plots, widgets

SIZES = [100, 200, 300]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def reached() -> dict[str, pd.DataFrame]:
    """Five resamples of three ways of choosing; one by one is ahead of by segment by 1, 2, 3, 4, 5 (100 contacted)."""
    one = pd.DataFrame([[10.0, 18.0, 24.0], [11.0, 19.0, 25.0], [12.0, 20.0, 26.0], [13.0, 21.0, 27.0],
                        [14.0, 22.0, 28.0]], columns=SIZES)
    segment = one - pd.DataFrame([[1.0, 0.5, -1.0], [2.0, 0.5, 1.0], [3.0, 0.5, 0.0], [4.0, 0.5, 2.0],
                                  [5.0, 0.5, -2.0]], columns=SIZES)
    return {"one by one": one, "by segment": segment, "perfect": one + 5.0}


# ---- plots.value_reached and plots.value_gap ----------------------------------------------


def test_value_reached_draws_the_mean_of_each_way_with_a_band(reached):
    ax = plots.value_reached(reached, value_label="true value reached next year (US$)")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["one by one", "by segment", "perfect"]
    assert lines[0].get_xdata().tolist() == SIZES
    assert lines[0].get_ydata().tolist() == pytest.approx([12.0, 20.0, 26.0])
    assert lines[1].get_ydata().tolist() == pytest.approx([9.0, 19.5, 26.0])
    assert [to_hex(line.get_color()).upper() for line in lines] == [
        plots.PALETTE["blue"], plots.PALETTE["orange"], plots.PALETTE["purple"]]
    assert len(ax.collections) == 3  # one band per way
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    low, high = np.percentile(reached["one by one"][100], [2.5, 97.5])
    assert band.min() == pytest.approx(low) and band.max() >= high
    assert ax.get_xlabel() == "customers contacted (count)"
    assert ax.get_ylabel() == "true value reached next year (US$)"
    assert "95%" in ax.get_title()


def test_value_gap_draws_the_mean_gap_its_band_and_the_zero_line(reached):
    gap = reached["one by one"] - reached["by segment"]
    ax = plots.value_gap(gap, confidence=0.8, label="one by one minus by segment")
    mean, zero = ax.get_lines()
    assert mean.get_ydata().tolist() == pytest.approx([3.0, 0.5, 0.0])
    assert mean.get_label() == "one by one minus by segment, mean"
    assert list(zero.get_ydata()) == [0, 0]
    assert to_hex(mean.get_color()).upper() == plots.PALETTE["vermillion"]
    assert "80%" in ax.get_title() and ax.get_ylabel() == "gap in value reached (US$)"


def test_the_figures_draw_into_the_axes_they_are_given(reached):
    _, (left, right) = plt.subplots(1, 2)
    assert plots.value_reached(reached, ax=left) is left
    assert plots.value_gap(reached["one by one"] - reached["perfect"], ax=right) is right


@pytest.mark.parametrize("bad, error, message", [
    ([], TypeError, "reached should be a dict"),
    ({}, TypeError, "at least one way of choosing"),
    ({"a": [[1.0, 2.0]]}, TypeError, r"reached\['a'\] should be a DataFrame"),
    ({"a": pd.DataFrame([[1.0, 2.0], [1.0, 2.0]], columns=[2, 1])}, ValueError, "increasing order"),
    ({"a": pd.DataFrame([[1.0, 2.0], [1.0, 2.0]], columns=["x", "y"])}, ValueError, "positive whole numbers"),
    ({"a": pd.DataFrame([[1.0, 2.0]], columns=[1, 2])}, ValueError, "at least 2 resamples"),
    ({"a": pd.DataFrame([[1.0, np.nan], [1.0, 2.0]], columns=[1, 2])}, ValueError, "finite values"),
    ({"a": pd.DataFrame([[1.0], [2.0]], columns=[1]), "b": pd.DataFrame([[1.0], [2.0]], columns=[2])},
     ValueError, "same numbers of customers contacted"),
])
def test_value_reached_rejects_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        plots.value_reached(bad)


def test_a_band_needs_a_confidence_between_0_and_1(reached):
    with pytest.raises(ValueError, match="confidence should be a share between 0 and 1"):
        plots.value_gap(reached["one by one"], confidence=95)


# ---- widgets.targeting_explorer -------------------------------------------------------------


def test_explorer_reads_out_both_ways_and_the_gap_with_its_interval(reached):
    explorer = widgets.targeting_explorer(reached)
    slider, choose, against, readout, picture = explorer.children
    assert slider.value == 100 and [label for label, _ in slider.options] == ["100", "200", "300"]
    assert (choose.value, against.value) == ("one by one", "by segment")
    gap = reached["one by one"][100] - reached["by segment"][100]
    low, high = np.percentile(gap, [2.5, 97.5])
    assert "Contacting <b>100</b> customers, over 5 resamples:" in readout.value
    assert "one by one reaches $12 (95% interval" in readout.value
    assert (f"one by one minus by segment: <b>$3.00</b> (95% interval ${low:,.2f} to ${high:,.2f}), "
            f"{3 / 12:.1%} of what one by one reaches; one by one reaches more in 100% of the resamples.") in readout.value
    assert "holds 0" not in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_readout_and_the_figure(reached):
    explorer = widgets.targeting_explorer(reached, start=100)
    slider, choose, against, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    slider.value = 300  # gaps -1, 1, 0, 2, -2: the interval holds 0
    assert "Contacting <b>300</b>" in readout.value and readout.value != first_text
    assert "one by one reaches more in 40% of the resamples" in readout.value
    assert "The interval holds 0" in readout.value
    assert picture.value != first_picture
    against.value = "perfect"
    assert "one by one minus perfect: <b>-$5.00</b>" in readout.value
    choose.value = "perfect"
    assert readout.value == "Pick two different ways of choosing to compare."


def test_explorer_starts_where_asked_and_gives_the_same_output_every_run(reached):
    one = widgets.targeting_explorer(reached, start=200, first="perfect", second="one by one", confidence=0.9)
    two = widgets.targeting_explorer(reached, start=200, first="perfect", second="one by one", confidence=0.9)
    assert one.children[0].value == 200 and one.children[1].value == "perfect"
    assert "90% interval" in one.children[3].value
    assert one.children[3].value == two.children[3].value and one.children[4].value == two.children[4].value


def test_explorer_rejects_bad_input(reached):
    with pytest.raises(ValueError, match="at least two ways of choosing"):
        widgets.targeting_explorer({"one by one": reached["one by one"]})
    with pytest.raises(ValueError, match="the same number of rows"):
        widgets.targeting_explorer({"a": reached["one by one"], "b": reached["perfect"].iloc[:3]})
    with pytest.raises(ValueError, match=r"start should be one of the numbers of customers contacted \[100, 200, 300\]"):
        widgets.targeting_explorer(reached, start=250)
    with pytest.raises(ValueError, match="first should be one of"):
        widgets.targeting_explorer(reached, first="by RFM cell")
    with pytest.raises(ValueError, match="two different ways of choosing"):
        widgets.targeting_explorer(reached, first="perfect", second="perfect")
    with pytest.raises(TypeError, match="reached should be a dict"):
        widgets.targeting_explorer([reached["one by one"]])


def test_targeting_figures_and_explorer_are_exported():
    assert {"value_reached", "value_gap"} <= set(plots.__all__)
    assert "targeting_explorer" in widgets.__all__
