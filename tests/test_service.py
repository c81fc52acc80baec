"""Erlang C against a direct, factorial-based evaluation of the textbook formula."""

from __future__ import annotations

from math import exp, factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils import service


def textbook_erlang_c(agents: int, load: float) -> float:
    top = load**agents / factorial(agents) * agents / (agents - load)
    return top / (sum(load**k / factorial(k) for k in range(agents)) + top)


def test_hand_worked_two_agents_one_erlang():
    # B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2;  C = 2 * 0.2 / (2 - 0.8) = 1/3
    assert service.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # SL(20 s, AHT 180 s) = 1 - (1/3) * exp(-(2 - 1) * 20 / 180)
    assert service.service_level(10, 180, 2, target=20, interval=1800) == pytest.approx(1 - exp(-1 / 9) / 3)
    # ASA = C * AHT / (N - A) = 180 / 3
    assert service.average_speed_of_answer(10, 180, 2, interval=1800) == pytest.approx(60.0)


@settings(max_examples=200, deadline=None)
@given(agents=st.integers(1, 80), share=st.floats(0.01, 0.99))
def test_matches_the_factorial_formula(agents, share):
    load = agents * share
    assert service.erlang_c(agents, load) == pytest.approx(textbook_erlang_c(agents, load), rel=1e-9)


def test_overload_means_everyone_waits_forever():
    assert service.erlang_c(5, 5.0) == 1.0
    assert service.service_level(200, 180, 10) == 0.0  # 20 Erlangs on 10 agents
    assert service.average_speed_of_answer(200, 180, 10) == np.inf


def test_staffing_is_the_fewest_agents_that_meet_the_goal():
    arrivals = np.array([0, 5, 100, 1000, 4000])
    agents = service.agents_for_service_level(arrivals, 360, goal=0.8, target=20)
    met = service.service_level(arrivals, 360, agents) >= 0.8
    below = service.service_level(arrivals, 360, np.maximum(agents - 1, 1)) < 0.8
    assert met.all()
    assert (below | (agents == 1)).all()
    assert agents[0] == 1 and agents.tolist() == sorted(agents.tolist())


@pytest.mark.parametrize("call, message", [
    (lambda: service.erlang_c(0, 1.0), "agents should be whole numbers of at least 1"),
    (lambda: service.erlang_c(2.5, 1.0), "agents should be whole numbers of at least 1"),
    (lambda: service.offered_load(-1, 180), "arrivals should be finite and non-negative"),
    (lambda: service.offered_load(10, 0), "handle_time should be finite and positive"),
    (lambda: service.agents_for_service_level(10, 180, goal=80), "goal should be a share between 0 and 1"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
