"""The hand-over figures and explorer: the first days counted right, shares equal to Wilson's, points drawn where
they belong, a readout that follows the controls, the same output every run, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import intervals, plots, widgets
from customering_utils.plots.hand_over import first_days_funnel
from customering_utils.widgets.hand_over import first_days, first_days_by_channel, hand_over_explorer

#: Five customers. 1 buys again on day 40 and has a ticket answered in 2 hours; 2 buys once, a ticket never
#: resolved; 3 buys again on day 120 and has a ticket answered in 30 hours; 4 a ticket on day 100 only;
#: 5 arrives too late (November 2025) to be watched for 90 days.
CUSTOMERS = pd.DataFrame({"acquisition_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-01-10",
                                                              "2025-11-15"]),
                          "channel": ["search", "search", "referral", "referral", "search"]},
                         index=pd.Index([1, 2, 3, 4, 5], name="customer_id"))
TRANSACTIONS = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3, 4, 5],
                             "date": pd.to_datetime(["2025-01-01", "2025-02-10", "2025-02-01", "2025-03-01", "2025-06-29",
                                                     "2025-01-10", "2025-11-15"])})
TICKETS = pd.DataFrame({"customer_id": [1, 2, 3, 4],
                        "created_at": pd.to_datetime(["2025-01-02 10:00", "2025-02-01 12:00", "2025-03-02 09:00",
                                                      "2025-04-20 11:00"]),
                        "first_response_hours": [2.0, 5.0, 30.0, 40.0], "resolved": [True, False, True, True]})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_first_days_counts_each_customers_window_by_hand():
    table = first_days(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31")
    assert table.index.tolist() == [1, 2, 3, 4]  # 5 is not watched for 90 days
    assert table["second_purchase"].tolist() == [True, False, False, False]  # 3's came on day 120
    assert table["ticket"].tolist() == [True, True, True, False]  # 4's ticket came on day 100
    assert table["handled_badly"].tolist() == [False, True, True, False]
    longer = first_days(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31", days=120)
    assert longer.loc[3, "second_purchase"] and longer.loc[4, "handled_badly"]
    lenient = first_days(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31", hours=48)
    assert lenient["handled_badly"].tolist() == [False, True, False, False]


def test_shares_by_channel_are_wilsons_for_each_channel_and_all():
    shares = first_days_by_channel(first_days(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31"))
    row = shares[(shares["measure"] == "handled_badly") & (shares["channel"] == "search")].iloc[0]
    expected = intervals.proportion(1, 2)
    assert (row["customers"], row["count"]) == (2, 1)
    assert (row["share"], row["lower"], row["upper"]) == pytest.approx((expected.estimate, expected.lower, expected.upper))
    everyone = shares[(shares["measure"] == "ticket") & (shares["channel"] == "all channels")].iloc[0]
    assert (everyone["customers"], everyone["count"]) == (4, 3)
    assert shares["measure"].unique().tolist() == ["second_purchase", "ticket", "handled_badly"]


def test_funnel_draws_each_channel_in_its_colour_at_its_shares():
    shares = first_days_by_channel(first_days(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31"))
    ax = first_days_funnel(shares)
    referral, search, everyone = ax.containers  # channels sorted, then all channels
    assert referral.lines[0].get_xdata().tolist() == pytest.approx([0.0, 50.0, 50.0])
    assert search.lines[0].get_xdata().tolist() == pytest.approx([50.0, 100.0, 50.0])
    assert referral.lines[0].get_ydata()[0] > referral.lines[0].get_ydata()[2]  # the first measure on top
    assert to_hex(referral.lines[0].get_color()).upper() == plots.PALETTE["purple"]
    assert to_hex(everyone.lines[0].get_color()).upper() == plots.PALETTE["grey"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["made a second purchase", "raised a ticket",
                                                             "first ticket handled badly"]
    assert ax.get_xlabel() == "share of customers acquired, within 90 days (%)"
    assert ax.get_title().startswith("The first 90 days by acquisition channel")


def test_explorer_reads_out_the_chosen_channel_and_follows_its_controls():
    explorer = hand_over_explorer(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31", channel="search")
    choice, window, readout, picture = explorer.children
    second = intervals.proportion(1, 2)
    assert "<b>search</b>: 2 customers watched for 90 days" in readout.value
    assert f"second purchase 50.0% (95% interval {second.lower:.1%} to {second.upper:.1%})" in readout.value
    assert "handled badly: 50.0% of the 2 with a ticket" in readout.value
    first_picture = picture.value
    choice.value = "referral"
    assert "<b>referral</b>: 2 customers" in readout.value and "second purchase 0.0%" in readout.value
    window.value = 135  # 3's second purchase (day 120) and 4's bad ticket (day 100) now count
    assert "second purchase 50.0%" in readout.value and "first ticket handled badly 100.0%" in readout.value
    assert picture.value != first_picture and picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_explorer_agrees_with_the_lessons_workings_on_the_world(world):
    table = first_days(world.customers, world.transactions, world.tickets, end="2025-12-31")
    display = table[table["channel"] == "display"]
    share = intervals.proportion(display["second_purchase"].sum(), len(display))
    readout = hand_over_explorer(world.customers, world.transactions, world.tickets, end="2025-12-31",
                                 channel="display").children[2]
    assert f"<b>display</b>: {len(display):,} customers watched for 90 days" in readout.value
    assert f"second purchase {share.format('.1%')}" in readout.value


def test_explorer_is_the_same_every_time_leaves_input_alone_and_is_exported():
    before = TRANSACTIONS.copy()
    first = hand_over_explorer(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31")
    second = hand_over_explorer(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31")
    assert first.children[2].value == second.children[2].value and first.children[3].value == second.children[3].value
    pd.testing.assert_frame_equal(TRANSACTIONS, before)
    assert widgets.hand_over_explorer is hand_over_explorer and "hand_over_explorer" in widgets.__all__
    assert plots.first_days_funnel is first_days_funnel and "first_days_funnel" in plots.__all__


@pytest.mark.parametrize("call, error, message", [
    (lambda: first_days(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31", days=0), ValueError, "days should be"),
    (lambda: first_days([1], TRANSACTIONS, TICKETS, end="2025-12-31"), TypeError, "customers should be a pandas"),
    (lambda: first_days(CUSTOMERS, TRANSACTIONS, TICKETS.drop(columns="resolved"), end="2025-12-31"), ValueError,
     r"tickets is missing columns \['resolved'\]"),
    (lambda: first_days_by_channel(pd.DataFrame({"channel": ["a"]})), ValueError, "table is missing columns"),
    (lambda: hand_over_explorer(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31", channel="tv"), ValueError,
     "channel should be one of"),
    (lambda: hand_over_explorer(CUSTOMERS, TRANSACTIONS, TICKETS, end="2025-12-31", days=100), ValueError,
     "days should be 30 to 180"),
    (lambda: first_days_funnel("table"), TypeError, "table should be a pandas DataFrame"),
    (lambda: first_days_funnel(pd.DataFrame({"measure": ["m"], "channel": ["c"], "share": [0.5], "lower": [0.6],
                                             "upper": [0.7]})), ValueError, "lower <= share <= upper"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
