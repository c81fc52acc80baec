"""Module 1's figures and explorer of one customer: the right numbers, drawn and labelled, and clear errors."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from customering_utils import clv, plots, widgets  # noqa: E402

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie and Lee (2005), CDNOW


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def purchases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 1, 2, 3],
            "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-15", "2025-03-05", "2025-01-08", "2025-02-01"]),
            "amount": [10.0, 20.0, 5.0, 40.0, 8.0, 12.0],
        }
    )


# ---- plots.purchase_timeline ------------------------------------------------------------


def test_purchase_timeline_draws_one_stem_per_purchase_day(purchases):
    mine = purchases[purchases["customer_id"] == 1].set_index("date")["amount"]
    ax = plots.purchase_timeline(mine, end="2025-06-30")
    dots = ax.get_lines()[0]
    assert [float(y) for y in dots.get_ydata()] == [10.0, 25.0, 40.0]  # 15 January: 20 + 5
    assert to_hex(dots.get_color()).upper() == plots.PALETTE["blue"]
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "spent that day (US$)"
    assert ax.get_title() == "Purchases"
    assert ax.get_ylim()[0] == 0
    # The axis runs to the end, marked by a dashed line.
    today = ax.get_lines()[1]
    assert pd.Timestamp(today.get_xdata()[0]) == pd.Timestamp("2025-06-30")
    assert ax.get_xlim()[1] > mdates.date2num(pd.Timestamp("2025-06-30"))


def test_purchase_timeline_draws_into_the_axes_it_is_given(purchases):
    _, (left, right) = plt.subplots(1, 2)
    assert plots.purchase_timeline(purchases.set_index("date")["amount"], ax=right) is right
    assert left.get_lines() == []


@pytest.mark.parametrize("bad, error, message", [
    ([1.0, 2.0], TypeError, "purchases should be a pandas Series of amounts"),
    (pd.Series([1.0, 2.0]), TypeError, "indexed by date"),
    (pd.Series([1.0, -2.0], index=pd.date_range("2025-01-01", periods=2)), ValueError, "at least 0 US dollars"),
    (pd.Series([1.0, np.nan], index=pd.date_range("2025-01-01", periods=2)), ValueError, "no missing values"),
    (pd.Series([], dtype=float, index=pd.DatetimeIndex([])), ValueError, "at least one amount"),
])
def test_purchase_timeline_rejects_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        plots.purchase_timeline(bad)


# ---- plots.p_alive_path -----------------------------------------------------------------


def test_p_alive_path_draws_the_probabilities():
    path = pd.Series([1.0, 0.8, 0.5], index=pd.date_range("2025-01-01", periods=3, freq="7D"))
    ax = plots.p_alive_path(path)
    (line,) = ax.get_lines()
    assert line.get_ydata().tolist() == [1.0, 0.8, 0.5]
    assert to_hex(line.get_color()).upper() == plots.PALETTE["vermillion"]
    assert line.get_label() == "P(alive) on the last day: 0.50"
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "P(alive) (probability)"
    assert "P(alive)" in ax.get_title()


@pytest.mark.parametrize("bad, error, message", [
    (pd.Series([0.5]), TypeError, "indexed by date"),
    (pd.Series([1.2], index=pd.DatetimeIndex(["2025-01-01"])), ValueError, "each from 0 to 1"),
    (pd.Series([np.nan], index=pd.DatetimeIndex(["2025-01-01"])), ValueError, "no missing values"),
])
def test_p_alive_path_rejects_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        plots.p_alive_path(bad)


# ---- clv.history_over_time ------------------------------------------------------------


def test_history_over_time_matches_summarize_on_every_checkpoint(purchases):
    history = clv.history_over_time(purchases, 1, end="2025-04-02")
    # Weekly from the first purchase, plus each purchase day, the day before it, and the end.
    for day in ["2025-01-01", "2025-01-08", "2025-01-14", "2025-01-15", "2025-03-04", "2025-03-05", "2025-04-02"]:
        assert pd.Timestamp(day) in history.index
    for day, row in history.iterrows():
        expected = clv.summarize(purchases[purchases["customer_id"] == 1], end=day).iloc[0]
        assert row["frequency"] == expected["frequency"], day
        assert row["recency"] == pytest.approx(expected["recency"]), day
        assert row["T"] == pytest.approx(expected["T"]), day
    assert history.index.is_monotonic_increasing and history.index.is_unique


def test_history_over_time_on_the_data_world_ends_where_the_summary_does(world):
    end = "2025-12-31"
    summary = clv.summarize(world.transactions, end=end)
    model = clv.BetaGeo().fit(summary)
    for who in (1, 357, 6465):
        history = clv.history_over_time(world.transactions, who, end)
        assert history.iloc[-1].tolist() == pytest.approx(summary.loc[who, ["frequency", "recency", "T"]].tolist())
        path = model.p_alive(history)
        assert path.iloc[-1] == pytest.approx(model.p_alive(summary.loc[[who]]).iloc[0])
        assert ((path >= 0) & (path <= 1)).all()


def test_history_over_time_p_alive_falls_in_silence_and_rises_at_a_purchase(purchases):
    path = clv.BetaGeo.from_params(**PUBLISHED).p_alive(clv.history_over_time(purchases, 1, end="2025-04-30"))
    silent = path["2025-01-15":"2025-03-04"]
    assert silent.is_monotonic_decreasing and silent.iloc[-1] < silent.iloc[0]
    assert path["2025-03-05"] > path["2025-03-04"]


def test_history_over_time_ignores_purchases_after_the_end(purchases):
    history = clv.history_over_time(purchases, 1, end="2025-02-01")
    assert history.index.max() == pd.Timestamp("2025-02-01")
    assert history["frequency"].max() == 1


def test_history_over_time_unknown_customer_is_a_clear_error(purchases):
    with pytest.raises(ValueError, match="customer 99 has no purchase on or before 2025-04-02"):
        clv.history_over_time(purchases, 99, end="2025-04-02")
    with pytest.raises(ValueError, match="customer 3 has no purchase on or before 2025-01-31"):
        clv.history_over_time(purchases, 3, end="2025-01-31")


# ---- widgets.customer_explorer ----------------------------------------------------------


def test_customer_explorer_shows_the_picked_customer(purchases):
    model = clv.BetaGeo.from_params(**PUBLISHED)
    values = pd.Series({1: 12.5, 2: 3.0, 3: 4.25})
    explorer = widgets.customer_explorer(purchases, model, values, "2025-04-30", {"repeat buyer": 1, "one-off": 2})
    picker, chosen, readout, picture = explorer.children
    assert picker.options == (("repeat buyer", 1), ("one-off", 2))
    assert chosen.value == 1
    summary = clv.summarize(purchases, end="2025-04-30")
    p_alive = model.p_alive(summary).loc[1]
    assert "3 purchase days from 2025-01-01 to 2025-03-05, $75.00 in all" in readout.value
    assert f"P(alive) <b>{p_alive:.2f}</b>" in readout.value and "CLV <b>$12.50</b>" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"
    first_picture = picture.value
    picker.value = 2  # picking an example sets the id and redraws
    assert chosen.value == 2 and "1 purchase day from" in readout.value and "CLV <b>$3.00</b>" in readout.value
    assert picture.value != first_picture
    chosen.value = 3  # any id can be typed
    assert "Customer <b>3</b>" in readout.value


def test_customer_explorer_says_so_for_an_unknown_customer(purchases):
    explorer = widgets.customer_explorer(purchases, clv.BetaGeo.from_params(**PUBLISHED), pd.Series({1: 1.0, 2: 2.0}),
                                         "2025-04-30", {"one": 1})
    explorer.children[1].value = 42
    assert "There is no customer 42" in explorer.children[2].value


def test_customer_explorer_rejects_bad_input(purchases):
    model = clv.BetaGeo.from_params(**PUBLISHED)
    with pytest.raises(TypeError, match="clv should be a pandas Series"):
        widgets.customer_explorer(purchases, model, {1: 1.0}, "2025-04-30", {"one": 1})
    with pytest.raises(ValueError, match="examples should name at least one customer"):
        widgets.customer_explorer(purchases, model, pd.Series({1: 1.0}), "2025-04-30", {})
    with pytest.raises(ValueError, match=r"examples \['ghost'\] are not customers"):
        widgets.customer_explorer(purchases, model, pd.Series({1: 1.0}), "2025-04-30", {"ghost": 7})
    with pytest.raises(ValueError, match="transactions column 'amount' has 1 negative value"):
        widgets.customer_explorer(purchases.assign(amount=[-1.0, 1, 1, 1, 1, 1]), model, pd.Series({1: 1.0}),
                                  "2025-04-30", {"one": 1})


def test_module_1_figures_and_explorer_are_exported():
    assert {"purchase_timeline", "p_alive_path"} <= set(plots.__all__)
    assert {"customer_explorer"} <= set(widgets.__all__)
