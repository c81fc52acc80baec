"""Checks for exercises: each fails with a message that tells the learner what to fix.

The visible tests in the assignments use these, so that a failed check reads like
"`revenue` should have one row per customer: got 42,347 rows, expected 10,000" instead
of a bare ``AssertionError``.

>>> expect_length([1, 2, 3], 3, name="scores")
>>> expect_length([1, 2], 3, name="scores", unit="customers")
Traceback (most recent call last):
...
AssertionError: `scores` should have 3 customers: got 2, expected 3
"""

from __future__ import annotations

import math
from collections.abc import Sized

__all__ = ["expect_type", "expect_length", "expect_between", "expect_close", "expect_sorted"]


def expect_type(value: object, kinds: type | tuple[type, ...], *, name: str) -> None:
    """Fail unless ``value`` is an instance of ``kinds``.

    >>> expect_type(3.5, float, name="share")
    >>> expect_type("0.4", float, name="share")
    Traceback (most recent call last):
    ...
    AssertionError: `share` should be a float: got a str ('0.4')
    """
    if not isinstance(value, kinds):
        wanted = " or ".join(k.__name__ for k in (kinds if isinstance(kinds, tuple) else (kinds,)))
        shown = repr(value) if len(repr(value)) < 40 else repr(value)[:37] + "..."
        raise AssertionError(f"`{name}` should be a {wanted}: got a {type(value).__name__} ({shown})")


def expect_length(value: Sized, expected: int, *, name: str, unit: str = "rows") -> None:
    """Fail unless ``len(value) == expected``."""
    if len(value) != expected:
        raise AssertionError(f"`{name}` should have {expected:,} {unit}: got {len(value):,}, expected {expected:,}")


def expect_between(value: float, low: float, high: float, *, name: str, why: str = "") -> None:
    """Fail unless ``low <= value <= high``; ``why`` says what the range means.

    >>> expect_between(1.2, 0, 1, name="top20_share", why="a share of revenue is between 0 and 1")
    Traceback (most recent call last):
    ...
    AssertionError: `top20_share` should be between 0 and 1 (a share of revenue is between 0 and 1): got 1.2
    """
    if not (isinstance(value, (int, float)) and low <= value <= high):
        reason = f" ({why})" if why else ""
        raise AssertionError(f"`{name}` should be between {low:g} and {high:g}{reason}: got {value!r}")


def expect_close(value: float, expected: float, *, name: str, rel: float = 1e-6, hint: str = "") -> None:
    """Fail unless ``value`` is within a relative ``rel`` of ``expected``.

    >>> expect_close(266.6666667, 800 / 3, name="clv(100, 0.8, 0.1)")
    """
    if not (isinstance(value, (int, float)) and math.isclose(value, expected, rel_tol=rel, abs_tol=1e-12)):
        extra = f" {hint}" if hint else ""
        raise AssertionError(f"`{name}` should be {expected:,.6g}: got {value!r}.{extra}")


def expect_sorted(values, *, name: str, descending: bool = True) -> None:
    """Fail unless ``values`` (a pandas Series or list) is sorted.

    >>> expect_sorted([3, 2, 2, 1], name="revenue")
    """
    items = list(values)
    pairs = zip(items, items[1:])
    ok = all(a >= b for a, b in pairs) if descending else all(a <= b for a, b in pairs)
    if not ok:
        order = "largest first" if descending else "smallest first"
        raise AssertionError(f"`{name}` should be sorted {order}: use .sort_values(ascending={not descending})")
