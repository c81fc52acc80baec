"""The uplift module: the five metrics against values scikit-uplift itself computed (committed in
tests/data/sklift_reference.json, written by benchmarks/uplift_metrics.py), and by hand on a perfect
ranking, a random one and all ties; the T- and X-learners recovering a known effect; the prescription
by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special

from customering_utils import uplift

REFERENCE = json.loads((Path(__file__).parent / "data" / "sklift_reference.json").read_text())
TOLERANCE = 1e-6

# The ten customers of the docstrings: three treated buyers, two treated non-buyers, one control
# buyer (scored lowest), two customers tied at 0.1.
Y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
T = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
U = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]


# ---- against scikit-uplift ------------------------------------------------------------------------------

def test_the_reference_was_computed_by_scikit_uplift_0_5_1():
    assert REFERENCE["versions"]["scikit-uplift"] == "0.5.1"
    assert set(REFERENCE["inputs"]) == set(REFERENCE["values"]) and len(REFERENCE["inputs"]) >= 7
    ties = [case for case in REFERENCE["inputs"].values() if len(set(case["uplift"])) < len(case["uplift"])]
    assert len(ties) >= 4, "the reference includes scores with ties"


@pytest.mark.parametrize("case", sorted(REFERENCE["inputs"]))
def test_curves_match_scikit_uplift(case):
    data, expected = REFERENCE["inputs"][case], REFERENCE["values"][case]
    for name, function in (("uplift_curve", uplift.uplift_curve), ("qini_curve", uplift.qini_curve)):
        x, y = function(data["y"], data["uplift"], data["treatment"])
        assert x.tolist() == expected[name]["x"], name
        np.testing.assert_allclose(y, expected[name]["y"], rtol=0, atol=TOLERANCE, err_msg=name)


@pytest.mark.parametrize("case", sorted(REFERENCE["inputs"]))
def test_scores_match_scikit_uplift(case):
    data, expected = REFERENCE["inputs"][case], REFERENCE["values"][case]
    y, u, t = data["y"], data["uplift"], data["treatment"]
    computed = {"uplift_auc_score": lambda: uplift.uplift_auc_score(y, u, t),
                "qini_auc_score": lambda: uplift.qini_auc_score(y, u, t),
                "qini_auc_score_no_negative_effect": lambda: uplift.qini_auc_score(y, u, t, negative_effect=False)}
    for strategy, k in REFERENCE["at_k"]:
        computed[f"uplift_at_k/{strategy}/{k}"] = lambda s=strategy, k=k: uplift.uplift_at_k(y, u, t, strategy=s, k=k)
    assert set(computed) == {key for key in expected if key not in ("uplift_curve", "qini_curve")}
    for key, call in computed.items():
        if expected[key] is None:  # scikit-uplift returns NaN or raises; ours says why
            with pytest.raises(ValueError, match=r"include no (treated|control) customer|customers are wanted"):
                call()
        else:
            assert call() == pytest.approx(expected[key], abs=TOLERANCE), key


# ---- by hand -------------------------------------------------------------------------------------------------

def test_the_ten_customers_by_hand():
    # Down the ranking: 0.8, 0.7, 0.6 treated buyers; 0.5, 0.4 control; 0.3 treated; 0.2 control;
    # 0.1 one treated and one control (together); 0.0 the control buyer.
    x, heights = uplift.uplift_curve(Y, U, T)
    assert x.tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 9, 10]
    # k = 6: 3 of 4 treated bought, 0 of 2 control: (3/4 - 0) * 6 = 4.5; k = 10: (3/5 - 1/5) * 10 = 4
    assert heights.tolist() == pytest.approx([0, 1, 2, 3, 4, 5, 4.5, 5.25, 5.4, 4])
    _, qini = uplift.qini_curve(Y, U, T)
    assert qini.tolist() == pytest.approx([0, 1, 2, 3, 3, 3, 3, 3, 3, 2])  # last: 3 - 1 * 5/5
    # perfect uplift curve: treated buyers, control non-buyers, treated non-buyers, control buyer
    px, py = uplift.perfect_uplift_curve(Y, T)
    assert px.tolist() == [0, 3, 7, 9, 10] and py.tolist() == pytest.approx([0, 3, 7, 5.4, 4])
    # areas by the trapezoidal rule: model 37.475, random 10 * 4 / 2 = 20, perfect 41.6
    assert uplift.uplift_auc_score(Y, U, T) == pytest.approx((37.475 - 20) / (41.6 - 20))
    # Qini: model 25, random 10 * 2 / 2 = 10, perfect 25: the model is as good as perfect
    assert uplift.qini_auc_score(Y, U, T) == pytest.approx(1.0)
    # top 60% overall: 4 treated (3 bought) and 2 control (none): 0.75
    assert uplift.uplift_at_k(Y, U, T, strategy="overall", k=0.6) == pytest.approx(0.75)
    assert uplift.uplift_at_k(Y, U, T, "by_group", 3) == pytest.approx(1.0)  # strategy is positional, as in sklift


def test_a_perfect_ranking_scores_one_and_its_reverse_below_zero():
    rng = np.random.default_rng(1)
    y, t = rng.integers(0, 2, 500), rng.integers(0, 2, 500)
    perfect = y * t - y * (1 - t)
    assert uplift.qini_auc_score(y, perfect, t) == pytest.approx(1.0)
    x, qini = uplift.qini_curve(y, perfect, t)
    assert qini.max() == pytest.approx(np.sum(y * t))  # every treated buyer first
    assert uplift.qini_auc_score(y, -perfect, t) < 0
    ranking = 2 * (y == t) + (y if np.sum((y == 1) & (t == 0)) > np.sum((y == 0) & (t == 1)) else t)
    assert uplift.uplift_auc_score(y, ranking, t) == pytest.approx(1.0)


def test_a_random_ranking_scores_zero_on_average():
    rng = np.random.default_rng(2)
    n = 2_000
    t = rng.integers(0, 2, n)
    y = (rng.uniform(size=n) < 0.1 + 0.1 * t).astype(int)
    scores = [(uplift.uplift_auc_score(y, rng.permutation(n), t), uplift.qini_auc_score(y, rng.permutation(n), t))
              for _ in range(200)]
    means = np.mean(scores, axis=0)
    spread = np.std(scores, axis=0) / np.sqrt(len(scores))
    assert np.all(np.abs(means) < 4 * spread), (means, spread)


def test_all_ties_give_the_random_line_and_score_zero():
    rng = np.random.default_rng(3)
    y, t = rng.integers(0, 2, 300), rng.integers(0, 2, 300)
    x, heights = uplift.uplift_curve(y, np.full(300, 0.5), t)
    overall = y[t == 1].mean() - y[t == 0].mean()
    assert x.tolist() == [0, 300] and heights.tolist() == pytest.approx([0, overall * 300])
    assert uplift.uplift_auc_score(y, np.zeros(300), t) == 0.0
    assert uplift.qini_auc_score(y, np.zeros(300), t) == 0.0


def test_inputs_of_any_kind_and_a_continuous_outcome():
    as_series = uplift.uplift_curve(pd.Series(Y), pd.Series(U), pd.Series(T).astype(bool))
    as_lists = uplift.uplift_curve(Y, U, T)
    assert all(np.array_equal(a, b) for a, b in zip(as_series, as_lists, strict=True))
    # a numeric outcome (spend): the curves are in its unit; ten times the outcome, ten times the curve
    spend = np.array(Y) * 10.0
    assert uplift.qini_curve(spend, U, T)[1].tolist() == pytest.approx((10 * uplift.qini_curve(Y, U, T)[1]).tolist())
    assert uplift.uplift_at_k(spend, U, T, "overall", 0.6) == pytest.approx(7.5)
    with pytest.raises(ValueError, match=r"y_true should hold 0 and 1 .* defined for a 0/1 outcome"):
        uplift.uplift_auc_score(spend, U, T)


@pytest.mark.parametrize("call, message", [
    (lambda: uplift.uplift_curve(Y, U[:-1], T), r"one value per customer each; got y_true 10, treatment 10, uplift 9"),
    (lambda: uplift.uplift_curve(Y, U, [1] * 10), r"treatment should hold 0 and 1 \(1 = treated, 0 = control\), both present"),
    (lambda: uplift.uplift_curve(Y, U, [2] * 5 + [0] * 5), r"treatment should hold 0 and 1"),
    (lambda: uplift.uplift_curve(Y, [np.nan] + U[1:], T), r"uplift has 1 missing or infinite values"),
    (lambda: uplift.uplift_curve(Y, ["a"] * 10, T), r"uplift should hold numbers"),
    (lambda: uplift.qini_auc_score([0] * 10, U, T), r"y_true should hold 0 and 1"),
    (lambda: uplift.qini_auc_score(Y, U, T, negative_effect="yes"), r"negative_effect should be True or False"),
    (lambda: uplift.uplift_at_k(Y, U, T, strategy="top"), r"strategy should be 'overall' or 'by_group'"),
    (lambda: uplift.uplift_at_k(Y, U, T, "overall", k=1.0), r"k=1.0 should be either a whole number from 1 to 9"),
    (lambda: uplift.uplift_at_k(Y, U, T, "overall", k=10), r"k=10 should be either a whole number"),
    (lambda: uplift.uplift_at_k(Y, U, T, "overall", k=True), r"k should be a share between 0 and 1"),
    (lambda: uplift.uplift_at_k(Y, U, T, "overall", k=0.2), r"the top 2 customers include no control customer"),
    (lambda: uplift.uplift_at_k(Y, U, T, "by_group", k=6), r"6 control customers are wanted but the control arm has 5"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# ---- meta-learners ----------------------------------------------------------------------------------------------

def _experiment(n: int, seed: int, treated_share: float = 0.5):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(n, 3))
    t = (rng.uniform(size=n) < treated_share).astype(int)
    true_uplift = 0.5 + 2.0 * X[:, 1]
    y = 1.0 + 2.0 * X[:, 0] + t * true_uplift + rng.normal(0, 0.5, n)
    return X, y, t, true_uplift


@pytest.mark.parametrize("learner", ["T", "X"])
def test_learners_recover_a_known_effect(learner):
    from sklearn.linear_model import LinearRegression

    X, y, t, _ = _experiment(20_000, seed=4, treated_share=0.2)
    model = (uplift.TLearner if learner == "T" else uplift.XLearner)(LinearRegression()).fit(X, y, t)
    X_new, *_, truth = _experiment(2_000, seed=5)
    predicted = model.predict(X_new)
    assert predicted.shape == (2_000,)
    # 4,000 treated customers with noise of spread 0.5: the line is off by a few hundredths
    assert np.mean(np.abs(predicted - truth)) < 0.06
    assert np.corrcoef(predicted, truth)[0, 1] > 0.99


def test_t_learner_with_a_classifier_predicts_a_change_of_probability():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(6)
    n = 40_000
    X = rng.normal(size=(n, 2))
    t = rng.integers(0, 2, n)
    logit = -1.0 + X[:, 0] + t * (0.2 + 0.8 * X[:, 1])  # a logistic model in each arm, as the learner assumes
    y = (rng.uniform(size=n) < special.expit(logit)).astype(int)
    model = uplift.TLearner(LogisticRegression()).fit(pd.DataFrame(X, columns=["a", "b"]), y, t)
    X_new = pd.DataFrame(rng.normal(size=(1_000, 2)), columns=["a", "b"])
    a, b = X_new["a"].to_numpy(), X_new["b"].to_numpy()
    truth = special.expit(-1.0 + a + 0.2 + 0.8 * b) - special.expit(-1.0 + a)
    predicted = model.predict(X_new)
    assert np.all((predicted > -1) & (predicted < 1)) and np.mean(np.abs(predicted - truth)) < 0.02
    # and the uplift curve of its predictions on a fresh experiment beats a random ranking clearly
    t_new = rng.integers(0, 2, 1_000)
    y_new = (rng.uniform(size=1_000) < special.expit(-1.0 + a + t_new * (0.2 + 0.8 * b))).astype(int)
    assert uplift.qini_auc_score(y_new, predicted, t_new) > 0.1
    assert uplift.qini_auc_score(y_new, -predicted, t_new) < 0  # the reversed ranking is worse than random


def test_t_learner_with_doses_gives_one_column_per_dose():
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(7)
    n = 12_000
    X = rng.uniform(size=(n, 1))
    dose = rng.choice([0, 1, 2, 3], size=n)
    y = X[:, 0] + 1.5 * (1 - np.exp(-dose / 1.2)) * X[:, 0] + rng.normal(0, 0.1, n)
    model = uplift.TLearner(LinearRegression()).fit(X, y, dose)
    assert model.doses_ == (1.0, 2.0, 3.0) and sorted(model.models_) == [0.0, 1.0, 2.0, 3.0]
    predicted = model.predict([[1.0]])
    assert predicted.shape == (1, 3)
    assert predicted[0] == pytest.approx(1.5 * (1 - np.exp(-np.array([1, 2, 3]) / 1.2)), abs=0.02)


def test_learners_do_not_change_the_estimator_they_are_given_and_say_what_is_wrong():
    from sklearn.linear_model import LinearRegression, LogisticRegression

    estimator = LinearRegression()
    uplift.TLearner(estimator).fit([[0.0], [1.0], [0.0], [1.0]], [1.0, 2.0, 2.0, 4.0], [0, 0, 1, 1])
    assert not hasattr(estimator, "coef_"), "the learner fits copies"
    with pytest.raises(ValueError, match=r"not fitted yet: call fit"):
        uplift.TLearner(estimator).predict([[0.0]])
    with pytest.raises(ValueError, match=r"treatment should hold both control \(0\) and treated"):
        uplift.TLearner(estimator).fit([[0.0], [1.0]], [1.0, 2.0], [1, 1])
    with pytest.raises(ValueError, match=r"X, y and treatment should have one row per customer each; got 2, 3 and 2"):
        uplift.TLearner(estimator).fit([[0.0], [1.0]], [1.0, 2.0, 3.0], [0, 1])
    with pytest.raises(ValueError, match=r"needs a regressor for them: pass effect_estimator="):
        uplift.XLearner(LogisticRegression()).fit([[0.0], [1.0], [0.0], [1.0]], [0, 1, 1, 0], [0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"treatment should hold 0 and 1 only"):
        uplift.XLearner(estimator).fit([[0.0], [1.0], [0.0], [1.0]], [1.0, 2.0, 2.0, 4.0], [0, 2, 1, 1])
    with pytest.raises(ValueError, match=r"the dose 0 arm's customers all have the outcome 0, so a classifier cannot"):
        uplift.TLearner(LogisticRegression()).fit([[0.0], [1.0], [0.0], [1.0]], [0, 0, 1, 0], [0, 0, 1, 1])


# ---- prescription ----------------------------------------------------------------------------------------------

def test_prescription_by_hand():
    predicted = pd.DataFrame({1: [0.30, 0.10, 0.05, 0.25], 2: [0.45, 0.12, -0.02, 0.25 + 1.5 / 12]},
                             index=pd.Index([101, 102, 103, 104], name="customer_id"))
    plan = uplift.prescribe(predicted, value=12.0, cost={1: 2.0, 2: 3.5})
    # 101: dose 1 earns 0.30 * 12 - 2 = 1.60, dose 2 earns 0.45 * 12 - 3.5 = 1.90: dose 2
    # 102: -0.80 and -2.06: no one; 103: -1.40 and -3.74: no one
    # 104: 1.00 and 1.00 exactly: a tie goes to the smaller dose
    assert plan.customers["dose"].tolist() == [2, 0, 0, 1]
    assert plan.customers["expected_return"].tolist() == pytest.approx([1.9, 0, 0, 1.0])
    assert plan.customers.loc[101, ["expected_uplift", "expected_value", "cost"]].tolist() == pytest.approx([0.45, 5.4, 3.5])
    assert plan.customers.index.name == "customer_id"
    policies = plan.policies
    assert policies.index.tolist() == ["prescription", "treat no one", "treat everyone at dose 1", "treat everyone at dose 2"]
    assert policies["treated"].tolist() == [2, 0, 4, 4]
    assert policies["expected_return"].tolist() == pytest.approx([2.9, 0.0, 1.6 - 0.8 - 1.4 + 1.0, 1.9 - 2.06 - 3.74 + 1.0])
    assert policies["return_per_customer"].tolist() == pytest.approx((policies["expected_return"] / 4).tolist())
    # the prescription is never worse than treating no one or everyone at any one dose
    assert policies.loc["prescription", "expected_return"] == policies["expected_return"].max()


def test_prescription_with_values_per_customer_and_a_cost_per_touch():
    predicted = pd.DataFrame({1: [0.2, 0.2], 3: [0.5, 0.5]}, index=["ann", "bob"])
    # a purchase is worth $40 of margin to Ann and $10 to Bob; each touch costs $2 (dose 3 costs $6)
    plan = uplift.prescribe(predicted, value=pd.Series([40.0, 10.0], index=["ann", "bob"]), cost=2.0)
    # Ann: dose 1 returns 0.2 * 40 - 2 = 6, dose 3 returns 0.5 * 40 - 6 = 14: dose 3.
    # Bob: dose 1 returns 0.2 * 10 - 2 = 0, dose 3 returns 5 - 6 = -1: nothing to gain, so no treatment.
    assert plan.customers["dose"].to_dict() == {"ann": 3, "bob": 0}
    assert plan.customers["expected_return"].to_dict() == pytest.approx({"ann": 14.0, "bob": 0.0})
    single = uplift.prescribe(pd.Series([0.1, 0.3]), value=10.0, cost=2.0)  # one treatment, a Series
    assert single.customers["dose"].tolist() == [0, 1]


@pytest.mark.parametrize("call, message", [
    (lambda: uplift.prescribe(pd.DataFrame({0: [0.1]}), 1.0, 1.0), r"uplift's columns should be the doses, numbers above 0"),
    (lambda: uplift.prescribe(pd.DataFrame({1: [np.nan]}), 1.0, 1.0), r"uplift has missing or infinite values"),
    (lambda: uplift.prescribe(pd.DataFrame({1: [0.1]}, index=[5]), pd.Series([1.0], index=[6]), 1.0),
     r"value should be indexed like uplift"),
    (lambda: uplift.prescribe(pd.DataFrame({1: [0.1], 2: [0.2]}), 1.0, {1: 1.0}), r"cost names no cost for dose 2"),
    (lambda: uplift.prescribe(pd.DataFrame({1: [0.1]}), 1.0, -1.0), r"costs should be numbers of at least 0"),
    (lambda: uplift.prescribe(pd.DataFrame({1: [0.1]}), -5.0, 1.0), r"value should hold numbers of at least 0"),
    (lambda: uplift.prescribe([0.1, 0.2], 1.0, 1.0), r"uplift should be a DataFrame"),
])
def test_prescription_errors_are_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
