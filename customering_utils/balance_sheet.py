"""The customer base on one page: the figures a chief executive reviews each quarter.

:func:`quarterly_balance_sheet` computes, from the data world as it stood on a day
(``as_of``, the last day of a month), and for the quarter (three months) that ends then:

- **value of the base**: the discounted gross margin today's customers are expected to
  bring over the next year (Module 1's models, refitted on the data up to the day), with
  the range the models' uncertainty and the customers' own randomness leave it
  (:func:`customering_utils.risk.base_value_distribution`), and its change on the quarter;
- **equity at risk**: the 95% value at risk of that value (:func:`customering_utils.risk.value_at_risk`);
- **concentration**: the share of the value expected from the top 20% of customers;
- **customers alive**: the expected number still buying (the sum of P(alive));
- **service level**: the share of the quarter's calls answered within 20 seconds;
- **NPS**: the quarter's Net Promoter Score (:func:`customering_utils.surveys.nps`);
- **CLV:CAC by channel**: for the customers acquired in the 12 months to the day, their
  three-year value from acquisition (:func:`customering_utils.economics.clv_at_acquisition`)
  over the channel's fully loaded acquisition cost of those months.

Every figure comes with its value at the end of the previous quarter, computed the same
way on the data up to then. :func:`customering_utils.plots.balance_sheet.balance_sheet`
draws the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import clv, concentration, economics, periods, risk, surveys
from .tables import require_columns

__all__ = ["BalanceSheet", "quarterly_balance_sheet"]

#: The columns of the balance sheet's table, in order.
COLUMNS = ["value", "lower", "upper", "previous", "change", "unit"]


@dataclass(frozen=True)
class BalanceSheet:
    """The quarter's figures of the customer base, with what they rest on.

    Attributes
    ----------
    as_of : Timestamp
        The day the figures stand on (the last day of the quarter).
    previous : Timestamp
        The last day of the previous quarter.
    table : DataFrame
        One row per figure (index ``measure``) with ``value`` (on ``as_of``), ``lower`` and
        ``upper`` (its 95% range, where it has one), ``previous`` (on ``previous``),
        ``change`` (``value - previous``) and ``unit``.
    channels : DataFrame
        CLV:CAC by acquisition channel on ``as_of``, as
        :func:`customering_utils.economics.clv_to_cac` returns it, with ``customers``.
    value_draws : DataFrame
        The simulated values of the base on ``as_of``, as
        :func:`customering_utils.risk.base_value_distribution` returns them.
    settings : dict
        The assumptions used: margin, discount rate, horizons, draws.

    Examples
    --------
    >>> sheet = BalanceSheet(pd.Timestamp("2025-12-31"), pd.Timestamp("2025-09-30"),
    ...                      pd.DataFrame(columns=COLUMNS), pd.DataFrame(), pd.DataFrame(), {})
    >>> f"{sheet.previous:%d %B %Y}"
    '30 September 2025'
    """

    as_of: pd.Timestamp
    previous: pd.Timestamp
    table: pd.DataFrame
    channels: pd.DataFrame
    value_draws: pd.DataFrame
    settings: dict


def quarterly_balance_sheet(
    world: object,
    as_of: str | pd.Timestamp = "2025-12-31",
    n_draws: int = 200,
    seed: int = 0,
    margin: float | None = None,
    annual_discount_rate: float | None = None,
    horizon: float = 52.0,
    clv_horizon: float = 156.0,
    top: float = 0.20,
    n_resamples: int = 1_000,
) -> BalanceSheet:
    """The balance sheet of the customer base on ``as_of``, and on the quarter before: the numbers of the one-page view.

    The quarter is the three months that end on ``as_of``, which must be the last day of a
    month; "previous" is the same figure three months earlier, on the data up to then (the
    models refitted, nothing later used). The definitions are in the module's description;
    the ranges (``lower``, ``upper``) are 95% ranges: the 2.5th and 97.5th percentiles of
    the simulated values of the base (value, share on the top customers), the adjusted Wald
    interval of the NPS (Rocks 2016), and the bootstrap interval of each channel's CLV
    carried to CLV:CAC. The value at risk and the counts have no range of their own.

    Parameters
    ----------
    world : World
        The data world (:func:`customering_utils.datasets.load_world`), or any object with
        its tables ``customers``, ``transactions``, ``surveys``, ``calls`` and
        ``marketing``, and (unless ``margin`` and ``annual_discount_rate`` are given)
        ``truth.params``.
    as_of : str or Timestamp, default "2025-12-31"
        The last day of the quarter: the last day of a month.
    n_draws : int, default 200
        Simulated values of the base, for its range and its value at risk.
    seed : int, default 0
        Seed of the simulations and the bootstraps.
    margin : float, optional
        Gross margin as a share of revenue; by default the world's ``gross_margin``.
    annual_discount_rate : float, optional
        Yearly discount rate; by default the world's ``annual_discount_rate``.
    horizon : float, default 52.0
        The horizon of the value of the base, in weeks.
    clv_horizon : float, default 156.0
        The horizon of the value from acquisition used for CLV:CAC, in weeks.
    top : float, default 0.20
        The share of customers whose part of the value is reported.
    n_resamples : int, default 1000
        Bootstrap resamples of each channel's CLV.

    Returns
    -------
    BalanceSheet
        The table of figures, the CLV:CAC table by channel, the simulated values of the
        base, and the settings.

    Examples
    --------
    >>> from customering_utils import datasets
    >>> sheet = quarterly_balance_sheet(datasets.load_world(), "2025-12-31", n_draws=50)
    >>> nps = sheet.table.loc["NPS"]
    >>> print(f"NPS {nps['value']:.1f} {nps['unit']}, a quarter before {nps['previous']:.1f}")
    NPS -21.5 points, a quarter before -23.0
    >>> sheet.channels["clv_to_cac"].round(2).to_dict()
    {'display': 0.72, 'partner': 2.49, 'referral': 4.4, 'search': 1.7, 'social': 1.08}
    """
    for name in ("customers", "transactions", "surveys", "calls", "marketing"):
        if not isinstance(getattr(world, name, None), pd.DataFrame):
            raise TypeError(f"world should have a table {name!r} (a DataFrame), as datasets.load_world() gives; "
                            f"got {type(world).__name__} without it")
    params = getattr(getattr(world, "truth", None), "params", {})
    if margin is None:
        if "gross_margin" not in params:
            raise ValueError("margin was not given and the world has no truth.params['gross_margin']; pass margin=0.30, say")
        margin = params["gross_margin"]
    if annual_discount_rate is None:
        if "annual_discount_rate" not in params:
            raise ValueError("annual_discount_rate was not given and the world has no truth.params['annual_discount_rate']; "
                             "pass annual_discount_rate=0.10, say")
        annual_discount_rate = params["annual_discount_rate"]
    as_of = periods.as_day(as_of, name="as_of")
    if (as_of + pd.Timedelta(days=1)).day != 1:
        raise ValueError(f"as_of should be the last day of a month (such as 2025-12-31), so the quarter and the months of "
                         f"marketing are whole; got {as_of:%Y-%m-%d}")
    last_purchase = pd.to_datetime(world.transactions["date"]).max().normalize()
    if as_of > last_purchase + pd.offsets.MonthEnd(0):
        raise ValueError(f"as_of ({as_of:%Y-%m-%d}) is after the data end ({last_purchase:%Y-%m-%d}); "
                         "expected a day the data cover")
    previous = as_of - pd.offsets.MonthEnd(3)
    settings = {"margin": float(margin), "annual_discount_rate": float(annual_discount_rate), "horizon": float(horizon),
                "clv_horizon": float(clv_horizon), "top": float(top), "n_draws": int(n_draws), "seed": seed,
                "n_resamples": int(n_resamples)}
    now = _standing(world, as_of, settings)
    before = _standing(world, previous, settings)
    rows = {
        "value of the base": (now["value"], *now["value_range"], before["value"], "US$"),
        "equity at risk (95% VaR)": (now["at_risk"], np.nan, np.nan, before["at_risk"], "US$"),
        f"share of value on the top {top:.0%}": (now["top_share"], *now["top_range"], before["top_share"], "share"),
        "customers alive (expected)": (now["alive"], np.nan, np.nan, before["alive"], "customers"),
        "service level (calls answered within 20 s)": (now["service_level"], np.nan, np.nan, before["service_level"], "share"),
        "NPS": (now["nps"].estimate, now["nps"].lower, now["nps"].upper, before["nps"].estimate, "points"),
    }
    for channel, row in now["channels"].iterrows():
        earlier = before["channels"]["clv_to_cac"].get(channel, np.nan)
        rows[f"CLV:CAC {channel}"] = (row["clv_to_cac"], row["clv_to_cac_lower"], row["clv_to_cac_upper"], earlier, "ratio")
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "lower", "upper", "previous", "unit"])
    table.index.name = "measure"
    table = table.astype({"value": float, "lower": float, "upper": float, "previous": float})
    table["change"] = table["value"] - table["previous"]
    table = table[COLUMNS]
    table.attrs = {"as_of": as_of, "previous": previous} | settings
    return BalanceSheet(as_of, previous, table, now["channels"], now["draws"], settings)


def _standing(world: object, day: pd.Timestamp, settings: dict) -> dict:
    """Every figure of the balance sheet on ``day``, from the data up to it."""
    margin, rate = settings["margin"], settings["annual_discount_rate"]
    transactions = world.transactions[pd.to_datetime(world.transactions["date"]) <= day]
    summary = clv.summarize(transactions, end=day)
    purchases, spend = clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary)
    value = risk.base_value_distribution(purchases, spend, summary, horizon=settings["horizon"],
                                         n_draws=settings["n_draws"], seed=settings["seed"], margin=margin,
                                         annual_discount_rate=rate, top=settings["top"])
    expected = clv.customer_lifetime_value(purchases, spend, summary, horizon=settings["horizon"], margin=margin,
                                           annual_discount_rate=rate)
    quarter_start = day - pd.offsets.MonthEnd(3) + pd.Timedelta(days=1)
    figures = {
        "value": float(expected.sum()),
        "value_range": tuple(np.percentile(value["base_value"], [2.5, 97.5])),
        "at_risk": risk.value_at_risk(value["base_value"], level=0.95),
        "top_share": concentration.top_share(expected.clip(lower=0), share=settings["top"]),
        "top_range": tuple(np.percentile(value["top_share"], [2.5, 97.5])),
        "alive": float(purchases.p_alive(summary).sum()),
        "service_level": _service_level(world.calls, quarter_start, day),
        "nps": _nps(world.surveys, quarter_start, day),
        "draws": value,
    }
    year_start = day - pd.offsets.MonthEnd(12) + pd.Timedelta(days=1)
    customers = world.customers
    require_columns(customers, ["acquisition_date", "channel"], table="customers")
    acquired = pd.to_datetime(customers["acquisition_date"])
    recent = customers.index[(acquired >= year_start) & (acquired <= day)] if customers.index.name == "customer_id" \
        else customers.loc[(acquired >= year_start) & (acquired <= day), "customer_id"]
    from_acquisition = economics.clv_at_acquisition(transactions[transactions["customer_id"].isin(recent)], purchases,
                                                    spend, day, horizon=settings["clv_horizon"], margin=margin,
                                                    annual_discount_rate=rate)
    by_channel = economics.clv_by_channel(from_acquisition, customers, n_resamples=settings["n_resamples"],
                                          seed=settings["seed"])
    marketing = world.marketing
    months = pd.to_datetime(marketing["month"])
    cac = economics.acquisition_cost(marketing[(months >= year_start) & (months <= day)], by="channel")
    channels = economics.clv_to_cac(by_channel, cac)
    channels.insert(0, "customers", by_channel["customers"])
    figures["channels"] = channels
    return figures


def _service_level(calls: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Calls answered within the target over calls offered, in the days from ``start`` to ``end``."""
    require_columns(calls, ["interval_start", "arrivals", "answered_within_20s"], table="calls")
    data = calls if "interval_start" in calls.columns else calls.reset_index()
    when = pd.to_datetime(data["interval_start"])
    inside = data[(when >= start) & (when < end + pd.Timedelta(days=1))]
    offered = float(inside["arrivals"].sum())
    return float(inside["answered_within_20s"].sum()) / offered if offered > 0 else float("nan")


def _nps(answers: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> surveys.ScoreInterval:
    """The NPS of the answers from ``start`` to ``end``, or NaN when there are none."""
    require_columns(answers, ["survey", "date", "score"], table="surveys")
    when = pd.to_datetime(answers["date"])
    scores = answers.loc[(answers["survey"] == "NPS") & (when >= start) & (when <= end), "score"]
    if len(scores) == 0:
        return surveys.ScoreInterval(np.nan, np.nan, np.nan)
    return surveys.nps(scores)
