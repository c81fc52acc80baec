"""The uplift-curve figures and explorer: the package's curves drawn where they belong, with their normalised
areas; the true classes by rank with Wilson intervals (checked by hand); the right customers, uplift and
classes in the explorer's readout; a new figure when a control moves; the same output every run; clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import experiments, intervals, plots, uplift, widgets
from customering_utils.plots.uplift_curves import class_shares

#: Ten customers (the uplift module's own example): treated 1-5, control 6-10.
Y = [1, 0, 0, 1, 1, 0, 0, 1, 0, 0]
TREATMENT = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
MODEL = [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def experiment() -> pd.DataFrame:
    """400 customers: a score that tracks each one's true class, a treatment that helps the gainers and puts the
    harmed off, half of them treated."""
    rng = np.random.default_rng(11)
    n = 400
    kind = rng.choice(["gain", "unmoved", "harm"], size=n, p=[0.5, 0.35, 0.15])
    treated = rng.permutation(np.repeat([0, 1], n // 2))
    base = 0.3 + 0.3 * treated * (kind == "gain") - 0.2 * treated * (kind == "harm")
    bought = (rng.random(n) < base).astype(int)
    score = np.select([kind == "gain", kind == "harm"], [0.5, -0.5], 0.0) + rng.normal(0, 0.4, n)
    return pd.DataFrame({"bought": bought, "treated": treated, "kind": kind, "score": score,
                         "noise": rng.random(n)})


# ---- plots.uplift_curves ---------------------------------------------------------------------


def test_uplift_curves_draws_the_packages_qini_curves_with_their_coefficients():
    reverse = [-value for value in MODEL]
    ax = plots.uplift_curves(Y, TREATMENT, {"model": MODEL, "reverse": reverse}, outcome="buyers")
    model, backwards, random = ax.get_lines()[:3]
    x, height = uplift.qini_curve(Y, MODEL, TREATMENT)
    assert model.get_xdata().tolist() == pytest.approx((x / 10).tolist())
    assert model.get_ydata().tolist() == pytest.approx(height.tolist())
    assert model.get_label() == f"model (Qini coefficient {uplift.qini_auc_score(Y, MODEL, TREATMENT):.3f})"
    assert backwards.get_label() == f"reverse (Qini coefficient {uplift.qini_auc_score(Y, reverse, TREATMENT):.3f})"
    assert [to_hex(line.get_color()).upper() for line in (model, backwards, random)] == [
        plots.PALETTE["blue"], plots.PALETTE["orange"], plots.PALETTE["grey"]]
    assert random.get_label() == "random ranking"
    assert random.get_xdata().tolist() == [0, 1] and random.get_ydata().tolist() == pytest.approx([0, height[-1]])
    assert ax.get_ylabel() == "extra buyers among the treated taken (count)"
    assert ax.get_xlabel() == "customers taken, highest predicted uplift first (% of customers)"
    assert "Qini curves of 10 held-out customers" in ax.get_title()


def test_uplift_curves_draws_the_uplift_curve_and_the_perfect_ranking_when_asked():
    ax = plots.uplift_curves(Y, TREATMENT, {"model": MODEL}, kind="uplift", perfect=True)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == [f"model (uplift AUC {uplift.uplift_auc_score(Y, MODEL, TREATMENT):.3f})", "random ranking",
                      "perfect ranking"]
    perfect = ax.get_lines()[2]
    x, height = uplift.perfect_uplift_curve(Y, TREATMENT)
    assert perfect.get_ydata().tolist() == pytest.approx(height.tolist())
    assert perfect.get_xdata().tolist() == pytest.approx((x / 10).tolist())
    assert to_hex(perfect.get_color()).upper() == plots.PALETTE["black"] and perfect.get_linestyle() == "--"
    assert ax.get_ylabel() == "extra responses if those taken were all treated (count)"


def test_uplift_curves_draws_into_the_axes_it_is_given():
    _, ax = plt.subplots()
    assert plots.uplift_curves(Y, TREATMENT, {"model": MODEL}, ax=ax) is ax


@pytest.mark.parametrize("kwargs, error, message", [
    ({"kind": "gain"}, ValueError, "kind should be 'qini' or 'uplift'"),
    ({"perfect": "yes"}, TypeError, "perfect should be True or False"),
    ({"scores": {}}, TypeError, "at least one ranking"),
    ({"scores": [MODEL]}, TypeError, "scores should be a dict"),
    ({"scores": {"short": MODEL[:5]}}, ValueError, r"scores\['short'\] should hold one number per customer \(10\)"),
    ({"scores": {"gap": [np.nan] + MODEL[1:]}}, ValueError, r"scores\['gap'\] has missing"),
    ({"scores": {str(i): MODEL for i in range(7)}}, ValueError, "at most 6 rankings"),
])
def test_uplift_curves_rejects_bad_input(kwargs, error, message):
    arguments = {"scores": {"model": MODEL}} | kwargs
    with pytest.raises(error, match=message):
        plots.uplift_curves(Y, TREATMENT, **arguments)


# ---- class_shares and plots.classes_by_rank -------------------------------------------------------


def test_class_shares_counts_each_class_in_equal_groups_with_wilson_intervals():
    scores = [0.6, 0.1, 0.5, 0.2, 0.4, 0.3]  # lowest first: 0.1, 0.2 | 0.3, 0.4 | 0.5, 0.6
    classes = ["gain", "harm", "gain", "harm", "unmoved", "gain"]
    table = class_shares(scores, classes, bins=3)
    assert table.loc[(1, "harm"), "count"] == 2 and table.loc[(2, "harm"), "count"] == 0
    assert table.loc[(2, "gain"), "count"] == 1 and table.loc[(3, "gain"), "count"] == 2
    assert (table["customers"] == 2).all()
    wilson = intervals.proportion(1, 2)
    assert table.loc[(2, "unmoved"), ["share", "lower", "upper"]].tolist() == pytest.approx(
        [wilson.estimate, wilson.lower, wilson.upper])


def test_classes_by_rank_draws_each_class_across_the_groups_and_its_overall_share():
    scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    classes = ["harm", "harm", "unmoved", "gain", "gain", "gain"]
    ax = plots.classes_by_rank(scores, classes, bins=3, order=("gain", "harm"))
    assert [container.get_label() for container in ax.containers] == ["gain", "harm"]
    data_lines = [container.lines[0] for container in ax.containers]
    assert data_lines[0].get_ydata().tolist() == pytest.approx([0.0, 50.0, 100.0])
    assert data_lines[1].get_ydata().tolist() == pytest.approx([100.0, 0.0, 0.0])
    assert to_hex(data_lines[1].get_color()).upper() == plots.PALETTE["vermillion"]
    overall = [line.get_ydata()[0] for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert overall == pytest.approx([50.0, 100 / 3])
    assert ax.get_xlabel() == "group of customers by predicted uplift (1 = lowest of 3)"
    assert ax.get_ylabel() == "share of the group (% of customers)"


@pytest.mark.parametrize("args, kwargs, message", [
    (([0.1, 0.2], ["gain"]), {}, "one value per customer each"),
    (([0.1, np.nan], ["gain", "harm"]), {}, "scores has missing"),
    (([0.1, 0.2], ["gain", None]), {}, "classes has missing"),
    (([0.1, 0.2, 0.3], ["gain", "harm", "gain"]), {"bins": 4}, "bins should be a whole number from 2"),
    (([0.1, 0.2, 0.3], ["gain", "harm", "gain"]), {"bins": 2, "order": ("gain", "unmoved")}, r"\['unmoved'\] not found"),
])
def test_classes_by_rank_rejects_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.classes_by_rank(*args, **kwargs)


# ---- widgets.uplift_explorer --------------------------------------------------------------------


def test_explorer_reads_out_the_areas_the_uplift_at_k_and_the_classes_taken(experiment):
    explorer = widgets.uplift_explorer(experiment["bought"], experiment["treated"], {"model": experiment["score"]},
                                       experiment["kind"], start=0.25, end="highest", outcome="buyers")
    choose, slider, ends, readout, picture = explorer.children
    assert (choose.value, slider.value, ends.value) == ("model", 0.25, "highest")
    y, t, s = experiment["bought"], experiment["treated"], experiment["score"]
    assert (f"Qini coefficient {uplift.qini_auc_score(y, s, t):.3f}, uplift AUC {uplift.uplift_auc_score(y, s, t):.3f}"
            in readout.value)
    top = experiment.iloc[np.argsort(s.to_numpy(), kind="mergesort")[::-1][:100]]
    treated, control = top[top["treated"] == 1], top[top["treated"] == 0]
    gap = experiments.difference_in_proportions(int(treated["bought"].sum()), len(treated), int(control["bought"].sum()),
                                                len(control))
    assert gap.estimate == pytest.approx(uplift.uplift_at_k(y, s, t, strategy="overall", k=0.25))
    assert f"The <b>100</b> customers (25%) with the highest predicted uplift: {len(treated)} treated" in readout.value
    assert f"a difference of <b>{gap.estimate:+.1%}</b> (95% interval {gap.lower:+.1%} to {gap.upper:+.1%})" in readout.value
    harmed = int((top["kind"] == "harm").sum())
    wilson = intervals.proportion(harmed, 100)
    assert (f"harm <b>{harmed}</b> ({wilson.estimate:.1%}, 95% interval {wilson.lower:.1%} to {wilson.upper:.1%}; "
            f"all customers {(experiment['kind'] == 'harm').mean():.1%})") in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_controls_changes_the_readout_and_the_figure(experiment):
    rankings = {"model": experiment["score"], "noise": experiment["noise"]}
    explorer = widgets.uplift_explorer(experiment["bought"], experiment["treated"], rankings, experiment["kind"])
    choose, slider, ends, readout, picture = explorer.children
    assert (slider.value, ends.value) == (0.1, "lowest")
    lowest = experiment.nsmallest(40, "score")
    assert f"harm <b>{int((lowest['kind'] == 'harm').sum())}</b>" in readout.value
    first_text, first_picture = readout.value, picture.value
    ends.value = "highest"
    assert "with the highest predicted uplift" in readout.value and readout.value != first_text
    assert picture.value != first_picture
    slider.value = 0.5
    assert "The <b>200</b> customers (50%)" in readout.value
    choose.value = "noise"
    assert "<b>noise</b>: Qini coefficient" in readout.value


def test_explorer_without_classes_shows_the_arms_and_says_when_an_arm_is_missing():
    explorer = widgets.uplift_explorer(Y, TREATMENT, {"model": MODEL}, shares=(0.2, 0.5), start=0.2, end="highest")
    readout = explorer.children[3].value
    assert "Their true classes" not in readout
    assert "The <b>2</b> customers (20%) with the highest predicted uplift: 2 treated and 0 control" in readout
    assert "no difference can be measured" in readout
    explorer.children[1].value = 0.5  # the top 5: three treated (all bought), two control (neither bought)
    assert "3 treated, 2 control; responses: 100.0% of the treated against 0.0% of the control" in explorer.children[3].value
    assert "a difference of <b>+100.0%</b>" in explorer.children[3].value


def test_explorer_gives_the_same_output_every_run(experiment):
    args = (experiment["bought"], experiment["treated"], {"model": experiment["score"]}, experiment["kind"])
    one, two = widgets.uplift_explorer(*args, confidence=0.9), widgets.uplift_explorer(*args, confidence=0.9)
    assert "90% interval" in one.children[3].value
    assert one.children[3].value == two.children[3].value and one.children[4].value == two.children[4].value


@pytest.mark.parametrize("kwargs, message", [
    ({"y_true": [2] + Y[1:]}, "y_true should hold 0 and 1"),
    ({"treatment": [1] * 10}, "treatment should hold 0 and 1"),
    ({"treatment": TREATMENT[:9]}, "one value per customer each"),
    ({"classes": ["gain"] * 9}, "a class for each of the 10 customers"),
    ({"start": 0.33}, "start should be one of the shares"),
    ({"end": "top"}, "end should be 'lowest' or 'highest'"),
    ({"shares": (0.5, 0.2), "start": 0.5}, "increasing shares strictly between 0 and 1"),
    ({"shares": (0.5, 1.0), "start": 0.5}, "increasing shares strictly between 0 and 1"),
    ({"confidence": 95}, "confidence should be a share between 0 and 1"),
    ({"scores": {"short": MODEL[:3]}}, "should hold one number per customer"),
])
def test_explorer_rejects_bad_input(kwargs, message):
    arguments = {"y_true": Y, "treatment": TREATMENT, "scores": {"model": MODEL}} | kwargs
    with pytest.raises(ValueError, match=message):
        widgets.uplift_explorer(**arguments)


def test_uplift_figures_and_explorer_are_exported():
    assert {"uplift_curves", "classes_by_rank"} <= set(plots.__all__)
    assert "uplift_explorer" in widgets.__all__
