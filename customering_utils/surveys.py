"""What customers say: satisfaction (CSAT), effort (CES) and loyalty (NPS), each with its uncertainty.

Three surveys, three scales, as in the data world's ``surveys`` table:

- **CSAT** (customer satisfaction), asked after a ticket: "How satisfied were you?" on a
  1-5 scale (5 = very satisfied). :func:`csat` is the share of answers of 4 or 5 (the
  "top two boxes").
- **CES** (customer effort score), asked after a ticket: how easy it was to get the issue
  handled, on a 1-7 scale (7 = easiest). :func:`ces` is the share of "easy" answers, 5 to 7
  (the top three boxes, the agreeing side of a seven-point scale).
- **NPS** (Net Promoter Score), asked each quarter: "How likely are you to recommend us?"
  on a 0-10 scale. Promoters answer 9 or 10, detractors 0 to 6, passives 7 or 8, and
  :func:`nps` is the percentage of promoters minus the percentage of detractors, from -100
  (all detractors) to 100 (all promoters).

Every score comes with an interval, because a score from 40 answers and a score from 4,000
are not equally sure. And a league table of agents needs care: an agent with 5 tickets
can top it by luck. :func:`funnel_limits` draws the range that chance alone allows around a
target rate, for groups of each size (a funnel plot), and :func:`shrunken_rates` pulls each
group's rate towards the overall rate, the more so the fewer its answers
(empirical-Bayes shrinkage).

>>> print(nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 5]))
20.0 (95% interval -30.3 to 61.1)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

from . import intervals
from .tables import _raise_if, require_columns

__all__ = ["SCALES", "csat", "ces", "ScoreInterval", "nps", "nps_difference", "funnel_limits", "shrunken_rates"]

#: The answer scale of each survey in the data world: (lowest, highest) answer.
SCALES: dict[str, tuple[int, int]] = {"CSAT": (1, 5), "CES": (1, 7), "NPS": (0, 10)}

#: Rocks's (2016) pseudo-answers for the adjusted Wald interval: detractors, passives, promoters.
NPS_PSEUDO_ANSWERS = (0.75, 1.5, 0.75)


def csat(surveys: pd.DataFrame, by: str | Sequence[str] | None = None, confidence: float = 0.95,
         satisfied_from: int = 4) -> pd.DataFrame:
    """Customer satisfaction: the share of CSAT answers of 4 or 5 (satisfied), by group, with Wilson intervals.

    CSAT is asked on a 1-5 scale (5 = very satisfied). The score is the share of answers
    of ``satisfied_from`` or more (4 and 5 by default: the "top two boxes"), out of all
    answers of the group; its interval is Wilson's
    (:func:`customering_utils.intervals.proportion`).

    If the table has a ``survey`` column, as the data world's ``surveys`` has, only its
    rows with ``survey == "CSAT"`` are used; otherwise every row is a CSAT answer.

    Parameters
    ----------
    surveys : DataFrame
        One row per answer, with a column ``score`` (whole numbers from 1 to 5), optionally
        ``survey``, and the columns named in ``by``.
    by : str or list of str, optional
        The column (or columns) whose values form the groups, such as ``"agent"`` (after
        joining the answers to their tickets); ``None`` (the default) gives one row for all.
    confidence : float, default 0.95
        The level of the intervals.
    satisfied_from : int, default 4
        The lowest answer that counts as satisfied, from 1 to 5.

    Returns
    -------
    DataFrame
        One row per group (indexed by the ``by`` columns; by ``"all"`` when ``by`` is
        None) with ``answers`` and ``satisfied`` (counts), ``csat`` (the share, 0 to 1),
        ``csat_lower`` and ``csat_upper``.

    Examples
    --------
    Six answers, four of them 4 or 5:

    >>> import pandas as pd
    >>> answers = pd.DataFrame({"survey": ["CSAT"] * 6 + ["NPS"], "score": [5, 4, 4, 2, 5, 3, 9]})
    >>> csat(answers).round(3)
           answers  satisfied   csat  csat_lower  csat_upper
    group
    all          6          4  0.667         0.3       0.903
    """
    return _top_box(surveys, "CSAT", by, confidence, satisfied_from, "satisfied", "csat")


def ces(surveys: pd.DataFrame, by: str | Sequence[str] | None = None, confidence: float = 0.95,
        easy_from: int = 5) -> pd.DataFrame:
    """Customer effort: the share of CES answers of 5 to 7 (easy), by group, with Wilson intervals.

    The data world asks CES on a 1-7 scale (7 = easiest), like the agreement scale of
    "The company made it easy for me to handle my issue". The score is the share of
    answers of ``easy_from`` or more (5, 6 and 7 by default: the agreeing side of the
    scale), out of all answers of the group, with its Wilson interval
    (:func:`customering_utils.intervals.proportion`). A higher share is better.

    If the table has a ``survey`` column, only its rows with ``survey == "CES"`` are used;
    otherwise every row is a CES answer.

    Parameters
    ----------
    surveys : DataFrame
        One row per answer, with a column ``score`` (whole numbers from 1 to 7), optionally
        ``survey``, and the columns named in ``by``.
    by : str or list of str, optional
        The column (or columns) whose values form the groups; ``None`` (the default)
        gives one row for all.
    confidence : float, default 0.95
        The level of the intervals.
    easy_from : int, default 5
        The lowest answer that counts as easy, from 1 to 7.

    Returns
    -------
    DataFrame
        One row per group (indexed by the ``by`` columns; by ``"all"`` when ``by`` is
        None) with ``answers`` and ``easy`` (counts), ``ces`` (the share, 0 to 1),
        ``ces_lower`` and ``ces_upper``.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"channel": ["chat", "chat", "chat", "email", "email"], "score": [7, 6, 2, 5, 3]})
    >>> ces(answers, by="channel")[["answers", "easy", "ces"]]
             answers  easy       ces
    channel
    chat           3     2  0.666667
    email          2     1  0.500000
    """
    return _top_box(surveys, "CES", by, confidence, easy_from, "easy", "ces")


def _top_box(surveys: pd.DataFrame, survey: str, by: str | Sequence[str] | None, confidence: float, cut: int,
             count: str, share: str) -> pd.DataFrame:
    """The share of ``survey`` answers of at least ``cut``, by group, with Wilson intervals (see :func:`csat`)."""
    low, high = SCALES[survey]
    if isinstance(cut, bool) or not float(cut).is_integer() or not low <= cut <= high:
        raise ValueError(f"the lowest {count} answer should be a whole number from {low} to {high} "
                         f"(the {survey} scale), got {cut!r}")
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    level = intervals._confidence(confidence)
    require_columns(surveys, ["score", *keys], table="surveys")
    data = surveys if all(column in surveys.columns for column in ["score", *keys]) else surveys.reset_index()
    if "survey" in data.columns:
        data = data[data["survey"].eq(survey).fillna(False).astype(bool)]
    data = data[list(dict.fromkeys([*keys, "score"]))].copy()
    if len(data) == 0:
        raise ValueError(f"surveys has no {survey} answers (0 rows); expected at least one")
    scores = pd.to_numeric(data["score"], errors="coerce")
    _raise_if(scores.isna() | (scores % 1 != 0) | (scores < low) | (scores > high), data["score"],
              f"surveys column 'score' has {{count}} {{values}} off the {survey} scale (first: {{value!r}} at {{where}}); "
              f"expected whole numbers from {low} to {high}")
    for key in keys:
        _raise_if(data[key].isna(), data[key],
                  f"surveys column {key!r} has {{count}} missing {{values}} (first at {{where}}); expected a group on every row")
    data[count] = scores >= cut
    groups = data.groupby(keys or pd.Series("all", index=data.index, name="group"), sort=True, observed=True)
    table = groups.agg(answers=(count, "size"), **{count: (count, "sum")}).astype("int64")
    found = [intervals.proportion(int(k), int(n), level) for k, n in zip(table[count], table["answers"], strict=True)]
    table[share] = [interval.estimate for interval in found]
    table[f"{share}_lower"] = [interval.lower for interval in found]
    table[f"{share}_upper"] = [interval.upper for interval in found]
    table.attrs = {"survey": survey, "scale": (low, high), f"{count}_from": int(cut), "confidence": level}
    return table


@dataclass(frozen=True)
class ScoreInterval(intervals.Interval):
    """A Net Promoter Score (or a difference of two) with its standard error and confidence interval.

    An :class:`customering_utils.intervals.Interval` on the NPS scale (-100 to 100; -200 to
    200 for a difference) that also carries the standard error, so it prints, formats and
    checks a value the same way.

    Attributes
    ----------
    estimate : float
        The score computed on the answers themselves.
    lower, upper : float
        The ends of the interval.
    confidence : float
        The interval's level, 0.95 by default.
    standard_error : float
        The standard error of the estimate, in NPS points.

    Examples
    --------
    >>> score = ScoreInterval(20.0, -30.3, 61.1, 0.95, standard_error=27.6)
    >>> print(score)
    20.0 (95% interval -30.3 to 61.1)
    >>> score.contains(0), score.width
    (True, 91.4)
    """

    standard_error: float = float("nan")

    def __str__(self) -> str:
        return self.format(".1f")


def nps(scores: ArrayLike, confidence: float = 0.95) -> ScoreInterval:
    """The Net Promoter Score of raw 0-10 answers, with its standard error and an interval inside [-100, 100].

    With ``n`` answers, a share ``p_P`` of promoters (9 or 10) and ``p_D`` of detractors
    (0 to 6), the score is ``NPS = 100 * (p_P - p_D)``. Its standard error follows from the
    variance of a difference of two shares of the same multinomial sample,

    .. math:: \\mathrm{SE} = 100 \\sqrt{\\frac{p_P + p_D - (p_P - p_D)^2}{n}}.

    The interval is Rocks's (2016) adjusted Wald interval ("Interval estimation for the
    'Net Promoter Score'", The American Statistician 70(4)): add three-quarters of a
    promoter, three-quarters of a detractor and one and a half passives (three answers in
    all) to the counts, then take the shares' difference plus or minus ``z`` standard
    errors computed from the adjusted counts. Rocks found it held the true score about as
    often as it claims, for small samples too, where the plain estimate-plus-or-minus
    interval (Wald) fails badly at extreme shares (with 10 answers, all promoters, the Wald
    interval is the single point 100). Its ends are cut to [-100, 100], and, should the
    pseudo-answers pull the interval off the observed score (which happens only with one
    or two answers), it is widened to include it.

    Parameters
    ----------
    scores : array_like
        The answers: whole numbers from 0 to 10, one per respondent (a list, array or
        Series), such as ``surveys.loc[surveys["survey"] == "NPS", "score"]``.
    confidence : float, default 0.95
        The interval's level.

    Returns
    -------
    ScoreInterval
        The score (-100 to 100), its interval and its standard error, in NPS points.

    Examples
    --------
    Five promoters, two passives, three detractors: NPS = 50 - 30 = 20.

    >>> score = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 5])
    >>> score.estimate, round(score.standard_error, 1)
    (20.0, 27.6)
    >>> print(score)  # ten answers leave the score wide open
    20.0 (95% interval -30.3 to 61.1)
    """
    promoters, detractors, n = _nps_counts(scores, "scores")
    level = intervals._confidence(confidence)
    z = float(special.ndtri(0.5 + level / 2))  # the normal quantile, 1.96 for 95%
    p, d = promoters / n, detractors / n
    estimate = p - d
    standard_error = math.sqrt((p + d - estimate**2) / n)
    centre, variance = _adjusted_wald(promoters, detractors, n)
    lower = min(max(centre - z * math.sqrt(variance), -1.0), estimate)
    upper = max(min(centre + z * math.sqrt(variance), 1.0), estimate)
    return ScoreInterval(100 * estimate, 100 * lower, 100 * upper, level, standard_error=100 * standard_error)


def nps_difference(scores_a: ArrayLike, scores_b: ArrayLike, confidence: float = 0.95) -> ScoreInterval:
    """The difference of two Net Promoter Scores from independent samples (``a`` minus ``b``), with its interval.

    The estimate is ``NPS_a - NPS_b`` (from -200 to 200); its standard error is the square
    root of the sum of the two squared standard errors of :func:`nps` (the samples are
    independent, such as two quarters, or customers after resolved and unresolved tickets).
    The interval adds Rocks's (2016) pseudo-answers (three-quarters of a promoter and of a
    detractor, one and a half passives) to each sample, as :func:`nps` does, and takes the
    adjusted difference plus or minus ``z`` adjusted standard errors: the approach of
    Agresti and Caffo (2000) for a difference of two proportions, carried over to net
    scores. Its ends are cut to [-200, 200] and it always includes the observed difference.

    Parameters
    ----------
    scores_a, scores_b : array_like
        The two samples' answers: whole numbers from 0 to 10.
    confidence : float, default 0.95
        The interval's level.

    Returns
    -------
    ScoreInterval
        ``NPS_a - NPS_b`` in NPS points, its interval and its standard error.

    Examples
    --------
    >>> after_resolved = [10, 9, 9, 8, 7, 9, 10, 6, 9, 8]    # NPS 60 - 10 = 50
    >>> after_unresolved = [6, 3, 9, 7, 5, 8, 2, 10, 6, 4]   # NPS 20 - 60 = -40
    >>> print(nps_difference(after_resolved, after_unresolved))
    90.0 (95% interval 11.1 to 127.3)
    """
    counts_a = _nps_counts(scores_a, "scores_a")
    counts_b = _nps_counts(scores_b, "scores_b")
    level = intervals._confidence(confidence)
    z = float(special.ndtri(0.5 + level / 2))  # the normal quantile, 1.96 for 95%
    estimates, variances = [], []
    for promoters, detractors, n in (counts_a, counts_b):
        p, d = promoters / n, detractors / n
        estimates.append(p - d)
        variances.append((p + d - (p - d) ** 2) / n)
    estimate = estimates[0] - estimates[1]
    centre_a, variance_a = _adjusted_wald(*counts_a)
    centre_b, variance_b = _adjusted_wald(*counts_b)
    half_width = z * math.sqrt(variance_a + variance_b)
    lower = min(max(centre_a - centre_b - half_width, -2.0), estimate)
    upper = max(min(centre_a - centre_b + half_width, 2.0), estimate)
    return ScoreInterval(100 * estimate, 100 * lower, 100 * upper, level,
                         standard_error=100 * math.sqrt(variances[0] + variances[1]))


def _adjusted_wald(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """Net score (-1 to 1) and its variance after adding Rocks's pseudo-answers to the counts."""
    extra_detractors, extra_passives, extra_promoters = NPS_PSEUDO_ANSWERS
    total = n + extra_detractors + extra_passives + extra_promoters
    p = (promoters + extra_promoters) / total
    d = (detractors + extra_detractors) / total
    return p - d, (p + d - (p - d) ** 2) / total


def _nps_counts(scores: ArrayLike, name: str) -> tuple[int, int, int]:
    """Promoters, detractors and answers among 0-10 ``scores``, or an error naming ``name`` and the problem."""
    if isinstance(scores, pd.DataFrame):
        raise TypeError(f"{name} should be one answer per respondent (a list, array or Series), got a DataFrame; "
                        "pick its column, such as surveys['score']")
    values = scores.to_numpy() if isinstance(scores, pd.Series) else np.asarray(scores).ravel()
    if len(values) == 0:
        raise ValueError(f"{name} is empty; expected at least one answer from 0 to 10")
    if np.issubdtype(values.dtype, np.bool_):
        raise ValueError(f"{name} holds True/False; expected NPS answers, whole numbers from 0 to 10")
    if np.issubdtype(values.dtype, np.number):
        numbers = values.astype(float)
    else:  # text, or a mix: numbers written as text count, anything else is reported below
        numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = np.isnan(numbers) | (numbers % 1 != 0) | (numbers < 0) | (numbers > 10)
    if bad.any():
        index = scores.index if isinstance(scores, pd.Series) else pd.RangeIndex(len(values))
        _raise_if(pd.Series(bad, index=index), pd.Series(values, index=index),
                  f"{name} has {{count}} {{values}} off the NPS scale (first: {{value!r}} at {{where}}); "
                  "expected whole numbers from 0 to 10")
    return int((numbers >= 9).sum()), int((numbers <= 6).sum()), len(numbers)


def funnel_limits(trials: ArrayLike, rate: float, confidence: float = 0.95) -> pd.DataFrame:
    """Control limits around a target rate, for groups of each size: the funnel of a funnel plot.

    A group of ``n`` trials (an agent's tickets, say) whose true rate is ``rate`` shows a
    count of successes that varies by chance alone: small groups stray far, large ones
    little. Plotting each group's observed rate against its size, with these limits, is a
    funnel plot (Spiegelhalter 2005, "Funnel plots for comparing institutional
    performance", Statistics in Medicine 24): groups inside the funnel are consistent with
    the target, and a league table that ranks them is ranking noise.

    The limits are exact binomial quantiles (``scipy.stats.binom.ppf``), as shares: the
    lower limit is ``r_low / n`` with ``r_low`` the smallest count whose cumulative
    probability reaches ``(1 - confidence) / 2``, the upper ``r_high / n`` with ``r_high``
    the smallest count whose cumulative probability reaches ``(1 + confidence) / 2``. So a
    group with the target rate falls strictly below the lower limit, or strictly above the
    upper, each with probability at most ``(1 - confidence) / 2``. Being counts over ``n``,
    the limits move in steps (Spiegelhalter interpolates between the steps to draw smooth
    curves; these are the steps themselves). Use ``confidence=0.95`` and ``0.998`` for the
    customary two funnels, roughly two and three standard errors.

    Parameters
    ----------
    trials : int or array_like
        Group sizes, whole numbers of at least 1 (a Series keeps its index).
    rate : float
        The target rate, strictly between 0 and 1 (such as the overall resolution rate).
    confidence : float, default 0.95
        The share of a target-rate group's outcomes that fall within the limits, at least.

    Returns
    -------
    DataFrame
        One row per group size, with ``trials``, ``lower`` and ``upper`` (shares, 0 to 1),
        indexed like ``trials`` when it is a Series.

    Examples
    --------
    Groups of 10 with a target rate of one half: 2 to 8 successes is within chance.

    >>> funnel_limits([10, 100], rate=0.5)
       trials  lower  upper
    0      10    0.2    0.8
    1     100    0.4    0.6
    """
    n = np.atleast_1d(np.asarray(trials, dtype=float))
    if n.size == 0 or np.any(~np.isfinite(n)) or np.any(n < 1) or np.any(n % 1 != 0):
        raise ValueError(f"trials should be whole numbers of at least 1 (group sizes), got {trials!r}")
    if isinstance(rate, bool) or not 0 < _number(rate) < 1:
        raise ValueError(f"rate should be a share strictly between 0 and 1 (for example 0.85), got {rate!r}")
    level = intervals._confidence(confidence)
    tail = (1 - level) / 2
    lower = stats.binom.ppf(tail, n, float(rate)) / n
    upper = stats.binom.ppf(1 - tail, n, float(rate)) / n
    index = trials.index if isinstance(trials, pd.Series) else None
    table = pd.DataFrame({"trials": n.astype(np.int64), "lower": lower, "upper": upper}, index=index)
    table.attrs = {"rate": float(rate), "confidence": level}
    return table


def shrunken_rates(successes: ArrayLike, trials: ArrayLike, confidence: float = 0.95) -> pd.DataFrame:
    """Each group's rate pulled towards the overall rate, the more the fewer its trials (empirical Bayes).

    An agent who resolved 5 of 5 tickets has a raw rate of 100%, but nobody believes they
    are better than one who resolved 180 of 200. Shrinkage says how much to believe: the
    groups' true rates are taken to vary around a common mean as a beta distribution,
    ``Beta(alpha, beta)``, whose parameters are fitted to all the groups at once by maximum
    likelihood (each group's count of successes is then beta-binomial:
    ``scipy.stats.betabinom``, maximised with ``scipy.optimize.minimize``). Each group's
    shrunken rate is then its posterior mean,

    .. math:: \\tilde r_i = \\frac{s_i + \\alpha}{n_i + \\alpha + \\beta}
              = w_i \\frac{s_i}{n_i} + (1 - w_i) \\frac{\\alpha}{\\alpha + \\beta},
              \\qquad w_i = \\frac{n_i}{n_i + \\alpha + \\beta},

    a weighted average of its own rate and the overall mean, with weight ``w_i`` on its own
    data growing with its trials. ``alpha + beta`` (the prior's *strength*) acts like a
    number of trials' worth of belief in the mean. When the groups differ no more than
    chance explains, the strength grows without limit and every group is shrunk to the
    mean: the data give no reason to rank them.

    Maximum likelihood rather than the method of moments: the moments estimate can give a
    negative variance between groups (when they differ less than chance alone would make
    them), and it weighs small and large groups alike.

    The interval is the central ``confidence`` interval of each group's posterior,
    ``Beta(s_i + alpha, n_i - s_i + beta)``. It treats ``alpha`` and ``beta`` as known, so
    it is a little too narrow when there are few groups.

    Parameters
    ----------
    successes : array_like
        Each group's successes (resolved tickets, satisfied answers...), whole numbers of
        at least 0; a Series keeps its index (such as agent names).
    trials : array_like
        Each group's trials, whole numbers of at least 1 and at least ``successes``; same
        length (and, for two Series, the same index).
    confidence : float, default 0.95
        The level of each group's interval.

    Returns
    -------
    DataFrame
        One row per group with ``successes``, ``trials``, ``rate`` (the raw share),
        ``weight`` (``w_i``, 0 to 1), ``shrunken_rate``, ``lower`` and ``upper``. ``attrs``
        holds the fitted prior: ``prior_alpha``, ``prior_beta``, ``prior_mean`` and
        ``prior_strength``.

    Examples
    --------
    Four agents; the one with 5 of 5 is pulled furthest:

    >>> import pandas as pd
    >>> resolved = pd.Series([5, 180, 40, 70], index=["Ana", "Ben", "Cy", "Di"])
    >>> tickets = pd.Series([5, 200, 50, 100], index=["Ana", "Ben", "Cy", "Di"])
    >>> rates = shrunken_rates(resolved, tickets)
    >>> rates[["rate", "weight", "shrunken_rate"]].round(3)
          rate  weight  shrunken_rate
    Ana    1.0   0.173          0.849
    Ben    0.9   0.893          0.891
    Cy     0.8   0.676          0.806
    Di     0.7   0.807          0.723
    >>> round(rates.attrs["prior_mean"], 3), round(rates.attrs["prior_strength"], 1)
    (0.817, 24.0)
    """
    s, n, index = _group_counts(successes, trials)
    level = intervals._confidence(confidence)
    overall = float(s.sum() / n.sum())
    mean, strength = _fit_beta_prior(s, n, overall)
    alpha, beta = mean * strength, (1 - mean) * strength
    tail = (1 - level) / 2
    table = pd.DataFrame({
        "successes": s.astype(np.int64),
        "trials": n.astype(np.int64),
        "rate": s / n,
        "weight": n / (n + strength),
        "shrunken_rate": (s + alpha) / (n + strength),
        "lower": stats.beta.ppf(tail, s + alpha, n - s + beta),
        "upper": stats.beta.ppf(1 - tail, s + alpha, n - s + beta),
    }, index=index)
    table.attrs = {"prior_alpha": alpha, "prior_beta": beta, "prior_mean": mean, "prior_strength": strength,
                   "confidence": level}
    return table


#: The range searched for the beta prior's strength (alpha + beta): from very spread-out
#: groups to groups that differ no more than chance (complete shrinkage).
PRIOR_STRENGTH_RANGE = (1e-3, 1e7)


def _fit_beta_prior(successes: np.ndarray, trials: np.ndarray, overall: float) -> tuple[float, float]:
    """Maximum-likelihood mean and strength (alpha + beta) of a beta prior for beta-binomial counts."""
    def negative_log_likelihood(params: np.ndarray) -> float:
        mean, strength = special.expit(params[0]), math.exp(params[1])
        return -float(stats.betabinom.logpmf(successes, trials, mean * strength, (1 - mean) * strength).sum())

    low, high = (math.log(value) for value in PRIOR_STRENGTH_RANGE)
    # Search over the logit of the mean and the log of the strength, starting from the overall
    # rate and a strength of 10, with a first step wide enough (a factor of e^3 = 20 in the
    # strength) not to stall where the likelihood is flat.
    start = [special.logit(min(max(overall, 1e-6), 1 - 1e-6)), math.log(10.0)]
    simplex = [start, [start[0] + 0.5, start[1]], [start[0], start[1] + 3.0]]
    fit = optimize.minimize(negative_log_likelihood, start, method="Nelder-Mead", bounds=[(-30.0, 30.0), (low, high)],
                            options={"initial_simplex": simplex, "xatol": 1e-6, "fatol": 1e-9, "maxiter": 2_000})
    return float(special.expit(fit.x[0])), float(math.exp(fit.x[1]))


def _group_counts(successes: ArrayLike, trials: ArrayLike) -> tuple[np.ndarray, np.ndarray, pd.Index | None]:
    """Checked successes and trials as float arrays, with the groups' index if a Series gave one."""
    if isinstance(successes, pd.Series) and isinstance(trials, pd.Series) and not successes.index.equals(trials.index):
        raise ValueError("successes and trials should be indexed by the same groups in the same order; "
                         "align them first (for example trials = trials.reindex(successes.index))")
    s = np.asarray(successes, dtype=float).ravel()
    n = np.asarray(trials, dtype=float).ravel()
    if len(s) != len(n):
        raise ValueError(f"successes and trials should have one number per group each; got {len(s)} and {len(n)}")
    if len(s) < 2:
        raise ValueError(f"shrinkage needs at least 2 groups to learn how much they differ; got {len(s)}")
    if np.any(~np.isfinite(s)) or np.any(s < 0) or np.any(s % 1 != 0):
        raise ValueError("successes should be whole numbers of at least 0, one per group")
    if np.any(~np.isfinite(n)) or np.any(n < 1) or np.any(n % 1 != 0):
        raise ValueError("trials should be whole numbers of at least 1, one per group")
    if np.any(s > n):
        first = int(np.flatnonzero(s > n)[0])
        raise ValueError(f"successes should be at most trials; group {first} has {s[first]:.0f} of {n[first]:.0f}")
    index = next((value.index for value in (successes, trials) if isinstance(value, pd.Series)), None)
    return s, n, index


def _number(value: object) -> float:
    """``value`` as a float, or NaN when it is not a number (so range checks fail with a clear message)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
