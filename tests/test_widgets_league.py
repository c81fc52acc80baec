"""The league-table figures and explorer: rows ranked best first and coloured by the truth, funnel limits
from surveys.funnel_limits, the ranking-error curve on a log scale, an explorer whose controls change the
table and the readout, the same output every run, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import plots, surveys, widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def table() -> pd.DataFrame:
    """Four agents; Cy tops the table but is truly below average."""
    return pd.DataFrame({"rate": [0.80, 0.90, 0.95, 0.85], "lower": [0.70, 0.82, 0.85, 0.75],
                         "upper": [0.88, 0.95, 0.99, 0.92]}, index=["Ana", "Ben", "Cy", "Dev"])


@pytest.fixture
def truth_flags() -> pd.Series:
    return pd.Series([False, False, True, True], index=["Ana", "Ben", "Cy", "Dev"])


# ---- plots.league_table ------------------------------------------------------------------------


def test_league_table_ranks_best_first_and_colours_by_the_truth(table, truth_flags):
    ax = plots.league_table(table, below_average=truth_flags, top=2, reference=0.86)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Cy", "Ben", "Dev", "Ana"]
    dots = ax.collections[-1]
    assert [to_hex(colour).upper() for colour in dots.get_facecolors()] == [
        plots.PALETTE["vermillion"], plots.PALETTE["blue"], plots.PALETTE["vermillion"], plots.PALETTE["blue"]]
    assert dots.get_offsets()[:, 0].tolist() == pytest.approx([0.95, 0.90, 0.85, 0.80])
    bars = ax.collections[0].get_segments()  # the intervals, in the same order
    assert [tuple(segment[:, 0]) for segment in bars] == [(0.85, 0.99), (0.82, 0.95), (0.75, 0.92), (0.70, 0.88)]
    assert ax.patches[0].get_y() == pytest.approx(-0.5) and ax.patches[0].get_height() == pytest.approx(2)  # top 2 shaded
    assert ax.get_lines()[0].get_xdata()[0] == pytest.approx(0.86)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["truly above average", "truly below average", "top 2: paid a bonus", "company rate"]
    assert ax.get_xlabel() == "resolution rate (% of tickets)"


def test_league_table_without_the_truth_is_grey_and_draws_where_told(table):
    _, ax = plt.subplots()
    assert plots.league_table(table, ax=ax, rate_label="CSAT (% satisfied)") is ax
    assert {to_hex(colour).upper() for colour in ax.collections[-1].get_facecolors()} == {plots.PALETTE["grey"]}
    assert ax.get_legend() is None and ax.get_xlabel() == "CSAT (% satisfied)"


@pytest.mark.parametrize("bad, error, message", [
    ([[0.8, 0.7, 0.9]], TypeError, "should be a pandas DataFrame"),
    (pd.DataFrame({"rate": [0.8], "lower": [0.7]}), ValueError, "no column 'upper'"),
    (pd.DataFrame({"rate": [], "lower": [], "upper": []}), ValueError, "empty"),
    (pd.DataFrame({"rate": [np.nan], "lower": [0.7], "upper": [0.9]}), ValueError, "finite numbers"),
])
def test_league_table_rejects_bad_tables(bad, error, message):
    with pytest.raises(error, match=message):
        plots.league_table(bad)


def test_league_table_needs_the_truth_of_every_unit(table):
    with pytest.raises(ValueError, match="no value for 'Dev'"):
        plots.league_table(table, below_average=pd.Series([True, False, True], index=["Ana", "Ben", "Cy"]))
    with pytest.raises(TypeError, match="pandas Series"):
        plots.league_table(table, below_average=[True, False, True, False])


# ---- plots.funnel_plot -------------------------------------------------------------------------


def test_funnel_plot_draws_the_limits_of_surveys_funnel_limits(table, truth_flags):
    trials = pd.Series([40, 160, 100, 80], index=table.index)
    ax = plots.funnel_plot(trials, table["rate"], target=0.9, below_average=truth_flags)
    target, lower95, upper95, lower998, upper998 = ax.get_lines()
    assert target.get_ydata()[0] == pytest.approx(0.9)
    grid = lower95.get_xdata()
    assert grid[0] == 32 and grid[-1] == 176  # a little beyond the smallest and the largest unit
    expected = surveys.funnel_limits(grid, 0.9, confidence=0.95)
    assert lower95.get_ydata() == pytest.approx(expected["lower"].to_numpy())
    assert upper95.get_ydata() == pytest.approx(expected["upper"].to_numpy())
    assert upper998.get_ydata() == pytest.approx(surveys.funnel_limits(grid, 0.9, confidence=0.998)["upper"].to_numpy())
    assert [line.get_label() for line in (lower95, lower998)] == ["95% limits", "99.8% limits"]
    dots = ax.collections[-1]
    assert dots.get_offsets().tolist() == [[40, 0.80], [160, 0.90], [100, 0.95], [80, 0.85]]
    assert ax.get_xlabel() == "tickets handled (count)" and ax.get_ylabel() == "resolution rate (% of tickets)"


def test_funnel_plot_rejects_bad_counts(table):
    with pytest.raises(ValueError, match="whole numbers of tickets"):
        plots.funnel_plot(pd.Series([40, 0.5, 100, 80], index=table.index), table["rate"], target=0.9)
    with pytest.raises(ValueError, match="rate should be a share strictly between 0 and 1"):
        plots.funnel_plot(pd.Series([40, 60, 100, 80], index=table.index), table["rate"], target=1.2)


# ---- plots.ranking_error_curve -----------------------------------------------------------------


def test_ranking_error_curve_draws_each_kind_and_its_chance_baseline():
    shares = pd.DataFrame({"agents": [0.30, 0.10, 0.01], "teams": [0.20, 0.03, 0.0]}, index=[10, 100, 1000])
    ax = plots.ranking_error_curve(shares, baseline={"agents": 0.53, "teams": 0.6})
    agents, teams, chance_agents, chance_teams = ax.get_lines()
    assert agents.get_xdata().tolist() == [10, 100, 1000] and teams.get_ydata().tolist() == [0.20, 0.03, 0.0]
    assert chance_agents.get_ydata()[0] == pytest.approx(0.53) and chance_agents.get_color() == agents.get_color()
    assert chance_teams.get_label() == "teams: by chance"
    assert ax.get_xscale() == "log" and ax.get_ylim()[1] == pytest.approx(0.6 * 1.08)


@pytest.mark.parametrize("shares, baseline, message", [
    (pd.DataFrame({"agents": [0.3, 0.1]}, index=[100, 10]), None, "increasing order"),
    (pd.DataFrame({"agents": [0.3, 1.5]}, index=[10, 100]), None, "shares from 0 to 1"),
    (pd.DataFrame({"agents": [0.3, 0.1]}, index=[10, 100]), {"teams": 0.6}, "not a column of shares"),
])
def test_ranking_error_curve_rejects_bad_input(shares, baseline, message):
    with pytest.raises(ValueError, match=message):
        plots.ranking_error_curve(shares, baseline=baseline)


# ---- widgets.league_explorer -------------------------------------------------------------------


@pytest.fixture
def tickets() -> pd.DataFrame:
    """Six months of tickets for four agents in two teams; Ana resolves all, Dev half."""
    rng = np.random.default_rng(5)
    days = pd.date_range("2025-01-01", "2025-06-30", freq="D")
    rows = []
    for agent, team, rate in (("Ana", "North", 1.0), ("Ben", "North", 0.9), ("Cy", "South", 0.8), ("Dev", "South", 0.5)):
        for day in days[::3]:
            rows.append({"created_at": day, "agent": agent, "team": team, "resolved": bool(rng.random() < rate)})
    return pd.DataFrame(rows)


@pytest.fixture
def truth() -> pd.DataFrame:
    return pd.DataFrame({"team": ["North", "North", "South", "South"],
                         "resolution_rate_typical_ticket": [0.97, 0.90, 0.85, 0.60]}, index=["Ana", "Ben", "Cy", "Dev"])


def test_explorer_reads_out_the_window_the_top_and_the_truth(tickets, truth):
    explorer = widgets.league_explorer(tickets, truth, months=(1, 3, 6))
    window, resample, ranking, level, readout, picture = explorer.children
    assert window.value == 6 and resample.value == 0 and ranking.value == "raw" and level.value == "agent"
    assert f"{len(tickets):,} tickets" in readout.value and "tickets as they are" in readout.value
    assert "the top 1: Ana; <b>0 of 1 truly below average</b>" in readout.value
    assert "1 of the 4 agents are truly below average" in readout.value  # Dev: 0.60 < mean 0.83
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_table(tickets, truth):
    explorer = widgets.league_explorer(tickets, truth, months=(1, 3, 6), resamples=5, seed=3)
    window, resample, ranking, level, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    window.value = 1
    one_month = (tickets["created_at"] > tickets["created_at"].max() - pd.DateOffset(months=1)).sum()
    assert "Last <b>1 month</b> (tickets of" in readout.value and f"{one_month:,} tickets" in readout.value
    assert readout.value != first_text and picture.value != first_picture
    resample.value = 2
    assert "bootstrap resample 2" in readout.value
    ranking.value = "shrunken"
    assert "shrunken resolution rate" in readout.value and "weight from" in readout.value
    level.value = "team"
    assert "per team" in readout.value and "the top 1: North" in readout.value
    assert "0 of the 2 teams are truly below average" not in readout.value  # South (0.725) is below North (0.935)
    assert "1 of the 2 teams are truly below average" in readout.value


def test_explorer_gives_the_same_output_every_run(tickets, truth):
    one = widgets.league_explorer(tickets, truth, months=(3, 6), start=3)
    two = widgets.league_explorer(tickets, truth, months=(3, 6), start=3)
    for explorer in (one, two):
        explorer.children[1].value = 4
    assert one.children[4].value == two.children[4].value and one.children[5].value == two.children[5].value


def test_explorer_rejects_bad_input(tickets, truth):
    with pytest.raises(ValueError, match="truth has no row for agent 'Dev'"):
        widgets.league_explorer(tickets, truth.drop(index="Dev"))
    with pytest.raises(ValueError, match=r"start should be one of months \[3, 6\]"):
        widgets.league_explorer(tickets, truth, months=(3, 6), start=12)
    with pytest.raises(ValueError, match="resamples should be a whole number of at least 1"):
        widgets.league_explorer(tickets, truth, resamples=0)
    with pytest.raises(ValueError, match="'resolved'"):
        widgets.league_explorer(tickets.drop(columns="resolved"), truth)


def test_league_figures_and_explorer_are_exported():
    assert {"league_table", "funnel_plot", "ranking_error_curve"} <= set(plots.__all__)
    assert "league_explorer" in widgets.__all__
