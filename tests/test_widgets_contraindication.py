"""The contraindication figures and explorer: each group's effects drawn where they belong, the right groups,
effects, adjustment and interaction in the readout (checked by hand), a new figure when a control moves,
the same output every run, and clear errors."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import experiments, plots, widgets
from customering_utils.plots.contraindication import effects_by_group, effects_by_threshold
from customering_utils.widgets.contraindication import contraindication_explorer

#: Twelve customers. 1-4 had a slow first response (30 hours) before the test, 5 an unresolved
#: ticket, 6 a ticket answered in 2 hours, 7 a slow ticket only after the test began; 8-12 none.
EXPERIMENT = pd.DataFrame({
    "dose": [1, 2, 0, 0, 3, 0, 1, 0, 2, 0, 1, 0],
    "outcome_purchases": [1, 2, 1, 0, 3, 2, 4, 1, 3, 0, 2, 1],
    "pre_purchases_52w": [5, 6, 4, 3, 7, 2, 3, 1, 2, 2, 4, 1],
}, index=pd.Index(range(1, 13), name="customer_id"))
TICKETS = pd.DataFrame({
    "customer_id": [1, 2, 3, 4, 5, 6, 7],
    "created_at": pd.to_datetime(["2025-01-05 10:00", "2025-02-01 09:30", "2024-11-20 14:00", "2025-03-02 23:00", "2024-12-24 08:00",
                                  "2025-01-15 16:45", "2025-03-10 11:00"]),
    "first_response_hours": [30.0, 30.0, 30.0, 30.0, 1.0, 2.0, 40.0],
    "resolved": [True, True, True, True, False, True, True],
})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def dose_table(effects: list[float], half_width: float) -> pd.DataFrame:
    return pd.DataFrame({"effect": [0.0, *effects], "effect_lower": [np.nan, *(e - half_width for e in effects)],
                         "effect_upper": [np.nan, *(e + half_width for e in effects)]},
                        index=pd.Index(range(len(effects) + 1), name="dose"))


# ---- plots.effects_by_group ----------------------------------------------------------------


def test_effects_by_group_draws_each_groups_treated_doses_side_by_side_with_their_intervals():
    ax = effects_by_group({"poor service": dose_table([0.05, 0.02, -0.10], 0.3),
                           "the rest": dose_table([0.13, 0.25, 0.18], 0.1)})
    poor, rest = ax.containers
    assert poor.lines[0].get_ydata().tolist() == pytest.approx([0.05, 0.02, -0.10])  # dose 0 is left out
    assert rest.lines[0].get_ydata().tolist() == pytest.approx([0.13, 0.25, 0.18])
    assert poor.lines[0].get_xdata().tolist() == pytest.approx([0.875, 1.875, 2.875])  # shifted apart
    assert rest.lines[0].get_xdata().tolist() == pytest.approx([1.125, 2.125, 3.125])
    segments = rest.lines[2][0].get_segments()  # the error bars: from lower to upper
    assert [(round(s[0][1], 6), round(s[1][1], 6)) for s in segments] == [(0.03, 0.23), (0.15, 0.35), (0.08, 0.28)]
    assert to_hex(poor.lines[0].get_color()).upper() == plots.PALETTE["vermillion"]
    assert to_hex(rest.lines[0].get_color()).upper() == plots.PALETTE["blue"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["poor service", "the rest"]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["1", "2", "3"]
    assert list(ax.get_lines()[0].get_ydata()) == [0, 0]  # the line of no effect
    assert ax.get_xlabel() == "dose (experience touches)"
    assert ax.get_ylabel() == "effect: extra purchases per customer in 13 weeks"
    assert ax.get_title().startswith("The experience's effect by dose")


def test_effects_by_group_takes_dose_response_tables_as_they_come(world):
    trial = world.experiments
    table = experiments.dose_response(trial, "dose", "outcome_purchases")
    ax = effects_by_group({"everyone": table}, title="All customers")
    assert ax.containers[0].lines[0].get_xdata().tolist() == [1.0, 2.0, 3.0]  # one group: no shift
    assert ax.containers[0].lines[0].get_ydata().tolist() == pytest.approx(table["effect"].iloc[1:].tolist())
    assert ax.get_title() == "All customers"


@pytest.mark.parametrize("tables, error, message", [
    ([1, 2], TypeError, "tables should be a non-empty dict"),
    ({}, TypeError, "tables should be a non-empty dict"),
    ({"a": [1]}, TypeError, r"tables\['a'\] should be a pandas DataFrame"),
    ({"a": pd.DataFrame({"effect": [0.1]})}, ValueError, r"tables\['a'\] is missing columns \['effect_lower', 'effect_upper'\]"),
    ({"a": pd.DataFrame({"effect": [0.0, 0.5], "effect_lower": [None, 0.6], "effect_upper": [None, 0.9]})}, ValueError,
     "effect_lower <= effect <= effect_upper"),
    ({str(n): dose_table([0.1], 0.1) for n in range(8)}, ValueError, "at most 7 can be drawn"),
])
def test_effects_by_group_names_bad_input(tables, error, message):
    with pytest.raises(error, match=message):
        effects_by_group(tables)


# ---- plots.effects_by_threshold ------------------------------------------------------------


def test_effects_by_threshold_draws_a_line_and_band_per_group_and_marks_the_rule():
    hours = pd.Index([4, 24, 72], name="hours")
    poor = pd.DataFrame({"estimate": [0.2, -0.07, -0.06], "lower": [0.0, -0.3, -0.35], "upper": [0.4, 0.17, 0.23]}, index=hours)
    rest = pd.DataFrame({"estimate": [0.16, 0.19, 0.19], "lower": [0.08, 0.12, 0.12], "upper": [0.23, 0.27, 0.26]}, index=hours)
    ax = effects_by_threshold({"poor service": poor, "the rest": rest}, marked=24)
    zero, poor_line, rest_line, rule = ax.get_lines()
    assert list(zero.get_ydata()) == [0, 0]
    assert poor_line.get_xdata().tolist() == [4.0, 24.0, 72.0]
    assert poor_line.get_ydata().tolist() == pytest.approx([0.2, -0.07, -0.06])
    assert rest_line.get_ydata().tolist() == pytest.approx([0.16, 0.19, 0.19])
    assert list(rule.get_xdata()) == [24, 24]
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert (band.min(), band.max()) == pytest.approx((-0.35, 0.4))
    assert to_hex(poor_line.get_color()).upper() == plots.PALETTE["vermillion"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["poor service", "the rest", "the rule in use: 24 h"]
    assert ax.get_xlabel() == "a first response slower than this counts as poor service (hours)"
    assert "in 13 weeks" in ax.get_ylabel()


def test_effects_by_threshold_without_a_mark_and_with_bad_input():
    table = pd.DataFrame({"estimate": [0.1], "lower": [0.0], "upper": [0.2]}, index=[24])
    ax = effects_by_threshold({"only": table}, marked=None)
    assert len(ax.get_lines()) == 2  # the zero line and the group's line
    with pytest.raises(ValueError, match=r"is missing columns \['lower', 'upper'\]"):
        effects_by_threshold({"only": table[["estimate"]]})
    with pytest.raises(ValueError, match="lower <= estimate <= upper"):
        effects_by_threshold({"only": table.assign(lower=0.15)})


# ---- widgets.contraindication_explorer -----------------------------------------------------


def hand_effect(ids_treated: list[int], ids_control: list[int], values: pd.Series) -> experiments.Comparison:
    return experiments.difference_in_means(values.loc[ids_treated], values.loc[ids_control])


def test_explorer_groups_customers_by_their_tickets_before_the_test_and_reads_out_both_effects():
    explorer = contraindication_explorer(EXPERIMENT, TICKETS)
    slider, unresolved, adjust, readout, picture = explorer.children
    assert (slider.value, unresolved.value, adjust.value) == (24, True, False)
    # Poor service: 1-4 slow (4's ticket the night before the test counts), 5 unresolved; 6 was answered in
    # time; 7's slow ticket came after the test began.
    y = EXPERIMENT["outcome_purchases"].astype(float)
    poor = hand_effect([1, 2, 5], [3, 4], y)
    rest = hand_effect([7, 9, 11], [6, 8, 10, 12], y)
    assert (f"<b>poor service</b>: 5 customers; treated minus control {poor.estimate:+.3f} "
            f"(95% interval {poor.lower:+.3f} to {poor.upper:+.3f})") in readout.value
    assert (f"<b>the rest</b>: 7 customers; treated minus control {rest.estimate:+.3f} "
            f"(95% interval {rest.lower:+.3f} to {rest.upper:+.3f})") in readout.value
    gap = poor.estimate - rest.estimate
    half = 1.959964 * math.hypot(poor.standard_error, rest.standard_error)
    assert f"<b>difference</b> (poor service minus the rest): {gap:+.3f} (95% interval {gap - half:+.3f} to {gap + half:+.3f})" \
        in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_groups_the_readout_and_the_figure():
    explorer = contraindication_explorer(EXPERIMENT, TICKETS)
    slider, unresolved, adjust, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    unresolved.value = False  # customer 5's unresolved ticket no longer counts
    assert "<b>poor service</b>: 4 customers" in readout.value and "<b>the rest</b>: 8 customers" in readout.value
    slider.value = 1  # now customer 6's 2-hour reply is slow too (5's came in 1 hour, not over it)
    assert "<b>poor service</b>: 5 customers" in readout.value
    slider.value = 24
    unresolved.value = True
    assert readout.value == first_text
    adjust.value = True
    y, x = EXPERIMENT["outcome_purchases"].astype(float), EXPERIMENT["pre_purchases_52w"].astype(float)
    theta = ((y - y.mean()) * (x - x.mean())).sum() / ((x - x.mean()) ** 2).sum()
    adjusted = y - theta * (x - x.mean())
    poor = hand_effect([1, 2, 5], [3, 4], adjusted)
    assert f"theta = {theta:.4f}" in readout.value
    assert f"treated minus control {poor.estimate:+.3f} (95% interval {poor.lower:+.3f} to {poor.upper:+.3f})" in readout.value
    assert picture.value != first_picture


def test_explorer_says_how_often_the_rule_agrees_with_the_truth():
    truth = pd.Series(False, index=range(1, 13))
    truth.loc[[1, 2, 3, 4, 5]] = True
    readout = contraindication_explorer(EXPERIMENT, TICKETS, truth=truth).children[3]
    assert "the rule agrees with the truth's flag for 100.0% of customers" in readout.value
    looser = contraindication_explorer(EXPERIMENT, TICKETS, hours=1, truth=truth).children[3]
    assert "agrees with the truth's flag for 91.7% of customers" in looser.value  # customer 6 (2 hours) now flagged


def test_explorer_says_when_a_group_is_too_small_to_compare():
    readout = contraindication_explorer(EXPERIMENT, TICKETS, hours=96, unresolved=False).children[3]
    assert "<b>poor service</b>: 0 customers; too few customers in an arm to compare" in readout.value
    assert "<b>difference</b>" not in readout.value


def test_readout_agrees_with_the_lessons_workings_on_the_world(world):
    trial, tickets = world.experiments, world.tickets
    earlier = tickets[tickets["created_at"] < "2025-03-03"]
    bad = ~earlier["resolved"] | (earlier["first_response_hours"] > 24)
    poor = trial.index.isin(earlier.loc[bad, "customer_id"])
    treated = trial["dose"] > 0
    effect = experiments.difference_in_means(trial.loc[poor & treated, "outcome_purchases"],
                                             trial.loc[poor & ~treated, "outcome_purchases"])
    readout = contraindication_explorer(trial, tickets, truth=world.truth.customers["poor_service_before_experiment"]).children[3]
    assert f"<b>poor service</b>: {poor.sum()} customers; treated minus control {effect.estimate:+.3f}" in readout.value
    assert "agrees with the truth's flag for 100.0% of customers" in readout.value


def test_explorer_shows_the_same_output_every_time_and_leaves_its_input_alone():
    before_experiment, before_tickets = EXPERIMENT.copy(), TICKETS.copy()
    first, second = contraindication_explorer(EXPERIMENT, TICKETS), contraindication_explorer(EXPERIMENT, TICKETS)
    assert first.children[3].value == second.children[3].value
    assert first.children[4].value == second.children[4].value  # the same PNG bytes
    pd.testing.assert_frame_equal(EXPERIMENT, before_experiment)
    pd.testing.assert_frame_equal(TICKETS, before_tickets)


def test_explorer_and_figures_are_exported_from_the_package():
    assert widgets.contraindication_explorer is contraindication_explorer
    assert plots.effects_by_group is effects_by_group and plots.effects_by_threshold is effects_by_threshold
    assert {"effects_by_group", "effects_by_threshold"} <= set(plots.__all__)
    assert "contraindication_explorer" in widgets.__all__


@pytest.mark.parametrize("experiment, tickets, options, error, message", [
    (EXPERIMENT, TICKETS, {"hours": 0}, ValueError, "hours should be a number of hours from 1 to 96"),
    (EXPERIMENT, TICKETS, {"hours": True}, ValueError, "hours should be a number of hours"),
    ([1], TICKETS, {}, TypeError, "experiment should be a pandas DataFrame"),
    (EXPERIMENT, "tickets", {}, TypeError, "tickets should be a pandas DataFrame"),
    (EXPERIMENT.drop(columns="dose"), TICKETS, {}, ValueError, r"experiment is missing columns \['dose'\]"),
    (EXPERIMENT, TICKETS, {"outcome": "revenue"}, ValueError, r"experiment is missing columns \['revenue'\]"),
    (EXPERIMENT, TICKETS.drop(columns="resolved"), {}, ValueError, r"tickets is missing columns \['resolved'\]"),
    (EXPERIMENT.assign(dose=1), TICKETS, {}, ValueError, "control customers \\(dose 0\\) and treated"),
])
def test_explorer_names_bad_input(experiment, tickets, options, error, message):
    with pytest.raises(error, match=message):
        contraindication_explorer(experiment, tickets, **options)
