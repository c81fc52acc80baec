"""The cohort explorer: the cohorts of the period asked for, the right shares and intervals in its readout,
a new figure when a control moves, the same text every run, and clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from customering_utils import intervals, rfm, widgets

#: Customers 1-3 acquired in Q1 2025 (1 and 2 in January, 3 in February), 4 in Q2 (April).
PURCHASES = pd.DataFrame({
    "customer_id": [1, 2, 3, 1, 2, 4, 1, 4],
    "date": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-02-01", "2025-04-02",
                            "2025-05-05", "2025-04-15", "2025-07-07", "2025-08-08"]),
    "amount": [10.0] * 8,
})


def test_explorer_lists_the_cohorts_and_reads_out_one_period_after_with_its_interval():
    explorer = widgets.cohort_explorer(PURCHASES)
    period, picker, readout, picture = explorer.children
    assert period.value == "QS" and [label for label, _ in period.options] == ["months", "quarters", "years"]
    assert picker.options == (("2025 Q1 (3 customers)", pd.Timestamp("2025-01-01")),
                              ("2025 Q2 (1 customer)", pd.Timestamp("2025-04-01")))
    # Two cohorts: the default picks the first, the middle (the second) and the last but one (the first).
    assert picker.value == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01"))
    # Q1 cohort: customers 1 and 2 buy in Q2, 2 of 3; Q2 cohort: customer 4 buys in Q3, 1 of 1.
    two_of_three = intervals.proportion(2, 3)
    assert (f"<b>2025 Q1</b> (3 customers): 66.7% buy 1 quarter after acquisition "
            f"(95% interval {two_of_three.lower:.1%} to {two_of_three.upper:.1%})") in readout.value
    assert "<b>2025 Q2</b> (1 customer): 100.0% buy 1 quarter after" in readout.value
    assert "These intervals overlap" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_picking_cohorts_and_changing_the_period_redraw():
    explorer = widgets.cohort_explorer(PURCHASES, cohorts=["2025-04-01"])
    period, picker, readout, picture = explorer.children
    assert picker.value == (pd.Timestamp("2025-04-01"),) and "2025 Q1" not in readout.value
    first_text, first_picture = readout.value, picture.value
    picker.value = ()
    assert readout.value.startswith("Pick one or more cohorts")
    picker.value = (pd.Timestamp("2025-01-01"),)
    assert readout.value != first_text and picture.value != first_picture
    period.value = "MS"  # months: January (1, 2), February (3), April (4)
    assert [label for label, _ in picker.options] == ["2025-01 (2 customers)", "2025-02 (1 customer)",
                                                      "2025-04 (1 customer)"]
    assert picker.value == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01"))
    assert "buy 1 month after acquisition" in readout.value
    # January cohort: nobody buys in February; February cohort: nobody in March.
    assert "<b>2025-01</b> (2 customers): 0.0% buy 1 month after" in readout.value
    period.value = "YS"
    assert "<b>2025</b> (4 customers): not seen 1 year after acquisition yet" in readout.value


def test_readout_agrees_with_cohort_intervals_on_the_world(world):
    explorer = widgets.cohort_explorer(world.transactions, cohorts=["2023-01-01", "2024-01-01"])
    table = rfm.cohort_intervals(rfm.cohort_counts(world.transactions), ["2023-01-01", "2024-01-01"])
    for cohort, label in ((pd.Timestamp("2023-01-01"), "2023 Q1"), (pd.Timestamp("2024-01-01"), "2024 Q1")):
        row = table.loc[(cohort, 1)]
        assert (f"<b>{label}</b> ({int(row['customers']):,} customers): {row['share']:.1%} buy 1 quarter after acquisition "
                f"(95% interval {row['lower']:.1%} to {row['upper']:.1%})") in explorer.children[2].value


def test_explorer_shows_the_same_text_every_time_and_leaves_its_input_alone():
    before = PURCHASES.copy()
    first = widgets.cohort_explorer(PURCHASES)
    second = widgets.cohort_explorer(PURCHASES)
    assert first.children[2].value == second.children[2].value
    assert first.children[3].value == second.children[3].value  # the same PNG bytes
    assert first.model_id not in first._repr_mimebundle_()["text/plain"]
    pd.testing.assert_frame_equal(PURCHASES, before)


@pytest.mark.parametrize("table, options, error, message", [
    (PURCHASES, {"freq": "W"}, ValueError, r"freq should be one of \['MS', 'QS', 'YS'\]"),
    (PURCHASES, {"cohorts": ["2024-01-01"]}, ValueError, r"cohorts \['2024-01-01'\] are not acquisition cohorts"),
    (PURCHASES.drop(columns="date"), {}, ValueError, "transactions is missing column 'date'"),
    ([1, 2], {}, TypeError, "transactions should be a pandas DataFrame"),
])
def test_explorer_names_bad_input(table, options, error, message):
    with pytest.raises(error, match=message):
        widgets.cohort_explorer(table, **options)
