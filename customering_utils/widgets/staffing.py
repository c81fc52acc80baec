"""An explorer of contact-centre staffing: calls, handle time, agents and patience, and the service they give."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..plots.staffing import staffing_curves
from ..plots.style import nice_ceiling, png
from ..service import average_speed_of_answer, erlang_a, occupancy, offered_load, service_level

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["staffing_explorer"]


def staffing_explorer(
    arrivals: float,
    handle_time: float,
    agents: int,
    patience: float,
    target: float = 20.0,
    interval: float = 1800.0,
) -> ipywidgets.Widget:
    """Sliders for one half-hour's calls, handle time, agents and callers' patience, with the service they give.

    Starts at the values given. Below the four sliders, a readout of the offered load and
    of Erlang A's measures (:func:`customering_utils.service.erlang_a`: callers hang up
    after ``patience`` seconds on average): the service level (share of offered calls
    answered within ``target`` seconds), the average wait of all offered calls, the
    abandonment (share that hangs up) and the agents' occupancy
    (:func:`customering_utils.service.occupancy`, counting only the calls served); then
    Erlang C's service level and average speed of answer for the same calls, as if nobody
    hung up (or a note that Erlang C has no answer, when the load is at least the agents).
    Last, a figure of service level and abandonment against agents
    (:func:`customering_utils.plots.staffing_curves`) with the current agents marked.
    Returns an ``ipywidgets.VBox``: show it by making it the last line of a cell.

    Parameters
    ----------
    arrivals : float
        The starting calls per interval, a count of at least 0 (rounded to a whole number).
    handle_time : float
        The starting average handle time of a call, seconds, 60 or more (rounded to 10 s).
    agents : int
        The starting agents on the phones, a whole number of at least 1.
    patience : float
        The starting mean patience of callers before they hang up, seconds, 10 or more
        (rounded to 10 s).
    target : float, default 20.0
        The answer time that counts as good service, seconds.
    interval : float, default 1800.0
        Length of the interval, seconds (1800: half an hour).

    Returns
    -------
    ipywidgets.VBox
        The four sliders (calls, handle time, agents, patience), the readout and the
        figure, in that order in ``children``.

    Examples
    --------
    8 calls of 6 minutes in half an hour, 2 agents, callers who wait 3 minutes on average:

    >>> explorer = staffing_explorer(8, 360, 2, 180)
    >>> [child.description for child in explorer.children[:4]]
    ['calls', 'handle time (s)', 'agents', 'patience (s)']
    >>> "load: <b>1.60 Erlangs</b>" in explorer.children[4].value
    True
    >>> "abandonment <b>24.3%</b>" in explorer.children[4].value
    True
    >>> explorer.children[2].value = 4   # what the slider does when moved
    >>> "abandonment <b>2.8%</b>" in explorer.children[4].value
    True
    """
    import ipywidgets as widgets

    for name, value in (("arrivals", arrivals), ("handle_time", handle_time), ("agents", agents), ("patience", patience)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating) or not math.isfinite(value):
            raise TypeError(f"{name} should be one finite number, got {value!r}")
    if arrivals < 0:
        raise ValueError(f"arrivals should be a count of calls of at least 0, got {arrivals!r}")
    if handle_time < 60 or patience < 10:
        raise ValueError(f"the explorer's sliders start at a handle time of 60 s and a patience of 10 s; "
                         f"got handle_time {handle_time!r} and patience {patience!r}")
    if agents < 1 or agents != int(agents):
        raise ValueError(f"agents should be a whole number of at least 1, got {agents!r}")
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="480px")

    def slider(description: str, value: float, low: int, high: float, step: int) -> widgets.IntSlider:
        return widgets.IntSlider(value=int(round(value / step) * step), min=low, max=int(nice_ceiling(high)), step=step,
                                 description=description, style=style, layout=layout)

    calls = slider("calls", arrivals, 0, max(20, 2 * arrivals), 1)
    handle = slider("handle time (s)", handle_time, 60, max(900, 2 * handle_time), 10)
    staff = slider("agents", agents, 1, max(10, 2 * agents), 1)
    wait = slider("patience (s)", patience, 10, max(600, 2 * patience), 10)
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="560px"))

    def redraw(change: object = None) -> None:
        readout.value = _readout(calls.value, handle.value, staff.value, wait.value, target, interval)
        picture.value = _figure(calls.value, handle.value, staff.value, wait.value, target, interval)

    for control in (calls, handle, staff, wait):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([calls, handle, staff, wait, readout, picture])


def _readout(arrivals: int, handle_time: int, agents: int, patience: int, target: float, interval: float) -> str:
    """The readout's HTML: the load, Erlang A's four measures, and Erlang C's service level and wait."""
    load = float(offered_load(arrivals, handle_time, interval))
    measures = erlang_a(arrivals, handle_time, agents, patience, target, interval)
    busy = occupancy(load, agents, abandoned=measures["p_abandon"])
    text = (f"Offered load: <b>{load:.2f} Erlangs</b> on {agents} agent{'' if agents == 1 else 's'}.<br>"
            f"Callers who hang up after {patience} s on average (Erlang A): service level "
            f"<b>{measures['service_level']:.1%}</b> within {target:g} s, average wait {measures['average_wait']:.1f} s, "
            f"abandonment <b>{measures['p_abandon']:.1%}</b>, occupancy {busy:.1%}.<br>")
    if load >= agents:
        return text + "If nobody hung up (Erlang C): no answer; the load is at least the agents, so the queue grows without end."
    patient = float(service_level(arrivals, handle_time, agents, target, interval))
    speed = float(average_speed_of_answer(arrivals, handle_time, agents, interval))
    return text + f"If nobody hung up (Erlang C): service level {patient:.1%}, average speed of answer {speed:.1f} s."


def _figure(arrivals: int, handle_time: int, agents: int, patience: int, target: float, interval: float) -> bytes:
    """PNG bytes of service level and abandonment against agents, with the current agents marked."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.6, 3.6), dpi=100, layout="constrained")
    staffing_curves(arrivals, handle_time, patience, staffed=agents, target=target, interval=interval, ax=figure.subplots())
    return png(figure)
