"""Service operations: queueing arithmetic for a contact centre (Erlang C).

Erlang C models calls that arrive at random (Poisson), wait in one queue, and are
answered by ``agents`` identical agents, each call taking ``handle_time`` seconds on
average (exponential). With the offered load in Erlangs

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

All functions accept scalars or numpy arrays of the same shape.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

__all__ = [
    "offered_load",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "agents_for_service_level",
]


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
