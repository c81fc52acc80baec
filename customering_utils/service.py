"""Service operations: support tickets, contact-centre queues, staffing and the cost to serve.

**Tickets.** :func:`ticket_metrics` summarises a support queue: how fast the first reply
came, how often it came within the promised time (SLA attainment), how often tickets were
resolved, and resolved at the first contact. Times are clock hours from the ticket's
creation (the data carry no opening hours, so nights and weekends count).

**Erlang C.** Calls arrive at random (Poisson), wait in one queue, and are answered by
``agents`` identical agents, each call taking ``handle_time`` seconds on average
(exponential). With the offered load in Erlangs

.. math:: A = \\lambda \\cdot \\mathrm{AHT} / \\mathrm{interval},

the probability that a call has to wait is

.. math:: C(N, A) = \\frac{N\\,B(N, A)}{N - A\\,(1 - B(N, A))}, \\qquad
          B(N, A) = \\frac{A^N / N!}{\\sum_{k=0}^{N} A^k / k!}

(B is Erlang B, the Poisson probability of N over the Poisson probability of at most N).
The share of calls answered within ``target`` seconds, and the average wait, follow:

.. math:: SL = 1 - C\\,e^{-(N - A)\\,\\mathrm{target}/\\mathrm{AHT}}, \\qquad
          \\mathrm{ASA} = C \\cdot \\mathrm{AHT} / (N - A).

When ``A >= N`` the queue never clears: every call waits (C = 1), the service level is 0
and the average wait is unbounded (``inf``).

**Erlang A.** Real callers hang up. :func:`erlang_a` adds an exponential patience (mean
``patience`` seconds) to Erlang C: the M/M/N+M queue of Palm, named Erlang A by Garnett,
Mandelbaum and Reiman (2002). A queue with abandonment always settles, even when the load
exceeds the agents, and as patience grows without limit Erlang A becomes Erlang C.

**Staffing.** :func:`occupancy` is the share of their time the agents spend on calls;
:func:`staff_on_payroll` turns agents needed on the phones into people on the payroll,
allowing for shrinkage (breaks, training, absence). :func:`cost_to_serve` puts a price on
each customer's tickets, contacts and share of the contact centre.

The queueing functions accept scalars or numpy arrays of the same shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from . import intervals
from .tables import _raise_if, require_columns

__all__ = [
    "ticket_metrics",
    "offered_load",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "agents_for_service_level",
    "erlang_a",
    "occupancy",
    "staff_on_payroll",
    "cost_to_serve",
]


#: The columns :func:`ticket_metrics` reads from a tickets table (as in the data world's ``tickets``).
TICKET_COLUMNS = ("first_response_hours", "resolved", "resolution_hours", "contacts")


def ticket_metrics(
    tickets: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    sla_hours: float = 24.0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """How well support answered and resolved its tickets: one row per group, each share with its interval.

    The definitions, all per group of tickets:

    - **first response**: hours from the ticket's creation to the first reply; the median
      and the mean over all the group's tickets;
    - **SLA attainment**: the share of tickets whose first response came within
      ``sla_hours`` (at most ``sla_hours`` hours), out of all tickets;
    - **resolution rate**: the share of tickets resolved, out of all tickets (a ticket never
      resolved counts as not resolved);
    - **time to resolve**: the median of ``resolution_hours`` over the resolved tickets
      only. Unresolved tickets have no time to resolve and are left out, so a queue that
      gives up on hard tickets looks fast here: read it beside the resolution rate;
    - **first-contact resolution (FCR)**: the share of tickets resolved with a single
      contact (``resolved`` and ``contacts == 1``), out of all tickets, not out of the
      resolved ones.

    Times are clock hours, not business hours: the data carry no opening hours, so a night
    or a weekend counts in full. Each share comes with its Wilson interval
    (:func:`customering_utils.intervals.proportion`).

    Hand-worked: four tickets with first responses of 2, 30, 5 and 10 hours; the second
    misses a 24-hour SLA, so attainment is 3/4. The third is never resolved: the resolution
    rate is 3/4, and the median time to resolve is that of the other three (3, 40 and 12
    hours): 12. The first and the fourth were resolved at one contact: FCR is 2/4.

    Parameters
    ----------
    tickets : DataFrame
        One row per ticket, with columns ``first_response_hours`` (hours, at least 0),
        ``resolved`` (True or False), ``resolution_hours`` (hours from creation to
        resolution; blank, NaN, exactly when the ticket is unresolved) and ``contacts``
        (customer contacts the ticket took, a whole number of at least 1), plus the
        columns named in ``by``. Other columns are ignored.
    by : str or list of str, optional
        The column (or columns) whose values form the groups, such as ``"channel"`` or
        ``["team", "agent"]``; ``None`` (the default) summarises the whole table in one row.
    sla_hours : float, default 24.0
        The promised time to first response, hours.
    confidence : float, default 0.95
        The level of the intervals.

    Returns
    -------
    DataFrame
        One row per group (indexed by the ``by`` columns; by ``"all"`` when ``by`` is
        None), with columns ``tickets`` (a count), ``first_response_median_hours``,
        ``first_response_mean_hours``, ``within_sla`` (a count), ``sla_attainment``
        (0 to 1) with ``sla_attainment_lower`` and ``sla_attainment_upper``, ``resolved``
        (a count), ``resolution_rate`` with ``resolution_rate_lower`` and
        ``resolution_rate_upper``, ``resolution_median_hours`` (NaN when none was
        resolved), ``first_contact_resolved`` (a count) and ``first_contact_resolution``
        with ``first_contact_resolution_lower`` and ``first_contact_resolution_upper``.
        ``attrs`` holds ``sla_hours`` and ``confidence``.

    Examples
    --------
    The hand-worked case above:

    >>> import numpy as np
    >>> import pandas as pd
    >>> tickets = pd.DataFrame({"first_response_hours": [2.0, 30.0, 5.0, 10.0],
    ...                         "resolved": [True, True, False, True],
    ...                         "resolution_hours": [3.0, 40.0, np.nan, 12.0],
    ...                         "contacts": [1, 2, 3, 1]})
    >>> metrics = ticket_metrics(tickets, sla_hours=24)
    >>> metrics[["tickets", "sla_attainment", "resolution_rate", "first_contact_resolution"]]
           tickets  sla_attainment  resolution_rate  first_contact_resolution
    group
    all          4            0.75             0.75                       0.5
    >>> metrics[["first_response_median_hours", "resolution_median_hours"]]
           first_response_median_hours  resolution_median_hours
    group
    all                            7.5                     12.0
    >>> metrics[["sla_attainment_lower", "sla_attainment_upper"]].round(3)  # 3 of 4 leaves much open
           sla_attainment_lower  sla_attainment_upper
    group
    all                   0.301                 0.954
    """
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    if not keys and by is not None:
        raise ValueError("by should name at least one column of tickets (or be None for the whole table), got []")
    if isinstance(sla_hours, bool) or not (np.isfinite(_number(sla_hours)) and _number(sla_hours) >= 0):
        raise ValueError(f"sla_hours should be a number of hours of at least 0 (for example 24), got {sla_hours!r}")
    level = intervals._confidence(confidence)
    data = _checked_tickets(tickets, keys)
    data["within_sla"] = data["first_response_hours"] <= sla_hours
    data["first_contact_resolved"] = data["resolved"] & (data["contacts"] == 1)
    groups = data.groupby(keys or pd.Series("all", index=data.index, name="group"), sort=True, observed=True)
    table = groups.agg(
        tickets=("resolved", "size"),
        first_response_median_hours=("first_response_hours", "median"),
        first_response_mean_hours=("first_response_hours", "mean"),
        within_sla=("within_sla", "sum"),
        resolved=("resolved", "sum"),
        resolution_median_hours=("resolution_hours", "median"),  # NaN skipped: resolved tickets only
        first_contact_resolved=("first_contact_resolved", "sum"),
    )
    columns = ["tickets", "first_response_median_hours", "first_response_mean_hours"]
    for count, share in (("within_sla", "sla_attainment"), ("resolved", "resolution_rate"),
                         ("first_contact_resolved", "first_contact_resolution")):
        found = [intervals.proportion(int(k), int(n), level) for k, n in zip(table[count], table["tickets"], strict=True)]
        table[share] = [interval.estimate for interval in found]
        table[f"{share}_lower"] = [interval.lower for interval in found]
        table[f"{share}_upper"] = [interval.upper for interval in found]
        columns += [count, share, f"{share}_lower", f"{share}_upper"]
        if count == "resolved":
            columns.append("resolution_median_hours")
    table = table[columns].astype({"tickets": "int64", "within_sla": "int64", "resolved": "int64",
                                   "first_contact_resolved": "int64"})
    table.attrs = {"sla_hours": float(sla_hours), "confidence": level}
    return table


def _checked_tickets(tickets: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A copy of the columns :func:`ticket_metrics` needs, checked, or an error naming the column and the problem."""
    wanted = [*keys, *TICKET_COLUMNS]
    require_columns(tickets, wanted, table="tickets")
    data = tickets if all(column in tickets.columns for column in wanted) else tickets.reset_index()
    data = data[list(dict.fromkeys(wanted))].copy()
    if len(data) == 0:
        raise ValueError("tickets is empty (0 rows); expected at least one ticket")
    for key in keys:
        _raise_if(data[key].isna(), data[key],
                  f"tickets column {key!r} has {{count}} missing {{values}} (first at {{where}}); expected a group on every row")
    for column, unit in (("first_response_hours", "hours"), ("resolution_hours", "hours"), ("contacts", "contacts")):
        values = data[column]
        if pd.api.types.is_bool_dtype(values):
            raise ValueError(f"tickets column {column!r} should hold numbers ({unit}), but it holds True/False")
        if not pd.api.types.is_numeric_dtype(values):
            numbers = pd.to_numeric(values, errors="coerce")
            _raise_if(numbers.isna() & values.notna(), values,
                      f"tickets column {column!r} should hold numbers ({unit}), but {{where}} has {{value!r}}")
            values = numbers
        data[column] = values = values.astype(float)
        _raise_if(np.isinf(values) | (values < 0), values,
                  f"tickets column {column!r} has {{count}} negative or infinite {{values}} (first: {{value!r}} at {{where}}); "
                  f"expected finite {unit} of at least 0")
    _raise_if(data["first_response_hours"].isna(), data["first_response_hours"],
              "tickets column 'first_response_hours' has {count} missing {values} (first at {where}); "
              "expected the hours to first reply on every ticket")
    contacts = data["contacts"]
    _raise_if(contacts.isna() | (contacts % 1 != 0) | (contacts < 1), contacts,
              "tickets column 'contacts' has {count} invalid {values} (first: {value!r} at {where}); "
              "expected whole numbers of at least 1 (every ticket takes at least one contact)")
    resolved = data["resolved"]
    if not pd.api.types.is_bool_dtype(resolved) or resolved.isna().any():
        flags = resolved.map(lambda value: value if isinstance(value, bool | np.bool_) else None)
        _raise_if(flags.isna(), resolved, "tickets column 'resolved' should hold True or False, but {where} has {value!r}")
        resolved = flags
    data["resolved"] = resolved = resolved.astype(bool)
    hours = data["resolution_hours"]
    _raise_if(resolved & hours.isna(), hours,
              "tickets column 'resolution_hours' has {count} blank {values} on resolved tickets (first at {where}); "
              "expected the hours to resolution on every resolved ticket")
    _raise_if(~resolved & hours.notna(), hours,
              "tickets column 'resolution_hours' has {count} {values} on unresolved tickets (first: {value!r} at {where}); "
              "expected a blank (NaN) where 'resolved' is False")
    return data


def offered_load(arrivals: ArrayLike, handle_time: ArrayLike, interval: float = 1800.0) -> NDArray[np.float64]:
    """Offered load in Erlangs: calls per interval times seconds per call, over the interval's seconds.

    Parameters
    ----------
    arrivals : float or array_like
        Calls arriving in the interval, a count of at least 0.
    handle_time : float or array_like
        Average handle time of a call (talk and wrap-up), seconds, more than 0.
    interval : float, default 1800.0
        Length of the interval, seconds (1800: half an hour).

    Returns
    -------
    float or ndarray
        The offered load, Erlangs (the number of agents it would keep busy all the
        time): one number for scalar inputs, an array shaped like the inputs otherwise.

    Examples
    --------
    >>> float(offered_load(100, 180, interval=1800))  # 100 calls of 3 minutes in half an hour
    10.0
    """
    arrivals, handle_time = _nonnegative(arrivals, "arrivals"), _positive(handle_time, "handle_time")
    if interval <= 0:
        raise ValueError(f"interval should be a positive number of seconds, got {interval!r}")
    return arrivals * handle_time / interval


def erlang_c(agents: ArrayLike, load: ArrayLike) -> NDArray[np.float64]:
    """Probability that a call waits, for ``agents`` agents and an offered ``load`` in Erlangs.

    Hand-worked case: 2 agents, load 1 Erlang. Erlang B = (1/2)/(1 + 1 + 1/2) = 0.2,
    so C = 2 * 0.2 / (2 - 1 * 0.8) = 1/3.

    Parameters
    ----------
    agents : int or array_like
        Agents answering calls, a whole number of at least 1.
    load : float or array_like
        Offered load, Erlangs, at least 0 (see :func:`offered_load`).

    Returns
    -------
    ndarray
        The probability that a call has to wait, from 0 to 1 (1 when ``load`` is at
        least ``agents``), shaped like the inputs (for scalars, a 0-dimensional array:
        ``float(...)`` gives a plain number).

    Examples
    --------
    The hand-worked case above, then an overloaded centre:

    >>> round(float(erlang_c(2, 1.0)), 6)
    0.333333
    >>> float(erlang_c(3, 3.0))  # overloaded: everyone waits
    1.0
    """
    agents = _agents(agents)
    load = _nonnegative(load, "load")
    agents, load = np.broadcast_arrays(agents, load)
    with np.errstate(divide="ignore", invalid="ignore"):
        blocking = stats.poisson.pmf(agents, load) / stats.poisson.cdf(agents, load)
        waiting = agents * blocking / (agents - load * (1 - blocking))
    waiting = np.where(load >= agents, 1.0, waiting)
    return np.where(load == 0, 0.0, waiting).astype(float)


def service_level(
    arrivals: ArrayLike,
    handle_time: ArrayLike,
    agents: ArrayLike,
    target: float = 20.0,
    interval: float = 1800.0,
) -> NDArray[np.float64]:
    """Share of calls answered within ``target`` seconds (0 to 1).

    A common textbook case: 100 calls in half an hour, 180 s each, is a load of 10 Erlangs;
    13 agents answer about 79.6% within 20 seconds, 14 agents about 88.8%.

    Parameters
    ----------
    arrivals : float or array_like
        Calls arriving in the interval, a count of at least 0.
    handle_time : float or array_like
        Average handle time of a call (talk and wrap-up), seconds, more than 0.
    agents : int or array_like
        Agents answering calls, a whole number of at least 1.
    target : float, default 20.0
        The answer time that counts as good service, seconds.
    interval : float, default 1800.0
        Length of the interval, seconds (1800: half an hour).

    Returns
    -------
    ndarray
        The share of calls answered within ``target`` seconds, from 0 to 1 (0 when the
        agents cannot keep up), shaped like the inputs (for scalars, a 0-dimensional
        array: ``float(...)`` gives a plain number).

    Examples
    --------
    The textbook case above:

    >>> round(float(service_level(100, 180, 13, target=20, interval=1800)), 3)
    0.796
    >>> round(float(service_level(100, 180, 14, target=20, interval=1800)), 3)
    0.888
    """
    load = offered_load(arrivals, handle_time, interval)
    agents = _agents(agents)
    waiting = erlang_c(agents, load)
    with np.errstate(over="ignore", invalid="ignore"):
        level = 1 - waiting * np.exp(-(agents - load) * target / np.asarray(handle_time, dtype=float))
    return np.where(load >= agents, 0.0, level).astype(float)


def average_speed_of_answer(
    arrivals: ArrayLike, handle_time: ArrayLike, agents: ArrayLike, interval: float = 1800.0
) -> NDArray[np.float64]:
    """Average wait before answer in seconds (``inf`` when the agents cannot keep up).

    Parameters
    ----------
    arrivals : float or array_like
        Calls arriving in the interval, a count of at least 0.
    handle_time : float or array_like
        Average handle time of a call (talk and wrap-up), seconds, more than 0.
    agents : int or array_like
        Agents answering calls, a whole number of at least 1.
    interval : float, default 1800.0
        Length of the interval, seconds (1800: half an hour).

    Returns
    -------
    ndarray
        The average speed of answer (ASA): the mean wait of all calls, those answered at
        once included, seconds (``inf`` when the agents cannot keep up), shaped like the
        inputs (for scalars, a 0-dimensional array: ``float(...)`` gives a plain number).

    Examples
    --------
    100 calls of 3 minutes in half an hour, 14 agents:

    >>> round(float(average_speed_of_answer(100, 180, 14, interval=1800)), 1)
    7.8
    """
    load = offered_load(arrivals, handle_time, interval)
    agents = _agents(agents)
    waiting = erlang_c(agents, load)
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = waiting * np.asarray(handle_time, dtype=float) / (agents - load)
    return np.where(load >= agents, np.inf, wait).astype(float)


def agents_for_service_level(
    arrivals: ArrayLike,
    handle_time: ArrayLike,
    goal: float = 0.8,
    target: float = 20.0,
    interval: float = 1800.0,
) -> NDArray[np.int64]:
    """Fewest agents that answer at least ``goal`` of calls within ``target`` seconds.

    The classic "80/20" staffing rule. With no calls, one agent is still on shift.

    Parameters
    ----------
    arrivals : float or array_like
        Calls arriving in the interval, a count of at least 0.
    handle_time : float or array_like
        Average handle time of a call (talk and wrap-up), seconds, more than 0.
    goal : float, default 0.8
        The share of calls to answer within ``target``, between 0 and 1 (0.8 for 80%).
    target : float, default 20.0
        The answer time that counts as good service, seconds.
    interval : float, default 1800.0
        Length of the interval, seconds (1800: half an hour).

    Returns
    -------
    ndarray
        The number of agents needed (a count, whole numbers), shaped like the inputs
        (for scalars, a 0-dimensional array: ``int(...)`` gives a plain number).

    Examples
    --------
    >>> int(agents_for_service_level(100, 180, goal=0.8, target=20))  # 13 reach only 79.6%
    14
    """
    if not 0 < goal < 1:
        raise ValueError(f"goal should be a share between 0 and 1 (for example 0.8), got {goal!r}")
    load = np.atleast_1d(offered_load(arrivals, handle_time, interval))
    handle = np.broadcast_to(np.asarray(handle_time, dtype=float), load.shape)
    agents = np.maximum(np.floor(load).astype(np.int64) + 1, 1)
    # Raise every interval's head-count until it meets the goal; loads of a few hundred
    # Erlangs need only tens of steps beyond the load itself.
    short = service_level(load * interval / handle, handle, agents, target, interval) < goal
    while short.any():
        agents = agents + short
        short = service_level(load * interval / handle, handle, agents, target, interval) < goal
    return agents.reshape(np.shape(offered_load(arrivals, handle_time, interval)))


#: The measures :func:`erlang_a` returns, in order.
ERLANG_A_MEASURES = ("p_wait", "p_abandon", "average_wait", "service_level")


def erlang_a(
    arrivals: ArrayLike,
    handle_time: ArrayLike,
    agents: ArrayLike,
    patience: ArrayLike,
    target: float = 20.0,
    interval: float = 1800.0,
) -> dict[str, float] | pd.DataFrame:
    """How a contact centre performs when callers hang up: Erlang A, the M/M/N+M queue.

    Erlang C with one change: each caller waits at most an exponential time of mean
    ``patience`` seconds, then hangs up (abandons). Because the impatient leave, the queue
    settles even when the load exceeds the agents, where Erlang C has no answer. As
    patience grows without limit the numbers become Erlang C's (:func:`erlang_c`,
    :func:`service_level`, :func:`average_speed_of_answer`); as it shrinks to nothing,
    every call that finds the agents busy is lost, as in Erlang B.

    The measures, for a call arriving at a random moment:

    - ``p_wait``: the probability that all agents are busy, so the call has to wait (it
      may then be answered or hang up);
    - ``p_abandon``: the share of offered calls that hang up before an agent answers;
    - ``average_wait``: the mean time in the queue over all offered calls, seconds: 0 for
      calls answered at once, the time until answer for the others, and the time until
      they hung up for abandoned calls. (So ``p_abandon = average_wait / patience``, the
      relation P(Ab) = theta E[W] of Mandelbaum and Zeltyn.)
    - ``service_level``: the share of offered calls answered within ``target`` seconds.
      Abandoned calls never meet the target, even those that hang up within it, and stay
      in the denominator. (Some centres leave out calls abandoned within a few seconds,
      or count them as met; those service levels are higher.)

    How it is computed: the number of calls in the centre is a birth-and-death chain
    (Palm 1943; Garnett, Mandelbaum and Reiman 2002). Calls arrive at rate
    ``lambda = arrivals / interval``; with ``k <= N`` calls in the centre they leave at
    rate ``k mu`` (``mu = 1 / handle_time``), and with ``N + j`` calls (``j`` waiting) at
    rate ``N mu + j theta`` (``theta = 1 / patience``). Its stationary probabilities are
    ``pi_k`` proportional to ``A**k / k!`` up to ``N`` and ``pi_(N+j) = pi_N`` times the
    product over ``i = 1..j`` of ``lambda / (N mu + i theta)``. An arriving call sees
    these probabilities (Poisson arrivals see time averages). One that finds ``j`` calls
    waiting needs ``j + 1`` departures ahead of it, which come at rates ``N mu + i theta``,
    ``i = j, ..., 0``; it hangs up first with probability ``(j + 1) theta / (N mu + (j + 1)
    theta)``, waits on average ``(j + 1) / (N mu + (j + 1) theta)``, and is answered
    within ``t`` with probability ``x / (x + j + 1)`` times the regularised incomplete beta
    function ``I(1 - exp(-theta t); j + 1, x + 1)``, with ``x = N mu / theta``. Summing over
    the chain gives exactly the closed forms of Mandelbaum and Zeltyn (2007, "Service
    engineering in action: the Palm/Erlang-A queue, with applications to call centers"),
    written there with incomplete gamma functions; the tests check the two agree. The
    sums are done in log space (factorials and powers never formed), so loads of hundreds
    of Erlangs neither overflow nor underflow.

    Parameters
    ----------
    arrivals : float or array_like
        Calls arriving in the interval, a count of at least 0.
    handle_time : float or array_like
        Average handle time of a call (talk and wrap-up), seconds, more than 0.
    agents : int or array_like
        Agents answering calls, a whole number of at least 1.
    patience : float or array_like
        Callers' mean patience: how long they would wait before hanging up, seconds, more
        than 0 (exponential, as the model assumes).
    target : float, default 20.0
        The answer time that counts as good service, seconds (at least 0).
    interval : float, default 1800.0
        Length of the interval, seconds (1800: half an hour).

    Returns
    -------
    dict of str to float, or DataFrame
        For scalar inputs, a dict with ``p_wait``, ``p_abandon`` (both 0 to 1),
        ``average_wait`` (seconds) and ``service_level`` (0 to 1). For arrays, a DataFrame
        with those columns and one row per element of the inputs (broadcast together,
        then flattened), indexed like the first pandas Series among the inputs, if any.

    Examples
    --------
    100 calls of 3 minutes in half an hour (10 Erlangs), 11 agents, callers who wait two
    minutes on average:

    >>> result = erlang_a(100, 180, 11, patience=120)
    >>> {name: round(value, 4) for name, value in result.items()}
    {'p_wait': 0.3828, 'p_abandon': 0.0942, 'average_wait': 11.2986, 'service_level': 0.7422}

    Patient callers make Erlang A Erlang C (14 agents answer 88.8% within 20 seconds):

    >>> round(erlang_a(100, 180, 14, patience=1e9)["service_level"], 4), round(float(service_level(100, 180, 14)), 4)
    (0.8884, 0.8884)

    An overloaded centre still settles, losing the excess to abandonment:

    >>> erlang_a(200, 180, [15, 20, 25], patience=120).round(3)  # 20 Erlangs
       p_wait  p_abandon  average_wait  service_level
    0   0.842      0.269        32.269          0.308
    1   0.483      0.098        11.725          0.706
    2   0.146      0.020         2.404          0.939
    """
    loads = offered_load(arrivals, handle_time, interval)
    handles = _positive(handle_time, "handle_time")
    patiences = _positive(patience, "patience")
    staff = _agents(agents)
    if isinstance(target, bool) or not (np.isfinite(_number(target)) and _number(target) >= 0):
        raise ValueError(f"target should be a number of seconds of at least 0 (for example 20), got {target!r}")
    try:
        loads, handles, staff, patiences = np.broadcast_arrays(loads, handles, staff, patiences)
    except ValueError as error:
        raise ValueError("arrivals, handle_time, agents and patience should be numbers or arrays of the same shape; "
                         f"got shapes {[np.shape(value) for value in (arrivals, handle_time, agents, patience)]}") from error
    rows = [_erlang_a_one(float(load), int(n), float(handle), float(mean_patience), float(target))
            for load, n, handle, mean_patience in zip(loads.ravel(), staff.ravel(), handles.ravel(), patiences.ravel(),
                                                      strict=True)]
    if loads.ndim == 0:
        return rows[0]
    index = next((value.index for value in (arrivals, handle_time, agents, patience)
                  if isinstance(value, pd.Series) and len(value) == len(rows)), None)
    return pd.DataFrame(rows, columns=list(ERLANG_A_MEASURES), index=index)


def _erlang_a_one(load: float, agents: int, handle_time: float, patience: float, target: float) -> dict[str, float]:
    """Erlang A's measures for one interval (see :func:`erlang_a` for the method)."""
    if load == 0:
        return {"p_wait": 0.0, "p_abandon": 0.0, "average_wait": 0.0, "service_level": 1.0}
    x = agents * patience / handle_time  # N mu / theta: the agents' pace, in units of the impatience rate
    y = load * patience / handle_time  # lambda / theta
    with np.errstate(divide="ignore"):
        # Unnormalised log-probabilities, each times exp(-load): at most N - 1 calls (a free agent) ...
        log_free = float(np.log(special.gammaincc(agents, load)))  # Poisson(load) probability of at most N - 1
        # ... and exactly N calls (all agents busy, nobody waiting).
        log_busy = float(special.xlogy(agents, load) - load - special.gammaln(agents + 1))
    # The chain's probabilities of j waiting rise to a peak at j = y - x (if positive), then fall
    # faster than a normal curve of spread sqrt(y): beyond 10 spreads (plus 50 for small y)
    # the terms are below exp(-50) of the peak, too small to matter.
    peak, width = max(0.0, y - x), 10.0 * math.sqrt(y) + 50.0
    first, last = int(max(0.0, math.floor(peak - width))), int(math.ceil(peak + width))
    waiting = np.arange(first, last + 1)
    # log of the product over i = 1..first of y / (x + i), then one factor per further step
    start = first * math.log(y) - (special.gammaln(x + first + 1) - special.gammaln(x + 1))
    steps = np.log(y / (x + waiting[1:]))
    log_queue = log_busy + start + np.concatenate([[0.0], np.cumsum(steps)])
    top = log_queue.max()  # log of the sum, without overflow: factor out the largest term
    log_total = np.logaddexp(log_free, top + math.log(np.exp(log_queue - top).sum()))
    share = np.exp(log_queue - log_total)  # probability that an arriving call finds N + j calls, j = waiting
    ahead = waiting + 1  # departures the call needs before an agent is free for it
    abandons = ahead / (x + ahead)
    wait = patience * ahead / (x + ahead)
    answered_in_time = np.zeros(len(share))
    weighty = share > 1e-20  # the incomplete beta is slow: skip states too unlikely to matter
    answered_in_time[weighty] = (x / (x + ahead[weighty])
                                 * special.betainc(ahead[weighty], x + 1, -math.expm1(-target / patience)))
    return {
        "p_wait": float(min(share.sum(), 1.0)),
        "p_abandon": float(share @ abandons),
        "average_wait": float(share @ wait),
        "service_level": float(min(math.exp(log_free - log_total) + share @ answered_in_time, 1.0)),
    }


def occupancy(load: ArrayLike, agents: ArrayLike, abandoned: ArrayLike = 0.0) -> float | NDArray[np.float64] | pd.Series:
    """Share of their time the agents spend on calls: the load they serve over the agents (0 to 1).

    Under Erlang C every call is answered, so the agents serve the whole offered load and
    occupancy is ``load / agents`` (at most 1: an overloaded centre is busy all the time).
    Under Erlang A the calls that hang up are never served, so the load actually served is
    ``load * (1 - p_abandon)``: pass :func:`erlang_a`'s ``p_abandon`` as ``abandoned``.
    High occupancy is cheap for the company and hard on the agents; many centres aim
    for 85 to 90% at most.

    Parameters
    ----------
    load : float or array_like
        Offered load, Erlangs, at least 0 (see :func:`offered_load`).
    agents : int or array_like
        Agents answering calls, a whole number of at least 1.
    abandoned : float or array_like, default 0.0
        Share of offered calls that hang up unanswered, 0 to 1 (0 for Erlang C).

    Returns
    -------
    float, ndarray or Series
        The occupancy, 0 to 1: a float for scalar inputs, otherwise an array shaped like
        the inputs (a Series, with its index, when ``load`` is one).

    Examples
    --------
    10 Erlangs on 14 agents; then 11 agents with callers who wait two minutes on average:

    >>> round(occupancy(10.0, 14), 3)
    0.714
    >>> round(occupancy(10.0, 11, abandoned=erlang_a(100, 180, 11, patience=120)["p_abandon"]), 3)
    0.823
    """
    loads = _nonnegative(load, "load")
    staff = _agents(agents)
    lost = np.asarray(abandoned, dtype=float)
    if np.any(~np.isfinite(lost)) or np.any((lost < 0) | (lost > 1)):
        raise ValueError(f"abandoned should be a share of calls between 0 and 1 (erlang_a's p_abandon), got {abandoned!r}")
    busy = np.minimum(loads * (1 - lost) / staff, 1.0)
    return _like(busy, load)


def staff_on_payroll(agents: ArrayLike, shrinkage: float) -> int | NDArray[np.int64] | pd.Series:
    """People on the payroll needed to keep ``agents`` on the phones, allowing for shrinkage.

    **Shrinkage** is the share of paid time in which agents cannot take calls: breaks,
    meetings, training, holidays, sickness. To have ``agents`` answering at every moment
    the centre must pay ``agents / (1 - shrinkage)`` people, rounded up to whole people.

    Hand-worked: 14 agents on the phones with 30% shrinkage need 14 / 0.7 = 20 people.

    Parameters
    ----------
    agents : float or array_like
        Agents needed on the phones (for example from :func:`agents_for_service_level`),
        at least 0; fractions (full-time equivalents) are allowed.
    shrinkage : float
        Share of paid time not available for calls, at least 0 and below 1 (0.3 for 30%).

    Returns
    -------
    int, ndarray or Series
        People on the payroll, whole numbers: an int for a scalar ``agents``, otherwise an
        array shaped like it (a Series, with its index, when ``agents`` is one).

    Examples
    --------
    >>> staff_on_payroll(14, 0.30)
    20
    >>> staff_on_payroll([10, 13.5], 0.25).tolist()
    [14, 18]
    """
    if isinstance(shrinkage, bool) or not (0 <= _number(shrinkage) < 1):
        raise ValueError(f"shrinkage should be a share of paid time, at least 0 and below 1 (for example 0.3), got {shrinkage!r}")
    needed = _nonnegative(agents, "agents")
    # round() first so that 14 / 0.7 = 20.000000000000004 counts 20 people, not 21.
    people = np.ceil(np.round(needed / (1 - float(shrinkage)), 9)).astype(np.int64)
    return _like(people, agents)


def cost_to_serve(
    tickets: pd.DataFrame,
    calls: pd.DataFrame | None = None,
    *,
    cost_per_ticket: float,
    cost_per_contact: float,
    cost_per_agent_hour: float | None = None,
    call_weights: pd.Series | None = None,
    customers: ArrayLike | None = None,
    interval: float = 1800.0,
) -> pd.DataFrame:
    """What it costs to serve each customer: their tickets, their contacts, and a share of the contact centre.

    The cost assumptions are arguments, with no defaults, so every number is stated by
    whoever runs the analysis:

    - ``ticket_cost = cost_per_ticket * tickets``: the fixed cost of opening, routing and
      closing each ticket;
    - ``contact_cost = cost_per_contact * contacts``: each customer contact a ticket took
      (an e-mail, a chat, a call back), summed over the customer's tickets;
    - ``call_cost`` (only when ``calls`` is given): the contact centre's cost, its staffed
      agent-hours (``agents`` times the interval's length, summed over the intervals of
      ``calls``) times ``cost_per_agent_hour``, shared among customers in proportion to
      ``call_weights``. Calls are not recorded per customer, so this share is an
      allocation, not a measurement: by default each customer's share of all ticket
      contacts (customers who need help more often take more of the centre's time); pass
      other weights, such as purchases, to allocate differently. Staffed hours include
      the agents' idle time (the price of answering quickly); to include shrinkage as well,
      raise ``cost_per_agent_hour`` to cost per hour on the phones.

    Hand-worked: customer 1 has two tickets with 1 and 3 contacts, customer 2 one ticket
    with 2 contacts. At $5 a ticket and $4 a contact, customer 1 costs 2 * 5 + 4 * 4 = $26
    and customer 2 costs 5 + 2 * 4 = $13. A contact centre of 3 agents for one half-hour at
    $30 an hour costs $45; shared by contacts (4 to 2), customer 1 takes $30, customer 2 $15.

    Parameters
    ----------
    tickets : DataFrame
        One row per ticket with columns ``customer_id`` and ``contacts`` (a whole number of
        at least 1), as in the data world's ``tickets``. Filter it to the period of interest
        first.
    calls : DataFrame, optional
        One row per interval of the contact centre with a column ``agents`` (staffed
        agents, at least 0), as in the data world's ``calls``, for the same period.
    cost_per_ticket : float
        US dollars per ticket, at least 0.
    cost_per_contact : float
        US dollars per customer contact on a ticket, at least 0.
    cost_per_agent_hour : float, optional
        US dollars per staffed agent-hour in the contact centre, at least 0; needed when
        ``calls`` is given.
    call_weights : Series, optional
        How to share the contact centre's cost: one weight per customer (at least 0, with a
        positive total), indexed by ``customer_id``; by default each customer's ticket
        contacts.
    customers : array_like, optional
        The customers to report, such as ``world.customers.index``; those with no tickets
        get zero costs, tickets of customers not listed are left out, and the contact
        centre's cost is shared among those listed. By default the customers in
        ``tickets`` (and in ``call_weights``).
    interval : float, default 1800.0
        Length of each interval of ``calls``, seconds.

    Returns
    -------
    DataFrame
        One row per customer, indexed by ``customer_id``, with ``tickets`` and
        ``contacts`` (counts), ``ticket_cost``, ``contact_cost``, ``call_cost`` and their
        sum ``cost_to_serve`` (US dollars). ``attrs`` holds the cost assumptions.

    Examples
    --------
    The hand-worked case above:

    >>> import pandas as pd
    >>> tickets = pd.DataFrame({"customer_id": [1, 1, 2], "contacts": [1, 3, 2]})
    >>> costs = cost_to_serve(tickets, cost_per_ticket=5.0, cost_per_contact=4.0)
    >>> costs[["tickets", "contacts", "ticket_cost", "contact_cost", "cost_to_serve"]]
                 tickets  contacts  ticket_cost  contact_cost  cost_to_serve
    customer_id
    1                  2         4         10.0          16.0           26.0
    2                  1         2          5.0           8.0           13.0
    >>> calls = pd.DataFrame({"agents": [3]})
    >>> cost_to_serve(tickets, calls, cost_per_ticket=5.0, cost_per_contact=4.0, cost_per_agent_hour=30.0)["call_cost"].to_dict()
    {1: 30.0, 2: 15.0}
    """
    costs = {"cost_per_ticket": cost_per_ticket, "cost_per_contact": cost_per_contact}
    if calls is not None or cost_per_agent_hour is not None:
        costs["cost_per_agent_hour"] = cost_per_agent_hour
    for name, value in costs.items():
        if value is None or isinstance(value, bool) or not (np.isfinite(_number(value)) and _number(value) >= 0):
            raise ValueError(f"{name} should be a cost of at least 0 US dollars, got {value!r}")
    if cost_per_agent_hour is not None and calls is None:
        raise ValueError("cost_per_agent_hour was given but calls was not; pass the calls table to cost the contact centre")
    require_columns(tickets, ["customer_id", "contacts"], table="tickets")
    data = tickets if {"customer_id", "contacts"} <= set(tickets.columns) else tickets.reset_index()
    data = data[["customer_id", "contacts"]]
    _raise_if(data["customer_id"].isna(), data["customer_id"],
              "tickets column 'customer_id' has {count} missing {values} (first at {where}); expected an id on every row")
    contacts = pd.to_numeric(data["contacts"], errors="coerce").astype(float)
    _raise_if(contacts.isna() | (contacts % 1 != 0) | (contacts < 1), data["contacts"],
              "tickets column 'contacts' has {count} invalid {values} (first: {value!r} at {where}); "
              "expected whole numbers of at least 1")
    per_customer = pd.DataFrame({"customer_id": data["customer_id"].to_numpy(), "contacts": contacts.to_numpy()})
    table = per_customer.groupby("customer_id").agg(tickets=("contacts", "size"), contacts=("contacts", "sum"))
    wanted = table.index
    if call_weights is not None:
        if not isinstance(call_weights, pd.Series):
            raise TypeError(f"call_weights should be a pandas Series indexed by customer_id, got {type(call_weights).__name__}")
        if calls is None:
            raise ValueError("call_weights was given but calls was not; the weights share the contact centre's cost")
        numbers = pd.to_numeric(call_weights, errors="coerce").astype(float)
        _raise_if(numbers.isna() | np.isinf(numbers) | (numbers < 0), call_weights,
                  "call_weights has {count} missing, infinite or negative {values} (first: {value!r} at {where}); "
                  "expected one weight of at least 0 per customer")
        wanted = wanted.union(call_weights.index)
    if customers is not None:
        wanted = pd.Index(np.asarray(customers).ravel(), name="customer_id")
        if wanted.has_duplicates or wanted.hasnans:
            raise ValueError("customers should list each customer once, with no missing ids")
    table = table.reindex(wanted, fill_value=0).astype("int64")
    table.index.name = "customer_id"
    table["ticket_cost"] = table["tickets"] * float(cost_per_ticket)
    table["contact_cost"] = table["contacts"] * float(cost_per_contact)
    table["call_cost"] = 0.0
    if calls is not None:
        if isinstance(interval, bool) or not (np.isfinite(_number(interval)) and _number(interval) > 0):
            raise ValueError(f"interval should be a positive number of seconds, got {interval!r}")
        require_columns(calls, ["agents"], table="calls")
        staffed = pd.to_numeric(calls["agents"], errors="coerce").astype(float)
        _raise_if(staffed.isna() | np.isinf(staffed) | (staffed < 0), calls["agents"],
                  "calls column 'agents' has {count} invalid {values} (first: {value!r} at {where}); expected counts of at least 0")
        centre = float(staffed.sum()) * float(interval) / 3600 * float(cost_per_agent_hour)
        if call_weights is None:
            weights = table["contacts"].astype(float)
        else:  # customers without a weight take no share
            weights = pd.to_numeric(call_weights, errors="coerce").astype(float).reindex(table.index, fill_value=0.0)
        if weights.sum() <= 0:
            raise ValueError("the call weights of the customers reported sum to 0; expected a positive total to share "
                             "the contact centre's cost")
        table["call_cost"] = centre * weights / weights.sum()
    table["cost_to_serve"] = table["ticket_cost"] + table["contact_cost"] + table["call_cost"]
    table.attrs = {name: float(value) for name, value in costs.items()} | ({"interval": float(interval)} if calls is not None else {})
    return table


def _number(value: object) -> float:
    """``value`` as a float, or NaN when it is not a number (so range checks fail with a clear message)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _like(values: NDArray, like: ArrayLike) -> float | int | NDArray | pd.Series:
    """``values`` shaped like the input ``like``: a plain number, an array, or a Series with ``like``'s index."""
    if isinstance(like, pd.Series):
        return pd.Series(np.broadcast_to(values, like.shape), index=like.index, name=like.name)
    if np.ndim(values) == 0:
        return values.item()
    return values


def _agents(agents: ArrayLike) -> NDArray[np.int64]:
    values = np.asarray(agents)
    if not np.issubdtype(values.dtype, np.number) or np.any(values < 1) or np.any(values % 1 != 0):
        raise ValueError(f"agents should be whole numbers of at least 1, got {agents!r}")
    return values.astype(np.int64)


def _nonnegative(values: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=float)
    if np.any(~np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} should be finite and non-negative, got {values!r}")
    return array


def _positive(values: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=float)
    if np.any(~np.isfinite(array)) or np.any(array <= 0):
        raise ValueError(f"{name} should be finite and positive (seconds), got {values!r}")
    return array
