"""The simulation keeps its promises: the committed world behaves as its story says.

The world is fixed by its seed, so these tests are deterministic; their tolerances are
set from the sampling error a world of this size has, so that a simulator that broke a
promise would fail them, and a different seed of a correct simulator would pass.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

END = pd.Timestamp("2025-12-31")


def test_latent_values_follow_the_population_distributions(world):
    truth, params = world.truth.customers, world.truth.params
    # Kolmogorov-Smirnov against the exact population laws. With 10,000 draws a wrong
    # shape or scale (say r off by 5%) gives p < 1e-6; a correct one passes at 0.001.
    assert stats.kstest(truth["purchase_rate"], stats.gamma(params["r"], scale=1 / params["alpha"]).cdf).pvalue > 1e-3
    assert stats.kstest(truth["dropout_probability"], stats.beta(params["a"], params["b"]).cdf).pvalue > 1e-3
    # Mean spend is p / nu with nu ~ Gamma(q, rate v): p / mean spend ~ Gamma(q, rate v).
    nu = params["p"] / truth["mean_spend"]
    assert stats.kstest(nu, stats.gamma(params["q"], scale=1 / params["v"]).cdf).pvalue > 1e-3


def test_share_of_one_time_buyers_matches_bgnbd(world):
    # BG/NBD: a customer who has made no repeat purchase cannot have dropped out, so
    # P(no repeat in T weeks) = (alpha / (alpha + T)) ** r, averaged over customers' T.
    r, alpha = world.truth.bgnbd["r"], world.truth.bgnbd["alpha"]
    days = world.transactions.groupby("customer_id")["date"].nunique()
    one_time = (days == 1).mean()
    weeks = ((END - world.customers["acquisition_date"]).dt.days + 1) / 7
    expected = ((alpha / (alpha + weeks)) ** r).mean()
    # Binomial standard error ~0.43 points; the story adds up to ~0.5 points on top of
    # BG/NBD (an unresolved first ticket can lose a customer at once; same-day repeats merge).
    standard_error = np.sqrt(expected * (1 - expected) / len(days))
    assert expected - 3 * standard_error < one_time < expected + 3 * standard_error + 0.005, (one_time, expected)


def test_average_spend_matches_gamma_gamma(world):
    p, q, v = world.truth.gamma_gamma.values()
    population_mean = p * v / (q - 1)  # E[p / nu] for nu ~ Gamma(q, rate v): $40
    truth = world.truth.customers["mean_spend"]
    # The sample mean of 10,000 customers' mean spend has standard error sd/sqrt(n), ~$0.28.
    assert abs(truth.mean() - population_mean) < 4 * truth.std() / np.sqrt(len(truth))
    # Observed purchases are draws around each customer's mean: total spend over the
    # total the truth predicts is 1 up to the noise of ~43,000 purchases (CV 1/sqrt(p) each).
    counts = world.transactions.groupby("customer_id").size()
    predicted = (counts * truth.reindex(counts.index)).sum()
    assert world.transactions["amount"].sum() / predicted == pytest.approx(1, abs=0.02)


def test_unresolved_tickets_raise_drop_out(world):
    tickets, truth = world.tickets, world.truth.customers
    created = tickets["created_at"].dt.normalize()
    churn = truth["churn_date"].reindex(tickets["customer_id"]).to_numpy()
    # The ticket's purchase is at most a few days before the ticket; BG/NBD dates a
    # drop-out at that purchase.
    left_here = (churn <= created.to_numpy()) & (churn >= (created - pd.Timedelta(days=7)).to_numpy())
    rate = pd.Series(left_here, index=tickets.index).groupby(tickets["resolved"]).mean()
    # Story: +0.30 drop-out probability on an unresolved ticket's purchase; resolved ones add
    # nothing (or 0.10 when slow). ~560 unresolved tickets give a standard error ~0.02.
    assert rate[False] - rate[True] > 0.15, rate.to_dict()

    # A learner sees it without the truth: after an unresolved ticket, more never buy again.
    last = world.transactions.groupby("customer_id")["date"].max()
    seen = tickets[tickets["created_at"] < "2025-06-30"]  # six months left to come back
    never = pd.Series(last.reindex(seen["customer_id"]).to_numpy() <= seen["created_at"].dt.normalize().to_numpy(), index=seen.index)
    by_outcome = never.groupby(seen["resolved"]).mean()
    assert by_outcome[False] - by_outcome[True] > 0.10, by_outcome.to_dict()


def test_staffing_drives_response_times(world):
    calls, tickets = world.calls, world.tickets
    freeze = (calls.index >= "2024-05-01") & (calls.index < "2024-09-01")
    answered = calls.groupby(freeze)[["answered_within_20s", "arrivals"]].sum()
    level = answered["answered_within_20s"] / answered["arrivals"]
    # Staffed to 80/20 by Erlang C, the centre answers ~80% in 20 s; 30% short, far fewer.
    assert level[False] > 0.7 and level[True] < 0.6, level.to_dict()
    # Within any period, intervals with more load per agent wait longer.
    occupancy = calls["arrivals"] * calls["handle_time_s"] / 1800 / calls["agents"]
    assert occupancy.corr(calls["mean_wait_s"], method="spearman") > 0.5
    # Tickets raised during the freeze wait several times longer for a first response.
    in_freeze = (tickets["created_at"] >= "2024-05-01") & (tickets["created_at"] < "2024-09-01")
    first = tickets.groupby(in_freeze)["first_response_hours"].median()
    assert first[True] > 3 * first[False], first.to_dict()
    resolved = tickets.groupby(in_freeze)["resolved"].mean()
    assert resolved[True] < resolved[False] - 0.1, resolved.to_dict()


def test_experiment_effect_by_dose_matches_the_truth(world):
    experiment = world.experiments.join(world.truth.customers)
    control = experiment.loc[experiment["dose"] == 0, "outcome_purchases"]
    estimates, truths = [], []
    for dose in (1, 2, 3):
        arm = experiment[experiment["dose"] == dose]
        estimate = arm["outcome_purchases"].mean() - control.mean()
        truth = arm["experiment_expected_uplift"].mean()
        standard_error = np.sqrt(arm["outcome_purchases"].var() / len(arm) + control.var() / len(control))
        # Randomisation makes the difference in means unbiased for the average true effect,
        # up to sampling error (~0.05 purchases per arm here).
        assert abs(estimate - truth) < 3 * standard_error, (dose, estimate, truth, standard_error)
        estimates.append(estimate)
        truths.append(truth)
    # Diminishing returns: each extra touch adds less than the one before.
    assert truths[0] > 0 and truths[2] - truths[1] < truths[1] - truths[0] < truths[0]


def test_effects_differ_by_customer_and_shrink_after_poor_service(world):
    truth = world.truth.customers
    shares = truth["experiment_response"].value_counts(normalize=True)
    assert shares["gain"] > 0.5 and 0.2 < shares["unmoved"] < 0.4 and 0.05 < shares["harm"] < 0.15
    assert (truth.loc[truth["experiment_response"] == "harm", "experiment_effect_max"] < 0).all()
    assert (truth.loc[truth["experiment_response"] == "unmoved", "experiment_effect_max"] == 0).all()
    size = truth["experiment_effect_max"].abs().groupby(truth["poor_service_before_experiment"]).mean()
    assert size[True] < 0.2 * size[False], size.to_dict()  # cut to a tenth by poor service
    control = world.experiments["dose"] == 0
    assert (world.truth.customers.loc[world.experiments.index[control], "experiment_expected_uplift"] == 0).all()


def test_surveys_reflect_the_service_experience(world):
    surveys = world.surveys.join(world.tickets["resolved"], on="ticket_id")
    mean = surveys.dropna(subset=["resolved"]).groupby(["survey", "resolved"])["score"].mean()
    assert mean["CSAT", True] - mean["CSAT", False] > 1.5  # on a 1-5 scale
    assert mean["CES", True] - mean["CES", False] > 2.0  # on a 1-7 scale
    scales = world.surveys.groupby("survey")["score"].agg(["min", "max"])
    assert scales.loc["CSAT"].between(1, 5).all() and scales.loc["CES"].between(1, 7).all()
    assert scales.loc["NPS"].between(0, 10).all()


def test_referrals_come_from_earlier_promoters(world):
    referred = world.customers.dropna(subset=["referred_by"])
    assert (world.customers.loc[referred.index, "channel"] == "referral").all()
    nps = world.surveys[(world.surveys["survey"] == "NPS") & (world.surveys["score"] >= 9)]
    first_promotion = nps.groupby("customer_id")["date"].min()
    promoted_on = first_promotion.reindex(referred["referred_by"].astype(int)).to_numpy()
    assert (promoted_on <= referred["acquisition_date"].to_numpy()).all()
    assert world.truth.customers["referrals"].sum() == len(referred)


def test_channels_differ_in_cost_and_in_whom_they_bring(world):
    spend = world.marketing.groupby("channel")[["spend", "new_customers"]].sum()
    cac = spend["spend"] / spend["new_customers"]
    assert list(cac.sort_values().index) == ["referral", "partner", "search", "social", "display"]
    rate = world.truth.customers["purchase_rate"].groupby(world.customers["channel"]).mean()
    assert rate["referral"] > rate["search"] > rate["display"]


def test_callers_hang_up_and_more_so_when_the_centre_is_short(world):
    calls = world.calls
    assert (calls["answered"] + calls["abandoned"] == calls["arrivals"]).all()
    assert (calls["answered_within_20s"] <= calls["answered"]).all()
    freeze = (calls.index >= "2024-05-01") & (calls.index < "2024-09-01")
    totals = calls.groupby(freeze)[["abandoned", "arrivals"]].sum()
    abandoned = totals["abandoned"] / totals["arrivals"]
    # Callers wait three minutes on average: a fully staffed centre loses a few percent of
    # calls, a centre 30% short loses a quarter of them.
    assert 0.02 < abandoned[False] < 0.10 and abandoned[True] > 2.5 * abandoned[False], abandoned.to_dict()


def test_abandonment_follows_erlang_a(world):
    from customering_utils import service

    calls = world.calls[world.calls["arrivals"] > 0]
    sample = calls.iloc[::7]  # every seventh half-hour keeps the test quick
    predicted = service.erlang_a(sample["arrivals"].to_numpy(), sample["handle_time_s"].to_numpy(),
                                 sample["agents"].to_numpy(), world.truth.params["mean_patience_s"])
    expected = float((predicted["p_abandon"].to_numpy() * sample["arrivals"].to_numpy()).sum())
    observed = float(sample["abandoned"].sum())
    # Binomial draws around Erlang A's probabilities: within four standard errors.
    spread = float(np.sqrt((predicted["p_abandon"] * (1 - predicted["p_abandon"])).to_numpy() @ sample["arrivals"].to_numpy()))
    assert abs(observed - expected) < 4 * spread, (observed, expected, spread)


def test_agents_differ_in_true_quality_and_it_shows_through_noise(world):
    tickets, truth = world.tickets, world.truth.agents
    assert set(tickets["agent"]) == set(truth.index) and tickets["team"].nunique() == 5
    by_agent = tickets.groupby("agent")["resolved"].mean()
    rho = stats.spearmanr(by_agent.reindex(truth.index), truth["quality"]).statistic
    # Better agents resolve more, but a league table of ~170 tickets each ranks them with noise.
    assert 0.35 < rho < 0.95, rho
    csat = world.surveys[world.surveys["survey"] == "CSAT"].join(tickets[["agent"]], on="ticket_id")
    top_box = (csat["score"] >= 4).groupby(csat["agent"]).mean()
    assert stats.spearmanr(top_box.reindex(truth.index), truth["quality"]).statistic > 0.35
