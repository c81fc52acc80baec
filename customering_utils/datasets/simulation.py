"""The simulator behind the data world: one fictional retailer's customer base, 2023-2025.

The story, in the order the code tells it:

1. **Acquisition.** Customers arrive over three years, more each year and more before
   the year-end holidays, through five marketing channels. Each customer draws a latent
   purchase rate (Gamma, as BG/NBD assumes), a drop-out probability (Beta) and a mean
   spend (Gamma-Gamma). Channels differ in whom they bring: referral and partner
   customers buy more often, display and social customers less, while the population as
   a whole keeps exactly the BG/NBD distributions.
2. **The contact centre.** Calls arrive in proportion to the expected active base, by
   weekday and half-hour. The company staffs each half-hour to answer 80% of calls in 20
   seconds (Erlang C), except from May to August 2024, when a hiring freeze leaves it 30%
   short. Callers hang up after an exponential patience (Erlang A), so a short-staffed
   half-hour loses calls as well as answering late. The day's *pressure* (calls over
   forecast, times planned over staffed agents) sets how fast support tickets are answered.
3. **Purchases, tickets and drop-out.** While alive, a customer buys at their rate; each
   purchase may raise a ticket; after each repeat purchase the customer drops out with
   their probability, as in BG/NBD. A ticket left unresolved, or resolved slowly, adds to
   the chance of dropping out at that purchase (also at the first purchase).
4. **The experiment.** On 2025-03-03 active customers are randomised to 0-3 "experience"
   touches for 13 weeks. Each customer responds in their own way: most buy more, some not
   at all, a few less, with diminishing returns in the dose, and the effect shrinks to a
   tenth for customers whose earlier tickets went badly.
5. **Surveys and referrals.** CSAT and CES follow tickets and reflect how they went;
   quarterly NPS reflects the customer's value and their service history. Customers
   acquired through the referral channel were referred by an earlier promoter.
6. **The agents.** Tickets are handled by 30 named agents in five teams. Each agent has a
   true quality (log-odds of resolving a ticket, and a shift in the customer's
   satisfaction); a ticket goes to an agent at random, and its resolution and CSAT depend
   on the agent. The qualities are kept in the truth, never in the observed tables.

The story is drawn from one ``numpy.random.Generator`` seeded by ``seed``, in a fixed
order, so one seed gives the same world on every machine. The agents (part 6) are drawn
from a second generator seeded by ``(seed, 6)``, so that adding them left every table of
earlier worlds unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from .. import service

DAYS_PER_WEEK = 7.0


@dataclass(frozen=True)
class WorldParameters:
    """The true parameters of the simulation. Rates are per week (``time_unit="W"``)."""

    start: str = "2023-01-01"
    end: str = "2025-12-31"
    time_unit: str = "W"
    # BG/NBD: purchase rate ~ Gamma(shape r, rate alpha); drop-out ~ Beta(a, b).
    r: float = 0.85
    alpha: float = 9.0
    a: float = 0.75
    b: float = 3.5
    # Gamma-Gamma: each purchase ~ Gamma(shape p, rate nu); nu ~ Gamma(shape q, rate v).
    p: float = 6.0
    q: float = 4.0
    v: float = 20.0
    gross_margin: float = 0.30
    annual_discount_rate: float = 0.10
    channels: tuple[str, ...] = ("search", "social", "display", "partner", "referral")
    channel_shares: tuple[float, ...] = (0.32, 0.25, 0.13, 0.15, 0.15)
    # How strongly each channel leans towards frequent buyers (per standard deviation).
    channel_value_tilt: tuple[float, ...] = (0.0, -0.25, -0.35, 0.15, 0.45)
    # Mean marketing cost of one new customer, in US dollars (referral: the referral bonus).
    channel_cac: tuple[float, ...] = (45.0, 60.0, 85.0, 35.0, 20.0)
    age_bands: tuple[str, ...] = ("18-29", "30-44", "45-59", "60+")
    age_band_shares: tuple[float, ...] = (0.22, 0.33, 0.27, 0.18)
    # Contact centre.
    contacts_per_active_customer_week: float = 0.5
    mean_handle_time_s: float = 360.0
    # Callers' mean patience (exponential): how long they wait before hanging up.
    mean_patience_s: float = 180.0
    service_goal: float = 0.80
    service_target_s: float = 20.0
    understaffed_from: str = "2024-05-01"
    understaffed_to: str = "2024-08-31"
    understaffed_share: float = 0.70
    # Tickets: per purchase; first response mean = base * pressure ** elasticity.
    ticket_probability: float = 0.12
    first_response_base_hours: float = 4.0
    pressure_elasticity: float = 4.0
    slow_resolution_hours: float = 72.0
    # Extra drop-out probability at the purchase whose ticket went badly.
    dropout_if_unresolved: float = 0.30
    dropout_if_slow: float = 0.10
    # Experiment.
    experiment: str = "experience-2025"
    experiment_start: str = "2025-03-03"
    experiment_weeks: float = 13.0
    doses: tuple[int, ...] = (0, 1, 2, 3)
    dose_shares: tuple[float, ...] = (0.4, 0.2, 0.2, 0.2)
    dose_scale: float = 1.2
    gain_share_by_age: tuple[float, ...] = (0.70, 0.62, 0.55, 0.45)
    harm_share_by_age: tuple[float, ...] = (0.06, 0.08, 0.10, 0.14)
    gain_mean: float = 0.8
    poor_service_effect_factor: float = 0.1
    poor_service_first_response_hours: float = 24.0
    # Surveys.
    csat_response: float = 0.35
    ces_response: float = 0.20
    nps_sample_share: float = 0.20
    nps_response_alive: float = 0.30
    nps_response_lapsed: float = 0.08
    # Agents: true quality ~ Normal(0, sd) on the log-odds of resolving a ticket; a unit of
    # quality also lifts the customer's satisfaction (CSAT latent score) by csat_per_quality.
    agents_per_team: int = 6
    teams: tuple[str, ...] = ("Harbour", "Meadow", "Summit", "Canyon", "Delta")
    team_quality_sd: float = 0.25
    agent_quality_sd: float = 0.45
    csat_per_quality: float = 0.5

    def dose_response(self, dose: np.ndarray | float) -> np.ndarray:
        """Share of a customer's full effect reached at ``dose``: 0 at 0, 1 at the top dose."""
        top = max(self.doses)
        return (1 - np.exp(-np.asarray(dose, dtype=float) / self.dose_scale)) / (1 - np.exp(-top / self.dose_scale))

    def as_dict(self) -> dict:
        values = asdict(self)
        return {key: list(value) if isinstance(value, tuple) else value for key, value in values.items()}


@dataclass
class _Ledger:
    """What the purchase simulation records, one list of arrays per column."""

    purchase_customer: list[np.ndarray] = field(default_factory=list)
    purchase_time: list[np.ndarray] = field(default_factory=list)
    ticket_customer: list[np.ndarray] = field(default_factory=list)
    ticket_time: list[np.ndarray] = field(default_factory=list)
    ticket_first_response: list[np.ndarray] = field(default_factory=list)
    ticket_resolution: list[np.ndarray] = field(default_factory=list)
    ticket_resolved: list[np.ndarray] = field(default_factory=list)
    ticket_contacts: list[np.ndarray] = field(default_factory=list)
    ticket_channel: list[np.ndarray] = field(default_factory=list)
    ticket_category: list[np.ndarray] = field(default_factory=list)
    ticket_resolve_logit: list[np.ndarray] = field(default_factory=list)

    def cat(self, name: str, dtype: type = float) -> np.ndarray:
        parts = getattr(self, name)
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


TICKET_CHANNELS = ("email", "web", "chat")
TICKET_CHANNEL_SHARES = (0.55, 0.30, 0.15)
TICKET_CHANNEL_SPEED = (1.0, 1.0, 0.3)
TICKET_CATEGORIES = ("delivery", "product", "billing", "account")
TICKET_CATEGORY_SHARES = (0.40, 0.30, 0.20, 0.10)
TICKET_CATEGORY_DIFFICULTY = (0.0, 0.4, 0.2, 0.0)
AGENT_NAMES = (
    "Aisha", "Ben", "Carla", "Dev", "Elena", "Femi", "Grace", "Hugo", "Ines", "Jonas",
    "Kemi", "Luca", "Maya", "Nils", "Oona", "Pablo", "Qi", "Rosa", "Sami", "Tara",
    "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Arjun", "Bea", "Cyril", "Dana",
)
OPEN_HOUR, CLOSE_HOUR, INTERVAL_S = 8, 20, 1800
INTERVALS_PER_DAY = (CLOSE_HOUR - OPEN_HOUR) * 3600 // INTERVAL_S
WEEKDAY_FACTOR = np.array([1.25, 1.15, 1.05, 1.0, 0.95, 0.85, 0.75])  # Monday first
_hours = OPEN_HOUR + (np.arange(INTERVALS_PER_DAY) + 0.5) * INTERVAL_S / 3600
INTRADAY_SHARE = np.exp(-0.5 * ((_hours - 11.5) / 3.0) ** 2) + 0.6 * np.exp(-0.5 * ((_hours - 16.5) / 2.0) ** 2)
INTRADAY_SHARE = INTRADAY_SHARE / INTRADAY_SHARE.sum()


class Simulator:
    """Draws one world. Use :func:`simulate`; this class only keeps the shared state tidy."""

    def __init__(self, params: WorldParameters, n_customers: int, seed: int) -> None:
        self.params = params
        self.n = n_customers
        self.rng = np.random.default_rng(seed)
        self.start = pd.Timestamp(params.start)
        self.end = pd.Timestamp(params.end)
        self.n_days = (self.end - self.start).days + 1
        self.horizon = self.n_days / DAYS_PER_WEEK  # weeks; observation ends at the end of `end`

    # ---- helpers -------------------------------------------------------------------
    def weeks(self, date: str) -> float:
        return (pd.Timestamp(date) - self.start).days / DAYS_PER_WEEK

    def day_of(self, t: np.ndarray) -> np.ndarray:
        return np.floor(np.asarray(t) * DAYS_PER_WEEK).astype(np.int64)

    def choice(self, shares: np.ndarray, size: int | None = None) -> np.ndarray:
        """Index of a category per row; ``shares`` is (k,) or (rows, k) and sums to 1 by row."""
        shares = np.asarray(shares, dtype=float)
        if shares.ndim == 1:
            return self.rng.choice(len(shares), size=size, p=shares / shares.sum())
        cumulative = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)
        draws = self.rng.random(len(shares))[:, None]
        return np.minimum((draws > cumulative).sum(axis=1), shares.shape[1] - 1)

    # ---- 1. acquisition --------------------------------------------------------------
    def acquire(self) -> None:
        p, n = self.params, self.n
        days = np.arange(self.n_days)
        dates = self.start + pd.to_timedelta(days, unit="D")
        growth = 1 + 0.8 * days / self.n_days
        holidays = 1 + 0.5 * ((dates.month == 12) | ((dates.month == 11) & (dates.day >= 20)))
        weekday = np.where(dates.day_of_week >= 5, 1.15, 1.0)
        intensity = growth * holidays * weekday
        birth_day = np.sort(self.rng.choice(self.n_days, size=n, p=intensity / intensity.sum()))
        self.birth = (birth_day + self.rng.random(n)) / DAYS_PER_WEEK

        self.lam = self.rng.gamma(p.r, 1 / p.alpha, n)
        self.dropout = self.rng.beta(p.a, p.b, n)
        self.nu = self.rng.gamma(p.q, 1 / p.v, n)
        self.mean_spend = p.p / self.nu

        # Channel choice leans on the customer's rank in purchase rate, so each channel
        # brings a different mix while the population keeps its Gamma distribution.
        score = stats.norm.ppf((stats.rankdata(self.lam) - 0.5) / n)
        weights = np.asarray(p.channel_shares) * np.exp(np.outer(score, p.channel_value_tilt))
        self.channel = self.choice(weights)
        self.age_band = self.choice(np.asarray(p.age_band_shares), size=n)
        self.value_score = score

    # ---- 2. contact centre -----------------------------------------------------------
    def staff_contact_centre(self) -> None:
        p = self.params
        births_per_day = np.bincount(self.day_of(self.birth), minlength=self.n_days)[: self.n_days]
        # The planners' survival curve: a customer stays active for about 80 weeks.
        survival = np.exp(-np.arange(self.n_days) / (80 * DAYS_PER_WEEK))
        expected_active = np.convolve(births_per_day, survival)[: self.n_days]
        dates = self.start + pd.to_timedelta(np.arange(self.n_days), unit="D")
        weekday = WEEKDAY_FACTOR[dates.day_of_week] / WEEKDAY_FACTOR.mean()
        per_day = p.contacts_per_active_customer_week * expected_active / DAYS_PER_WEEK * weekday
        forecast = np.outer(per_day, INTRADAY_SHARE)  # days x intervals
        planned = service.agents_for_service_level(
            forecast.ravel(), p.mean_handle_time_s, p.service_goal, p.service_target_s, INTERVAL_S
        ).reshape(forecast.shape)
        short = (dates >= pd.Timestamp(p.understaffed_from)) & (dates <= pd.Timestamp(p.understaffed_to))
        staffed = np.where(short[:, None], np.maximum(1, np.floor(planned * p.understaffed_share)), planned).astype(np.int64)

        arrivals = self.rng.poisson(forecast)
        # The mean of n handle times with coefficient of variation 0.6 is close to Gamma.
        cv2 = 0.36
        with np.errstate(divide="ignore", invalid="ignore"):
            handle = self.rng.gamma(np.maximum(arrivals, 1) / cv2, p.mean_handle_time_s * cv2 / np.maximum(arrivals, 1))
        load_handle = np.where(arrivals > 0, handle, p.mean_handle_time_s)
        # Drawn, but replaced by the Erlang A outcomes of contact_centre_outcomes(): kept so the
        # main stream's later draws, and every table made from them, stay as they were.
        self.rng.binomial(arrivals, service.service_level(arrivals, load_handle, staffed, p.service_target_s, INTERVAL_S))

        # A week's calls over the week's forecast (steadied by ten calls, so a young, small
        # base is not thrown by a handful of calls), times planned over staffed agents.
        week = np.ones(7)
        demand = (np.convolve(arrivals.sum(axis=1), week)[: self.n_days] + 10) / (
            np.convolve(forecast.sum(axis=1), week)[: self.n_days] + 10
        )
        self.pressure = np.clip(demand * planned.sum(axis=1) / staffed.sum(axis=1), 0.5, 3.0)
        starts = (
            dates.values[:, None]
            + (np.timedelta64(OPEN_HOUR * 3600, "s") + np.arange(INTERVALS_PER_DAY) * np.timedelta64(INTERVAL_S, "s"))[None, :]
        )
        self.calls = pd.DataFrame(
            {
                "interval_start": starts.ravel(),
                "arrivals": arrivals.ravel(),
                "handle_time_s": np.where(arrivals > 0, np.round(handle, 1), np.nan).ravel(),
                "agents": staffed.ravel(),
            }
        )
        self.staffing = pd.DataFrame({"planned": planned.sum(axis=1), "staffed": staffed.sum(axis=1)}, index=dates)

    # ---- 3. purchases, tickets, drop-out ------------------------------------------------
    def tickets_for(self, customers: np.ndarray, times: np.ndarray) -> np.ndarray:
        """Raise tickets on some of these purchases; return each purchase's extra drop-out."""
        p, rng = self.params, self.rng
        has_ticket = rng.random(len(customers)) < p.ticket_probability
        extra = np.zeros(len(customers))
        k = int(has_ticket.sum())
        if k == 0:
            return extra
        who, when = customers[has_ticket], times[has_ticket]
        lag_days = rng.geometric(0.6, k) - 1
        created_day = self.day_of(when) + lag_days
        created = (created_day + (OPEN_HOUR + rng.random(k) * (CLOSE_HOUR - OPEN_HOUR)) / 24) / DAYS_PER_WEEK
        pressure = self.pressure[np.minimum(created_day, self.n_days - 1)]
        channel = self.choice(np.asarray(TICKET_CHANNEL_SHARES), size=k)
        category = self.choice(np.asarray(TICKET_CATEGORY_SHARES), size=k)
        mean_first = p.first_response_base_hours * pressure**p.pressure_elasticity * np.asarray(TICKET_CHANNEL_SPEED)[channel]
        first = rng.gamma(1.5, mean_first / 1.5)
        resolve_logit = 2.8 - 0.06 * first - np.asarray(TICKET_CATEGORY_DIFFICULTY)[category]
        resolved = rng.random(k) < special.expit(resolve_logit)
        contacts = np.where(resolved, 1 + rng.poisson(0.25 + 0.02 * first), 2 + rng.poisson(1.0, k))
        resolution = np.where(resolved, first + rng.gamma(2.0, 8.0 * contacts), np.nan)
        slow = resolved & (resolution > p.slow_resolution_hours)
        extra[has_ticket] = np.where(~resolved, p.dropout_if_unresolved, np.where(slow, p.dropout_if_slow, 0.0))

        led = self.ledger
        led.ticket_customer.append(who)
        led.ticket_time.append(created)
        led.ticket_first_response.append(first)
        led.ticket_resolution.append(resolution)
        led.ticket_resolved.append(resolved)
        led.ticket_contacts.append(contacts)
        led.ticket_channel.append(channel)
        led.ticket_category.append(category)
        led.ticket_resolve_logit.append(resolve_logit)
        return extra

    def run_phase(self, customers: np.ndarray, start: np.ndarray, rate: np.ndarray, end: float) -> None:
        """Simulate purchases from ``start`` until ``end`` (weeks) for customers alive at ``start``.

        Exponential gaps are memoryless, so a phase can begin at any moment a live customer
        is in: at their first purchase, or at the start of the experiment.
        """
        rng, led = self.rng, self.ledger
        who, t, lam = customers.copy(), start.astype(float).copy(), rate.astype(float).copy()
        while len(who):
            t = t + rng.exponential(1.0, len(who)) / lam
            buys = t <= end
            who, t, lam = who[buys], t[buys], lam[buys]
            if not len(who):
                break
            led.purchase_customer.append(who)
            led.purchase_time.append(t)
            extra = self.tickets_for(who, t)
            p_leave = 1 - (1 - self.dropout[who]) * (1 - extra)
            leaves = rng.random(len(who)) < p_leave
            self.death[who[leaves]] = t[leaves]
            who, t, lam = who[~leaves], t[~leaves], lam[~leaves]

    def purchases(self) -> None:
        p, n = self.params, self.n
        self.ledger = _Ledger()
        self.death = np.full(n, np.inf)
        everyone = np.arange(n)
        # The first purchase is the customer's birth; a bad ticket then can end it all.
        self.ledger.purchase_customer.append(everyone)
        self.ledger.purchase_time.append(self.birth.copy())
        extra = self.tickets_for(everyone, self.birth)
        lost = self.rng.random(n) < extra
        self.death[lost] = self.birth[lost]

        e_start = self.weeks(p.experiment_start)
        e_end = e_start + p.experiment_weeks
        early = (self.birth < e_start) & ~lost
        self.run_phase(everyone[early], self.birth[early], self.lam[early], e_start)
        self.assign_experiment(e_start)

        alive_at_e = early & (self.death > e_start)
        window = (self.birth >= e_start) & (self.birth < e_end) & ~lost
        who = np.concatenate([everyone[alive_at_e], everyone[window]])
        start = np.concatenate([np.full(alive_at_e.sum(), e_start), self.birth[window]])
        self.run_phase(who, start, self.lam[who] * self.rate_multiplier[who], e_end)

        alive_at_end_window = (self.birth < e_end) & (self.death > e_end) & ~lost
        late = (self.birth >= e_end) & ~lost
        who = np.concatenate([everyone[alive_at_end_window], everyone[late]])
        start = np.concatenate([np.full(alive_at_end_window.sum(), e_end), self.birth[late]])
        self.run_phase(who, start, self.lam[who], self.horizon)

    # ---- 4. the experiment -------------------------------------------------------------
    def assign_experiment(self, e_start: float) -> None:
        """Randomise active customers at the experiment's start, from what is known by then."""
        p, n, rng = self.params, self.n, self.rng
        buyer = np.concatenate(self.ledger.purchase_customer)
        when = np.concatenate(self.ledger.purchase_time)
        recent = np.zeros(n, dtype=bool)
        recent[buyer[(when < e_start) & (when >= e_start - 52)]] = True
        self.eligible = recent & (self.birth <= e_start - 8)

        t_who = self.ledger.cat("ticket_customer", int)
        t_when = self.ledger.cat("ticket_time")
        slow = self.ledger.cat("ticket_first_response") > p.poor_service_first_response_hours
        t_bad = (~self.ledger.cat("ticket_resolved", bool)) | slow
        self.poor_service = np.zeros(n, dtype=bool)
        self.poor_service[t_who[(t_when < e_start) & t_bad]] = True

        self.dose = np.full(n, -1)
        self.dose[self.eligible] = np.asarray(p.doses)[self.choice(np.asarray(p.dose_shares), size=int(self.eligible.sum()))]
        gain = np.asarray(p.gain_share_by_age)[self.age_band]
        harm = np.asarray(p.harm_share_by_age)[self.age_band]
        response = self.choice(np.column_stack([gain, 1 - gain - harm, harm]))  # 0 gain, 1 unmoved, 2 harm
        self.response_class = np.array(["gain", "unmoved", "harm"])[response]
        full_effect = np.where(
            response == 0, rng.gamma(4.0, p.gain_mean / 4.0, n), np.where(response == 2, -rng.uniform(0.2, 0.5, n), 0.0)
        )
        self.effect_max = full_effect * np.where(self.poor_service, p.poor_service_effect_factor, 1.0)
        rate_effect = self.effect_max * p.dose_response(np.maximum(self.dose, 0))
        self.rate_multiplier = np.where(self.dose > 0, np.maximum(0.05, 1 + rate_effect), 1.0)
        # Expected extra purchases in the window for a customer alive at its start, from the
        # BG/NBD clock: while alive a customer buys at rate lambda and leaves at rate lambda*p.
        alive = self.death > e_start
        w, d = p.experiment_weeks, self.dropout

        def expected(rate: np.ndarray) -> np.ndarray:
            return -np.expm1(-rate * d * w) / d

        self.expected_uplift = np.where(self.eligible & alive, expected(self.lam * self.rate_multiplier) - expected(self.lam), 0.0)

    # ---- 5. surveys and referrals -------------------------------------------------------------
    def surveys_and_referrals(self) -> None:
        p, rng, led = self.params, self.rng, self.ledger
        cust = led.cat("ticket_customer", int)
        created = led.cat("ticket_time")
        first = led.cat("ticket_first_response")
        resolution = led.cat("ticket_resolution")
        resolved = led.cat("ticket_resolved", bool)
        contacts = led.cat("ticket_contacts", int)
        closed = created + np.where(resolved, resolution, 72.0) / 24 / DAYS_PER_WEEK
        k = len(cust)
        unresolved = (~resolved).astype(float)
        csat_mean = 4.4 - 1.8 * unresolved - 0.02 * first - 0.3 * (contacts - 1)
        csat_latent = csat_mean + rng.normal(0, 0.7, k)
        self.csat_mean, self.csat_latent = csat_mean, csat_latent
        ces_latent = 6.0 - 2.0 * unresolved - 0.03 * first - 0.8 * (contacts - 1) + rng.normal(0, 1.0, k)
        answers_csat = rng.random(k) < p.csat_response
        answers_ces = rng.random(k) < p.ces_response
        ticket_order = np.arange(k)

        slow = resolved & (resolution > p.slow_resolution_hours)
        # Quarterly NPS waves to a random sample of everyone acquired so far.
        waves = [self.weeks(f"{y}-{m:02d}-01") for y in (2023, 2024, 2025) for m in (1, 4, 7, 10)]
        waves = [w + 14 / DAYS_PER_WEEK for w in waves if 0 < w < self.horizon]  # mid-month
        nps_who, nps_when = [], []
        for wave in waves:
            known = np.flatnonzero(self.birth < wave)
            sampled = known[rng.random(len(known)) < p.nps_sample_share]
            alive = self.death[sampled] > wave
            answers = rng.random(len(sampled)) < np.where(alive, p.nps_response_alive, p.nps_response_lapsed)
            nps_who.append(sampled[answers])
            nps_when.append(wave + rng.random(answers.sum()) * 2)  # answers arrive over two weeks
        nps_who = np.concatenate(nps_who)
        nps_when = np.concatenate(nps_when)
        bad_before = _count_before(cust[~resolved], created[~resolved], nps_who, nps_when)
        slow_before = _count_before(cust[slow], created[slow], nps_who, nps_when)
        nps_latent = (
            7.3 + 0.9 * self.value_score[nps_who] - 1.8 * bad_before - 0.6 * slow_before + rng.normal(0, 1.6, len(nps_who))
        )
        nps_score = np.clip(np.round(nps_latent), 0, 10).astype(int)

        surveys = pd.concat(
            [
                pd.DataFrame({"customer_id": cust[answers_csat], "time": closed[answers_csat], "survey": "CSAT",
                              "score": np.clip(np.round(csat_latent[answers_csat]), 1, 5).astype(int),
                              "ticket": ticket_order[answers_csat]}),
                pd.DataFrame({"customer_id": cust[answers_ces], "time": closed[answers_ces], "survey": "CES",
                              "score": np.clip(np.round(ces_latent[answers_ces]), 1, 7).astype(int),
                              "ticket": ticket_order[answers_ces]}),
                pd.DataFrame({"customer_id": nps_who, "time": nps_when, "survey": "NPS", "score": nps_score, "ticket": -1}),
            ],
            ignore_index=True,
        )
        self.survey_frame = surveys[surveys["time"] < self.horizon]

        # Referral-channel customers were brought by a promoter who answered before they came.
        referral = self.params.channels.index("referral")
        promoters = nps_score >= 9
        order = np.argsort(nps_when[promoters], kind="stable")
        promoter_who, promoter_when = nps_who[promoters][order], nps_when[promoters][order]
        referred = np.flatnonzero(self.channel == referral)
        available = np.searchsorted(promoter_when, self.birth[referred])
        self.referred_by = np.full(self.n, -1)
        has = available > 0
        pick = np.floor(rng.random(has.sum()) * available[has]).astype(np.int64)
        self.referred_by[referred[has]] = promoter_who[pick]
        # Before the first promoter answered, a would-be referral came in through search.
        self.channel[referred[~has]] = self.params.channels.index("search")


    def contact_centre_outcomes(self, seed: int) -> None:
        """Each half-hour's answered, abandoned and waiting, from Erlang A (callers hang up).

        The queue is that half-hour's own: its calls, its mean handle time (to the nearest
        10 seconds, so equal half-hours are computed once) and its agents, with callers who
        wait ``mean_patience_s`` on average. Each call is abandoned, answered within the
        target or answered later, with Erlang A's probabilities, drawn from a generator of
        its own, ``(seed, 2)``.
        """
        p, calls = self.params, self.calls
        rng = np.random.default_rng([seed, 2])
        arrivals = calls["arrivals"].to_numpy()
        handle = np.maximum(np.round(calls["handle_time_s"].fillna(p.mean_handle_time_s).to_numpy() / 10) * 10, 10.0)
        keys = pd.DataFrame({"arrivals": arrivals, "handle": handle, "agents": calls["agents"].to_numpy()})
        unique = keys.drop_duplicates().reset_index(drop=True)
        measures = service.erlang_a(unique["arrivals"].to_numpy(), unique["handle"].to_numpy(), unique["agents"].to_numpy(),
                                    p.mean_patience_s, p.service_target_s, INTERVAL_S)
        per_interval = keys.merge(pd.concat([unique, measures], axis=1), on=["arrivals", "handle", "agents"], how="left")
        abandon = per_interval["p_abandon"].to_numpy()
        in_time = np.minimum(per_interval["service_level"].to_numpy(), 1 - abandon)
        shares = np.column_stack([abandon, in_time, np.clip(1 - abandon - in_time, 0, 1)])
        outcome = rng.multinomial(arrivals, shares / shares.sum(axis=1, keepdims=True))
        calls["answered"] = arrivals - outcome[:, 0]
        calls["answered_within_20s"] = outcome[:, 1]
        calls["abandoned"] = outcome[:, 0]
        wait = np.minimum(per_interval["average_wait"].to_numpy(), float(INTERVAL_S))
        calls["mean_wait_s"] = np.where(arrivals > 0, np.round(wait, 1), np.nan)

    # ---- 6. the agents ------------------------------------------------------------------
    def assign_agents(self, seed: int) -> None:
        """Give each ticket an agent, so that its resolution and CSAT depend on the agent's quality.

        The generative story is: a ticket goes to one of the agents at random; it is resolved
        with probability ``expit(l + q_agent - c)``, where ``l`` is the ticket's own log-odds
        (its first response time, its category) and ``c`` centres the agents so that the
        average agent resolves it with probability ``expit(l)``; its customer's satisfaction
        is normal around the ticket's own mean plus ``csat_per_quality * q_agent`` (centred).
        The tickets' outcomes were drawn first (with the average agent's chances), so each
        ticket's agent is drawn from its posterior given those outcomes, which gives the same
        joint distribution of agent and outcome as the story.
        """
        p, led = self.params, self.ledger
        rng = np.random.default_rng([seed, 6])
        n_teams, size = len(p.teams), p.agents_per_team
        team_effect = rng.normal(0, p.team_quality_sd, n_teams)
        quality = np.repeat(team_effect, size) + rng.normal(0, p.agent_quality_sd, n_teams * size)
        self.agent_quality, self.agent_team = quality, np.repeat(np.arange(n_teams), size)
        logit = led.cat("ticket_resolve_logit")
        resolved = led.cat("ticket_resolved", bool)
        chance = _agent_chances(logit, quality)
        log_weight = np.where(resolved[:, None], np.log(chance), np.log1p(-chance))
        # Satisfaction: the mixture over agents keeps the ticket's mean and its spread of 0.7.
        lift = p.csat_per_quality * (quality - quality.mean())
        spread = np.sqrt(0.7**2 - lift.var())
        log_weight += stats.norm.logpdf(self.csat_latent[:, None], self.csat_mean[:, None] + lift[None, :], spread)
        weight = np.exp(log_weight - log_weight.max(axis=1, keepdims=True))
        cumulative = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
        self.ticket_agent = np.minimum((rng.random(len(logit))[:, None] > cumulative).sum(axis=1), len(quality) - 1)


def _agent_chances(logit: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Each ticket's (rows) chance of resolution with each agent (columns), centred on its own.

    Solves ``mean_a expit(l + q_a - c) = expit(l)`` for each ticket's ``c`` by Newton's
    method, so the average agent resolves a ticket as often as the ticket's own odds say.
    """
    shift = np.zeros(len(logit))
    for _ in range(30):
        chance = special.expit(logit[:, None] + quality[None, :] - shift[:, None])
        gap = chance.mean(axis=1) - special.expit(logit)
        shift += gap / np.maximum((chance * (1 - chance)).mean(axis=1), 1e-12)
    return special.expit(logit[:, None] + quality[None, :] - shift[:, None])


def _count_before(event_who: np.ndarray, event_when: np.ndarray, who: np.ndarray, when: np.ndarray) -> np.ndarray:
    """For each (who, when), how many events of the same customer happened before ``when``."""
    span = 1e4  # weeks; larger than any time in the world, so keys never overlap across customers
    keys = np.sort(event_who * span + event_when)
    return np.searchsorted(keys, who * span + when) - np.searchsorted(keys, who * span)


def _significant(values: np.ndarray, digits: int = 6) -> np.ndarray:
    """Round to ``digits`` significant digits: a rate of 3e-7 a week stays 3e-7, not 0."""
    return np.array([float(f"{value:.{digits}g}") for value in values])


def simulate(n_customers: int, seed: int, params: WorldParameters | None = None) -> dict[str, pd.DataFrame | dict]:
    """Simulate the world; return its tables (observed and truth) as DataFrames, plus the parameters."""
    params = params or WorldParameters()
    sim = Simulator(params, n_customers, seed)
    sim.acquire()
    sim.staff_contact_centre()
    sim.purchases()
    sim.surveys_and_referrals()
    sim.contact_centre_outcomes(seed)
    sim.assign_agents(seed)
    return _tables(sim)


def _tables(sim: Simulator) -> dict[str, pd.DataFrame | dict]:
    p, rng = sim.params, sim.rng
    ids = np.arange(1, sim.n + 1)  # customer ids are 1-based, in order of acquisition

    def stamp(t: np.ndarray) -> pd.Series:
        seconds = np.floor(np.asarray(t) * DAYS_PER_WEEK * 86400).astype("int64")
        return pd.Series(sim.start + pd.to_timedelta(seconds, unit="s"))

    def day(t: np.ndarray) -> pd.Series:
        return stamp(t).dt.normalize()

    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "acquisition_date": day(sim.birth),
            "channel": np.asarray(p.channels)[sim.channel],
            "age_band": np.asarray(p.age_bands)[sim.age_band],
            "referred_by": pd.array(np.where(sim.referred_by >= 0, sim.referred_by + 1, pd.NA), dtype="Int64"),
        }
    )

    led = sim.ledger
    buyer = led.cat("purchase_customer", int)
    when = led.cat("purchase_time")
    amounts = np.maximum(0.01, np.round(rng.gamma(p.p, 1 / sim.nu[buyer]), 2))
    order = np.lexsort((buyer, when))
    transactions = pd.DataFrame({"customer_id": ids[buyer[order]], "date": day(when[order]), "amount": amounts[order]})
    transactions.insert(0, "transaction_id", np.arange(1, len(transactions) + 1))

    created = led.cat("ticket_time")
    keep = created < sim.horizon
    t_order = np.flatnonzero(keep)[np.argsort(created[keep], kind="stable")]
    ticket_id_of = np.full(len(created), -1)
    ticket_id_of[t_order] = np.arange(1, len(t_order) + 1)
    resolved = led.cat("ticket_resolved", bool)[t_order]
    tickets = pd.DataFrame(
        {
            "ticket_id": np.arange(1, len(t_order) + 1),
            "customer_id": ids[led.cat("ticket_customer", int)[t_order]],
            "created_at": stamp(created[t_order]),
            "channel": np.asarray(TICKET_CHANNELS)[led.cat("ticket_channel", int)[t_order]],
            "category": np.asarray(TICKET_CATEGORIES)[led.cat("ticket_category", int)[t_order]],
            "first_response_hours": np.round(led.cat("ticket_first_response")[t_order], 2),
            "resolved": resolved,
            "resolution_hours": np.round(led.cat("ticket_resolution")[t_order], 2),
            "contacts": led.cat("ticket_contacts", int)[t_order],
            "agent": np.asarray(AGENT_NAMES)[sim.ticket_agent[t_order]],
            "team": np.asarray(p.teams)[sim.agent_team[sim.ticket_agent[t_order]]],
        }
    )
    typical_logit = float(np.median(led.cat("ticket_resolve_logit")))
    truth_agents = pd.DataFrame(
        {
            "agent": np.asarray(AGENT_NAMES)[: len(sim.agent_quality)],
            "team": np.asarray(p.teams)[sim.agent_team],
            "quality": np.round(sim.agent_quality, 6),
            "resolution_rate_typical_ticket": np.round(_agent_chances(np.array([typical_logit]), sim.agent_quality)[0], 6),
            "csat_lift": np.round(p.csat_per_quality * (sim.agent_quality - sim.agent_quality.mean()), 6),
        }
    )

    s = sim.survey_frame.sort_values(["time", "customer_id", "survey"], kind="stable").reset_index(drop=True)
    ticket_ref = np.where(s["ticket"].to_numpy() >= 0, ticket_id_of[np.maximum(s["ticket"].to_numpy(), 0)], -1)
    surveys = pd.DataFrame(
        {
            "survey_id": np.arange(1, len(s) + 1),
            "customer_id": ids[s["customer_id"].to_numpy()],
            "date": day(s["time"].to_numpy()),
            "survey": s["survey"].to_numpy(),
            "score": s["score"].to_numpy(),
            "ticket_id": pd.array(np.where(ticket_ref > 0, ticket_ref, pd.NA), dtype="Int64"),
        }
    )

    e_start = pd.Timestamp(p.experiment_start)
    e_end = e_start + pd.Timedelta(days=int(p.experiment_weeks * DAYS_PER_WEEK))
    in_window = (transactions["date"] >= e_start) & (transactions["date"] < e_end)
    before = (transactions["date"] < e_start) & (transactions["date"] >= e_start - pd.Timedelta(weeks=52))
    eligible = np.flatnonzero(sim.eligible)
    window = transactions[in_window].groupby("customer_id")["amount"].agg(["size", "sum"])
    prior = transactions[before].groupby("customer_id")["amount"].agg(["size", "sum"])
    experiments = pd.DataFrame({"customer_id": ids[eligible]})
    experiments["experiment"] = p.experiment
    experiments["assigned_date"] = e_start
    experiments["dose"] = sim.dose[eligible]
    experiments["pre_purchases_52w"] = prior["size"].reindex(experiments["customer_id"]).fillna(0).astype(int).to_numpy()
    experiments["pre_revenue_52w"] = np.round(prior["sum"].reindex(experiments["customer_id"]).fillna(0).to_numpy(), 2)
    experiments["outcome_purchases"] = window["size"].reindex(experiments["customer_id"]).fillna(0).astype(int).to_numpy()
    experiments["outcome_revenue"] = np.round(window["sum"].reindex(experiments["customer_id"]).fillna(0).to_numpy(), 2)

    month = customers["acquisition_date"].dt.to_period("M").dt.to_timestamp()
    counts = customers.groupby([month, "channel"]).size()
    grid = pd.MultiIndex.from_product(
        [pd.date_range(sim.start, sim.end, freq="MS"), list(p.channels)], names=["month", "channel"]
    )
    new = counts.reindex(grid, fill_value=0).to_numpy()
    cac = np.tile(np.asarray(p.channel_cac), len(grid) // len(p.channels))
    noise = np.where(np.tile(np.asarray(p.channels) == "referral", len(grid) // len(p.channels)), 1.0, rng.lognormal(0, 0.12, len(grid)))
    marketing = pd.DataFrame(
        {
            "month": grid.get_level_values("month"),
            "channel": grid.get_level_values("channel"),
            "spend": np.round(new * cac * noise, 2),
            "new_customers": new,
        }
    )

    death = sim.death
    churned = death <= sim.horizon
    truth_customers = pd.DataFrame(
        {
            "customer_id": ids,
            "purchase_rate": _significant(sim.lam),
            "dropout_probability": _significant(sim.dropout),
            "mean_spend": np.round(sim.mean_spend, 4),
            "churned": churned,
            "churn_date": day(np.where(churned, death, 0)).where(churned),
            "poor_service_before_experiment": sim.poor_service,
            "experiment_response": sim.response_class,
            "experiment_effect_max": np.round(sim.effect_max, 6),
            "experiment_expected_uplift": np.round(sim.expected_uplift, 6),
            "referrals": np.bincount(sim.referred_by[sim.referred_by >= 0], minlength=sim.n),
        }
    )
    return {
        "customers": customers,
        "transactions": transactions,
        "tickets": tickets,
        "surveys": surveys,
        "calls": sim.calls,
        "experiments": experiments,
        "marketing": marketing,
        "truth_customers": truth_customers,
        "truth_agents": truth_agents,
        "truth_params": p.as_dict(),
    }
