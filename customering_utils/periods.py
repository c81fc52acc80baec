"""Dates, periods and units of time: the one place the package converts between them.

A customer summary measures time in a unit (``"W"`` weeks or ``"D"`` days) and says which
in ``summary.attrs["time_unit"]``; a model's rates are per that unit. Calendar periods
(months, quarters, years) are pandas frequencies such as ``"MS"``, ``"QS"`` and ``"YS"``.
Every function of the package that reads a date, a frequency or a unit goes through here,
so each is checked one way and converted one way.

>>> unit_days("W")
7.0
>>> per_period_rate(0.10, "W")  # a yearly 10% discount rate, per week
0.0018...
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["UNITS", "unit_days", "unit_name", "duration", "as_day", "offset", "calendar", "window_days",
           "per_period_rate", "time_unit_of", "DAYS_PER_YEAR"]

#: The units of time a summary or a model may use, in days each.
UNITS: dict[str, float] = {"D": 1.0, "W": 7.0}
_NAMES = {"D": "days", "W": "weeks"}
#: Days in an average year (leap years included), for turning yearly rates into per-period ones.
DAYS_PER_YEAR = 365.25


def unit_days(time_unit: str) -> float:
    """The length of one ``time_unit`` in days.

    Parameters
    ----------
    time_unit : str
        ``"W"`` (weeks) or ``"D"`` (days).

    Returns
    -------
    float
        7.0 for weeks, 1.0 for days.

    Examples
    --------
    >>> unit_days("D")
    1.0
    """
    if time_unit not in UNITS:
        raise ValueError(f"time_unit should be 'W' (weeks) or 'D' (days), got {time_unit!r}")
    return UNITS[time_unit]


def unit_name(time_unit: str) -> str:
    """The plural English name of ``time_unit``, for labels: ``"weeks"`` or ``"days"``.

    Parameters
    ----------
    time_unit : str
        ``"W"`` or ``"D"``.

    Returns
    -------
    str
        ``"weeks"`` or ``"days"``.

    Examples
    --------
    >>> unit_name("W")
    'weeks'
    """
    unit_days(time_unit)
    return _NAMES[time_unit]


def duration(delta: pd.Timedelta | pd.TimedeltaIndex | pd.Series, time_unit: str) -> float | np.ndarray:
    """A length of time (or many) measured in ``time_unit``, counted in whole days.

    Parameters
    ----------
    delta : Timedelta, TimedeltaIndex or Series of timedeltas
        Differences between days, for example ``last_purchase - first_purchase``.
    time_unit : str
        ``"W"`` or ``"D"``.

    Returns
    -------
    float or numpy.ndarray
        The whole days of ``delta`` divided by the days of one unit.

    Examples
    --------
    >>> duration(pd.Timestamp("2025-01-15") - pd.Timestamp("2025-01-01"), "W")
    2.0
    """
    days = unit_days(time_unit)
    if isinstance(delta, pd.Series):
        return delta.dt.days.to_numpy(dtype=float) / days
    if isinstance(delta, pd.TimedeltaIndex):
        return delta.days.to_numpy(dtype=float) / days
    return pd.Timedelta(delta).days / days


def as_day(date: object, *, name: str = "end") -> pd.Timestamp:
    """``date`` as a day at midnight, or a ``ValueError`` that says what was expected.

    Parameters
    ----------
    date : str or Timestamp
        A date such as ``"2025-12-31"``.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    pandas.Timestamp
        The day, with any time of day removed.

    Examples
    --------
    >>> as_day("2025-12-31 17:30")
    Timestamp('2025-12-31 00:00:00')
    >>> as_day(2025)
    Traceback (most recent call last):
    ...
    ValueError: end should be a date such as '2025-12-31' or a pandas Timestamp, got 2025
    """
    message = f"{name} should be a date such as '2025-12-31' or a pandas Timestamp, got {date!r}"
    if isinstance(date, bool) or date is None or isinstance(date, (int, float, np.number)):
        raise ValueError(message)
    try:
        day = pd.Timestamp(date)
    except (ValueError, TypeError) as error:
        raise ValueError(message) from error
    if pd.isna(day):
        raise ValueError(message)
    if day.tzinfo is not None:  # the tables' dates carry no time zone
        day = day.tz_localize(None)
    return day.normalize()


def offset(freq: str) -> pd.DateOffset:
    """The pandas calendar offset of a frequency such as ``"MS"``, ``"QS"`` or ``"YS"``.

    Parameters
    ----------
    freq : str
        A pandas frequency alias.

    Returns
    -------
    pandas.DateOffset
        The offset, or a ``ValueError`` naming the frequencies expected.

    Examples
    --------
    >>> offset("QS")
    <QuarterBegin: startingMonth=1>
    """
    try:
        return pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"freq should be a pandas frequency such as 'MS' (month starts), 'ME' (month ends) "
            f"or 'YS' (years), got {freq!r}"
        ) from error


def calendar(start: pd.Timestamp, end: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    """The dates of frequency ``freq`` from ``start`` to ``end``, or an error if there are none.

    Parameters
    ----------
    start, end : Timestamp
        The first and last day to cover.
    freq : str
        A pandas frequency alias, such as ``"MS"``.

    Returns
    -------
    pandas.DatetimeIndex
        The period dates.

    Examples
    --------
    >>> calendar(pd.Timestamp("2025-01-10"), pd.Timestamp("2025-04-02"), "MS").strftime("%b").tolist()
    ['Feb', 'Mar', 'Apr']
    """
    dates = pd.date_range(start, end, freq=offset(freq))
    if len(dates) == 0:
        raise ValueError(
            f"no {freq!r} date falls between the first purchase ({start:%Y-%m-%d}) and the last "
            f"({end:%Y-%m-%d}); use a shorter frequency or a longer table"
        )
    return dates


def window_days(days: int) -> pd.Timedelta:
    """A look-back window of a whole number of days, checked.

    Parameters
    ----------
    days : int
        At least 1, for example 365.

    Returns
    -------
    pandas.Timedelta
        The window.

    Examples
    --------
    >>> window_days(365)
    Timedelta('365 days 00:00:00')
    """
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
        raise ValueError(f"window_days should be a whole number of days, at least 1 (for example 365), got {days!r}")
    return pd.Timedelta(days=int(days))


def per_period_rate(annual_rate: float, time_unit: str) -> float:
    """The rate per ``time_unit`` that compounds to ``annual_rate`` over a year.

    .. math:: 1 + d = (1 + \\text{annual rate})^{\\text{unit days} / 365.25}

    Parameters
    ----------
    annual_rate : float
        A yearly rate, such as a discount rate of 0.10.
    time_unit : str
        ``"W"`` or ``"D"``.

    Returns
    -------
    float
        The equivalent rate per week or per day.

    Examples
    --------
    >>> round((1 + per_period_rate(0.10, "W")) ** (365.25 / 7), 6)
    1.1
    """
    if not annual_rate > -1:
        raise ValueError(f"annual_rate should be above -1 (for example 0.10), got {annual_rate!r}")
    return float((1 + annual_rate) ** (unit_days(time_unit) / DAYS_PER_YEAR) - 1)


def time_unit_of(frame: pd.DataFrame, default: str | None = None, *, table: str = "summary") -> str:
    """The unit of time a table says it measures in (``frame.attrs["time_unit"]``).

    Parameters
    ----------
    frame : DataFrame
        A table such as a customer summary from :func:`customering_utils.clv.summarize`.
    default : str, optional
        The unit to assume when the table does not say (for example a fitted model's).
    table : str
        The table's name, for the error message.

    Returns
    -------
    str
        ``"W"`` or ``"D"``.

    Examples
    --------
    >>> summary = pd.DataFrame({"T": [3.0]})
    >>> summary.attrs["time_unit"] = "W"
    >>> time_unit_of(summary)
    'W'
    """
    unit = frame.attrs.get("time_unit", default) if isinstance(frame, pd.DataFrame) else default
    if unit is None:
        raise ValueError(
            f"{table} does not say its unit of time: make it with clv.summarize, or set "
            f"{table}.attrs['time_unit'] = 'W' (weeks) or 'D' (days)")
    unit_days(unit)
    return unit
