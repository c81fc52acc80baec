"""How sure is an estimate? Confidence intervals for the numbers a decision rests on.

Every estimate of the course comes with an interval: a range of values that, computed the
same way on many samples, would hold the true value in 95% of them (for the default
``confidence=0.95``). This module computes them with the library made for the job, and
returns them one way:

- :func:`proportion`: a share of successes, such as a retention rate: the Wilson interval
  (``scipy.stats.binomtest``), which stays inside [0, 1] even for small samples;
- :func:`bootstrap`: any statistic of a sample, such as a total CLV or the gap between two
  policies: resample the rows (customers) with replacement, recompute the statistic each
  time, and read off the percentiles (``scipy.stats.bootstrap``).

>>> retained = proportion(4_865, 5_973)
>>> print(retained)
0.814 (95% interval 0.804 to 0.824)
>>> retained.lower < retained.estimate < retained.upper
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Interval", "proportion", "bootstrap"]


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval.

    Attributes
    ----------
    estimate : float
        The value computed on the data itself.
    lower, upper : float
        The ends of the interval.
    confidence : float
        The share of samples whose interval would hold the true value, 0.95 by default.

    Examples
    --------
    >>> interval = Interval(0.5, 0.4, 0.6, 0.95)
    >>> interval.contains(0.55), interval.width
    (True, 0.2)
    """

    estimate: float
    lower: float
    upper: float
    confidence: float = 0.95

    def __str__(self) -> str:
        return self.format(".3f")

    def format(self, spec: str = ".3f") -> str:
        """The interval as text, such as ``0.815 (95% interval 0.804 to 0.824)``.

        Parameters
        ----------
        spec : str
            A format specification for the numbers, such as ``".1%"`` or ``",.0f"``.

        Returns
        -------
        str
            The estimate, then the interval in brackets.

        Examples
        --------
        >>> Interval(0.2, 0.15, 0.26).format(".0%")
        '20% (95% interval 15% to 26%)'
        """
        return (f"{self.estimate:{spec}} ({self.confidence:.0%} interval "
                f"{self.lower:{spec}} to {self.upper:{spec}})")

    @property
    def width(self) -> float:
        """``upper - lower``: how much the data leave open."""
        return round(self.upper - self.lower, 12)

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval (ends included).

        Parameters
        ----------
        value : float
            A value to check, such as a truth known from the data world.

        Returns
        -------
        bool
            True when ``lower <= value <= upper``.

        Examples
        --------
        >>> Interval(0.5, 0.4, 0.6).contains(0.7)
        False
        """
        return bool(self.lower <= value <= self.upper)


def _confidence(confidence: float) -> float:
    if isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(f"confidence should be a share between 0 and 1 (for example 0.95), got {confidence!r}")
    return float(confidence)


def proportion(successes: int, trials: int, confidence: float = 0.95) -> Interval:
    """A share of successes with its Wilson interval (Wilson 1927).

    The Wilson interval comes from inverting the test of a proportion; unlike the textbook
    "estimate plus or minus 1.96 standard errors" (the Wald interval), it never leaves
    [0, 1] and holds the truth about as often as it claims even for small samples.

    Parameters
    ----------
    successes : int
        How many of the trials succeeded (customers retained, tickets resolved...).
    trials : int
        How many there were, at least 1.
    confidence : float
        The interval's level, 0.95 by default.

    Returns
    -------
    Interval
        The share ``successes / trials`` and its interval.

    Examples
    --------
    >>> print(proportion(3, 4))
    0.750 (95% interval 0.301 to 0.954)
    >>> proportion(0, 10).lower
    0.0
    """
    from scipy import stats

    for name, value in (("successes", successes), ("trials", trials)):
        if isinstance(value, bool) or not float(value).is_integer() or value < 0:
            raise ValueError(f"{name} should be a whole number of at least 0, got {value!r}")
    if trials < 1 or successes > trials:
        raise ValueError(f"trials should be at least 1 and at least successes; got {successes!r} of {trials!r}")
    level = _confidence(confidence)
    ci = stats.binomtest(int(successes), int(trials)).proportion_ci(confidence_level=level, method="wilson")
    return Interval(successes / trials, float(ci.low), float(ci.high), level)


def bootstrap(data: ArrayLike, statistic: Callable[[np.ndarray], float], confidence: float = 0.95,
              n_resamples: int = 2_000, seed: int = 0) -> Interval:
    """A statistic of a sample, with a percentile bootstrap interval (Efron 1979).

    The rows of ``data`` (one per customer, say) are drawn with replacement
    ``n_resamples`` times, the statistic is recomputed on each resample, and the interval
    runs between the percentiles that leave ``(1 - confidence) / 2`` of the resampled
    values on each side. Computed by ``scipy.stats.bootstrap`` (``method="percentile"``).

    Parameters
    ----------
    data : array
        One row per unit resampled: a 1-d array of values, or a 2-d array whose rows are
        units and whose columns are what the statistic needs.
    statistic : callable
        Takes an array shaped like ``data`` and returns one number.
    confidence : float
        The interval's level, 0.95 by default.
    n_resamples : int
        How many resamples; 2,000 is plenty for a 95% interval.
    seed : int
        Seed of the random resampling, so the interval is the same every run.

    Returns
    -------
    Interval
        ``statistic(data)`` and its interval.

    Examples
    --------
    >>> spend = [12.0, 30.0, 8.0, 55.0, 21.0, 17.0, 40.0, 9.0]
    >>> interval = bootstrap(spend, np.mean)
    >>> round(interval.estimate, 2), interval.lower < 24.0 < interval.upper
    (24.0, True)
    """
    from scipy import stats

    values = np.asarray(data, dtype=float)
    if values.ndim not in (1, 2) or len(values) < 2:
        raise ValueError(f"data should hold at least 2 rows (1-d or 2-d), got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("data should hold finite numbers only (no NaN or infinity)")
    level = _confidence(confidence)
    indices = np.arange(len(values))
    result = stats.bootstrap((indices,), lambda rows: statistic(values[rows]), confidence_level=level,
                             n_resamples=int(n_resamples), method="percentile", vectorized=False,
                             rng=np.random.default_rng(seed))
    return Interval(float(statistic(values)), float(result.confidence_interval.low),
                    float(result.confidence_interval.high), level)
