"""The surveys module: CSAT and CES by hand and on the data world; the NPS, its standard error
and Rocks's adjusted Wald interval by hand; the coverage of the NPS and Wilson intervals
checked by simulation; funnel limits against the binomial distribution; empirical-Bayes
shrinkage against a brute-force maximum of the likelihood and against the truth it was
simulated from."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from customering_utils import intervals, surveys

Z95 = stats.norm.ppf(0.975)


# ---- CSAT and CES ----------------------------------------------------------------------------

def test_csat_and_ces_by_hand():
    answers = pd.DataFrame({
        "survey": ["CSAT", "CSAT", "CSAT", "CSAT", "CES", "CES", "CES", "NPS"],
        "score": [5, 4, 3, 1, 7, 5, 4, 10],
        "channel": ["chat", "chat", "email", "email", "chat", "email", "email", "chat"],
    })
    before = answers.copy()
    satisfaction = surveys.csat(answers, by="channel")
    pd.testing.assert_frame_equal(answers, before)  # the input is left as it was
    # CSAT: chat 5 and 4 (2 of 2 satisfied); email 3 and 1 (0 of 2); the CES and NPS rows are left out
    assert satisfaction["answers"].to_dict() == {"chat": 2, "email": 2}
    assert satisfaction["csat"].to_dict() == {"chat": 1.0, "email": 0.0}
    wilson = intervals.proportion(2, 2)
    assert (satisfaction.loc["chat", "csat_lower"], satisfaction.loc["chat", "csat_upper"]) == (wilson.lower, wilson.upper)
    # CES on 1-7: 7 and 5 are easy, 4 is not
    effort = surveys.ces(answers)
    assert effort.loc["all", "answers"] == 3 and effort.loc["all", "easy"] == 2
    assert effort.loc["all", "ces"] == pytest.approx(2 / 3)
    # the cut-offs are settings: 5 only on CSAT
    assert surveys.csat(answers, satisfied_from=5).loc["all", "csat"] == 0.25
    assert surveys.ces(answers, easy_from=6).loc["all", "ces"] == pytest.approx(1 / 3)
    # without a survey column every row is an answer to the survey asked for
    assert surveys.csat(pd.DataFrame({"score": [5, 4, 2]})).loc["all", "csat"] == pytest.approx(2 / 3)


def test_csat_and_ces_on_the_data_world_match_plain_pandas(world):
    answers = world.surveys
    assert surveys.SCALES == {"CSAT": (1, 5), "CES": (1, 7), "NPS": (0, 10)}
    for survey, function, cut in (("CSAT", surveys.csat, 4), ("CES", surveys.ces, 5)):
        scores = answers.loc[answers["survey"] == survey, "score"]
        low, high = surveys.SCALES[survey]
        assert scores.between(low, high).all()
        row = function(answers).loc["all"]
        assert row["answers"] == len(scores) and row[survey.lower()] == (scores >= cut).mean()
    # by the resolution of the ticket the answer is about: satisfaction is lower after unresolved tickets
    joined = answers.join(world.tickets["resolved"], on="ticket_id").dropna(subset=["resolved"])
    by_resolution = surveys.csat(joined, by="resolved")
    assert by_resolution.loc[False, "csat_upper"] < by_resolution.loc[True, "csat_lower"]


@pytest.mark.parametrize("function, table, message", [
    (surveys.csat, pd.DataFrame({"score": [5, 6]}), "'score' has 1 value off the CSAT scale .first: 6 at index 1.; "
                                                    "expected whole numbers from 1 to 5"),
    (surveys.ces, pd.DataFrame({"score": [5, 0]}), "off the CES scale"),
    (surveys.csat, pd.DataFrame({"score": [4.5]}), "off the CSAT scale"),
    (surveys.csat, pd.DataFrame({"survey": ["NPS"], "score": [9]}), "surveys has no CSAT answers"),
    (surveys.csat, pd.DataFrame({"answer": [5]}), "surveys is missing column 'score'"),
])
def test_csat_and_ces_bad_input_is_named(function, table, message):
    with pytest.raises(ValueError, match=message):
        function(table)


def test_top_box_cut_off_must_be_on_the_scale():
    with pytest.raises(ValueError, match="from 1 to 7 .the CES scale., got 8"):
        surveys.ces(pd.DataFrame({"score": [5]}), easy_from=8)


def test_wilson_intervals_of_csat_hold_the_true_share_about_95_percent_of_the_time():
    """Draw 4,000 samples of answers from a known share of satisfied customers, for small and
    large samples and shares near the edge, and count how often the interval holds the truth.

    Tolerance: Wilson's coverage is not exactly 95% at every point. It oscillates with n and p
    and dips towards 90% for shares near 0 or 1 in small samples (Brown, Cai and DasGupta 2001,
    "Interval estimation for a binomial proportion", Statistical Science 16); at the points
    below, several chosen for those dips, the exact coverage (enumerating every count) runs
    from 0.904 to 0.967 and averages 0.937. So each point must reach 0.88 (the lowest exact
    value less about four Monte Carlo standard errors of 0.005), and the average must lie
    between 0.93 and 0.97 (its standard error is about 0.002). The textbook Wald interval
    fails this (about 0.64 at n = 20, p = 0.95)."""
    rng = np.random.default_rng(2026)
    draws = 4_000
    coverage = []
    for n, share in [(5, 0.5), (10, 0.8), (10, 0.99), (20, 0.95), (30, 0.7), (100, 0.9), (500, 0.99)]:
        satisfied = rng.binomial(n, share, size=draws)
        # answer tables: one group per distinct count, k answers of 5 and n - k answers of 2
        counts = np.unique(satisfied)
        table = pd.DataFrame({
            "sample": np.repeat(counts, n),
            "score": np.concatenate([np.r_[np.full(k, 5), np.full(n - k, 2)] for k in counts]),
        })
        found = surveys.csat(table, by="sample")
        holds = (found["csat_lower"] <= share) & (share <= found["csat_upper"])
        coverage.append(holds.reindex(satisfied).mean())
        wald = satisfied / n + np.multiply.outer([-1, 1], Z95 * np.sqrt(satisfied / n * (1 - satisfied / n) / n))
        if (n, share) == (20, 0.95):
            assert np.mean((wald[0] <= share) & (share <= wald[1])) < 0.7  # the check has teeth
    assert min(coverage) >= 0.88, coverage
    assert 0.93 <= np.mean(coverage) <= 0.97, coverage


# ---- NPS ---------------------------------------------------------------------------------------

def test_nps_by_hand():
    # 5 promoters (9, 10), 2 passives (7, 8), 3 detractors (0-6) out of 10
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 5]
    score = surveys.nps(scores)
    assert score.estimate == pytest.approx(20.0)
    # SE = 100 sqrt((p_P + p_D - (p_P - p_D)^2) / n) = 100 sqrt((0.5 + 0.3 - 0.04) / 10)
    assert score.standard_error == pytest.approx(100 * math.sqrt(0.076))
    # Rocks's adjusted Wald: 5.75 promoters and 3.75 detractors out of 13
    p, d = 5.75 / 13, 3.75 / 13
    half = Z95 * math.sqrt((p + d - (p - d) ** 2) / 13)
    assert score.lower == pytest.approx(100 * (p - d - half)) and score.upper == pytest.approx(100 * (p - d + half))
    assert str(score) == "20.0 (95% interval -30.3 to 61.1)"
    assert isinstance(score, intervals.Interval) and score.confidence == 0.95
    # a wider level gives a wider interval around the same score
    wider = surveys.nps(scores, confidence=0.99)
    assert wider.estimate == score.estimate and wider.lower < score.lower and wider.upper > score.upper


def test_nps_stays_within_its_scale_and_holds_its_own_estimate():
    for n in (1, 2, 3, 5, 10, 50, 1000):
        for scores in ([10] * n, [0] * n, [8] * n, [9] * (n - n // 2) + [3] * (n // 2)):
            score = surveys.nps(scores)
            assert -100 <= score.lower <= score.estimate <= score.upper <= 100, (n, scores[:3], score)
    assert surveys.nps([10] * 10).estimate == 100 and surveys.nps([10] * 10).lower < 100
    assert surveys.nps([0] * 4).upper > -100


def test_nps_does_not_depend_on_the_order_or_the_container_of_the_answers():
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 11, size=57)
    reference = surveys.nps(scores)
    assert surveys.nps(rng.permutation(scores)) == reference
    assert surveys.nps(list(scores)) == reference
    assert surveys.nps(pd.Series(scores, index=rng.permutation(57) + 100)) == reference


def simulated_coverage(pick, n, shares, draws, rng):
    """Share of ``draws`` samples of ``n`` answers (detractor 3, passive 8, promoter 10 with the
    given shares of promoters and detractors) whose interval from ``pick`` holds the true NPS."""
    promoters, detractors = shares
    counts = rng.multinomial(n, [detractors, 1 - promoters - detractors, promoters], size=draws)
    holds = {}
    for key in {tuple(row) for row in counts}:  # each distinct sample once
        interval = pick(np.repeat([3, 8, 10], key))
        holds[key] = interval.lower <= 100 * (promoters - detractors) <= interval.upper
    return float(np.mean([holds[tuple(row)] for row in counts]))


def wald_nps(scores):
    """The plain Wald interval, score plus or minus 1.96 standard errors: the wrong answer."""
    score = surveys.nps(scores)
    return intervals.Interval(score.estimate, score.estimate - Z95 * score.standard_error,
                              score.estimate + Z95 * score.standard_error)


# (n, (promoters, detractors)): small samples, extreme shares, a split field, a large sample
NPS_POINTS = [(10, (0.3, 0.2)), (10, (0.8, 0.05)), (10, (0.9, 0.02)), (20, (0.97, 0.01)),
              (30, (0.05, 0.9)), (50, (0.45, 0.45)), (300, (0.5, 0.1))]


def test_nps_interval_holds_the_true_score_about_95_percent_of_the_time():
    """4,000 samples at each point. Tolerance: the adjusted Wald interval's exact coverage at
    these points (by enumerating every sample) runs from 0.930 to 0.979, because the counts
    are discrete; with 4,000 draws the Monte Carlo standard error is below 0.004, so each
    point must land in [0.915, 0.99] (the exact range widened by about 3.5 standard errors)
    and the average within 0.015 of 0.95. The plain Wald interval fails it (about 0.66 at
    n = 10 with 90% promoters)."""
    rng = np.random.default_rng(2026)
    coverage = [simulated_coverage(surveys.nps, n, shares, 4_000, rng) for n, shares in NPS_POINTS]
    assert all(0.915 <= value <= 0.99 for value in coverage), coverage
    assert abs(np.mean(coverage) - 0.95) <= 0.015, coverage
    assert simulated_coverage(wald_nps, 10, (0.9, 0.02), 4_000, rng) < 0.9  # the check has teeth


def test_nps_difference_by_hand():
    after_resolved = [10, 9, 9, 8, 7, 9, 10, 6, 9, 8]  # 6 promoters, 1 detractor: NPS 50
    after_unresolved = [6, 3, 9, 7, 5, 8, 2, 10, 6, 4, 7, 9]  # 3 promoters, 6 detractors of 12: NPS -25
    difference = surveys.nps_difference(after_resolved, after_unresolved)
    a, b = surveys.nps(after_resolved), surveys.nps(after_unresolved)
    assert difference.estimate == pytest.approx(a.estimate - b.estimate) == pytest.approx(75.0)
    assert difference.standard_error == pytest.approx(math.hypot(a.standard_error, b.standard_error))
    # adjusted Wald on each sample: (6.75 - 1.75) / 13 and (3.75 - 6.75) / 15
    pa, da, pb, db = 6.75 / 13, 1.75 / 13, 3.75 / 15, 6.75 / 15
    centre = (pa - da) - (pb - db)
    half = Z95 * math.sqrt((pa + da - (pa - da) ** 2) / 13 + (pb + db - (pb - db) ** 2) / 15)
    assert difference.lower == pytest.approx(100 * (centre - half))
    assert difference.upper == pytest.approx(100 * (centre + half))
    # swapping the samples mirrors everything
    mirrored = surveys.nps_difference(after_unresolved, after_resolved)
    assert (mirrored.estimate, mirrored.lower, mirrored.upper) == pytest.approx((-75.0, -difference.upper, -difference.lower))
    extreme = surveys.nps_difference([10] * 3, [0] * 3)
    assert -200 <= extreme.lower <= extreme.estimate == 200 <= extreme.upper <= 200


def test_nps_difference_interval_holds_the_true_difference_about_95_percent_of_the_time():
    """1,000 pairs of samples at each point. Tolerance: at these points the interval's coverage
    is 0.938 to 0.955 (estimated with 400,000 pairs each while writing this test); with 1,000
    pairs the Monte Carlo standard error is about 0.007, so each point must land in
    [0.915, 0.99] (three standard errors below the lowest) and the average within 0.02 of
    0.95."""
    rng = np.random.default_rng(7)
    coverage = []
    for n_a, shares_a, n_b, shares_b in [(20, (0.5, 0.2), 20, (0.5, 0.2)), (15, (0.8, 0.05), 30, (0.3, 0.4)),
                                         (50, (0.6, 0.1), 10, (0.9, 0.02)), (200, (0.4, 0.3), 150, (0.35, 0.35))]:
        true = 100 * ((shares_a[0] - shares_a[1]) - (shares_b[0] - shares_b[1]))
        holds = []
        for _ in range(1_000):
            a = np.repeat([3, 8, 10], rng.multinomial(n_a, [shares_a[1], 1 - sum(shares_a), shares_a[0]]))
            b = np.repeat([3, 8, 10], rng.multinomial(n_b, [shares_b[1], 1 - sum(shares_b), shares_b[0]]))
            interval = surveys.nps_difference(a, b)
            holds.append(interval.lower <= true <= interval.upper)
        coverage.append(np.mean(holds))
    assert all(0.915 <= value <= 0.99 for value in coverage), coverage
    assert abs(np.mean(coverage) - 0.95) <= 0.02, coverage


def test_nps_on_the_data_world_matches_plain_pandas(world):
    answers = world.surveys.loc[world.surveys["survey"] == "NPS", "score"]
    score = surveys.nps(answers)
    promoters, detractors = (answers >= 9).mean(), (answers <= 6).mean()
    assert score.estimate == pytest.approx(100 * (promoters - detractors))
    assert score.standard_error == pytest.approx(100 * np.sqrt((promoters + detractors - (promoters - detractors) ** 2)
                                                               / len(answers)))
    assert score.width < 10  # two thousand answers pin it to a few points


@pytest.mark.parametrize("scores, error, message", [
    ([], ValueError, "scores is empty"),
    ([9, 11], ValueError, "scores has 1 value off the NPS scale .first: 11 at index 1.; expected whole numbers from 0 to 10"),
    ([9, 7.5], ValueError, "off the NPS scale"),
    ([9, None], ValueError, "off the NPS scale .first: None"),
    (pd.DataFrame({"score": [9]}), TypeError, "got a DataFrame; pick its column"),
])
def test_nps_bad_input_is_named(scores, error, message):
    with pytest.raises(error, match=message):
        surveys.nps(scores)
    with pytest.raises(error, match=message.replace("scores", "scores_b")):
        surveys.nps_difference([9, 10], scores)


# ---- funnel limits -----------------------------------------------------------------------------

def test_funnel_limits_by_hand():
    # 10 trials at rate 1/2: P(X <= 1) = 11/1024 < 0.025 <= P(X <= 2) = 56/1024, so the lower
    # limit is 2/10; by symmetry the upper is 8/10.
    limits = surveys.funnel_limits(10, rate=0.5)
    assert limits.loc[0, "lower"] == 0.2 and limits.loc[0, "upper"] == 0.8
    agents = pd.Series([5, 40, 400], index=["Ana", "Ben", "Cy"])
    by_agent = surveys.funnel_limits(agents, rate=0.85, confidence=0.998)
    assert by_agent.index.tolist() == ["Ana", "Ben", "Cy"] and by_agent["trials"].tolist() == [5, 40, 400]
    assert by_agent.attrs == {"rate": 0.85, "confidence": 0.998}


@pytest.mark.parametrize("rate", [0.03, 0.3, 0.5, 0.85, 0.99])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_funnel_limits_are_the_exact_binomial_quantiles(rate, confidence):
    n = np.arange(1, 401)
    limits = surveys.funnel_limits(n, rate=rate, confidence=confidence)
    tail = (1 - confidence) / 2
    low, high = np.round(limits["lower"] * n), np.round(limits["upper"] * n)
    # a group with the target rate falls strictly outside each limit with probability at most
    # the tail, and the limits are the tightest that do so
    assert np.all(stats.binom.cdf(low - 1, n, rate) <= tail) and np.all(stats.binom.cdf(low, n, rate) >= tail)
    assert np.all(stats.binom.sf(high, n, rate) <= tail) and np.all(stats.binom.sf(high - 1, n, rate) > tail)
    width = (limits["upper"] - limits["lower"]).to_numpy()
    assert width[399] < width[99] < width[24]  # the funnel narrows as groups grow
    # for large groups the limits approach rate +- z sqrt(rate (1 - rate) / n)
    wide = stats.norm.ppf(1 - tail) * np.sqrt(rate * (1 - rate) / n[-1])
    assert limits["lower"].iloc[-1] == pytest.approx(rate - wide, abs=2 / n[-1] + 0.2 * wide)
    assert limits["upper"].iloc[-1] == pytest.approx(rate + wide, abs=2 / n[-1] + 0.2 * wide)


@pytest.mark.parametrize("call, message", [
    (lambda: surveys.funnel_limits([10, 0], rate=0.5), "trials should be whole numbers of at least 1"),
    (lambda: surveys.funnel_limits([10, 2.5], rate=0.5), "trials should be whole numbers of at least 1"),
    (lambda: surveys.funnel_limits(10, rate=1.0), "rate should be a share strictly between 0 and 1"),
    (lambda: surveys.funnel_limits(10, rate=0.5, confidence=1.2), "confidence should be a share between 0 and 1"),
])
def test_funnel_limits_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- shrunken rates ----------------------------------------------------------------------------

def beta_binomial_log_likelihood(successes, trials, alpha, beta):
    """log P(s | n, alpha, beta) summed over groups, written out with log-gamma functions."""
    return float(np.sum(special.gammaln(trials + 1) - special.gammaln(successes + 1) - special.gammaln(trials - successes + 1)
                        + special.betaln(successes + alpha, trials - successes + beta) - special.betaln(alpha, beta)))


def test_shrunken_rates_are_posterior_means_under_the_fitted_prior():
    resolved = pd.Series([5, 180, 40, 70, 12], index=["Ana", "Ben", "Cy", "Di", "Ed"])
    tickets = pd.Series([5, 200, 50, 100, 20], index=resolved.index)
    rates = surveys.shrunken_rates(resolved, tickets)
    alpha, beta = rates.attrs["prior_alpha"], rates.attrs["prior_beta"]
    assert rates.attrs["prior_mean"] == pytest.approx(alpha / (alpha + beta))
    assert rates.attrs["prior_strength"] == pytest.approx(alpha + beta)
    pd.testing.assert_series_equal(rates["shrunken_rate"], (resolved + alpha) / (tickets + alpha + beta),
                                   check_names=False)
    weight = tickets / (tickets + alpha + beta)
    pd.testing.assert_series_equal(rates["shrunken_rate"], weight * resolved / tickets + (1 - weight) * rates.attrs["prior_mean"],
                                   check_names=False)
    assert rates.loc["Ana", "rate"] == 1.0 and rates.loc["Ana", "shrunken_rate"] < rates.loc["Ben", "shrunken_rate"]
    # every shrunken rate lies between the group's own rate and the prior mean
    mean = rates.attrs["prior_mean"]
    assert (np.minimum(rates["rate"], mean) <= rates["shrunken_rate"] + 1e-12).all()
    assert (rates["shrunken_rate"] <= np.maximum(rates["rate"], mean) + 1e-12).all()
    posterior = stats.beta(resolved + alpha, tickets - resolved + beta)
    np.testing.assert_allclose(rates["lower"], posterior.ppf(0.025))
    np.testing.assert_allclose(rates["upper"], posterior.ppf(0.975))
    assert (rates["lower"] <= rates["shrunken_rate"]).all() and (rates["shrunken_rate"] <= rates["upper"]).all()


def test_shrunken_rates_fit_the_prior_by_maximum_likelihood():
    rng = np.random.default_rng(3)
    trials = rng.integers(5, 300, size=30).astype(float)
    successes = rng.binomial(trials.astype(int), rng.beta(12, 4, size=30)).astype(float)
    rates = surveys.shrunken_rates(successes, trials)
    best = beta_binomial_log_likelihood(successes, trials, rates.attrs["prior_alpha"], rates.attrs["prior_beta"])
    # no point of a fine grid of means and strengths does better
    grid = [beta_binomial_log_likelihood(successes, trials, m * k, (1 - m) * k)
            for m in np.linspace(0.5, 0.95, 91) for k in np.geomspace(1, 1e4, 121)]
    assert best >= max(grid) - 1e-9


def test_shrunken_rates_recover_the_prior_and_beat_raw_rates_on_simulated_agents():
    """Many simulated league tables whose true rates come from Beta(12, 4): the fitted prior is
    near the truth on average, and the shrunken rates are closer to the true rates than the
    raw ones (smaller mean squared error), as empirical Bayes promises."""
    rng = np.random.default_rng(2026)
    raw_errors, shrunk_errors, means, strengths = [], [], [], []
    for _ in range(40):
        trials = rng.integers(3, 120, size=40)
        truth = rng.beta(12, 4, size=40)
        successes = rng.binomial(trials, truth)
        rates = surveys.shrunken_rates(successes, trials)
        raw_errors.append(np.mean((rates["rate"] - truth) ** 2))
        shrunk_errors.append(np.mean((rates["shrunken_rate"] - truth) ** 2))
        means.append(rates.attrs["prior_mean"])
        strengths.append(rates.attrs["prior_strength"])
    assert np.mean(means) == pytest.approx(0.75, abs=0.01)
    assert abs(np.log(np.median(strengths) / 16)) < np.log(1.5)  # Beta(12, 4) has strength 16
    assert np.mean(shrunk_errors) < 0.8 * np.mean(raw_errors)


def test_shrunken_rates_pool_completely_when_groups_differ_no_more_than_chance():
    # every group resolves exactly 80%: no sign that they differ, so all are shrunk to 0.8
    rates = surveys.shrunken_rates([8, 16, 40, 80], [10, 20, 50, 100])
    assert rates.attrs["prior_strength"] > 1e5
    np.testing.assert_allclose(rates["shrunken_rate"], 0.8, atol=1e-3)


def test_shrunken_rates_do_not_depend_on_the_order_of_the_groups():
    resolved = pd.Series([5, 180, 40, 70, 12], index=["Ana", "Ben", "Cy", "Di", "Ed"])
    tickets = pd.Series([5, 200, 50, 100, 20], index=resolved.index)
    rates = surveys.shrunken_rates(resolved, tickets)
    order = ["Di", "Ana", "Ed", "Cy", "Ben"]
    shuffled = surveys.shrunken_rates(resolved[order], tickets[order])
    pd.testing.assert_frame_equal(shuffled.loc[rates.index], rates, rtol=1e-5)
    assert shuffled.attrs["prior_strength"] == pytest.approx(rates.attrs["prior_strength"], rel=1e-4)


@pytest.mark.parametrize("successes, trials, message", [
    ([3, 5], [4, 4], "successes should be at most trials; group 1 has 5 of 4"),
    ([3], [4], "at least 2 groups"),
    ([3, 1], [4, 0], "trials should be whole numbers of at least 1"),
    ([3, -1], [4, 4], "successes should be whole numbers of at least 0"),
    ([3, 1, 2], [4, 4], "one number per group each; got 3 and 2"),
    (pd.Series([3, 1], index=["a", "b"]), pd.Series([4, 4], index=["b", "a"]), "indexed by the same groups"),
])
def test_shrunken_rates_bad_input_is_named(successes, trials, message):
    with pytest.raises(ValueError, match=message):
        surveys.shrunken_rates(successes, trials)
