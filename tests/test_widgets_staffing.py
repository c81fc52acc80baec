"""The staffing figures and explorer (lesson 2b): the curves are the service module's numbers, the monthly
figure draws each share with its band, the explorer's readout follows its sliders, the same output every
run, and clear errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from customering_utils import plots, service, widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def monthly() -> pd.DataFrame:
    months = pd.date_range("2024-03-01", periods=4, freq="MS")
    return pd.DataFrame({"service_level": [0.87, 0.57, 0.58, 0.88], "service_level_lower": [0.86, 0.55, 0.56, 0.87],
                         "service_level_upper": [0.88, 0.59, 0.60, 0.89], "abandonment": [0.06, 0.27, 0.26, 0.05],
                         "abandonment_lower": [0.05, 0.25, 0.24, 0.04], "abandonment_upper": [0.07, 0.29, 0.28, 0.06]},
                        index=months)


# ---- plots.staffing_curves ----------------------------------------------------------------------


def test_staffing_curves_draw_the_service_modules_numbers():
    ax = plots.staffing_curves(8, 360, 180, staffed=2, most_agents=6)
    with_hang_ups, patient, abandon, goal, staffed = ax.get_lines()
    agents = np.arange(1, 7)
    assert with_hang_ups.get_xdata().tolist() == agents.tolist()
    expected = service.erlang_a(np.full(6, 8.0), 360, agents, 180)
    assert with_hang_ups.get_ydata() == pytest.approx(100 * expected["service_level"].to_numpy())
    assert abandon.get_ydata() == pytest.approx(100 * expected["p_abandon"].to_numpy())
    assert patient.get_ydata() == pytest.approx(100 * service.service_level(8, 360, agents))
    assert patient.get_ydata()[0] == 0  # 1 agent for 1.6 Erlangs: Erlang C has no answer
    assert list(goal.get_ydata()) == [80, 80] and list(staffed.get_xdata()) == [2, 2]
    assert staffed.get_label() == "staffed: 2 agents"
    assert [to_hex(line.get_color()).upper() for line in (with_hang_ups, patient, abandon)] == [
        plots.PALETTE["blue"], plots.PALETTE["sky_blue"], plots.PALETTE["vermillion"]]
    assert ax.get_xlabel() == "agents on the phones (count)" and ax.get_ylabel() == "share of offered calls (%)"
    assert "1.60 Erlangs" in ax.get_title()


def test_staffing_curves_reach_beyond_good_service_and_the_staffed_agents_by_default():
    ax = plots.staffing_curves(8, 360, 180)
    agents = ax.get_lines()[0].get_xdata()
    assert agents[0] == 1 and agents[-1] == 7  # Erlang C first reaches 95% at 5 agents; two more
    assert len(ax.get_lines()) == 4  # no staffed line
    assert plots.staffing_curves(8, 360, 180, staffed=12).get_lines()[0].get_xdata()[-1] == 14


def test_staffing_curves_draw_into_the_axes_they_are_given():
    _, ax = plt.subplots()
    assert plots.staffing_curves(20, 300, 120, staffed=1, ax=ax) is ax
    assert ax.get_lines()[-1].get_label() == "staffed: 1 agent"


@pytest.mark.parametrize("kwargs, error, message", [
    ({"arrivals": [8, 9]}, TypeError, "arrivals should be one number"),
    ({"patience": True}, TypeError, "patience should be one number"),
    ({"goal": 80}, ValueError, "goal should be a share between 0 and 1"),
    ({"most_agents": 0}, ValueError, "most_agents should be a whole number of at least 1"),
    ({"handle_time": -5.0}, ValueError, "handle_time"),
])
def test_staffing_curves_reject_bad_input(kwargs, error, message):
    arguments = {"arrivals": 8, "handle_time": 360, "patience": 180} | kwargs
    with pytest.raises(error, match=message):
        plots.staffing_curves(**arguments)


# ---- plots.service_by_month ---------------------------------------------------------------------


def test_service_by_month_draws_each_share_with_its_band_the_goal_and_the_marked_months(monthly):
    ax = plots.service_by_month(monthly, goal=0.8, marked=("2024-04-01", "2024-05-31"))
    level, abandonment, goal = ax.get_lines()
    assert level.get_ydata().tolist() == pytest.approx([87.0, 57.0, 58.0, 88.0])
    assert abandonment.get_ydata().tolist() == pytest.approx([6.0, 27.0, 26.0, 5.0])
    assert list(goal.get_ydata()) == [80, 80]
    assert to_hex(level.get_color()).upper() == plots.PALETTE["blue"]
    assert to_hex(abandonment.get_color()).upper() == plots.PALETTE["vermillion"]
    assert len(ax.collections) == 2  # one band per share
    band = ax.collections[1].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(4.0) and band.max() == pytest.approx(29.0)
    assert len(ax.patches) == 1  # the marked months
    assert [text.get_text() for text in ax.get_legend().get_texts()][0] == "hiring freeze"
    assert ax.get_ylabel() == "share of offered calls (%)"


def test_service_by_month_without_goal_or_marked_months(monthly):
    ax = plots.service_by_month(monthly, goal=None)
    assert len(ax.get_lines()) == 2 and len(ax.patches) == 0


@pytest.mark.parametrize("change, error, message", [
    (lambda m: m.drop(columns="abandonment_upper"), ValueError, r"missing the columns \['abandonment_upper'\]"),
    (lambda m: m.reset_index(drop=True), TypeError, "DatetimeIndex"),
    (lambda m: m.assign(service_level=87.0), ValueError, "shares from 0 to 1"),
    (lambda m: m.assign(abandonment=np.nan), ValueError, "no blanks"),
    (lambda m: m.iloc[:0], ValueError, "empty"),
])
def test_service_by_month_rejects_bad_input(monthly, change, error, message):
    with pytest.raises(error, match=message):
        plots.service_by_month(change(monthly))


# ---- widgets.staffing_explorer ------------------------------------------------------------------


def test_explorer_reads_out_erlang_a_and_erlang_c():
    explorer = widgets.staffing_explorer(8, 360, 2, 180)
    calls, handle, agents, patience, readout, picture = explorer.children
    assert (calls.value, handle.value, agents.value, patience.value) == (8, 360, 2, 180)
    measures = service.erlang_a(8, 360, 2, 180)
    busy = service.occupancy(1.6, 2, abandoned=measures["p_abandon"])
    assert "Offered load: <b>1.60 Erlangs</b> on 2 agents." in readout.value
    assert (f"service level <b>{measures['service_level']:.1%}</b> within 20 s, average wait "
            f"{measures['average_wait']:.1f} s, abandonment <b>{measures['p_abandon']:.1%}</b>, "
            f"occupancy {busy:.1%}") in readout.value
    assert (f"If nobody hung up (Erlang C): service level {float(service.service_level(8, 360, 2)):.1%}, "
            f"average speed of answer {float(service.average_speed_of_answer(8, 360, 2)):.1f} s.") in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_the_sliders_changes_the_readout_and_the_figure():
    explorer = widgets.staffing_explorer(8, 360, 2, 180)
    calls, handle, agents, patience, readout, picture = explorer.children
    first_text, first_picture = readout.value, picture.value
    agents.value = 4
    assert "on 4 agents" in readout.value and readout.value != first_text
    assert f"abandonment <b>{service.erlang_a(8, 360, 4, 180)['p_abandon']:.1%}</b>" in readout.value
    assert picture.value != first_picture
    agents.value = 1  # 1.6 Erlangs on 1 agent: Erlang C has no answer, Erlang A still does
    assert "on 1 agent." in readout.value and "Erlang C): no answer" in readout.value
    patience.value = 60
    assert "hang up after 60 s" in readout.value
    calls.value, handle.value = 16, 300
    assert "Offered load: <b>2.67 Erlangs</b>" in readout.value


def test_explorer_gives_the_same_output_every_run_and_rounds_its_start():
    one, two = widgets.staffing_explorer(7.6, 354, 3, 184), widgets.staffing_explorer(7.6, 354, 3, 184)
    assert [child.value for child in one.children[:4]] == [8, 350, 3, 180]
    assert one.children[4].value == two.children[4].value and one.children[5].value == two.children[5].value
    assert widgets.staffing_explorer(8, 360, 2, 180, target=30).children[4].value.count("within 30 s") == 1


@pytest.mark.parametrize("arguments, error, message", [
    ((8, 360, 2.5, 180), ValueError, "agents should be a whole number"),
    ((8, 360, 0, 180), ValueError, "agents should be a whole number"),
    ((-1, 360, 2, 180), ValueError, "arrivals should be a count"),
    ((8, 30, 2, 180), ValueError, "handle time of 60 s"),
    ((8, 360, 2, np.inf), TypeError, "patience should be one finite number"),
    (("8", 360, 2, 180), TypeError, "arrivals should be one finite number"),
])
def test_explorer_rejects_bad_input(arguments, error, message):
    with pytest.raises(error, match=message):
        widgets.staffing_explorer(*arguments)


def test_staffing_figures_and_explorer_are_exported():
    assert {"staffing_curves", "service_by_month"} <= set(plots.__all__)
    assert "staffing_explorer" in widgets.__all__
