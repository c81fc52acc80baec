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

import ast
import inspect
import math
import textwrap
from collections.abc import Callable, Iterable, Sized

__all__ = ["expect_type", "expect_length", "expect_between", "expect_close", "expect_sorted", "expect_own_code"]


def expect_type(value: object, kinds: type | tuple[type, ...], *, name: str) -> None:
    """Fail unless ``value`` is an instance of ``kinds``.

    Parameters
    ----------
    value : object
        The answer to check, such as a variable a learner computed.
    kinds : type or tuple of types
        The type expected, such as ``float``, or a tuple of types any of which will do,
        such as ``(int, float)``.
    name : str
        The answer's name as the message shows it, such as ``"share"``.

    Raises
    ------
    AssertionError
        If ``value`` is not of ``kinds``; the message names the type expected and the
        type found.

    Examples
    --------
    Nothing happens when the check passes:

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
    """Fail unless ``len(value) == expected``.

    Parameters
    ----------
    value : Sized
        The answer to check: anything with a length, such as a list, a Series or a
        DataFrame (its length is its number of rows).
    expected : int
        The length expected, a count (of rows, customers, ...).
    name : str
        The answer's name as the message shows it, such as ``"revenue"``.
    unit : str, default "rows"
        What the length counts, as the message shows it, such as ``"customers"``.

    Raises
    ------
    AssertionError
        If the length differs; the message gives both lengths.

    Examples
    --------
    >>> expect_length([10.0, 20.0, 35.0], 3, name="revenue", unit="customers")
    >>> expect_length([10.0, 20.0], 3, name="revenue", unit="customers")
    Traceback (most recent call last):
    ...
    AssertionError: `revenue` should have 3 customers: got 2, expected 3
    """
    if len(value) != expected:
        raise AssertionError(f"`{name}` should have {expected:,} {unit}: got {len(value):,}, expected {expected:,}")


def expect_between(value: float, low: float, high: float, *, name: str, why: str = "") -> None:
    """Fail unless ``low <= value <= high``; ``why`` says what the range means.

    Parameters
    ----------
    value : float
        The answer to check: one number (an ``int`` or a ``float``), in whatever unit
        ``low`` and ``high`` are in (a share from 0 to 1, US dollars, ...).
    low, high : float
        The smallest and the largest value accepted, both included, in the unit of
        ``value``.
    name : str
        The answer's name as the message shows it, such as ``"top20_share"``.
    why : str, default ""
        What the range means, added to the message in brackets; nothing if empty.

    Raises
    ------
    AssertionError
        If ``value`` is not a number or is outside the range.

    Examples
    --------
    >>> expect_between(0.8, 0, 1, name="top20_share")
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

    Parameters
    ----------
    value : float
        The answer to check: one number (an ``int`` or a ``float``), such as a CLV in
        US dollars.
    expected : float
        The right answer, in the same unit as ``value``.
    name : str
        The answer's name as the message shows it, such as ``"clv"``.
    rel : float, default 1e-6
        How far ``value`` may be from ``expected``, as a share of ``expected`` (1e-6:
        one part in a million, so rounding differences pass).
    hint : str, default ""
        A sentence added to the message when the check fails, such as a tip on what
        to fix; nothing if empty.

    Raises
    ------
    AssertionError
        If ``value`` is not a number or is too far from ``expected``.

    Examples
    --------
    >>> expect_close(266.6666667, 800 / 3, name="clv(100, 0.8, 0.1)")
    >>> expect_close(250.0, 800 / 3, name="clv", hint="Did you divide by 1 + d - r?")
    Traceback (most recent call last):
    ...
    AssertionError: `clv` should be 266.667: got 250.0. Did you divide by 1 + d - r?
    """
    if not (isinstance(value, (int, float)) and math.isclose(value, expected, rel_tol=rel, abs_tol=1e-12)):
        extra = f" {hint}" if hint else ""
        raise AssertionError(f"`{name}` should be {expected:,.6g}: got {value!r}.{extra}")


def expect_sorted(values, *, name: str, descending: bool = True) -> None:
    """Fail unless ``values`` (a pandas Series or list) is sorted.

    Parameters
    ----------
    values : Series or list
        The answer to check, such as revenue per customer in US dollars. Equal
        neighbours are fine.
    name : str
        The answer's name as the message shows it, such as ``"revenue"``.
    descending : bool, default True
        ``True`` to expect the largest first, ``False`` to expect the smallest first.

    Raises
    ------
    AssertionError
        If ``values`` is not in order; the message says how to sort it.

    Examples
    --------
    >>> expect_sorted([3, 2, 2, 1], name="revenue")
    >>> expect_sorted([1, 3, 2], name="revenue")
    Traceback (most recent call last):
    ...
    AssertionError: `revenue` should be sorted largest first: use .sort_values(ascending=False)
    """
    items = list(values)
    pairs = zip(items, items[1:], strict=False)  # each item with the next one
    ok = all(a >= b for a, b in pairs) if descending else all(a <= b for a, b in pairs)
    if not ok:
        order = "largest first" if descending else "smallest first"
        raise AssertionError(f"`{name}` should be sorted {order}: use .sort_values(ascending={not descending})")


def expect_own_code(function: Callable, helpers: Iterable[str], *, name: str) -> None:
    """Fail if ``function`` calls one of ``helpers``: an exercise that asks you to write a computation yourself.

    The lessons show each computation in plain pandas before the package's helper does it
    for you. An exercise that asks for the computation itself checks that your function
    does not simply call the helper (for example ``concentration.gini``), by reading the
    function's code.

    Parameters
    ----------
    function : callable
        A function you defined in the notebook with ``def``.
    helpers : iterable of str
        Names of the package's functions (and modules) the exercise asks you not to call,
        such as ``("gini", "concentration")``.
    name : str
        The function's name as the message shows it.

    Raises
    ------
    AssertionError
        If ``function`` is not a function defined in the notebook, or if its code uses
        one of ``helpers``; the message names what it used.

    Examples
    --------
    >>> import numpy as np
    >>> def mean_spend(values):
    ...     return float(np.sum(values) / len(values))
    >>> expect_own_code(mean_spend, ["mean"], name="mean_spend")
    >>> def lazy_spend(values):
    ...     return float(np.mean(values))
    >>> expect_own_code(lazy_spend, ["mean"], name="lazy_spend")
    Traceback (most recent call last):
    ...
    AssertionError: `lazy_spend` uses mean: this exercise asks you to write the computation yourself, ...
    """
    if not callable(function) or not hasattr(function, "__code__"):
        raise AssertionError(f"`{name}` should be a function you define in this notebook with `def {name}(...):`")
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError) as error:
        raise AssertionError(f"`{name}` should be a function you define in this notebook with `def {name}(...):`") from error
    tree = ast.parse(source)
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    found = sorted(set(helpers) & used)
    if found:
        raise AssertionError(
            f"`{name}` uses {', '.join(found)}: this exercise asks you to write the computation yourself, "
            "with pandas and numpy, as the lesson did before it used the helper")
