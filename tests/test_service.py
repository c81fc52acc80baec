"""The service module: Erlang C against the textbook formula and published numbers; Erlang A
against Mandelbaum and Zeltyn's closed forms, its limits (Erlang C, Erlang B) and a simulation
of the same queue (ciw); staffing, ticket metrics and the cost to serve, by hand and on the
data world."""

from __future__ import annotations

from math import exp, factorial

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from customering_utils import intervals, service


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


# ---- Erlang C against published numbers ---------------------------------------------------

def test_erlang_c_matches_the_published_example_of_the_r_package_erlangc():
    """The worked example printed in the README of the R package ErlangC 0.1.0 (CRAN, December
    2024; https://stat.ethz.ch/CRAN/web/packages/ErlangC/readme/README.html): 100 calls in 30
    minutes, 180 s handle time, a 20 s target. With 14 agents it prints a traffic intensity of
    10, a wait probability of 0.1741319, a service level of 0.88835, an average speed of answer
    of 7.83593701177724 s and an occupancy of 0.7142857; its staffing search starts at 11
    agents (wait probability 0.6821182, service level 0.3896138) and settles on 14 for 80/20."""
    assert float(service.offered_load(100, 180, interval=1800)) == 10.0
    assert float(service.erlang_c(14, 10.0)) == pytest.approx(0.1741319, abs=5e-8)
    assert float(service.service_level(100, 180, 14, target=20)) == pytest.approx(0.88835, abs=5e-6)
    assert float(service.average_speed_of_answer(100, 180, 14)) == pytest.approx(7.83593701177724, rel=1e-9)
    assert service.occupancy(10.0, 14) == pytest.approx(0.7142857, abs=5e-8)
    assert float(service.erlang_c(11, 10.0)) == pytest.approx(0.6821182, abs=5e-8)
    assert float(service.service_level(100, 180, 11, target=20)) == pytest.approx(0.3896138, abs=5e-8)
    assert int(service.agents_for_service_level(100, 180, goal=0.8, target=20)) == 14


# ---- Erlang A -----------------------------------------------------------------------------

def mandelbaum_zeltyn(arrivals, handle_time, agents, patience, target, interval=1800.0):
    """Erlang A from the closed forms of Mandelbaum and Zeltyn (2007, "Service engineering in
    action: the Palm/Erlang-A queue, with applications to call centers"), written with
    incomplete gamma functions: a route to the same numbers independent of the package's sum
    over the birth-and-death chain. With x = N mu / theta, y = lambda / theta, rho = A / N:

        A(x, y) = x e^y y^-x gamma(x, y)    (gamma the lower incomplete gamma function)
        P(W > 0) = A E / (1 + (A - 1) E)    (E = Erlang B of N agents and load A)
        P(Ab | W > 0) = 1 / (rho A) + 1 - 1 / rho,    E[W] = P(Ab) / theta.

    The service level is the same sum over the chain as the package's, summed in closed form
    here: a call finding j waiting is answered within t with probability E[U; U >= e^(-theta t)]
    for U ~ Beta(x, j + 1), and summing over j with the chain's weights gives
    P(W > 0) (x / y) [P(x + 1, y) - P(x + 1, y e^(-theta t))] / P(x, y), P the regularised
    incomplete gamma function. Fine for moderate sizes; the gamma functions underflow for
    large ones, which is why the package sums the chain in log space instead."""
    load = arrivals * handle_time / interval
    x, y, rho = agents * patience / handle_time, load * patience / handle_time, load / agents
    a_xy = exp(y - x * np.log(y) + special.gammaln(x + 1)) * special.gammainc(x, y)
    erlang_b = stats.poisson.pmf(agents, load) / stats.poisson.cdf(agents, load)
    p_wait = a_xy * erlang_b / (1 + (a_xy - 1) * erlang_b)
    p_abandon = p_wait * (1 / (rho * a_xy) + 1 - 1 / rho)
    in_time = (special.gammainc(x + 1, y) - special.gammainc(x + 1, y * exp(-target / patience))) / special.gammainc(x, y)
    return {"p_wait": p_wait, "p_abandon": p_abandon, "average_wait": p_abandon * patience,
            "service_level": 1 - p_wait + p_wait * (x / y) * in_time}


@pytest.mark.parametrize("arrivals, handle_time, agents, patience, target", [
    (100, 180, 11, 120, 20),     # 10 Erlangs, a little short-staffed
    (100, 180, 14, 300, 20),     # well staffed, patient callers
    (120, 180, 10, 120, 20),     # overloaded: 12 Erlangs on 10 agents, fine under Erlang A
    (60, 240, 5, 60, 15),        # a small team, impatient callers
    (360, 240, 55, 180, 15),     # 48 Erlangs
    (3000, 300, 480, 200, 20),   # 500 Erlangs
])
def test_erlang_a_equals_the_closed_forms_of_mandelbaum_and_zeltyn(arrivals, handle_time, agents, patience, target):
    result = service.erlang_a(arrivals, handle_time, agents, patience, target=target)
    reference = mandelbaum_zeltyn(arrivals, handle_time, agents, patience, target)
    for name in service.ERLANG_A_MEASURES:
        assert result[name] == pytest.approx(reference[name], rel=1e-9), name


def erlang_b(agents: int, load: float) -> float:
    """Erlang B by its textbook recursion B(n) = A B(n - 1) / (n + A B(n - 1)), B(0) = 1."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


@pytest.mark.parametrize("arrivals, handle_time, agents", [(100, 180, 11), (100, 180, 14), (60, 240, 9), (2100, 300, 360)])
def test_erlang_a_becomes_erlang_c_as_patience_grows(arrivals, handle_time, agents):
    load = float(service.offered_load(arrivals, handle_time))
    erlang_c = {"p_wait": float(service.erlang_c(agents, load)),
                "service_level": float(service.service_level(arrivals, handle_time, agents)),
                "average_wait": float(service.average_speed_of_answer(arrivals, handle_time, agents))}
    # The gap to Erlang C shrinks in proportion to 1 / patience (ten times smaller for each
    # tenfold patience): Erlang A converges to Erlang C, not to something near it.
    gaps = {name: [] for name in erlang_c}
    for patience in (1e6, 1e7, 1e8, 1e9):
        result = service.erlang_a(arrivals, handle_time, agents, patience)
        for name, value in erlang_c.items():
            gaps[name].append(abs(result[name] - value))
    for name, gap in gaps.items():
        ratios = np.array(gap[:-1]) / np.array(gap[1:])
        assert np.all((ratios > 9) & (ratios < 11)), (name, ratios)
        assert result[name] == pytest.approx(erlang_c[name], rel=1e-5), name
    assert result["p_abandon"] < 1e-6


@pytest.mark.parametrize("arrivals, handle_time, agents", [(100, 180, 11), (120, 180, 10), (60, 240, 3), (2100, 300, 340)])
def test_erlang_a_becomes_erlang_b_as_patience_vanishes(arrivals, handle_time, agents):
    # With no patience, a call that finds every agent busy is lost at once: the loss system.
    load = float(service.offered_load(arrivals, handle_time))
    result = service.erlang_a(arrivals, handle_time, agents, patience=1e-9)  # a nanosecond
    blocked = erlang_b(agents, load)
    assert result["p_abandon"] == pytest.approx(blocked, rel=1e-8)
    assert result["p_wait"] == pytest.approx(blocked, rel=1e-8)
    assert result["service_level"] == pytest.approx(1 - blocked, rel=1e-8)
    assert result["average_wait"] < 1e-8


def test_erlang_a_is_stable_at_hundreds_of_erlangs():
    # 350 Erlangs (2,100 calls of 5 minutes in half an hour) on 300 to 410 agents: factorials
    # of 300 overflow a float, the chain summed in log space does not.
    agents = np.arange(300, 420, 10)
    table = service.erlang_a(2100, 300, agents, patience=180)
    assert np.isfinite(table.to_numpy()).all()
    assert ((table[["p_wait", "p_abandon", "service_level"]] >= 0) & (table[["p_wait", "p_abandon", "service_level"]] <= 1)).all().all()
    assert table["p_wait"].is_monotonic_decreasing and table["p_abandon"].is_monotonic_decreasing
    assert table["service_level"].is_monotonic_increasing
    assert table["p_abandon"].iloc[0] > 0.05 and table["service_level"].iloc[-1] > 0.95
    for load_erlangs, staff, patience in [(1000, 950, 60), (1000, 1100, 60), (1000, 950, 1e6), (500, 520, 0.5)]:
        result = service.erlang_a(load_erlangs * 1800 / 300, 300, staff, patience)
        assert all(np.isfinite(value) and value >= 0 for value in result.values()), result
    # overloaded with very patient callers: the queue settles only when abandonment takes
    # the excess, so the share abandoning is the excess share of the load
    result = service.erlang_a(1000 * 1800 / 300, 300, 950, patience=1e6)
    assert result["p_abandon"] == pytest.approx(50 / 1000, rel=1e-6)


def simulate_queue(arrivals, handle_time, agents, patience, target, calls=15_000, seed=2026, interval=1800.0):
    """The same queue run as a discrete-event simulation with ciw (Palmer et al. 2019), seeded:
    each measure's mean over 20 batches of consecutive calls, after a warm-up of 5%, and its
    standard error from the batches' spread (batch means). ``patience=None`` is Erlang C."""
    import ciw

    rate = arrivals / interval
    options = {"arrival_distributions": [ciw.dists.Exponential(rate=rate)],
               "service_distributions": [ciw.dists.Exponential(rate=1 / handle_time)],
               "number_of_servers": [agents]}
    if patience is not None:
        options["reneging_time_distributions"] = [ciw.dists.Exponential(rate=1 / patience)]
    ciw.seed(seed)
    simulation = ciw.Simulation(ciw.create_network(**options))
    horizon = calls / rate
    simulation.simulate_until_max_time(horizon)
    records = sorted((record for record in simulation.get_all_records() if record.arrival_date > 0.05 * horizon),
                     key=lambda record: record.arrival_date)
    answered = np.array([record.record_type == "service" for record in records])
    wait = np.array([record.waiting_time if record.record_type == "service" else record.exit_date - record.arrival_date
                     for record in records])
    measures = {"p_wait": lambda a, w: np.mean(w > 0), "p_abandon": lambda a, w: np.mean(~a),
                "average_wait": lambda a, w: np.mean(w), "service_level": lambda a, w: np.mean(a & (w <= target))}
    batches = np.array_split(np.arange(len(records)), 20)
    found = {}
    for name, measure in measures.items():
        values = np.array([measure(answered[batch], wait[batch]) for batch in batches])
        found[name] = (values.mean(), values.std(ddof=1) / np.sqrt(len(values)))
    return found


@pytest.mark.parametrize("arrivals, handle_time, agents, patience, target", [
    (100, 180, 11, 120, 20),   # 10 Erlangs on 11 agents, callers wait 2 minutes on average
    (120, 180, 10, 120, 20),   # overloaded: 12 Erlangs on 10 agents
    (60, 240, 5, 60, 15),      # 8 Erlangs on 5 agents, impatient callers
])
def test_erlang_a_agrees_with_a_simulation_of_the_same_queue(arrivals, handle_time, agents, patience, target):
    # Within 4 simulation standard errors: a correct formula fails this about once in a
    # thousand seeds; a wrong definition (abandoned calls counted as served in time, the
    # wait of abandoned calls left out) misses by many.
    simulated = simulate_queue(arrivals, handle_time, agents, patience, target)
    result = service.erlang_a(arrivals, handle_time, agents, patience, target=target)
    for name, (mean, error) in simulated.items():
        assert abs(mean - result[name]) <= 4 * error, (name, mean, error, result[name])


@pytest.mark.parametrize("arrivals, handle_time, agents", [(100, 180, 12), (60, 240, 10)])
def test_erlang_c_agrees_with_a_simulation_of_the_same_queue(arrivals, handle_time, agents):
    simulated = simulate_queue(arrivals, handle_time, agents, patience=None, target=20)
    expected = {"p_wait": float(service.erlang_c(agents, service.offered_load(arrivals, handle_time))),
                "service_level": float(service.service_level(arrivals, handle_time, agents, target=20)),
                "average_wait": float(service.average_speed_of_answer(arrivals, handle_time, agents))}
    for name, value in expected.items():
        mean, error = simulated[name]
        assert abs(mean - value) <= 4 * error, (name, mean, error, value)
    assert simulated["p_abandon"][0] == 0


def test_erlang_a_does_not_depend_on_the_unit_of_time():
    # The same centre in minutes instead of seconds: the same probabilities, the wait in minutes.
    seconds = service.erlang_a(100, 180, 11, patience=120, target=20, interval=1800)
    minutes = service.erlang_a(100, 3.0, 11, patience=2.0, target=1 / 3, interval=30)
    for name in ("p_wait", "p_abandon", "service_level"):
        assert minutes[name] == pytest.approx(seconds[name], rel=1e-12)
    assert minutes["average_wait"] * 60 == pytest.approx(seconds["average_wait"], rel=1e-12)


def test_erlang_a_rows_follow_their_inputs_in_any_order():
    arrivals = np.array([40, 100, 160, 220])
    agents = np.array([5, 11, 16, 22])
    table = service.erlang_a(arrivals, 180, agents, patience=90)
    order = np.array([2, 0, 3, 1])
    shuffled = service.erlang_a(arrivals[order], 180, agents[order], patience=90)
    pd.testing.assert_frame_equal(shuffled.reset_index(drop=True), table.iloc[order].reset_index(drop=True))
    for i in range(4):
        assert service.erlang_a(int(arrivals[i]), 180, int(agents[i]), patience=90) == table.iloc[i].to_dict()


@settings(max_examples=150, deadline=None)
@given(agents=st.integers(1, 60), utilisation=st.floats(0.05, 2.0), handle=st.floats(30, 900),
       patience=st.floats(5, 3600), target=st.floats(0, 120))
def test_erlang_a_measures_hang_together(agents, utilisation, handle, patience, target):
    arrivals = agents * utilisation * 1800 / handle
    result = service.erlang_a(arrivals, handle, agents, patience, target=target)
    # Little's law for the abandoning: the rate of hang-ups is theta times the mean queue.
    assert result["p_abandon"] == pytest.approx(result["average_wait"] / patience, rel=1e-9, abs=1e-15)
    assert 0 <= result["p_abandon"] <= result["p_wait"] <= 1
    assert 1 - result["p_wait"] - 1e-12 <= result["service_level"] <= 1 - result["p_abandon"] + 1e-12
    assert service.erlang_a(arrivals, handle, agents, patience, target=target + 10)["service_level"] >= result["service_level"]


def test_erlang_a_returns_a_dict_for_numbers_and_a_table_for_arrays():
    result = service.erlang_a(100, 180, 11, patience=120)
    assert list(result) == ["p_wait", "p_abandon", "average_wait", "service_level"]
    assert all(type(value) is float for value in result.values())
    assert service.erlang_a(0, 180, 3, patience=120) == {"p_wait": 0.0, "p_abandon": 0.0, "average_wait": 0.0,
                                                        "service_level": 1.0}
    calls = pd.Series([50, 100], index=pd.to_datetime(["2025-01-06 09:00", "2025-01-06 09:30"]), name="arrivals")
    table = service.erlang_a(calls, 180, 11, patience=120)
    assert list(table.columns) == list(service.ERLANG_A_MEASURES)
    assert table.index.equals(calls.index)
    assert table.iloc[1].to_dict() == result


@pytest.mark.parametrize("call, message", [
    (lambda: service.erlang_a(100, 180, 11, patience=0), "patience should be finite and positive"),
    (lambda: service.erlang_a(100, 180, 11, patience=-5), "patience should be finite and positive"),
    (lambda: service.erlang_a(100, 180, 0, patience=60), "agents should be whole numbers of at least 1"),
    (lambda: service.erlang_a(100, 180, 11, patience=60, target=-1), "target should be a number of seconds"),
    (lambda: service.erlang_a([100, 120], 180, [11, 12, 13], patience=60), "should be numbers or arrays of the same shape"),
])
def test_erlang_a_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- occupancy and shrinkage --------------------------------------------------------------

def test_occupancy_is_the_served_load_over_the_agents():
    assert service.occupancy(10.0, 14) == pytest.approx(10 / 14)
    assert service.occupancy(20.0, 10) == 1.0  # Erlang C overloaded: busy all the time
    assert service.occupancy(10.0, 11, abandoned=0.1) == pytest.approx(9 / 11)
    # Under Erlang A the agents serve the calls that do not hang up, whatever the load
    result = service.erlang_a(240, 180, 10, patience=120)  # 24 Erlangs on 10 agents
    busy = service.occupancy(24.0, 10, abandoned=result["p_abandon"])
    assert busy < 1 and busy == pytest.approx(24 * (1 - result["p_abandon"]) / 10)
    loads = pd.Series([5.0, 10.0], index=["early", "late"])
    assert service.occupancy(loads, 10).to_dict() == {"early": 0.5, "late": 1.0}
    np.testing.assert_allclose(service.occupancy(np.array([5.0, 8.0]), np.array([10, 10])), [0.5, 0.8])
    with pytest.raises(ValueError, match="abandoned should be a share of calls between 0 and 1"):
        service.occupancy(10.0, 11, abandoned=1.5)


def test_staff_on_payroll_divides_by_the_time_available_and_rounds_up():
    assert service.staff_on_payroll(14, 0.30) == 20  # 14 / 0.7 is 20.000000000000004 in floating point
    assert service.staff_on_payroll(10, 0.25) == 14  # 13.33 people round up
    assert service.staff_on_payroll(12, 0.0) == 12
    assert service.staff_on_payroll(0, 0.35) == 0
    assert type(service.staff_on_payroll(14, 0.3)) is int
    team = pd.Series([14, 21], index=["Mon 09:00", "Mon 09:30"])
    assert service.staff_on_payroll(team, 0.3).to_dict() == {"Mon 09:00": 20, "Mon 09:30": 30}
    for shrinkage in (1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="shrinkage should be a share of paid time"):
            service.staff_on_payroll(14, shrinkage)
    with pytest.raises(ValueError, match="agents should be finite and non-negative"):
        service.staff_on_payroll(-3, 0.3)


# ---- ticket metrics -----------------------------------------------------------------------

def hand_tickets() -> pd.DataFrame:
    """Six tickets worked by hand below: two channels, one unresolved, one reply exactly at 24 h."""
    return pd.DataFrame({
        "channel": ["email", "email", "email", "chat", "chat", "chat"],
        "first_response_hours": [2.0, 30.0, 24.0, 0.5, 1.0, 3.0],
        "resolved": [True, True, False, True, True, True],
        "resolution_hours": [3.0, 40.0, np.nan, 1.0, 6.0, 2.0],
        "contacts": [1, 2, 3, 1, 2, 1],
    }, index=pd.Index([11, 12, 13, 14, 15, 16], name="ticket_id"))


def test_ticket_metrics_by_hand():
    tickets = hand_tickets()
    table = service.ticket_metrics(tickets, by="channel", sla_hours=24)
    pd.testing.assert_frame_equal(tickets, hand_tickets())  # the input is left as it was
    assert table.index.tolist() == ["chat", "email"]
    email, chat = table.loc["email"], table.loc["chat"]
    # email: replies at 2, 30 and 24 hours; 24 is within a 24-hour SLA (at most 24)
    assert email["tickets"] == 3 and email["within_sla"] == 2 and email["sla_attainment"] == pytest.approx(2 / 3)
    assert email["first_response_median_hours"] == 24.0 and email["first_response_mean_hours"] == pytest.approx(56 / 3)
    # one of three unresolved: it counts against the rate and is left out of the time to resolve
    assert email["resolution_rate"] == pytest.approx(2 / 3) and email["resolution_median_hours"] == pytest.approx(21.5)
    # first-contact resolution is over all tickets: 1 of 3 (of the resolved ones it would be 1 of 2)
    assert email["first_contact_resolved"] == 1 and email["first_contact_resolution"] == pytest.approx(1 / 3)
    assert chat["sla_attainment"] == 1.0 and chat["resolution_rate"] == 1.0
    assert chat["resolution_median_hours"] == 2.0 and chat["first_contact_resolution"] == pytest.approx(2 / 3)
    wilson = intervals.proportion(2, 3)
    assert (email["sla_attainment_lower"], email["sla_attainment_upper"]) == (wilson.lower, wilson.upper)
    assert table.attrs == {"sla_hours": 24.0, "confidence": 0.95}
    whole = service.ticket_metrics(hand_tickets())
    assert whole.index.tolist() == ["all"] and whole.loc["all", "tickets"] == 6
    assert whole.loc["all", "first_contact_resolution"] == pytest.approx(3 / 6)


def test_ticket_metrics_do_not_depend_on_row_order_or_the_unit_of_time():
    tickets = hand_tickets()
    table = service.ticket_metrics(tickets, by="channel")
    shuffled = service.ticket_metrics(tickets.sample(frac=1, random_state=7), by="channel")
    pd.testing.assert_frame_equal(shuffled, table)
    # in minutes, with the SLA in minutes too: the same shares, times sixty times larger
    minutes = tickets.assign(first_response_hours=tickets["first_response_hours"] * 60,
                             resolution_hours=tickets["resolution_hours"] * 60)
    in_minutes = service.ticket_metrics(minutes, by="channel", sla_hours=24 * 60)
    shares = [column for column in table.columns if not column.endswith("_hours")]
    pd.testing.assert_frame_equal(in_minutes[shares], table[shares])
    hours = [column for column in table.columns if column.endswith("_hours")]
    pd.testing.assert_frame_equal(in_minutes[hours] / 60, table[hours])


def test_ticket_metrics_match_plain_pandas_on_the_data_world(world):
    tickets = world.tickets
    table = service.ticket_metrics(tickets, by="channel", sla_hours=24)
    assert table["tickets"].sum() == len(tickets)
    for channel, group in tickets.groupby("channel"):
        row = table.loc[channel]
        within = int((group["first_response_hours"] <= 24).sum())
        first_contact = int((group["resolved"] & (group["contacts"] == 1)).sum())
        assert row["tickets"] == len(group)
        assert row["first_response_median_hours"] == group["first_response_hours"].median()
        assert row["first_response_mean_hours"] == pytest.approx(group["first_response_hours"].mean())
        assert row["sla_attainment"] == within / len(group)
        assert row["resolution_rate"] == group["resolved"].mean()
        assert row["resolution_median_hours"] == group.loc[group["resolved"], "resolution_hours"].median()
        assert row["first_contact_resolution"] == first_contact / len(group)
        wilson = intervals.proportion(first_contact, len(group))
        assert row["first_contact_resolution_lower"] == wilson.lower
        assert row["first_contact_resolution_upper"] == wilson.upper
    both = service.ticket_metrics(tickets, by=["channel", "category"])
    assert both.index.names == ["channel", "category"]
    assert both.groupby(level="channel")["tickets"].sum().to_dict() == table["tickets"].to_dict()


@pytest.mark.parametrize("change, message", [
    (lambda t: t.drop(columns="contacts"), "tickets is missing column 'contacts'"),
    (lambda t: t.iloc[:0], "tickets is empty"),
    (lambda t: t.assign(resolution_hours=[3.0, np.nan, np.nan, 1.0, 6.0, 2.0]),
     "'resolution_hours' has 1 blank value on resolved tickets .first at ticket_id 12."),
    (lambda t: t.assign(resolution_hours=[3.0, 40.0, 50.0, 1.0, 6.0, 2.0]),
     "'resolution_hours' has 1 value on unresolved tickets .first: 50.0 at ticket_id 13."),
    (lambda t: t.assign(contacts=[1, 0, 3, 1, 2, 1]), "'contacts' has 1 invalid value .first: 0.0 at ticket_id 12."),
    (lambda t: t.assign(first_response_hours=[2.0, -1.0, 24.0, 0.5, 1.0, 3.0]), "'first_response_hours' has 1 negative"),
    (lambda t: t.assign(first_response_hours=[2.0, "soon", 24.0, 0.5, 1.0, 3.0]),
     "'first_response_hours' should hold numbers .hours., but ticket_id 12 has 'soon'"),
    (lambda t: t.assign(resolved=["yes", True, False, True, True, True]), "'resolved' should hold True or False"),
    (lambda t: t.assign(channel=["email", None, "email", "chat", "chat", "chat"]), "'channel' has 1 missing value"),
])
def test_ticket_metrics_bad_input_is_named(change, message):
    with pytest.raises(ValueError, match=message):
        service.ticket_metrics(change(hand_tickets()), by="channel")


def test_ticket_metrics_check_their_settings():
    with pytest.raises(ValueError, match="sla_hours should be a number of hours of at least 0"):
        service.ticket_metrics(hand_tickets(), sla_hours=-2)
    with pytest.raises(ValueError, match="confidence should be a share between 0 and 1"):
        service.ticket_metrics(hand_tickets(), confidence=95)
    with pytest.raises(TypeError, match="tickets should be a pandas DataFrame"):
        service.ticket_metrics([1, 2, 3])


# ---- cost to serve ------------------------------------------------------------------------

def test_cost_to_serve_by_hand():
    tickets = pd.DataFrame({"customer_id": [1, 1, 2], "contacts": [1, 3, 2]})
    costs = service.cost_to_serve(tickets, cost_per_ticket=5.0, cost_per_contact=4.0)
    pd.testing.assert_frame_equal(tickets, pd.DataFrame({"customer_id": [1, 1, 2], "contacts": [1, 3, 2]}))
    # customer 1: 2 tickets * $5 + 4 contacts * $4 = $26; customer 2: $5 + 2 * $4 = $13
    assert costs["cost_to_serve"].to_dict() == {1: 26.0, 2: 13.0}
    assert costs["call_cost"].to_dict() == {1: 0.0, 2: 0.0}
    # 3 agents for half an hour at $30 an hour: $45, shared 4 : 2 by contacts
    calls = pd.DataFrame({"agents": [3]})
    with_calls = service.cost_to_serve(tickets, calls, cost_per_ticket=5.0, cost_per_contact=4.0, cost_per_agent_hour=30.0)
    assert with_calls["call_cost"].to_dict() == {1: 30.0, 2: 15.0}
    assert with_calls["cost_to_serve"].to_dict() == {1: 56.0, 2: 28.0}
    assert with_calls.attrs == {"cost_per_ticket": 5.0, "cost_per_contact": 4.0, "cost_per_agent_hour": 30.0,
                                "interval": 1800.0}
    # other weights share it otherwise: customer 3 buys but never raised a ticket
    purchases = pd.Series({1: 1, 2: 1, 3: 3})
    by_purchases = service.cost_to_serve(tickets, calls, cost_per_ticket=5.0, cost_per_contact=4.0,
                                         cost_per_agent_hour=30.0, call_weights=purchases)
    assert by_purchases["call_cost"].to_dict() == {1: 9.0, 2: 9.0, 3: 27.0}
    assert by_purchases.loc[3, "tickets"] == 0 and by_purchases.loc[3, "cost_to_serve"] == 27.0
    everyone = service.cost_to_serve(tickets, cost_per_ticket=5.0, cost_per_contact=4.0, customers=[1, 2, 3, 4])
    assert everyone["cost_to_serve"].to_dict() == {1: 26.0, 2: 13.0, 3: 0.0, 4: 0.0}


def test_cost_to_serve_adds_up_on_the_data_world(world):
    costs = service.cost_to_serve(world.tickets, world.calls, cost_per_ticket=2.0, cost_per_contact=6.0,
                                  cost_per_agent_hour=25.0, customers=world.customers.index)
    assert len(costs) == len(world.customers) and costs.index.name == "customer_id"
    assert costs["tickets"].sum() == len(world.tickets)
    assert costs["contact_cost"].sum() == pytest.approx(6.0 * world.tickets["contacts"].sum())
    assert costs["call_cost"].sum() == pytest.approx(25.0 * world.calls["agents"].sum() / 2)  # half-hours
    assert (costs.loc[costs["tickets"] == 0, "cost_to_serve"] == 0).all()
    shuffled = service.cost_to_serve(world.tickets.sample(frac=1, random_state=3), world.calls, cost_per_ticket=2.0,
                                     cost_per_contact=6.0, cost_per_agent_hour=25.0, customers=world.customers.index)
    pd.testing.assert_frame_equal(shuffled, costs)


@pytest.mark.parametrize("call, error, message", [
    (lambda t: service.cost_to_serve(t, cost_per_ticket=5.0), TypeError, "cost_per_contact"),
    (lambda t: service.cost_to_serve(t, cost_per_ticket=-5.0, cost_per_contact=4.0), ValueError,
     "cost_per_ticket should be a cost of at least 0 US dollars"),
    (lambda t: service.cost_to_serve(t, pd.DataFrame({"agents": [3]}), cost_per_ticket=5.0, cost_per_contact=4.0),
     ValueError, "cost_per_agent_hour should be a cost of at least 0 US dollars, got None"),
    (lambda t: service.cost_to_serve(t, cost_per_ticket=5.0, cost_per_contact=4.0, cost_per_agent_hour=30.0),
     ValueError, "cost_per_agent_hour was given but calls was not"),
    (lambda t: service.cost_to_serve(t.drop(columns="contacts"), cost_per_ticket=5.0, cost_per_contact=4.0),
     ValueError, "tickets is missing column 'contacts'"),
    (lambda t: service.cost_to_serve(t, pd.DataFrame({"agents": [-1]}), cost_per_ticket=5.0, cost_per_contact=4.0,
                                     cost_per_agent_hour=30.0), ValueError, "calls column 'agents' has 1 invalid value"),
])
def test_cost_to_serve_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call(pd.DataFrame({"customer_id": [1, 1, 2], "contacts": [1, 3, 2]}))
