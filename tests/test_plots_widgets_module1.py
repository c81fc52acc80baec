"""Module 1's figures and explorer of one customer: the right numbers, drawn and labelled, and clear errors."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from customering_utils import clv, economics, plots, widgets  # noqa: E402

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


def test_customer_explorer_reads_the_path_with_the_models_refitted_up_to_each_day(purchases):
    today = clv.BetaGeo.from_params(**PUBLISHED)
    early = clv.BetaGeo.from_params(r=0.5, alpha=2.0, a=0.5, b=1.0)
    refits = {"2025-01-01": early, pd.Timestamp("2025-03-01"): today}
    values = pd.Series({1: 12.5, 2: 3.0, 3: 4.25})
    refitted = widgets.customer_explorer(purchases, today, values, "2025-04-30", {"repeat buyer": 1}, refits=refits)
    plain = widgets.customer_explorer(purchases, today, values, "2025-04-30", {"repeat buyer": 1})
    assert "the latest model fitted on or before that day" in refitted.children[2].value
    assert "applies today's parameters to every day" in plain.children[2].value
    # The readout's P(alive) on the last day is today's model's either way; the paths differ before March.
    p_alive = today.p_alive(clv.summarize(purchases, end="2025-04-30")).loc[1]
    assert f"P(alive) <b>{p_alive:.2f}</b>" in refitted.children[2].value
    assert refitted.children[3].value != plain.children[3].value


def test_customer_explorer_path_takes_each_day_from_the_latest_refit(purchases):
    from customering_utils.widgets.clv import _p_alive_then

    today = clv.BetaGeo.from_params(**PUBLISHED)
    early = clv.BetaGeo.from_params(r=0.5, alpha=2.0, a=0.5, b=1.0)
    history = clv.history_over_time(purchases, 1, end="2025-04-30")
    path = _p_alive_then(history, today, {pd.Timestamp("2025-01-10"): early, pd.Timestamp("2025-03-01"): today})
    expected = pd.concat([early.p_alive(history[:"2025-02-28"]), today.p_alive(history["2025-03-01":])])
    assert path.tolist() == pytest.approx(expected.tolist())  # days before the first refit use the first
    assert path.index.equals(history.index)


def test_customer_explorer_rejects_bad_refits(purchases):
    model = clv.BetaGeo.from_params(**PUBLISHED)
    in_days = clv.BetaGeo.from_params(r=0.243, alpha=30.9, a=0.793, b=2.426, time_unit="D")
    with pytest.raises(TypeError, match="refits should be a dict"):
        widgets.customer_explorer(purchases, model, pd.Series({1: 1.0}), "2025-04-30", {"one": 1}, refits=[model])
    with pytest.raises(ValueError, match=r"refits\['2025-01-31'\] should be a fitted purchase model"):
        widgets.customer_explorer(purchases, model, pd.Series({1: 1.0}), "2025-04-30", {"one": 1},
                                  refits={"2025-01-31": in_days})


# ---- widgets.horizon_explorer -------------------------------------------------------------


def test_horizon_explorer_values_the_base_both_ways():
    weekly = np.full(104, 10.0)  # $10 of revenue a week for two years
    explorer = widgets.horizon_explorer(weekly, customers=2, gross_margin=0.3, margin_per_customer=100.0,
                                        retention=0.5, discount_rate=0.10, years=2)
    horizon, rate, keep, readout, picture = explorer.children
    assert (horizon.value, horizon.max, rate.value, keep.value) == (1, 2, 0.10, 0.5)
    weekly_rate = 1.10 ** (7 / 365.25) - 1
    model = 0.3 * (10.0 * (1 + weekly_rate) ** -np.arange(1, 53)).sum()
    simple = 2 * economics.simple_clv(100.0, 0.5, 0.10, periods=1)
    assert f"the purchase model values the 2 customers at <b>${model:,.0f}</b> (${model / 2:,.2f} each)" in readout.value
    assert f"at <b>${simple:,.0f}</b> (${simple / 2:,.2f} each)" in readout.value
    assert f"at ${2 * economics.simple_clv(100.0, 0.5, 0.10):,.0f} for ever" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_horizon_explorer_one_year_is_the_total_clv_of_the_customers():
    summary = pd.DataFrame({"frequency": [0, 2, 5], "recency": [0.0, 30.0, 35.0], "T": [38.0, 38.0, 38.0],
                            "monetary_value": [0.0, 50.0, 30.0]})
    bg = clv.BetaGeo.from_params(**PUBLISHED)
    gg = clv.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    cumulative = np.column_stack([bg.conditional_expected_purchases(k, summary) for k in range(105)])
    weekly = (np.diff(cumulative, axis=1) * gg.expected_spend(summary).to_numpy()[:, None]).sum(axis=0)
    explorer = widgets.horizon_explorer(weekly, customers=3, gross_margin=0.3, margin_per_customer=20.0,
                                        retention=0.6, discount_rate=0.10, years=2)
    total = clv.customer_lifetime_value(bg, gg, summary, horizon=52, margin=0.3, annual_discount_rate=0.10).sum()
    assert f"the 3 customers at <b>${total:,.0f}</b> (${total / 3:,.2f} each)" in explorer.children[3].value
    explorer.children[0].value = 2
    two_years = clv.customer_lifetime_value(bg, gg, summary, horizon=104, margin=0.3, annual_discount_rate=0.10).sum()
    assert f"<b>${two_years:,.0f}</b> (${two_years / 3:,.2f} each)" in explorer.children[3].value


def test_horizon_explorer_sliders_redraw():
    explorer = widgets.horizon_explorer(np.full(520, 5.0), customers=10, gross_margin=0.3, margin_per_customer=20.0,
                                        retention=0.6, discount_rate=0.10)
    horizon, rate, keep, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    horizon.value = 10
    assert "Over <b>10</b> years" in readout.value and picture.value != first_picture
    rate.value = 0.0  # no discounting: ten years of $5 a week at 30%
    assert f"at <b>${0.3 * 5.0 * 520:,.0f}</b>" in readout.value
    keep.value = 0.9
    assert "retention 0.90" in readout.value and readout.value != first_text


@pytest.mark.parametrize("arguments, message", [
    ({"weekly_revenue": [1.0, -1.0] * 26}, "one finite revenue of at least 0"),
    ({"weekly_revenue": np.full(51, 1.0)}, "52 weeks of weekly_revenue for each"),
    ({"years": 0}, "years should be a whole number of at least 1"),
    ({"customers": 0}, "customers should be a whole number of at least 1"),
    ({"gross_margin": 30}, "gross_margin should be a share of revenue"),
    ({"margin_per_customer": 0}, "margin_per_customer should be positive"),
    ({"retention": 0.99}, "the sliders cover retention 0 to 0.95"),
    ({"discount_rate": 0.5}, "discount rates 0 to 0.30"),
])
def test_horizon_explorer_rejects_bad_input(arguments, message):
    given = {"weekly_revenue": np.full(52, 1.0), "customers": 1, "gross_margin": 0.3, "margin_per_customer": 10.0,
             "retention": 0.5, "discount_rate": 0.1, "years": 1, **arguments}
    weekly = given.pop("weekly_revenue")
    with pytest.raises(ValueError, match=message):
        widgets.horizon_explorer(weekly, **given)


def test_module_1_figures_and_explorer_are_exported():
    assert {"purchase_timeline", "p_alive_path"} <= set(plots.__all__)
    assert {"customer_explorer", "horizon_explorer"} <= set(widgets.__all__)
