r"""Whom to treat: uplift models, how to judge them, and a prescription of who gets which dose.

An experiment says how much a treatment changes the *average* customer. Customers differ:
some buy more when touched, some not at all, a few less. An **uplift model** predicts, for
each customer, the change the treatment makes, :math:`\tau(x) = E[Y \mid x, \text{treated}]
- E[Y \mid x, \text{control}]`, from what is known about them (:math:`x`). Two of the
simplest ("meta-learners", Künzel et al. 2019, PNAS 116(10)) are here, over any
scikit-learn estimator passed in:

- :class:`TLearner` fits one model per arm and subtracts their predictions;
- :class:`XLearner` then imputes each customer's own effect and models it directly, which
  helps when the arms are of very different sizes.

A customer's true effect is never seen (each is treated or not, never both), so a model is
judged on a held-out experiment by ranking customers by predicted uplift and following the
**observed** difference between treated and control as more of them are taken:
:func:`uplift_curve`, :func:`qini_curve`, their areas (:func:`uplift_auc_score`,
:func:`qini_auc_score`) and :func:`uplift_at_k`. These follow scikit-uplift 0.5.1's
``sklift.metrics`` to the letter (names, argument order, defaults, ties and normalisation),
and give its values to 1e-6 (``tests/test_uplift.py`` checks against values computed by
scikit-uplift itself), without depending on it: it is no longer maintained, and its metrics
import a scikit-learn function (``stable_cumsum``) deprecated in scikit-learn 1.8 and due to
be removed in 1.10.

Finally :func:`prescribe` turns predicted uplift per dose, the value of a unit of outcome
(from Module 1's customer lifetime value) and the cost of each dose into a decision: who to
treat, at which dose, and what that is expected to return against treating everyone or no one.

scikit-learn is imported only inside the learners, so importing this module stays quick.

>>> y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]                   # bought?
>>> treatment = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]           # e-mailed?
>>> uplift = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]   # a model's predictions
>>> round(uplift_auc_score(y, uplift, treatment), 3)
0.809
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = ["uplift_curve", "perfect_uplift_curve", "uplift_auc_score", "qini_curve", "perfect_qini_curve",
           "qini_auc_score", "uplift_at_k", "TLearner", "XLearner", "Prescription", "prescribe"]


# ---- checking the inputs ------------------------------------------------------------------------


def _vector(values: ArrayLike, name: str) -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} should be one value per customer (a list, array or Series), got a DataFrame; "
                        "pick its column")
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} should be one value per customer (1-d), got an array of shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} should hold numbers, got values of type {array.dtype}")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} has {int((~np.isfinite(array)).sum()):,} missing or infinite values; "
                         "expected a number for every customer")
    return array


def _binary(array: np.ndarray, name: str, meaning: str) -> None:
    ones = array == 1
    if not np.all(ones | (array == 0)) or ones.all() or not ones.any():
        values = np.unique(array)
        raise ValueError(f"{name} should hold 0 and 1 ({meaning}), both present; got the values "
                         f"{values[:6].tolist()}{' ...' if len(values) > 6 else ''}")


def _inputs(y_true: ArrayLike, uplift: ArrayLike | None, treatment: ArrayLike,
            binary_outcome: bool) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Checked float arrays: outcome, scores (if given) and treatment, all of one length."""
    y = _vector(y_true, "y_true")
    t = _vector(treatment, "treatment")
    u = None if uplift is None else _vector(uplift, "uplift")
    lengths = {"y_true": len(y), "treatment": len(t)} | ({} if u is None else {"uplift": len(u)})
    if len(set(lengths.values())) != 1:
        raise ValueError("y_true, uplift and treatment should have one value per customer each; got "
                         + ", ".join(f"{name} {length:,}" for name, length in lengths.items()))
    if len(y) == 0:
        raise ValueError("y_true is empty; expected one outcome per customer")
    _binary(t, "treatment", "1 = treated, 0 = control")
    if binary_outcome:
        _binary(y, "y_true", "1 = responded, 0 = did not; this score is defined for a 0/1 outcome")
    return y, u, t


# ---- the curves ---------------------------------------------------------------------------------


def _cumulative(y: np.ndarray, u: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Customers, treated, treated outcome and control outcome, counted down the ranking at each distinct score."""
    order = np.argsort(u, kind="mergesort")[::-1]  # highest score first; scikit-uplift's order, ties included
    y, u, t = y[order], u[order], t[order]
    thresholds = np.r_[np.flatnonzero(np.diff(u)), u.size - 1]
    treated = np.cumsum(t, dtype=np.float64)[thresholds]
    y_treated = np.cumsum(np.where(t == 1, y, 0.0), dtype=np.float64)[thresholds]
    y_control = np.cumsum(np.where(t == 0, y, 0.0), dtype=np.float64)[thresholds]
    customers = thresholds + 1
    return customers, treated, customers - treated, y_treated, y_control


def _from_origin(x: np.ndarray, curve: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.r_[0, x], np.r_[0.0, curve]


def _uplift_points(y: np.ndarray, u: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    customers, treated, control, y_treated, y_control = _cumulative(y, u, t)
    rate_treated = np.divide(y_treated, treated, out=np.zeros_like(y_treated), where=treated != 0)
    rate_control = np.divide(y_control, control, out=np.zeros_like(y_control), where=control != 0)
    return _from_origin(customers, (rate_treated - rate_control) * customers)


def _qini_points(y: np.ndarray, u: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    customers, treated, control, y_treated, y_control = _cumulative(y, u, t)
    scale = np.divide(treated, control, out=np.zeros_like(treated), where=control != 0)
    return _from_origin(customers, y_treated - y_control * scale)


def _perfect_uplift_points(y: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    control_responders = np.sum((y == 1) & (t == 0))
    treated_non_responders = np.sum((y == 0) & (t == 1))
    summand = y if control_responders > treated_non_responders else t
    return _uplift_points(y, 2 * (y == t) + summand, t)


def _perfect_qini_points(y: np.ndarray, t: np.ndarray, negative_effect: bool) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(negative_effect, bool):
        raise TypeError(f"negative_effect should be True or False, got {negative_effect!r}")
    if negative_effect:
        return _qini_points(y, y * t - y * (1 - t), t)
    incremental = y[t == 1].sum() - (t == 1).sum() * y[t == 0].sum() / (t == 0).sum()
    return np.array([0, incremental, len(y)]), np.array([0, incremental, incremental])


def uplift_curve(y_true: ArrayLike, uplift: ArrayLike, treatment: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r"""The uplift curve: the observed gain from treating the top customers by predicted uplift.

    Customers are ranked from the highest predicted uplift down. Among the top :math:`k`,
    with :math:`n_T(k)` treated and :math:`n_C(k)` control customers and outcome totals
    :math:`Y_T(k)` and :math:`Y_C(k)`, the curve's height is

    .. math:: U(k) = \Bigl(\frac{Y_T(k)}{n_T(k)} - \frac{Y_C(k)}{n_C(k)}\Bigr)\, k,

    the difference of the response rates times the number of customers (a rate is taken as
    0 while its group is empty): the extra responses to expect from treating those :math:`k`.
    Customers with equal scores enter together, so the curve has one point per distinct
    score, plus (0, 0). This is scikit-uplift's ``uplift_curve`` (Devriendt, Guns and Verbeke
    2020) on the same inputs. A good model rises steeply first; a random ranking follows the
    straight line from (0, 0) to the last point.

    Parameters
    ----------
    y_true : array_like
        Each customer's outcome: 0/1 as in scikit-uplift (visited, bought), or any numbers
        (spend), which give a curve in the outcome's unit.
    uplift : array_like
        Each customer's predicted uplift (or any score: only its order matters).
    treatment : array_like
        1 for treated, 0 for control, both present.

    Returns
    -------
    x : ndarray
        The number of customers taken, 0 then one per distinct score, ending at all of them.
    y : ndarray
        The curve's height at each, :math:`U(k)`.

    Examples
    --------
    Ten customers, two of whom share the score 0.1 (so the curve steps from 7 to 9):

    >>> y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
    >>> treatment = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> uplift = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]
    >>> x, height = uplift_curve(y, uplift, treatment)
    >>> x.tolist()
    [0, 1, 2, 3, 4, 5, 6, 7, 9, 10]
    >>> height.round(2).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 4.5, 5.25, 5.4, 4.0]
    """
    return _uplift_points(*_inputs(y_true, uplift, treatment, binary_outcome=False))


def qini_curve(y_true: ArrayLike, uplift: ArrayLike, treatment: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r"""The Qini curve (Radcliffe 2007): extra responses among the treated of the top customers.

    With the notation of :func:`uplift_curve`, the Qini curve's height at :math:`k` is

    .. math:: Q(k) = Y_T(k) - Y_C(k)\,\frac{n_T(k)}{n_C(k)},

    the treated responses among the top :math:`k` minus the control responses scaled to the
    treated group's size (0 for the second term while no control customer is among them):
    the incremental responses of the treated customers taken so far. One point per distinct
    score, plus (0, 0), as scikit-uplift's ``qini_curve``. Radcliffe, N. J. (2007), "Using
    control groups to target on predicted lift", *Direct Marketing Analytics Journal* 1.

    Parameters
    ----------
    y_true : array_like
        Each customer's outcome: 0/1, or any numbers.
    uplift : array_like
        Each customer's predicted uplift (only its order matters).
    treatment : array_like
        1 for treated, 0 for control, both present.

    Returns
    -------
    x : ndarray
        The number of customers taken, 0 then one per distinct score.
    y : ndarray
        The curve's height at each, :math:`Q(k)`.

    Examples
    --------
    >>> y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
    >>> treatment = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> uplift = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]
    >>> x, height = qini_curve(y, uplift, treatment)
    >>> height.round(2).tolist()
    [0.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 2.0]
    """
    return _qini_points(*_inputs(y_true, uplift, treatment, binary_outcome=False))


def perfect_uplift_curve(y_true: ArrayLike, treatment: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The uplift curve of a perfect ranking, the ceiling :func:`uplift_auc_score` divides by.

    The ranking puts first the treated responders and the control non-responders (those a
    perfect model would credit to the treatment), then the rest, as scikit-uplift's
    ``perfect_uplift_curve`` does: each customer is scored ``2 * (y == treatment)`` plus
    ``y`` when control responders outnumber treated non-responders, else plus
    ``treatment``, and :func:`uplift_curve` is drawn for that score.

    Parameters
    ----------
    y_true : array_like
        Each customer's 0/1 outcome, both values present.
    treatment : array_like
        1 for treated, 0 for control, both present.

    Returns
    -------
    x, y : ndarray
        The points of the perfect uplift curve, as :func:`uplift_curve` returns them.

    Examples
    --------
    >>> x, height = perfect_uplift_curve([1, 0, 0, 1, 1, 0, 0, 1, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    >>> x.tolist(), height.round(2).tolist()
    ([0, 3, 7, 9, 10], [0.0, 3.0, 7.0, 5.4, 4.0])
    """
    y, _, t = _inputs(y_true, None, treatment, binary_outcome=True)
    return _perfect_uplift_points(y, t)


def perfect_qini_curve(y_true: ArrayLike, treatment: ArrayLike, negative_effect: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The Qini curve of a perfect ranking, the ceiling :func:`qini_auc_score` divides by.

    With ``negative_effect=True`` (the default) the perfect ranking puts the treated
    responders first and the control responders last (score ``y * treatment - y * (1 -
    treatment)``), so the curve rises to its peak and falls back: it allows that the
    treatment can put customers off. With ``negative_effect=False`` the curve rises straight
    to the treated arm's incremental responses and stays there: the points (0, 0), (R, R)
    and (n, R), with :math:`R = Y_T - Y_C\\, n_T / n_C` over everyone. Both exactly as
    scikit-uplift's ``perfect_qini_curve``.

    Parameters
    ----------
    y_true : array_like
        Each customer's 0/1 outcome, both values present.
    treatment : array_like
        1 for treated, 0 for control, both present.
    negative_effect : bool, default True
        Whether the perfect ranking may show customers the treatment put off.

    Returns
    -------
    x, y : ndarray
        The points of the perfect Qini curve.

    Examples
    --------
    >>> y, treatment = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> x, height = perfect_qini_curve(y, treatment)
    >>> x.tolist(), height.round(2).tolist()
    ([0, 3, 9, 10], [0.0, 3.0, 3.0, 2.0])
    >>> x, height = perfect_qini_curve(y, treatment, negative_effect=False)
    >>> x.tolist(), height.round(2).tolist()
    ([0.0, 2.0, 10.0], [0.0, 2.0, 2.0])
    """
    if not isinstance(negative_effect, bool):
        raise TypeError(f"negative_effect should be True or False, got {negative_effect!r}")
    y, _, t = _inputs(y_true, None, treatment, binary_outcome=True)
    return _perfect_qini_points(y, t, negative_effect)


def _area(x: np.ndarray, y: np.ndarray, what: str) -> float:
    """Area under a curve by the trapezoidal rule, with x running one way (as ``sklearn.metrics.auc``)."""
    steps = np.diff(x)
    direction = 1.0
    if np.any(steps < 0):
        if np.all(steps <= 0):
            direction = -1.0
        else:
            raise ValueError(f"the {what} runs back and forth along its x axis ({x.tolist()[:6]}...), so it has no area; "
                             "with negative_effect=False this happens when the treatment lowered the response overall")
    return float(direction * np.trapezoid(y, x))


def _normalised_area(actual: tuple[np.ndarray, np.ndarray], perfect: tuple[np.ndarray, np.ndarray], what: str) -> float:
    x_perfect, y_perfect = perfect
    baseline = _area(np.array([0, x_perfect[-1]]), np.array([0, y_perfect[-1]]), f"random {what}")
    best = _area(x_perfect, y_perfect, f"perfect {what}") - baseline
    if best == 0:
        raise ValueError(f"the perfect {what} has no area above the random one (no customer's response can be credited "
                         "to the treatment), so the score cannot be normalised")
    return (_area(*actual, what) - baseline) / best


def uplift_auc_score(y_true: ArrayLike, uplift: ArrayLike, treatment: ArrayLike) -> float:
    r"""Area under the uplift curve, normalised: 0 for a random ranking, 1 for a perfect one.

    The normalisation is scikit-uplift's: with :math:`A` the area under a curve (trapezoidal
    rule over the points of :func:`uplift_curve`), the random curve the straight line from
    (0, 0) to the curve's end, and the perfect curve :func:`perfect_uplift_curve`,

    .. math:: \text{score} = \frac{A_{\text{model}} - A_{\text{random}}}{A_{\text{perfect}} - A_{\text{random}}}.

    Negative means worse than random. This is *not* causalml's ``auuc_score``, which
    divides each cumulative-gain curve by its own last value and averages it over the
    customers (no perfect curve: a random ranking scores about 0.5 there), nor an
    unnormalised area; numbers from different libraries are not comparable.

    Parameters
    ----------
    y_true : array_like
        Each customer's 0/1 outcome, both values present.
    uplift : array_like
        Each customer's predicted uplift (only its order matters).
    treatment : array_like
        1 for treated, 0 for control, both present.

    Returns
    -------
    float
        The normalised area under the uplift curve.

    Examples
    --------
    >>> y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
    >>> treatment = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> uplift = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]
    >>> round(uplift_auc_score(y, uplift, treatment), 4)
    0.809
    >>> round(uplift_auc_score(y, [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0], treatment), 4)
    0.1427
    """
    y, u, t = _inputs(y_true, uplift, treatment, binary_outcome=True)
    return _normalised_area(_uplift_points(y, u, t), _perfect_uplift_points(y, t), "uplift curve")


def qini_auc_score(y_true: ArrayLike, uplift: ArrayLike, treatment: ArrayLike, negative_effect: bool = True) -> float:
    r"""Area under the Qini curve, normalised: the Qini coefficient, 0 random and 1 perfect.

    As :func:`uplift_auc_score`, with :func:`qini_curve` and :func:`perfect_qini_curve`:

    .. math:: Q = \frac{A_{\text{model}} - A_{\text{random}}}{A_{\text{perfect}} - A_{\text{random}}},

    the random curve being the straight line from (0, 0) to the *perfect* curve's end
    (which is the model curve's end too: everyone taken). This is scikit-uplift's
    ``qini_auc_score``. Radcliffe's (2007) own Qini coefficient divides by the area of the
    perfect curve *without* negative effects (``negative_effect=False`` here); causalml's
    ``qini_score`` is the area between the model's and the random curve averaged per
    customer, not divided by a perfect curve; neither is comparable with this one.

    Parameters
    ----------
    y_true : array_like
        Each customer's 0/1 outcome, both values present.
    uplift : array_like
        Each customer's predicted uplift (only its order matters).
    treatment : array_like
        1 for treated, 0 for control, both present.
    negative_effect : bool, default True
        Which perfect curve to divide by (see :func:`perfect_qini_curve`).

    Returns
    -------
    float
        The Qini coefficient.

    Examples
    --------
    The model's curve reaches the perfect one (the three treated buyers first, the control
    buyer last), so it scores 1; against the perfect curve without negative effects it
    scores more than 1, as in scikit-uplift:

    >>> y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
    >>> treatment = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> uplift = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]
    >>> round(qini_auc_score(y, uplift, treatment), 4)
    1.0
    >>> round(qini_auc_score(y, uplift, treatment, negative_effect=False), 4)
    1.875
    """
    if not isinstance(negative_effect, bool):
        raise TypeError(f"negative_effect should be True or False, got {negative_effect!r}")
    y, u, t = _inputs(y_true, uplift, treatment, binary_outcome=True)
    return _normalised_area(_qini_points(y, u, t), _perfect_qini_points(y, t, negative_effect), "Qini curve")


def uplift_at_k(y_true: ArrayLike, uplift: ArrayLike, treatment: ArrayLike, strategy: str, k: float | int = 0.3) -> float:
    """The difference in response rate, treated minus control, among the top ``k`` customers by predicted uplift.

    Customers are ranked from the highest predicted uplift down; among equal scores the one
    later in the input comes first (scikit-uplift's order: a stable sort, reversed). Then,
    as scikit-uplift's ``uplift_at_k``:

    - ``strategy="overall"``: take the top ``k`` of all customers (``int(n * k)`` of them
      for a share ``k``), and subtract the control customers' mean outcome among them from
      the treated customers';
    - ``strategy="by_group"``: take the top ``k`` of each arm separately (``int(n_T * k)``
      treated and ``int(n_C * k)`` control for a share), and subtract their means.

    Where scikit-uplift returns NaN (no treated, or no control, customer among those taken)
    this raises an error saying so.

    Parameters
    ----------
    y_true : array_like
        Each customer's outcome: 0/1, or any numbers (spend), giving a difference in the
        outcome's unit.
    uplift : array_like
        Each customer's predicted uplift.
    treatment : array_like
        1 for treated, 0 for control, both present.
    strategy : {"overall", "by_group"}
        How the top customers are taken (no default, as in scikit-uplift).
    k : float or int, default 0.3
        A share strictly between 0 and 1, or a whole number of customers (at least 1, fewer
        than all).

    Returns
    -------
    float
        Treated minus control mean outcome among the customers taken.

    Examples
    --------
    The top 6 of 10 hold 4 treated customers (3 bought) and 2 control customers (none
    bought); the top 60% of each arm hold 3 treated (all bought) and 3 control (none):

    >>> y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
    >>> treatment = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> uplift = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]
    >>> uplift_at_k(y, uplift, treatment, strategy="overall", k=0.6)
    0.75
    >>> uplift_at_k(y, uplift, treatment, strategy="by_group", k=0.6)
    1.0
    """
    y, u, t = _inputs(y_true, uplift, treatment, binary_outcome=False)
    if strategy not in ("overall", "by_group"):
        raise ValueError(f"strategy should be 'overall' or 'by_group', got {strategy!r}")
    kind = np.asarray(k).dtype.kind
    n = len(y)
    if kind not in ("i", "f") or np.ndim(k) != 0:
        raise ValueError(f"k should be a share between 0 and 1 or a whole number of customers, got {k!r}")
    if (kind == "i" and not 0 < k < n) or (kind == "f" and not 0 < k < 1):
        raise ValueError(f"k={k!r} should be either a whole number from 1 to {n - 1:,} (fewer than the {n:,} customers) "
                         "or a share strictly between 0 and 1")
    order = np.argsort(u, kind="mergesort")[::-1]
    y, t = y[order], t[order]
    if strategy == "overall":
        size = int(n * k) if kind == "f" else int(k)
        taken_y, taken_t = y[:size], t[:size]
        treated, control = taken_y[taken_t == 1], taken_y[taken_t == 0]
        where = f"the top {size:,} customers"
    else:
        n_control, n_treated = (int((t == 0).sum() * k), int((t == 1).sum() * k)) if kind == "f" else (int(k), int(k))
        for arm, wanted, available in (("control", n_control, (t == 0).sum()), ("treated", n_treated, (t == 1).sum())):
            if wanted > available:
                raise ValueError(f"with k={k!r}, {wanted:,} {arm} customers are wanted but the {arm} arm has {available:,}")
        treated, control = y[t == 1][:n_treated], y[t == 0][:n_control]
        where = f"the top {n_treated:,} treated and {n_control:,} control customers"
    for arm, values in (("treated", treated), ("control", control)):
        if len(values) == 0:
            raise ValueError(f"{where} include no {arm} customer, so their response rate is undefined; take a larger k")
    return float(treated.mean() - control.mean())


# ---- meta-learners --------------------------------------------------------------------------------


def _response(model: object, X: object) -> np.ndarray:
    """A fitted model's prediction of the outcome: the chance of class 1 for a classifier, the value for a regressor."""
    from sklearn.base import is_classifier

    if is_classifier(model):
        classes = list(model.classes_)  # type: ignore[attr-defined]
        if 1 not in classes and True not in classes:
            raise ValueError(f"a classifier was fitted on an arm with no responders (its classes: {classes}); "
                             "its chance of a response cannot be predicted")
        return np.asarray(model.predict_proba(X))[:, classes.index(1)]  # type: ignore[attr-defined]
    return np.asarray(model.predict(X), dtype=float)  # type: ignore[attr-defined]


def _fit_outcome_model(model: object, X: object, y: np.ndarray, arm: str) -> object:
    """Fit one arm's outcome model; a classifier needs both outcomes in the arm to predict a chance."""
    from sklearn.base import is_classifier

    if is_classifier(model) and len(np.unique(y)) < 2:
        raise ValueError(f"the {arm} arm's customers all have the outcome {y[0]:g}, so a classifier cannot learn the "
                         "chance of a response there; use a regressor, or more customers")
    return model.fit(X, y)  # type: ignore[attr-defined]


def _rows(X: object, mask: np.ndarray) -> object:
    return X[mask] if not isinstance(X, pd.DataFrame) else X.loc[mask]


def _training_data(X: object, y: ArrayLike, treatment: ArrayLike) -> tuple[object, np.ndarray, np.ndarray]:
    n = len(X)  # type: ignore[arg-type]
    outcome = _vector(y, "y")
    arms = _vector(treatment, "treatment")
    if not len(outcome) == len(arms) == n:
        raise ValueError(f"X, y and treatment should have one row per customer each; got {n:,}, {len(outcome):,} and {len(arms):,}")
    if np.any(arms < 0) or np.any(arms % 1 != 0):
        raise ValueError("treatment should be 0 for control and 1 (or a whole-number dose: 1, 2, ...) for treated")
    if not (arms == 0).any() or not (arms > 0).any():
        raise ValueError("treatment should hold both control (0) and treated customers; a learner compares the two")
    return (X.reset_index(drop=True) if isinstance(X, pd.DataFrame) else np.asarray(X)), outcome, arms


class TLearner:
    """The T-learner ("two models"): one model of the outcome per arm; uplift is their difference.

    ``fit`` fits a copy of ``estimator`` (``sklearn.base.clone``) on the control customers
    and one on the treated customers; ``predict`` returns, for each customer, the treated
    model's prediction minus the control model's: the predicted change the treatment makes.
    A classifier's prediction is its chance of the outcome (``predict_proba``), so the uplift
    is a change of probability; a regressor's is the outcome itself (purchases, spend).
    Künzel, Sekhon, Bickel and Yu (2019), "Metalearners for estimating heterogeneous
    treatment effects using machine learning", *PNAS* 116(10), 4156-4165; scikit-uplift calls
    it ``TwoModels``.

    With several doses (treatment 0, 1, 2, ...) it fits one model per dose, and ``predict``
    returns one column of uplift per dose, each against dose 0.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Any regressor or binary classifier; it is copied, never fitted itself.
    control_estimator : scikit-learn estimator, optional
        A different estimator for the control arm; ``None`` uses ``estimator`` for both.

    Attributes
    ----------
    models_ : dict
        The fitted model of each arm, keyed by dose (0 for control).
    doses_ : tuple
        The treated doses, in the order of ``predict``'s columns.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 1, size=(2_000, 2))
    >>> treatment = rng.integers(0, 2, 2_000)
    >>> y = X[:, 0] + treatment * (1 + 2 * X[:, 1]) + rng.normal(0, 0.1, 2_000)
    >>> model = TLearner(LinearRegression()).fit(X, y, treatment)
    >>> model.predict(np.array([[0.5, 0.0], [0.5, 1.0]])).round(1)
    array([1., 3.])
    """

    def __init__(self, estimator: object, control_estimator: object = None) -> None:
        self.estimator = estimator
        self.control_estimator = control_estimator

    def fit(self, X: object, y: ArrayLike, treatment: ArrayLike) -> TLearner:
        """Fit one model of the outcome per arm.

        Parameters
        ----------
        X : DataFrame or array
            What is known about each customer before the treatment, one row each.
        y : array_like
            Each customer's outcome (0/1 for a classifier).
        treatment : array_like
            0 for control, 1 for treated (or whole-number doses 1, 2, ...).

        Returns
        -------
        TLearner
            The learner itself, fitted.

        Examples
        --------
        >>> from sklearn.linear_model import LinearRegression
        >>> model = TLearner(LinearRegression()).fit([[0], [1], [0], [1]], [1.0, 2.0, 2.0, 4.0], [0, 0, 1, 1])
        >>> sorted(model.models_)
        [0.0, 1.0]
        """
        from sklearn.base import clone

        X, outcome, arms = _training_data(X, y, treatment)
        self.models_ = {}
        for dose in np.unique(arms):
            template = self.control_estimator if dose == 0 and self.control_estimator is not None else self.estimator
            mask = arms == dose
            self.models_[float(dose)] = _fit_outcome_model(clone(template), _rows(X, mask), outcome[mask], f"dose {dose:g}")
        self.doses_ = tuple(dose for dose in self.models_ if dose != 0)
        return self

    def predict(self, X: object) -> np.ndarray:
        """Predicted uplift of each customer: the treated arm's model minus the control's.

        Parameters
        ----------
        X : DataFrame or array
            Customers to predict for, with the columns the learner was fitted on.

        Returns
        -------
        ndarray
            One uplift per customer (shape ``(n,)``) for a single treatment; with several
            doses, one column per dose of ``doses_`` (shape ``(n, len(doses_))``).

        Examples
        --------
        >>> from sklearn.linear_model import LinearRegression
        >>> model = TLearner(LinearRegression()).fit([[0], [1], [0], [1]], [1.0, 2.0, 2.0, 4.0], [0, 0, 1, 1])
        >>> model.predict([[0], [1]]).round(2)
        array([1., 2.])
        """
        if not hasattr(self, "models_"):
            raise ValueError("this TLearner is not fitted yet: call fit(X, y, treatment) first")
        control = _response(self.models_[0.0], X)
        uplift = np.column_stack([_response(self.models_[dose], X) - control for dose in self.doses_])
        return uplift[:, 0] if len(self.doses_) == 1 else uplift


class XLearner:
    r"""The X-learner: impute each customer's own effect from the other arm's model, then model it.

    Künzel et al. (2019), for a treated and a control arm:

    1. fit a model of the outcome in each arm, :math:`\mu_0` and :math:`\mu_1`, with copies
       of ``estimator`` (as :class:`TLearner`);
    2. impute each customer's effect: :math:`D_i = Y_i - \mu_0(x_i)` for the treated,
       :math:`D_i = \mu_1(x_i) - Y_i` for the control customers;
    3. fit a model of those effects in each arm, :math:`\tau_1` and :math:`\tau_0`, with
       copies of ``effect_estimator`` (a regressor: effects are numbers);
    4. predict :math:`\tau(x) = g\,\tau_0(x) + (1 - g)\,\tau_1(x)`, where :math:`g` is the
       share of customers treated in the training data (the propensity, the same for
       everyone in a randomised experiment).

    When one arm is much smaller, the effect model fitted on the larger arm's imputed
    effects gets most of the weight, which is where the X-learner beats the T-learner.

    Parameters
    ----------
    estimator : scikit-learn estimator
        The outcome models' estimator: any regressor or binary classifier.
    effect_estimator : scikit-learn regressor, optional
        The effect models' estimator; ``None`` uses ``estimator``, which must then be a
        regressor.

    Attributes
    ----------
    outcome_models_ : dict
        :math:`\mu_0` and :math:`\mu_1`, keyed 0 and 1.
    effect_models_ : dict
        :math:`\tau_0` and :math:`\tau_1`, keyed 0 and 1.
    propensity_ : float
        :math:`g`, the share of treated customers in the training data.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 1, size=(2_000, 2))
    >>> treatment = (rng.uniform(size=2_000) < 0.2).astype(int)     # a small treated arm
    >>> y = X[:, 0] + treatment * (1 + 2 * X[:, 1]) + rng.normal(0, 0.1, 2_000)
    >>> model = XLearner(LinearRegression()).fit(X, y, treatment)
    >>> model.predict(np.array([[0.5, 0.0], [0.5, 1.0]])).round(1)
    array([1., 3.])
    """

    def __init__(self, estimator: object, effect_estimator: object = None) -> None:
        self.estimator = estimator
        self.effect_estimator = effect_estimator

    def fit(self, X: object, y: ArrayLike, treatment: ArrayLike) -> XLearner:
        """Fit the outcome models, impute the effects, and fit the effect models.

        Parameters
        ----------
        X : DataFrame or array
            What is known about each customer before the treatment, one row each.
        y : array_like
            Each customer's outcome (0/1 for a classifier).
        treatment : array_like
            1 for treated, 0 for control.

        Returns
        -------
        XLearner
            The learner itself, fitted.

        Examples
        --------
        >>> from sklearn.linear_model import LinearRegression
        >>> model = XLearner(LinearRegression()).fit([[0], [1], [0], [1], [2]], [1.0, 2.0, 2.0, 4.0, 3.0], [0, 0, 1, 1, 0])
        >>> model.propensity_
        0.4
        """
        from sklearn.base import clone, is_regressor

        effect_template = self.effect_estimator if self.effect_estimator is not None else self.estimator
        if not is_regressor(effect_template):
            raise ValueError("the X-learner models imputed effects, which are numbers, so it needs a regressor for them: "
                             f"pass effect_estimator= (for example sklearn's GradientBoostingRegressor()); got {effect_template!r}")
        X, outcome, arms = _training_data(X, y, treatment)
        if set(np.unique(arms)) != {0.0, 1.0}:
            raise ValueError("the X-learner compares one treatment with control: treatment should hold 0 and 1 only "
                             "(for several doses use TLearner, or one XLearner per dose against dose 0)")
        treated = arms == 1
        self.outcome_models_ = {arm: _fit_outcome_model(clone(self.estimator), _rows(X, arms == arm), outcome[arms == arm],
                                                    "control" if arm == 0 else "treated") for arm in (0, 1)}
        imputed = {1: outcome[treated] - _response(self.outcome_models_[0], _rows(X, treated)),
                   0: _response(self.outcome_models_[1], _rows(X, ~treated)) - outcome[~treated]}
        self.effect_models_ = {arm: clone(effect_template).fit(_rows(X, treated if arm == 1 else ~treated), imputed[arm])
                               for arm in (0, 1)}
        self.propensity_ = float(treated.mean())
        return self

    def predict(self, X: object) -> np.ndarray:
        """Predicted uplift of each customer: the two effect models, weighted by the propensity.

        Parameters
        ----------
        X : DataFrame or array
            Customers to predict for, with the columns the learner was fitted on.

        Returns
        -------
        ndarray
            One uplift per customer.

        Examples
        --------
        >>> from sklearn.linear_model import LinearRegression
        >>> model = XLearner(LinearRegression()).fit([[0], [1], [0], [1], [2]], [1.0, 2.0, 2.0, 4.0, 3.0], [0, 0, 1, 1, 0])
        >>> model.predict([[0], [1]]).round(2)
        array([1., 2.])
        """
        if not hasattr(self, "effect_models_"):
            raise ValueError("this XLearner is not fitted yet: call fit(X, y, treatment) first")
        g = self.propensity_
        tau0 = np.asarray(self.effect_models_[0].predict(X), dtype=float)  # type: ignore[attr-defined]
        tau1 = np.asarray(self.effect_models_[1].predict(X), dtype=float)  # type: ignore[attr-defined]
        return g * tau0 + (1 - g) * tau1


# ---- prescription ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prescription:
    """Who to treat at which dose, and what each policy is expected to return (made by :func:`prescribe`).

    Attributes
    ----------
    customers : DataFrame
        One row per customer: ``dose`` (0 = do not treat), ``expected_uplift`` (in the
        outcome's unit, at that dose), ``expected_value``, ``cost`` and ``expected_return``
        (value minus cost, US dollars).
    policies : DataFrame
        One row per policy: ``"prescription"``, ``"treat no one"`` and ``"treat everyone at
        dose d"`` for each dose, with ``treated`` (customers), ``expected_value``, ``cost``,
        ``expected_return`` (totals, US dollars) and ``return_per_customer``.

    Examples
    --------
    >>> plan = prescribe(pd.Series([0.5, 0.0]), value=20.0, cost=3.0)
    >>> plan.customers["dose"].tolist()
    [1, 0]
    """

    customers: pd.DataFrame
    policies: pd.DataFrame


def _costs(cost: float | Mapping | pd.Series, doses: list) -> np.ndarray:
    if isinstance(cost, (Mapping, pd.Series)):
        table = dict(cost)
        missing = [dose for dose in doses if dose not in table]
        if missing:
            raise ValueError(f"cost names no cost for dose {missing[0]!r}; expected a cost for each of the doses {doses}")
        values = np.array([float(table[dose]) for dose in doses])
    else:
        if isinstance(cost, bool) or not isinstance(cost, (int, float, np.integer, np.floating)):
            raise TypeError(f"cost should be a number (the cost of one unit of dose) or a mapping from dose to cost, got {cost!r}")
        values = float(cost) * np.asarray(doses, dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"costs should be numbers of at least 0 (US dollars per customer), got {values.tolist()}")
    return values


def prescribe(uplift: pd.DataFrame | pd.Series, value: float | pd.Series,
              cost: float | Mapping | pd.Series) -> Prescription:
    r"""Who to treat, and at which dose: the dose that earns most, net of its cost, for each customer.

    For customer :math:`i` and dose :math:`d`, the expected return of treating them is

    .. math:: R_{id} = \hat\tau_{id}\, v_i - c_d,

    the predicted uplift (extra units of outcome, against dose 0) times the value of a unit
    of outcome for that customer, minus the cost of the dose. Each customer gets the dose
    with the largest :math:`R_{id}`, or none (dose 0, return 0) when no dose returns more
    than it costs; on a tie, the smaller dose. The value of a unit comes from Module 1: for
    an uplift in purchases, the margin of one purchase,
    ``clv.GammaGamma.expected_spend(summary) * margin``; for an uplift in the chance of
    staying, the customer's lifetime value, ``clv.customer_lifetime_value(...)``.

    The policies compared (``Prescription.policies``) are all valued with the same predicted
    uplift: the prescription, treating no one (0), and treating everyone at each dose. They
    are the model's expectations; check them on a held-out experiment (the uplift curve of
    the same predictions, :func:`uplift_curve`) before believing them.

    Parameters
    ----------
    uplift : DataFrame or Series
        Predicted uplift per customer (rows) and dose (columns: the doses, such as 1, 2, 3),
        each against dose 0, in units of the outcome (purchases, conversions...). A Series
        is one treatment, dose 1.
    value : float or Series
        The value of one unit of outcome, US dollars: one number for everyone, or a Series
        indexed like ``uplift``.
    cost : float, mapping or Series
        The cost of treating one customer: a number is the cost of one unit of dose (dose
        :math:`d` costs :math:`d` times it); a mapping (or Series) gives the cost of each dose.

    Returns
    -------
    Prescription
        ``customers`` (the dose for each and its expected return) and ``policies`` (the
        prescription against treating no one and everyone).

    Examples
    --------
    Three customers, doses 1 and 2 costing $2 and $3.50, a purchase worth $12 of margin:

    >>> import pandas as pd
    >>> uplift = pd.DataFrame({1: [0.30, 0.10, 0.05], 2: [0.45, 0.12, -0.02]}, index=[101, 102, 103])
    >>> plan = prescribe(uplift, value=12.0, cost={1: 2.0, 2: 3.5})
    >>> plan.customers[["dose", "expected_return"]].round(2)
         dose  expected_return
    101     2              1.9
    102     0              0.0
    103     0              0.0
    >>> plan.policies["expected_return"].round(2)
    policy
    prescription                1.9
    treat no one                0.0
    treat everyone at dose 1   -0.6
    treat everyone at dose 2   -3.9
    Name: expected_return, dtype: float64
    """
    table = uplift.to_frame(name=1) if isinstance(uplift, pd.Series) else uplift
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"uplift should be a DataFrame (customers by dose) or a Series (one treatment), got {type(uplift).__name__}")
    if table.shape[0] == 0 or table.shape[1] == 0:
        raise ValueError(f"uplift should have at least one customer and one dose, got shape {table.shape}")
    doses = list(table.columns)
    if any(isinstance(dose, bool) or not isinstance(dose, (int, float, np.integer, np.floating)) or dose <= 0
           for dose in doses):
        raise ValueError(f"uplift's columns should be the doses, numbers above 0 (dose 0 is not treating); got {doses}")
    predicted = table.to_numpy(dtype=float)
    if not np.all(np.isfinite(predicted)):
        raise ValueError("uplift has missing or infinite values; expected a predicted uplift for every customer and dose")
    if isinstance(value, pd.Series):
        if not value.index.equals(table.index):
            raise ValueError("value should be indexed like uplift (the same customers in the same order); "
                             "align it first, for example value.reindex(uplift.index)")
        worth = value.to_numpy(dtype=float)
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"value should be a number or a Series indexed like uplift, got {value!r}")
        worth = np.full(len(table), float(value))
    if not np.all(np.isfinite(worth)) or np.any(worth < 0):
        raise ValueError("value should hold numbers of at least 0 (US dollars per unit of outcome)")
    costs = _costs(cost, doses)
    gains = predicted * worth[:, None]
    returns = gains - costs[None, :]
    # Dose 0 first, then the doses in ascending order, so a tie goes to the cheaper, smaller dose.
    order = np.argsort(np.asarray(doses, dtype=float), kind="stable")
    candidates = np.column_stack([np.zeros(len(table)), returns[:, order]])
    best = np.argmax(candidates, axis=1)
    chosen = np.where(best > 0, order[np.maximum(best - 1, 0)], -1)
    rows = np.arange(len(table))
    treated = chosen >= 0
    customers = pd.DataFrame({
        "dose": np.where(treated, np.asarray(doses)[np.maximum(chosen, 0)], 0),
        "expected_uplift": np.where(treated, predicted[rows, np.maximum(chosen, 0)], 0.0),
        "expected_value": np.where(treated, gains[rows, np.maximum(chosen, 0)], 0.0),
        "cost": np.where(treated, costs[np.maximum(chosen, 0)], 0.0),
    }, index=table.index)
    customers["expected_return"] = customers["expected_value"] - customers["cost"]
    policies = [("prescription", int(treated.sum()), customers["expected_value"].sum(), customers["cost"].sum()),
                ("treat no one", 0, 0.0, 0.0)]
    for column, dose in enumerate(doses):
        policies.append((f"treat everyone at dose {dose}", len(table), gains[:, column].sum(), costs[column] * len(table)))
    summary = pd.DataFrame(policies, columns=["policy", "treated", "expected_value", "cost"]).set_index("policy")
    summary["expected_return"] = summary["expected_value"] - summary["cost"]
    summary["return_per_customer"] = summary["expected_return"] / len(table)
    return Prescription(customers, summary)
