"""BG/NBD's figures and explorers (lessons 1c and 1d): the distributions its parameters imply,
P(alive) by history, the silence that takes P(alive) below 0.5, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from scipy import stats

from customering_utils import clv, plots, widgets
from customering_utils.widgets.p_alive import silence_to_half

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie and Lee (2005), CDNOW


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def model() -> clv.BetaGeo:
    return clv.BetaGeo.from_params(**PUBLISHED)


# ---- plots.purchase_rate_distribution and plots.dropout_distribution ----------------------


def test_purchase_rate_bands_hold_the_gamma_shares_and_the_mean_is_marked():
    ax = plots.purchase_rate_distribution(0.85, 9.0, upper=0.5, bands=25)
    heights, edges, _ = ax.patches[0].get_data()
    gamma = stats.gamma(0.85, scale=1 / 9.0)
    np.testing.assert_allclose(edges, np.linspace(0, 0.5, 26))
    np.testing.assert_allclose(heights, 100 * np.diff(gamma.cdf(edges)))
    mean = ax.get_lines()[0]
    assert list(mean.get_xdata()) == pytest.approx([0.85 / 9.0] * 2)
    assert to_hex(mean.get_color()).upper() == plots.PALETTE["blue"]
    assert ax.get_xlabel() == "purchase rate while alive (purchases a week)"
    assert ax.get_ylabel() == "customers (% in each band)"
    assert ax.get_title() == "Purchase rates across customers"
    assert "mean 0.094 a week" in [text.get_text() for text in ax.get_legend().get_texts()][1]


def test_distributions_overlay_an_outline_on_the_same_axes_and_read_days():
    _, ax = plt.subplots()
    assert plots.purchase_rate_distribution(0.2, 20.0, ax=ax, time_unit="D") is ax
    plots.purchase_rate_distribution(0.3, 20.0, ax=ax, time_unit="D", fill=False, color=plots.PALETTE["vermillion"],
                                     label="truth", upper=ax.get_xlim()[1])
    filled, outline = ax.patches
    assert filled.get_fill() and not outline.get_fill()
    assert to_hex(outline.get_edgecolor()).upper() == plots.PALETTE["vermillion"]
    assert ax.get_xlabel() == "purchase rate while alive (purchases a day)"
    # Both drawn in full: the axis reaches the taller of the two.
    assert ax.get_ylim()[1] >= max(filled.get_data()[0].max(), outline.get_data()[0].max())


def test_dropout_bands_cover_every_customer_and_mark_the_mean():
    ax = plots.dropout_distribution(0.75, 3.5, bands=10)
    heights, edges, _ = ax.patches[0].get_data()
    assert heights.sum() == pytest.approx(100)
    np.testing.assert_allclose(heights, 100 * np.diff(stats.beta(0.75, 3.5).cdf(np.linspace(0, 1, 11))))
    assert list(ax.get_lines()[0].get_xdata()) == pytest.approx([0.75 / 4.25] * 2)
    assert ax.get_xlabel() == "drop-out after a repeat purchase (probability)"


@pytest.mark.parametrize("call, message", [
    (lambda: plots.purchase_rate_distribution(0.0, 4.0), "r should be a positive number"),
    (lambda: plots.purchase_rate_distribution(0.2, np.nan), "alpha should be a positive number"),
    (lambda: plots.purchase_rate_distribution(0.2, 4.0, upper=-1), "upper should be a positive rate"),
    (lambda: plots.dropout_distribution(0.7, -2.0), "b should be a positive number"),
    (lambda: plots.dropout_distribution(0.7, 2.0, bands=0), "bands should be at least 1"),
    (lambda: plots.purchase_rate_distribution(0.2, 4.0, time_unit="M"), "time_unit"),
])
def test_distributions_name_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- plots.p_alive_heatmap ---------------------------------------------------------------


def test_heatmap_cells_are_the_models_p_alive(model):
    ax = plots.p_alive_heatmap(model, T=52, max_frequency=6)
    mesh = ax.collections[0]
    grid = np.asarray(mesh.get_array()).reshape(6, 53)  # 1 to 6 repeat purchases; recency 0 to 52 weeks
    histories = pd.DataFrame({"frequency": [1, 3, 6, 6], "recency": [0.0, 20.0, 52.0, 40.0], "T": 52.0})
    expected = model.p_alive(histories).to_numpy()
    assert [grid[0, 0], grid[2, 20], grid[5, 52], grid[5, 40]] == pytest.approx(expected)
    assert mesh.get_cmap().name.startswith("cividis") and mesh.norm.vmin == 0 and mesh.norm.vmax == 1
    assert len(ax.collections) == 2  # the cells and the line at P(alive) = 0.5
    assert ax.get_xlabel() == "recency: weeks from the first purchase to the last"
    assert ax.get_ylabel() == "frequency: repeat purchases (count)"
    assert ax.get_title() == "P(alive) of a customer first seen 52 weeks ago"
    assert ax.figure.axes[-1].get_ylabel() == "P(alive) (probability)"  # the colour bar


def test_heatmap_of_a_short_age_steps_in_fractions_of_a_unit(model):
    ax = plots.p_alive_heatmap(model, T=10, max_frequency=2)
    assert np.asarray(ax.collections[0].get_array()).size == 2 * 51  # 10 weeks in fifths of a week


@pytest.mark.parametrize("options, message", [
    ({"T": 0}, "T should be a positive age"),
    ({"T": 52, "max_frequency": 0}, "max_frequency should be a whole number"),
    ({"T": 52, "max_frequency": 2.5}, "max_frequency should be a whole number"),
])
def test_heatmap_names_bad_input(model, options, message):
    with pytest.raises(ValueError, match=message):
        plots.p_alive_heatmap(model, **options)


def test_heatmap_needs_a_fitted_model():
    with pytest.raises(TypeError, match="model should be a fitted clv.BetaGeo"):
        plots.p_alive_heatmap(clv.BetaGeo(), T=52)


# ---- silence_to_half -----------------------------------------------------------------------


@pytest.mark.parametrize("params", [PUBLISHED, {"r": 0.85, "alpha": 9.0, "a": 0.75, "b": 3.5}])
@pytest.mark.parametrize("frequency, T", [(1, 52.0), (3, 38.0), (10, 104.0)])
def test_silence_to_half_is_where_p_alive_crosses_one_half(params, frequency, T):
    silence = silence_to_half(params, frequency, T)
    assert 0 < silence < T
    model = clv.BetaGeo.from_params(**params)
    around = pd.DataFrame({"frequency": frequency, "recency": T - silence + np.array([0.01, 0.0, -0.01]), "T": T})
    low, half, high = model.p_alive(around)
    assert half == pytest.approx(0.5) and low > 0.5 > high


def test_silence_to_half_at_once_and_never():
    # a much larger than b: a customer is more likely gone than not right after a purchase.
    assert silence_to_half({"r": 1.0, "alpha": 10.0, "a": 5.0, "b": 1.0}, 1, 52) == 0.0
    # a tiny a: almost nobody leaves, so no silence within a year takes P(alive) below 0.5.
    assert silence_to_half({"r": 1.0, "alpha": 10.0, "a": 0.01, "b": 5.0}, 1, 52) == float("inf")
    with pytest.raises(ValueError, match="frequency should be a whole number"):
        silence_to_half(PUBLISHED, 0, 52)


# ---- widgets.bgnbd_parameter_explorer --------------------------------------------------------


def test_parameter_explorer_reads_out_what_the_parameters_mean(model):
    explorer = widgets.bgnbd_parameter_explorer(model)
    *sliders, readout, picture = explorer.children
    assert [s.value for s in sliders] == pytest.approx(list(PUBLISHED.values()))
    below = stats.gamma(0.243, scale=1 / 4.414).cdf(0.243 / 4.414)
    assert f"mean purchase rate <b>{0.243 / 4.414:.3f}</b> a week" in readout.value
    assert f"<b>{below:.1%}</b> of customers buy less often" in readout.value
    assert f"mean drop-out probability <b>{0.793 / (0.793 + 2.426):.3f}</b>" in readout.value
    assert f"<b>{float(model.expected_purchases(52)):.2f}</b> repeat purchases in their first 52 weeks" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_parameter_explorer_redraws_when_a_slider_moves_even_to_a_equal_1(model):
    explorer = widgets.bgnbd_parameter_explorer(model, horizon=26)
    *sliders, readout, picture = explorer.children
    before_text, before_picture = readout.value, picture.value
    assert "in their first 26 weeks" in before_text
    sliders[2].value = 1.0  # a = 1: expected purchases have no value there; the explorer nudges it
    assert readout.value != before_text and picture.value != before_picture
    assert "mean drop-out probability <b>0.292</b>" in readout.value  # 1 / (1 + 2.426)


def test_parameter_explorer_shows_the_same_thing_every_time(model):
    first, second = widgets.bgnbd_parameter_explorer(model), widgets.bgnbd_parameter_explorer(model)
    assert first.children[4].value == second.children[4].value
    assert first.children[5].value == second.children[5].value


@pytest.mark.parametrize("bad, options, error, message", [
    ("a model", {}, TypeError, "model should be a fitted clv.BetaGeo"),
    (clv.BetaGeo(), {}, TypeError, "model should be a fitted clv.BetaGeo"),
    (clv.BetaGeo.from_params(**PUBLISHED), {"horizon": 0}, ValueError, "horizon should be a positive length"),
])
def test_parameter_explorer_names_bad_input(bad, options, error, message):
    with pytest.raises(error, match=message):
        widgets.bgnbd_parameter_explorer(bad, **options)


# ---- widgets.p_alive_explorer -------------------------------------------------------------


def test_p_alive_explorer_reads_out_the_silences_that_take_p_alive_below_one_half(model):
    explorer = widgets.p_alive_explorer(model, T=52, max_T=156)
    age, *sliders, readout, picture = explorer.children
    assert age.value == 52 and age.max == 156 and age.description == "age T (weeks)"
    for x in (1, 3, 10):
        purchases = f"{x} repeat purchase{'s' if x > 1 else ''}"
        assert f"with {purchases}, after <b>{silence_to_half(PUBLISHED, x, 52):.1f} weeks</b>" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_p_alive_explorer_redraws_for_a_new_age_and_new_parameters(model):
    explorer = widgets.p_alive_explorer(model, T=38)
    age, r, alpha, a, b, readout, picture = explorer.children
    assert age.max == 100  # a round number at least twice T
    before_text, before_picture = readout.value, picture.value
    age.value = 80
    assert readout.value != before_text and picture.value != before_picture
    assert "first seen 80 weeks ago" in readout.value
    a.value = 0.05  # almost nobody leaves after a purchase
    assert "<b>never</b> within 80 weeks" in readout.value


@pytest.mark.parametrize("options, message", [
    ({"T": -1}, "T should be a positive age"),
    ({"T": 52, "max_T": 26}, "max_T should be at least T"),
    ({"T": 52, "max_frequency": 0}, "max_frequency should be a whole number"),
])
def test_p_alive_explorer_names_bad_input(model, options, message):
    with pytest.raises(ValueError, match=message):
        widgets.p_alive_explorer(model, **options)
