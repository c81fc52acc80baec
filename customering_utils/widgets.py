"""Interactive explorers for the lessons: move a slider, see the number and the figure change.

ipywidgets and matplotlib are imported inside the functions, so ``import customering_utils``
stays light. The widgets draw their figure into an image inside the widget (not into the
notebook's output), so a notebook that shows them gives the same stored output every run.
A static web page cannot run them; each lesson shows a static figure that makes the same point.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .economics import simple_clv
from .plots import PALETTE
from .tables import require_columns

if TYPE_CHECKING:  # only for the type hints; ipywidgets loads when a widget is made
    import ipywidgets

__all__ = ["clv_explorer", "rfm_cell_explorer"]


def clv_explorer(margin: float, retention: float, discount_rate: float) -> ipywidgets.Widget:
    """Sliders for margin, retention and discount rate, with the simple CLV they give.

    Starts at the values given: ``margin`` per year of a customer who stays (US dollars,
    positive), ``retention`` (the share of customers who stay from one year to the next,
    0 to 0.99) and ``discount_rate`` (per year, 0 to 1). Below the sliders, a readout of
    the CLV (see :func:`customering_utils.economics.simple_clv`) and a figure of CLV
    against retention at the current margin and discount rate, with the starting curve
    in grey for comparison. Returns an ``ipywidgets.VBox``: show it by making it the last
    line of a cell.

    >>> explorer = clv_explorer(100, 0.8, 0.1)
    >>> [child.description for child in explorer.children[:3]]
    ['margin ($/yr)', 'retention', 'discount rate']
    >>> "$266.67" in explorer.children[3].value
    True
    >>> explorer.children[1].value = 0.5   # what the slider does when moved
    >>> "$83.33" in explorer.children[3].value
    True
    """
    import ipywidgets as widgets

    for name, value in (("margin", margin), ("retention", retention), ("discount_rate", discount_rate)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} should be one number, got {type(value).__name__}")
    simple_clv(margin, retention, discount_rate)  # raises a clear ValueError for impossible values
    if margin <= 0:
        raise ValueError(f"margin should be positive (US dollars per year) for the explorer, got {margin!r}")
    if retention > 0.99 or discount_rate > 1:
        raise ValueError(
            f"the explorer's sliders cover retention 0 to 0.99 and discount rates 0 to 1; "
            f"got retention {retention!r} and discount_rate {discount_rate!r}"
        )
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="480px")
    margin_slider = widgets.FloatSlider(
        value=float(margin), min=0.0, max=float(_nice_ceiling(2 * margin)), step=1.0,
        description="margin ($/yr)", readout_format=",.0f", style=style, layout=layout,
    )
    retention_slider = widgets.FloatSlider(
        value=float(retention), min=0.0, max=0.99, step=0.01,
        description="retention", readout_format=".0%", style=style, layout=layout,
    )
    discount_slider = widgets.FloatSlider(
        value=float(discount_rate), min=0.0, max=max(0.30, math.ceil(discount_rate * 100) / 100), step=0.01,
        description="discount rate", readout_format=".0%", style=style, layout=layout,
    )
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="560px"))
    start = (float(margin), float(retention), float(discount_rate))

    def redraw(change: object = None) -> None:
        m, r, d = margin_slider.value, retention_slider.value, discount_slider.value
        clv = simple_clv(m, r, d)
        readout.value = (
            f"CLV per customer: <b>${clv:,.2f}</b> "
            f"(a customer who stays is expected to stay {r / (1 - r):.1f} more years, undiscounted)"
        )
        picture.value = _clv_figure(m, r, d, start)

    for slider in (margin_slider, retention_slider, discount_slider):
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([margin_slider, retention_slider, discount_slider, readout, picture])


def _clv_figure(margin: float, retention: float, discount_rate: float, start: tuple[float, float, float]) -> bytes:
    """PNG bytes of CLV against retention, now (blue, with a dot at ``retention``) and at the start (grey)."""
    from matplotlib.figure import Figure

    grid = np.linspace(0, 0.95, 96)
    figure = Figure(figsize=(5.6, 3.4), dpi=100, layout="constrained")
    ax = figure.subplots()
    ax.plot(100 * grid, simple_clv(start[0], grid, start[2]), color=PALETTE["grey"], linestyle="--",
            label=f"start: margin ${start[0]:,.0f}, discount {start[2]:.0%}")
    ax.plot(100 * grid, simple_clv(margin, grid, discount_rate), color=PALETTE["blue"], linewidth=2,
            label=f"now: margin ${margin:,.0f}, discount {discount_rate:.0%}")
    ax.plot([100 * retention], [simple_clv(margin, retention, discount_rate)], "o", color=PALETTE["vermillion"])
    ax.set_xlabel("retention (% of customers staying a year)")
    ax.set_ylabel("CLV per customer (US$)")
    ax.set_title("Simple CLV against retention")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _nice_ceiling(value: float) -> float:
    """The next round number at or above ``value`` (10, 20, 50, 100, 200, ...), for a slider's top."""
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def rfm_cell_explorer(
    table: pd.DataFrame, value: str, *, value_label: str | None = None, start: str | None = None
) -> ipywidgets.Widget:
    """A drop-down of RFM cells and, for the cell picked, how its customers spread on ``value``.

    ``table`` has one row per customer with an ``rfm_cell`` column (from
    :func:`customering_utils.rfm.rfm_scores`) and the numeric column ``value`` (for
    example each customer's expected revenue next year). ``value_label`` names it, with
    its unit, on the figure and in the readout (default: the column name). The
    drop-down lists every cell, best first ("555", "554", ...), with its number of
    customers; it starts at ``start`` (default: the first). Below it, a readout of the
    cell's customers (how many; the median, mean and middle 80% of ``value``; how many
    are at 0) and a histogram of ``value`` in the cell against all customers, on the
    same axes for every cell. Returns an ``ipywidgets.VBox``: show it by making it the
    last line of a cell.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"rfm_cell": ["555", "555", "111"], "future": [10.0, 30.0, 0.0]})
    >>> explorer = rfm_cell_explorer(table, "future", value_label="future revenue (US$)")
    >>> explorer.children[0].options
    (('555 (2 customers)', '555'), ('111 (1 customer)', '111'))
    >>> "median 20.00" in explorer.children[1].value
    True
    >>> explorer.children[0].value = "111"   # what picking a cell does
    >>> "1 of them (100.0%) at 0" in explorer.children[1].value
    True
    """
    import ipywidgets as widgets

    data = _cell_table(table, value)
    label = value_label or value
    counts = data["rfm_cell"].value_counts()
    cells = sorted(counts.index, reverse=True)
    if start is not None and str(start) not in counts.index:
        raise ValueError(f"start should be one of the table's RFM cells (such as {cells[0]!r}), got {start!r}")
    options = [(f"{cell} ({counts[cell]:,} customer{'s' if counts[cell] != 1 else ''})", cell) for cell in cells]
    picker = widgets.Dropdown(options=options, value=str(start) if start is not None else cells[0],
                              description="RFM cell", layout=widgets.Layout(width="300px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="560px"))
    everyone = data[value].to_numpy(dtype=float)
    # One horizontal axis for every cell: wide enough for 99% of all customers and for 90% of any cell's.
    top = max(float(np.quantile(everyone, 0.99)), float(data.groupby("rfm_cell")[value].quantile(0.9).max()))
    edges = np.linspace(min(0.0, float(everyone.min())), top if top > 0 else 1.0, 31)

    def redraw(change: object = None) -> None:
        cell = picker.value
        values = data.loc[data["rfm_cell"] == cell, value].to_numpy(dtype=float)
        low, high = np.quantile(values, [0.1, 0.9])
        zeros = int((values == 0).sum())
        readout.value = (
            f"Cell <b>{cell}</b>: {len(values):,} customers. {label}: median {np.median(values):,.2f}, "
            f"mean {values.mean():,.2f}; the middle 80% from {low:,.2f} to {high:,.2f}; "
            f"{zeros:,} of them ({zeros / len(values):.1%}) at 0."
        )
        picture.value = _cell_figure(values, everyone, edges, cell, label)

    picker.observe(redraw, names="value")
    redraw()
    return widgets.VBox([picker, readout, picture])


def _cell_table(table: pd.DataFrame, value: str) -> pd.DataFrame:
    """The ``rfm_cell`` and ``value`` columns of ``table``, checked: text cells, finite numbers."""
    require_columns(table, ["rfm_cell", value], table="table")
    data = table[["rfm_cell", value]].copy()
    if len(data) == 0:
        raise ValueError("table is empty; expected one row per customer")
    if not pd.api.types.is_numeric_dtype(data[value]) or not np.isfinite(data[value].to_numpy(dtype=float)).all():
        raise ValueError(f"table column {value!r} should hold a finite number for every customer")
    if data["rfm_cell"].isna().any():
        raise ValueError("table column 'rfm_cell' has missing values; expected a cell such as '555' on every row")
    data["rfm_cell"] = data["rfm_cell"].astype(str)
    return data


def _cell_figure(values: np.ndarray, everyone: np.ndarray, edges: np.ndarray, cell: str, label: str) -> bytes:
    """PNG bytes of a histogram of ``values`` (one cell, blue) over ``everyone`` (grey), in % of customers."""
    from matplotlib.figure import Figure

    top = edges[-1]
    figure = Figure(figsize=(5.6, 3.4), dpi=100, layout="constrained")
    ax = figure.subplots()
    for sample, colour, name, style in (
        (everyone, PALETTE["grey"], f"all customers ({len(everyone):,})", {"histtype": "step", "linewidth": 1.5}),
        (values, PALETTE["blue"], f"cell {cell} ({len(values):,})", {"alpha": 0.7}),
    ):
        weights = np.full(len(sample), 100 / len(sample))
        ax.hist(np.clip(sample, edges[0], top), bins=edges, weights=weights, color=colour, label=name, **style)
    ax.set_xlabel(f"{label}; the last bar holds everything above")
    ax.set_ylabel("customers (% of the group)")
    ax.set_title(f"How the customers of cell {cell} spread")
    ax.legend(loc="upper right", frameon=False, fontsize=8)
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# ---- Module 1, lesson 1c: one customer's history, P(alive) and value ---------------------


def history_by_week(transactions: pd.DataFrame, customer_id: object, end: str | pd.Timestamp) -> pd.DataFrame:
    """One customer's BG/NBD history as it stood week by week: what the model knew on each date.

    For each checkpoint date from the customer's first purchase to ``end`` (every 7 days,
    plus each purchase day, the day before it, and ``end``), the columns
    :func:`customering_utils.clv.summarize` would give had it been run with that date
    as its end: ``frequency`` (repeat purchase days so far), ``recency`` and ``T`` (weeks
    from the first purchase to the last purchase so far, and to the checkpoint). Feed it
    to a fitted model's ``p_alive`` to see how P(alive) moved over time. ``transactions``
    needs ``customer_id``, ``date`` and ``amount``; the index is ``date``.

    Hand-worked: a customer who bought on 1 and 15 January 2025, seen on 29 January, had
    1 repeat purchase, 2 weeks after the first, and had been a customer for 4 weeks.

    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 20.0, 8.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-08"])})
    >>> history_by_week(tx, 1, end="2025-01-29").round(2)
                frequency  recency     T
    date
    2025-01-01          0      0.0  0.00
    2025-01-08          0      0.0  1.00
    2025-01-14          0      0.0  1.86
    2025-01-15          1      2.0  2.00
    2025-01-22          1      2.0  3.00
    2025-01-29          1      2.0  4.00
    """
    from .tables import check_transactions

    end = pd.Timestamp(end).normalize()
    data = check_transactions(transactions)
    dates = data.loc[data["customer_id"] == customer_id, "date"].dt.normalize()
    days = np.sort(dates[dates <= end].unique())
    if len(days) == 0:
        raise ValueError(f"customer {customer_id!r} has no purchase on or before {end:%Y-%m-%d}; expected a customer id of the table")
    first = pd.Timestamp(days[0])
    purchase_days = pd.DatetimeIndex(days)
    checkpoints = (pd.date_range(first, end, freq="7D")
                   .union(purchase_days).union(purchase_days[1:] - pd.Timedelta(days=1)).union([end]))
    count = np.searchsorted(purchase_days.to_numpy(), checkpoints.to_numpy(), side="right")
    last = purchase_days[count - 1]
    history = pd.DataFrame(
        {
            "frequency": (count - 1).astype("int64"),
            "recency": (last - first).days.to_numpy() / 7.0,
            "T": (checkpoints - first).days.to_numpy() / 7.0,
        },
        index=pd.DatetimeIndex(checkpoints, name="date"),
    )
    return history


def customer_explorer(
    transactions: pd.DataFrame,
    model: object,
    clv: pd.Series,
    end: str | pd.Timestamp,
    examples: dict[str, object],
) -> ipywidgets.Widget:
    """Pick a customer; see their purchases, how their P(alive) moved, and what they are worth.

    ``transactions`` needs ``customer_id``, ``date`` and ``amount`` (US dollars);
    ``model`` is a fitted :class:`customering_utils.clv.BetaGeo` (anything with a
    ``p_alive(history)`` method); ``clv`` holds each customer's lifetime value in US
    dollars, indexed by ``customer_id``; ``end`` is the last day observed. The drop-down
    lists the ``examples`` (label: customer id); the box below it takes any customer id.
    Below them, a readout (purchase days, spend, P(alive) on ``end``, CLV) and a figure:
    the purchases (:func:`customering_utils.plots.purchase_timeline`) above the path of
    P(alive) (:func:`customering_utils.plots.p_alive_path`, from :func:`history_by_week`).
    Returns an ``ipywidgets.VBox``: show it by making it the last line of a cell.

    >>> import pandas as pd
    >>> from customering_utils import clv as models
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 20.0, 8.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-08"])})
    >>> bg = models.BetaGeo(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> values = pd.Series({1: 12.5, 2: 3.0})
    >>> explorer = customer_explorer(tx, bg, values, "2025-01-29", {"the repeat buyer": 1, "the one-off": 2})
    >>> "CLV <b>$12.50</b>" in explorer.children[2].value
    True
    >>> explorer.children[0].value = 2   # what picking the one-off does
    >>> explorer.children[1].value, "1 purchase day" in explorer.children[2].value
    (2, True)
    >>> explorer.children[1].value = 99  # a customer who is not there
    >>> "no customer 99" in explorer.children[2].value
    True
    """
    import ipywidgets as widgets

    from .tables import check_transactions

    data = check_transactions(transactions)
    end = pd.Timestamp(end).normalize()
    data = data[data["date"].dt.normalize() <= end]
    if not isinstance(clv, pd.Series):
        raise TypeError(f"clv should be a pandas Series of US dollars indexed by customer_id, got {type(clv).__name__}")
    if not examples:
        raise ValueError("examples should name at least one customer, as {label: customer_id}")
    missing = [label for label, who in examples.items() if who not in clv.index]
    if missing:
        raise ValueError(f"examples {missing} are not customers in clv's index; expected customer ids with a CLV")
    by_customer = {who: rows for who, rows in data.groupby("customer_id")}
    options = [(str(label), int(who)) for label, who in examples.items()]
    picker = widgets.Dropdown(options=options, value=options[0][1],
                              description="example", layout=widgets.Layout(width="420px"))
    chosen = widgets.IntText(value=int(picker.value), description="customer id", layout=widgets.Layout(width="220px"))
    readout = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))

    def redraw(change: object = None) -> None:
        who = chosen.value
        if who not in by_customer or who not in clv.index:
            readout.value = f"There is no customer {who} with purchases on or before {end:%Y-%m-%d}; try another id."
            return
        rows = by_customer[who]
        history = history_by_week(rows, who, end)
        path = model.p_alive(history)
        n_days = rows["date"].dt.normalize().nunique()
        readout.value = (
            f"Customer <b>{who}</b>: {n_days:,} purchase day{'s' if n_days != 1 else ''} from "
            f"{rows['date'].min():%Y-%m-%d} to {rows['date'].max():%Y-%m-%d}, ${rows['amount'].sum():,.2f} in all. "
            f"On {end:%Y-%m-%d}: P(alive) <b>{path.iloc[-1]:.2f}</b>, CLV <b>${clv[who]:,.2f}</b>."
        )
        picture.value = _customer_figure(rows.set_index("date")["amount"], path, end, who)

    def pick(change: object = None) -> None:
        chosen.value = int(picker.value)

    picker.observe(pick, names="value")
    chosen.observe(redraw, names="value")
    redraw()
    return widgets.VBox([picker, chosen, readout, picture])


def _customer_figure(purchases: pd.Series, path: pd.Series, end: pd.Timestamp, who: object) -> bytes:
    """PNG bytes of one customer's purchases (top) over their P(alive) path (bottom), on one date axis."""
    from matplotlib.figure import Figure

    from .plots import p_alive_path, purchase_timeline

    figure = Figure(figsize=(6.4, 4.8), dpi=100, layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    purchase_timeline(purchases, ax=top, end=end)
    p_alive_path(path, ax=bottom)
    top.set_title(f"Customer {who}: purchases")
    top.set_xlabel("")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


__all__ += ["history_by_week", "customer_explorer"]
