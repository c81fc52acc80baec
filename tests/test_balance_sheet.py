"""The customer base on one page: every figure of the quarterly balance sheet is the one its own
function gives on the data up to the day (nothing later used), the page is a matplotlib Figure
made without pyplot, and bad days are named."""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from customering_utils import clv, concentration, economics, risk, surveys
from customering_utils.balance_sheet import COLUMNS, quarterly_balance_sheet
from customering_utils.plots.balance_sheet import balance_sheet

AS_OF, PREVIOUS = pd.Timestamp("2025-12-31"), pd.Timestamp("2025-09-30")
SETTINGS = {"n_draws": 40, "n_resamples": 200, "seed": 3}


@pytest.fixture(scope="module")
def sheet(world):
    return quarterly_balance_sheet(world, AS_OF, **SETTINGS)


def models_on(world, day):
    transactions = world.transactions[world.transactions["date"] <= day]
    summary = clv.summarize(transactions, end=day)
    return transactions, summary, clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary)


def test_the_table_has_every_figure(sheet):
    table = sheet.table
    assert list(table.columns) == COLUMNS and table.index.name == "measure"
    assert table.index.tolist() == [
        "value of the base", "equity at risk (95% VaR)", "share of value on the top 20%", "customers alive (expected)",
        "service level (calls answered within 20 s)", "NPS", "CLV:CAC display", "CLV:CAC partner", "CLV:CAC referral",
        "CLV:CAC search", "CLV:CAC social"]
    np.testing.assert_allclose(table["change"], table["value"] - table["previous"])
    assert sheet.as_of == AS_OF and sheet.previous == PREVIOUS
    assert sheet.settings["margin"] == 0.30 and sheet.settings["annual_discount_rate"] == 0.10
    ranged = table.dropna(subset=["lower"])
    assert ((ranged["lower"] <= ranged["value"]) & (ranged["value"] <= ranged["upper"])).all()


@pytest.mark.parametrize("day, column", [(AS_OF, "value"), (PREVIOUS, "previous")])
def test_value_concentration_and_customers_are_module_1s_on_the_data_up_to_the_day(world, sheet, day, column):
    _, summary, bg, gg = models_on(world, day)
    value = clv.customer_lifetime_value(bg, gg, summary, horizon=52, margin=0.3, annual_discount_rate=0.1)
    assert sheet.table.loc["value of the base", column] == pytest.approx(value.sum(), rel=1e-12)
    assert sheet.table.loc["share of value on the top 20%", column] == pytest.approx(concentration.top_share(value, 0.2))
    assert sheet.table.loc["customers alive (expected)", column] == pytest.approx(bg.p_alive(summary).sum())
    if day == AS_OF:
        draws = risk.base_value_distribution(bg, gg, summary, n_draws=40, seed=3, margin=0.3, annual_discount_rate=0.1)
        pd.testing.assert_frame_equal(sheet.value_draws, draws)
        assert sheet.table.loc["equity at risk (95% VaR)", "value"] == pytest.approx(risk.value_at_risk(draws["base_value"]))
        assert sheet.table.loc["value of the base", "lower"] == pytest.approx(np.percentile(draws["base_value"], 2.5))


def test_service_level_and_nps_are_the_quarters(world, sheet):
    calls = world.calls.loc["2025-10-01":"2025-12-31"]
    assert sheet.table.loc["service level (calls answered within 20 s)", "value"] == pytest.approx(
        calls["answered_within_20s"].sum() / calls["arrivals"].sum())
    earlier = world.calls.loc["2025-07-01":"2025-09-30"]
    assert sheet.table.loc["service level (calls answered within 20 s)", "previous"] == pytest.approx(
        earlier["answered_within_20s"].sum() / earlier["arrivals"].sum())
    answers = world.surveys[(world.surveys["survey"] == "NPS") & world.surveys["date"].between("2025-10-01", "2025-12-31")]
    score = surveys.nps(answers["score"])
    assert sheet.table.loc["NPS", ["value", "lower", "upper"]].tolist() == pytest.approx(
        [score.estimate, score.lower, score.upper])


def test_clv_to_cac_is_the_last_twelve_months_customers(world, sheet):
    transactions, _, bg, gg = models_on(world, AS_OF)
    recent = world.customers.index[world.customers["acquisition_date"] >= "2025-01-01"]
    value = economics.clv_at_acquisition(transactions[transactions["customer_id"].isin(recent)], bg, gg, AS_OF,
                                         horizon=156, margin=0.3, annual_discount_rate=0.1)
    by_channel = economics.clv_by_channel(value, world.customers, n_resamples=200, seed=3)
    cac = economics.acquisition_cost(world.marketing[world.marketing["month"] >= "2025-01-01"], by="channel")
    expected = economics.clv_to_cac(by_channel, cac)
    pd.testing.assert_frame_equal(sheet.channels.drop(columns="customers"), expected)
    assert sheet.channels["customers"].sum() == len(recent)
    for channel, row in expected.iterrows():
        assert sheet.table.loc[f"CLV:CAC {channel}", ["value", "lower", "upper"]].tolist() == pytest.approx(
            [row["clv_to_cac"], row["clv_to_cac_lower"], row["clv_to_cac_upper"]])


def test_nothing_after_the_day_is_used(world, sheet):
    """A world cut at the day gives the same figures: the future cannot leak into the sheet."""
    cut = dataclasses.replace(
        world, transactions=world.transactions[world.transactions["date"] <= PREVIOUS],
        customers=world.customers[world.customers["acquisition_date"] <= PREVIOUS],
        calls=world.calls.loc[:PREVIOUS.strftime("%Y-%m-%d")], surveys=world.surveys[world.surveys["date"] <= PREVIOUS],
        marketing=world.marketing[world.marketing["month"] <= PREVIOUS])
    earlier = quarterly_balance_sheet(cut, PREVIOUS, **SETTINGS)
    pd.testing.assert_series_equal(earlier.table["value"], sheet.table["previous"], check_names=False, rtol=1e-12)


def test_the_page_is_a_figure_with_its_table(world, sheet):
    before = plt.get_fignums()
    figure, table = balance_sheet(world, AS_OF, **SETTINGS)
    assert isinstance(figure, Figure) and plt.get_fignums() == before  # not pyplot's: shown only when asked for
    pd.testing.assert_frame_equal(table, sheet.table)
    assert figure.get_suptitle() == "The customer base on one page: the quarter to 31 December 2025"
    tiles, distribution, channels = figure.axes[:6], figure.axes[6], figure.axes[7]
    texts = [" ".join(text.get_text() for text in ax.texts) for ax in tiles]
    assert "value of the base" in texts[0] and f"\\${sheet.table.loc['value of the base', 'value']:,.0f}" in texts[0]
    assert "Net Promoter" in texts[5] and f"{sheet.table.loc['NPS', 'value']:.1f}" in texts[5]
    assert distribution.get_xlabel() == "value of the base over the next year (thousand US$, today's money)"
    assert sum(patch.get_height() for patch in distribution.patches) == SETTINGS["n_draws"]  # one count per draw
    assert [label.get_text() for label in channels.get_yticklabels()] == \
        sheet.channels.sort_values("clv_to_cac").index.tolist()
    assert [patch.get_width() for patch in channels.patches] == pytest.approx(sorted(sheet.channels["clv_to_cac"]))
    assert channels.get_xlabel().startswith("CLV:CAC (3-year value from acquisition")


@pytest.mark.parametrize("as_of, message", [
    ("2025-12-15", "as_of should be the last day of a month"),
    ("2026-03-31", r"as_of \(2026-03-31\) is after the data end \(2025-12-31\)"),
    ("soon", "as_of should be a date such as"),
])
def test_bad_days_are_named(world, as_of, message):
    with pytest.raises(ValueError, match=message):
        quarterly_balance_sheet(world, as_of, **SETTINGS)


def test_a_world_without_its_tables_is_named(world):
    with pytest.raises(TypeError, match="world should have a table 'customers'"):
        quarterly_balance_sheet(object(), AS_OF)
    with pytest.raises(TypeError, match="world should have a table 'calls'"):
        quarterly_balance_sheet(dataclasses.replace(world, calls=None), AS_OF)
    without_truth = type("Tables", (), {name: getattr(world, name) for name in
                                        ("customers", "transactions", "surveys", "calls", "marketing")})()
    with pytest.raises(ValueError, match="margin was not given and the world has no truth.params"):
        quarterly_balance_sheet(without_truth, AS_OF, **SETTINGS)
