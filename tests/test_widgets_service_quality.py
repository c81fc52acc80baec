"""The state-of-service figures and explorer: shares drawn as percentages with their bands, differences marked
when their interval leaves out 0, the right shares and intervals in the readout, a new figure when a control
moves, the same output every run, and clear errors."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import intervals, plots, service, widgets
from customering_utils.plots.service_quality import difference_intervals, metric_over_time
from customering_utils.widgets.service_quality import _difference, ticket_metrics_explorer

#: Six tickets: two in April 2024, two in the marked span (May-August 2024), two in September.
TICKETS = pd.DataFrame({
    "created_at": pd.to_datetime(["2024-04-03 09:00", "2024-04-20 10:00", "2024-05-10 11:00", "2024-08-31 19:00",
                                  "2024-09-01 08:00", "2024-09-15 12:00"]),
    "channel": ["email", "chat", "email", "chat", "email", "chat"],
    "category": ["delivery", "product", "delivery", "billing", "product", "delivery"],
    "first_response_hours": [2.0, 1.0, 30.0, 20.0, 3.0, 50.0],
    "resolved": [True, True, False, True, True, False],
    "resolution_hours": [5.0, 2.0, np.nan, 40.0, 8.0, np.nan],
    "contacts": [1, 1, 3, 2, 1, 2],
})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def monthly_table() -> pd.DataFrame:
    return service.ticket_metrics(TICKETS.assign(month=TICKETS["created_at"].dt.to_period("M")), by="month")


# ---- plots.metric_over_time ----------------------------------------------------------------


def test_metric_over_time_draws_the_share_in_percent_at_each_periods_middle_with_its_band():
    table = monthly_table()
    ax = metric_over_time(table, "resolution_rate", marked=("2024-05-01", "2024-08-31"), marked_label="hiring freeze",
                          color="orange")
    line = ax.get_lines()[0]
    # April 2 of 2, May 0 of 1, August 1 of 1, September 1 of 2.
    assert line.get_ydata().tolist() == pytest.approx([100.0, 0.0, 100.0, 50.0])
    assert pd.Timestamp(line.get_xdata()[0]).strftime("%Y-%m-%d") == "2024-04-15"  # the middle of April
    assert to_hex(line.get_color()).upper() == plots.PALETTE["orange"]
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(100 * table["resolution_rate_lower"].min())
    assert band.max() == pytest.approx(100 * table["resolution_rate_upper"].max())
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["hiring freeze", "resolution rate"]
    assert ax.get_ylabel() == "resolution rate (% of tickets)"
    assert ax.get_xlabel() == "month"
    assert ax.get_title() == "Resolution rate by month, with 95% intervals (band)"


def test_metric_over_time_shades_the_whole_last_day_and_names_quarters():
    quarterly = service.ticket_metrics(TICKETS.assign(quarter=TICKETS["created_at"].dt.to_period("Q")), by="quarter")
    ax = metric_over_time(quarterly, "sla_attainment", marked=("2024-05-01", "2024-08-31"), label="all tickets")
    span = ax.patches[0]  # axvspan's rectangle, in dates across
    left, right = (mdates.num2date(x).strftime("%Y-%m-%d") for x in (span.get_x(), span.get_x() + span.get_width()))
    assert (left, right) == ("2024-05-01", "2024-09-01")  # through the end of the last day, 31 August
    assert ax.get_xlabel() == "quarter"
    assert ax.get_lines()[0].get_label() == "all tickets"
    # Second quarter: 2 and 1 hours within 24, 30 not (2 of 3); third: 20 and 3 within, 50 not (2 of 3).
    assert ax.get_lines()[0].get_ydata().tolist() == pytest.approx([200 / 3, 200 / 3])


@pytest.mark.parametrize("table, options, error, message", [
    ([1, 2], {}, TypeError, "table should be a pandas DataFrame"),
    (pd.DataFrame({"x": [1]}), {}, ValueError, r"table is missing columns \['sla_attainment'"),
    ("monthly", {"color": "red"}, ValueError, "color should be one of the palette's names"),
    ("monthly", {"metric": "csat"}, ValueError, r"table is missing columns \['csat'"),
])
def test_metric_over_time_names_bad_input(table, options, error, message):
    table = monthly_table() if isinstance(table, str) else table
    with pytest.raises(error, match=message):
        metric_over_time(table, **options)


def test_metric_over_time_needs_periods_or_dates():
    table = monthly_table().reset_index(drop=True)
    with pytest.raises(TypeError, match="indexed by periods"):
        metric_over_time(table, "sla_attainment")


# ---- plots.difference_intervals ------------------------------------------------------------


def test_difference_intervals_marks_the_comparisons_whose_interval_leaves_out_zero():
    changes = pd.DataFrame({"estimate": [0.02, -0.10, 0.30], "lower": [-0.01, -0.15, 0.20], "upper": [0.05, -0.05, 0.40]},
                           index=["2025-02", "2025-03", "2025-04"])
    ax = difference_intervals(changes, title="Each month minus the one before")
    holds, leaves = ax.containers  # one errorbar per kind, in order: holds 0, leaves out 0
    assert holds.lines[0].get_ydata().tolist() == pytest.approx([2.0])
    assert leaves.lines[0].get_ydata().tolist() == pytest.approx([-10.0, 30.0])
    assert to_hex(leaves.lines[0].get_color()).upper() == plots.PALETTE["vermillion"]
    assert to_hex(holds.lines[0].get_color()).upper() == plots.PALETTE["blue"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["interval holds 0",
                                                                          "interval leaves out 0 (2 of 3)"]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["2025-02", "2025-03", "2025-04"]
    assert list(ax.get_lines()[0].get_ydata()) == [0, 0]  # the zero line
    assert ax.get_title() == "Each month minus the one before"
    assert ax.get_ylabel() == "difference (percentage points)"


@pytest.mark.parametrize("table, error, message", [
    ([1], TypeError, "differences should be a pandas DataFrame"),
    (pd.DataFrame({"estimate": [0.1]}), ValueError, r"missing columns \['lower', 'upper'\]"),
    (pd.DataFrame({"estimate": [0.1], "lower": [0.2], "upper": [0.3]}), ValueError, "lower <= estimate <= upper"),
    (pd.DataFrame({"estimate": [], "lower": [], "upper": []}), ValueError, "differences is empty"),
])
def test_difference_intervals_names_bad_input(table, error, message):
    with pytest.raises(error, match=message):
        difference_intervals(table)


# ---- the difference of two shares ----------------------------------------------------------


def test_difference_is_newcombes_interval_from_the_two_wilson_intervals():
    # Newcombe (1998), Statistics in Medicine 17, table II, example (a): 56/70 - 48/80, method 10.
    gap = _difference(56, 70, 48, 80)
    assert gap.estimate == pytest.approx(0.2)
    assert (round(gap.lower, 4), round(gap.upper, 4)) == (0.0524, 0.3339)
    # Example (g): 10/10 - 0/20, where a plain interval breaks down, stays inside [-1, 1].
    extreme = _difference(10, 10, 0, 20)
    assert (round(extreme.lower, 4), round(extreme.upper, 4)) == (0.6791, 1.0)


# ---- widgets.ticket_metrics_explorer -------------------------------------------------------


def test_explorer_reads_out_the_share_its_interval_and_the_marked_span_against_the_rest():
    explorer = ticket_metrics_explorer(TICKETS)
    metric, hours, split, period, readout, picture = explorer.children
    assert metric.value == "sla_attainment" and hours.value == 24 and split.value is None and period.value == "M"
    # Within 24 hours: 2, 1, 20, 3 (4 of 6); inside the span 1 of 2 (30 and 20 hours); outside 3 of 4.
    overall, inside, outside = intervals.proportion(4, 6), intervals.proportion(1, 2), intervals.proportion(3, 4)
    gap = _difference(1, 2, 3, 4)
    assert (f"<b>SLA attainment within 24 h</b>: 66.7% of 6 tickets (95% interval {overall.lower:.1%} to "
            f"{overall.upper:.1%}); in the hiring freeze {inside.estimate:.1%}, outside it {outside.estimate:.1%}: "
            f"a difference of {100 * gap.estimate:+.1f} points") in readout.value
    assert "which holds 0: no clear difference" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_readout_and_the_figure():
    explorer = ticket_metrics_explorer(TICKETS)
    metric, hours, split, period, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    hours.value = 60  # every first reply within 60 hours
    assert "<b>SLA attainment within 60 h</b>: 100.0% of 6 tickets" in readout.value
    assert picture.value != first_picture
    metric.value = "first_contact_resolution"  # resolved at one contact: tickets 1, 2 and 5
    assert hours.disabled and "<b>first-contact resolution</b>: 50.0% of 6 tickets" in readout.value
    split.value = "channel"
    assert readout.value.startswith("<b>first-contact resolution</b>, by channel:")
    assert "<b>chat</b>: 33.3% of 3 tickets" in readout.value and "<b>email</b>: 66.7% of 3 tickets" in readout.value
    before = picture.value
    period.value = "Q"
    assert picture.value != before
    assert readout.value != first_text


def test_readout_agrees_with_ticket_metrics_on_the_world(world):
    explorer = ticket_metrics_explorer(world.tickets, metric="resolution_rate", by="channel")
    table = service.ticket_metrics(world.tickets, by="channel")
    for channel, row in table.iterrows():
        assert (f"<b>{channel}</b>: {row['resolution_rate']:.1%} of {int(row['tickets']):,} tickets "
                f"(95% interval {row['resolution_rate_lower']:.1%} to {row['resolution_rate_upper']:.1%})"
                ) in explorer.children[4].value
    created = world.tickets["created_at"]
    inside = world.tickets[(created >= "2024-05-01") & (created < "2024-09-01")]
    assert f"in the hiring freeze {inside['resolved'].mean():.1%}" in ticket_metrics_explorer(
        world.tickets, metric="resolution_rate").children[4].value


def test_explorer_without_a_marked_span_gives_the_shares_only():
    readout = ticket_metrics_explorer(TICKETS.drop(columns=["channel", "category"]), marked=None).children[4]
    assert "hiring freeze" not in readout.value and "66.7% of 6 tickets" in readout.value
    assert readout.value.endswith("%).")
    split = ticket_metrics_explorer(TICKETS.drop(columns=["channel", "category"])).children[2]
    assert [label for label, _ in split.options] == ["all tickets"]


def test_explorer_shows_the_same_output_every_time_and_leaves_its_input_alone():
    before = TICKETS.copy()
    first, second = ticket_metrics_explorer(TICKETS), ticket_metrics_explorer(TICKETS)
    assert first.children[4].value == second.children[4].value
    assert first.children[5].value == second.children[5].value  # the same PNG bytes
    assert first.model_id not in first._repr_mimebundle_()["text/plain"]
    pd.testing.assert_frame_equal(TICKETS, before)


def test_explorer_is_exported_from_the_package():
    assert widgets.ticket_metrics_explorer is ticket_metrics_explorer
    assert plots.metric_over_time is metric_over_time and plots.difference_intervals is difference_intervals
    assert {"metric_over_time", "difference_intervals"} <= set(plots.__all__)
    assert "ticket_metrics_explorer" in widgets.__all__


@pytest.mark.parametrize("table, options, error, message", [
    (TICKETS, {"metric": "csat"}, ValueError, "metric should be one of"),
    (TICKETS, {"freq": "W"}, ValueError, r"freq should be one of \['M', 'Q'\]"),
    (TICKETS, {"sla_hours": 0}, ValueError, "sla_hours should be a number of hours from 1 to 96"),
    (TICKETS, {"by": "team"}, ValueError, r"by should be one of \[None, 'channel', 'category'\]"),
    (TICKETS.drop(columns="created_at"), {}, ValueError, "tickets is missing column 'created_at'"),
    (TICKETS.drop(columns="contacts"), {}, ValueError, "contacts"),
    ([1, 2], {}, TypeError, "tickets should be a pandas DataFrame"),
])
def test_explorer_names_bad_input(table, options, error, message):
    with pytest.raises(error, match=message):
        ticket_metrics_explorer(table, **options)
