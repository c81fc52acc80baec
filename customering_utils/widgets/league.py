"""An explorer of the agents' league table: change the window, resample the tickets, shrink, rank teams instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import intervals
from ..plots.league import league_table
from ..plots.style import png
from ..surveys import shrunken_rates
from ..tables import require_columns

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["league_explorer"]

#: The rankings the explorer offers: (button label, value).
RANKINGS = (("raw rate", "raw"), ("shrunken rate", "shrunken"))
#: The levels the explorer offers: (button label, column of the tickets).
LEVELS = (("agents", "agent"), ("teams", "team"))


def league_explorer(tickets: pd.DataFrame, truth: pd.DataFrame, *, months: tuple[int, ...] = (3, 6, 12, 24, 36),
                    start: int | None = None, resamples: int = 20, seed: int = 0,
                    true_rate: str = "resolution_rate_typical_ticket") -> ipywidgets.Widget:
    """The resolution league table of the last months' tickets, against the truth: how much of its top is luck?

    A slider picks the window: the tickets of the last ``months`` months of ``tickets``
    (up to its last ticket). A second slider resamples them: 0 shows the tickets as they
    are, 1 to ``resamples`` a bootstrap resample of the window's tickets (as many drawn
    with replacement, seeded by ``seed`` and the resample's number), what another period
    of the same length might have shown. Buttons rank by the raw resolution rate (with
    its 95% Wilson interval, :func:`customering_utils.intervals.proportion`) or by the
    shrunken rate (with its 95% posterior interval,
    :func:`customering_utils.surveys.shrunken_rates`), and rank agents or teams (a team's
    rate is over all its agents' tickets).

    The truth colours the table: an agent is below average when its true rate is below
    the mean of all agents' true rates; a team, when the mean of its agents' true rates is
    below the mean over teams. The top quarter of the table (rounded down, at least one:
    7 of 30 agents, 1 of 5 teams) is shaded, as if paid a bonus, and the readout says how
    many of those places went to truly below-average units. The figure is
    :func:`customering_utils.plots.league_table`. Returns an ``ipywidgets.VBox``: show it
    by making it the last line of a cell.

    Parameters
    ----------
    tickets : DataFrame
        One row per ticket, with columns ``created_at`` (dates), ``agent``, ``team`` and
        ``resolved`` (True or False), like the data world's ``tickets``.
    truth : DataFrame
        One row per agent, indexed by the agent's name, with columns ``team`` and
        ``true_rate``, like ``world.truth.agents``. Every agent of ``tickets`` is in it.
    months : tuple of int, default (3, 6, 12, 24, 36)
        The windows the slider offers, in months back from the last ticket.
    start : int, optional
        The window to show first, one of ``months``; ``None`` (the default) is the longest.
    resamples : int, default 20
        How many bootstrap resamples the second slider offers, at least 1.
    seed : int, default 0
        Seed of the resampling, so resample ``k`` is the same every run.
    true_rate : str, default "resolution_rate_typical_ticket"
        The column of ``truth`` holding each agent's true resolution rate (a share).

    Returns
    -------
    ipywidgets.VBox
        The window slider (months), the resample slider (0 = the tickets as they are),
        the ranking buttons, the level buttons, the readout and the figure, in that order
        in ``children``.

    Examples
    --------
    Four agents in two teams over two months; Ana is truly the best, Dev truly the worst:

    >>> import pandas as pd
    >>> tickets = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2025-01-05", "2025-01-20"] * 4 + ["2025-02-10", "2025-02-20"] * 4),
    ...     "agent": ["Ana", "Ana", "Ben", "Ben", "Cy", "Cy", "Dev", "Dev"] * 2,
    ...     "team": ["North"] * 4 + ["South"] * 4 + ["North"] * 4 + ["South"] * 4,
    ...     "resolved": [True, True, True, False, True, True, False, False,
    ...                  True, False, True, True, False, True, True, False]})
    >>> truth = pd.DataFrame({"team": ["North", "North", "South", "South"],
    ...                       "resolution_rate_typical_ticket": [0.95, 0.90, 0.85, 0.70]},
    ...                      index=["Ana", "Ben", "Cy", "Dev"])
    >>> explorer = league_explorer(tickets, truth, months=(1, 2), resamples=3)
    >>> window, resample, ranking, level, readout, picture = explorer.children
    >>> "16 tickets" in readout.value and "the top 1: Ana" in readout.value
    True
    >>> window.value = 1   # what moving the slider does: the last month only
    >>> "8 tickets" in readout.value and "the top 1: Ben" in readout.value
    True
    """
    import ipywidgets as widgets

    data, truth_rate, teams = _checked(tickets, truth, true_rate)
    months = tuple(int(m) for m in months)
    if not months or any(m < 1 for m in months):
        raise ValueError(f"months should be whole numbers of months of at least 1, got {months!r}")
    start = max(months) if start is None else int(start)
    if start not in months:
        raise ValueError(f"start should be one of months {list(months)}, got {start!r}")
    if isinstance(resamples, bool) or int(resamples) < 1:
        raise ValueError(f"resamples should be a whole number of at least 1, got {resamples!r}")
    style = {"description_width": "110px"}
    window = widgets.SelectionSlider(options=[(_months(m), m) for m in sorted(months)], value=start,
                                     description="window", style=style, layout=widgets.Layout(width="420px"))
    resample = widgets.IntSlider(value=0, min=0, max=int(resamples), description="resample (0 = as is)",
                                 style=style, layout=widgets.Layout(width="420px"))
    ranking = widgets.ToggleButtons(options=list(RANKINGS), value="raw", description="rank by", style=style)
    level = widgets.ToggleButtons(options=list(LEVELS), value="agent", description="rank", style=style)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))

    def redraw(change: object = None) -> None:
        table, text = _league(data, truth_rate, teams, window.value, resample.value, seed, ranking.value, level.value)
        readout.value = text
        picture.value = _figure(table, window.value, ranking.value, level.value)

    for control in (window, resample, ranking, level):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([window, resample, ranking, level, readout, picture])


def _checked(tickets: pd.DataFrame, truth: pd.DataFrame, true_rate: str) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The tickets' columns needed, the agents' true rates and their teams, checked."""
    require_columns(tickets, ["created_at", "agent", "team", "resolved"], table="tickets")
    require_columns(truth, ["team", true_rate], table="truth")
    data = tickets[["created_at", "agent", "team", "resolved"]].copy()
    if len(data) == 0:
        raise ValueError("tickets is empty (0 rows); expected at least one ticket")
    data["created_at"] = pd.to_datetime(data["created_at"])
    if not pd.api.types.is_bool_dtype(data["resolved"]):
        raise ValueError("tickets column 'resolved' should hold True or False")
    unknown = sorted(set(data["agent"]) - set(truth.index))
    if unknown:
        raise ValueError(f"truth has no row for agent {unknown[0]!r}; expected one row per agent, indexed by name")
    rates = truth[true_rate].astype(float)
    if not rates.between(0, 1).all():
        raise ValueError(f"truth column {true_rate!r} should hold shares from 0 to 1")
    return data, rates, truth["team"]


def _league(data: pd.DataFrame, truth_rate: pd.Series, teams: pd.Series, months: int, resample: int, seed: int,
            ranking: str, level: str) -> tuple[pd.DataFrame, str]:
    """The ranked table of one window, resample, ranking and level, and the readout that goes with it."""
    end = data["created_at"].max()
    first = end - pd.DateOffset(months=months)
    window = data[data["created_at"] > first]
    first_day = window["created_at"].min()
    if resample:
        rows = np.random.default_rng([seed, resample]).integers(0, len(window), len(window))
        window = window.iloc[rows]
    true = truth_rate if level == "agent" else truth_rate.groupby(teams).mean()
    counts = window.groupby(level, observed=True)["resolved"].agg(["sum", "size"])
    counts = counts.reindex(true.index).dropna().astype(int)
    successes, trials = counts["sum"], counts["size"]
    if ranking == "raw":
        found = [intervals.proportion(int(s), int(n)) for s, n in zip(successes, trials, strict=True)]
        table = pd.DataFrame({"rate": successes / trials, "lower": [i.lower for i in found],
                              "upper": [i.upper for i in found]}, index=counts.index)
    else:
        table = shrunken_rates(successes, trials)[["shrunken_rate", "lower", "upper", "weight"]]
        table = table.rename(columns={"shrunken_rate": "rate"})
    table["below_average"] = true.reindex(table.index) < true.mean()
    table = table.sort_values("rate", ascending=False, kind="stable")
    top = max(1, len(table) // 4)
    table.attrs = {"top": top, "reference": float(successes.sum() / trials.sum())}
    unit = "agent" if level == "agent" else "team"
    best = list(table.index[:top])
    wrong = int(table["below_average"].iloc[:top].sum())
    below_all = int(table["below_average"].sum())
    what = "tickets as they are" if not resample else f"bootstrap resample {resample}"
    text = (f"Last <b>{_months(months)}</b> (tickets of {first_day:%d %b %Y} to {end:%d %b %Y}), {what}: "
            f"{int(trials.sum()):,} tickets, {trials.mean():.0f} per {unit} on average "
            f"(from {int(trials.min())} to {int(trials.max())}). "
            f"Ranked by the {'raw' if ranking == 'raw' else 'shrunken'} resolution rate, the top {top}: "
            f"{', '.join(map(str, best))}; <b>{wrong} of {top} truly below average</b>. "
            f"{below_all} of the {len(table)} {unit}s are truly below average, so a ranking by pure chance would "
            f"give them about {below_all / len(table):.0%} of the top places.")
    if len(table) < len(true):
        text += f" ({len(true) - len(table)} {unit}s handled no ticket in this window and are left out.)"
    if ranking == "shrunken":
        text += (f" Each {unit}'s own rate gets a weight from {table['weight'].min():.2f} to "
                 f"{table['weight'].max():.2f}; the rest is the company's mean.")
    return table, text


def _figure(table: pd.DataFrame, months: int, ranking: str, level: str) -> bytes:
    """PNG bytes of the league table, coloured by the truth, the top quarter shaded."""
    from matplotlib.figure import Figure

    height = 5.6 if level == "agent" else 3.0
    figure = Figure(figsize=(6.4, height), dpi=100, layout="constrained")
    ax = figure.subplots()
    league_table(table, ax=ax, below_average=table["below_average"], top=table.attrs["top"],
                 reference=table.attrs["reference"])
    kind = "raw rate, 95% Wilson intervals" if ranking == "raw" else "shrunken rate, 95% intervals"
    ax.set_title(f"{'Agents' if level == 'agent' else 'Teams'}, last {_months(months)}: {kind}", fontsize=10)
    return png(figure)


def _months(months: int) -> str:
    """``"1 month"``, ``"3 months"``."""
    return f"{months} month{'' if months == 1 else 's'}"
