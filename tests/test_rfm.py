"""Customer summary, RFM scores, cohort retention, and their figure and explorer: worked by hand,
checked for properties on random tables, and on the data world."""

from __future__ import annotations

import json
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from customering_utils import plots, rfm, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def purchases(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    """A transactions table from (customer_id, date, amount) rows, indexed by transaction_id."""
    return pd.DataFrame(
        {
            "customer_id": [customer for customer, _, _ in rows],
            "date": pd.to_datetime([day for _, day, _ in rows]),
            "amount": [amount for _, _, amount in rows],
        },
        index=pd.Index(range(1, len(rows) + 1), name="transaction_id"),
    )


def test_importing_rfm_loads_no_plotting_or_widget_library():
    code = "import customering_utils.rfm, sys, json; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    heavy = sorted({name.split(".")[0] for name in loaded} & {"matplotlib", "ipywidgets", "IPython"})
    assert heavy == [], f"importing customering_utils.rfm loaded {heavy}"


# --- customer_summary -------------------------------------------------------------------------

SHOP = purchases([
    (2, "2025-01-05", 20.0),
    (1, "2025-01-10", 10.0),
    (1, "2025-01-10", 30.0),   # same day, second purchase: counts
    (1, "2025-03-01", 50.0),
    (3, "2025-03-31", 7.5),    # on the end day: counts, recency 0
    (2, "2025-04-01", 99.0),   # after the end: left out
    (4, "2025-06-01", 12.0),   # customer 4 starts after the end: not in the summary
])


def test_customer_summary_hand_worked():
    summary = rfm.customer_summary(SHOP, end="2025-03-31")
    assert summary.index.tolist() == [1, 2, 3] and summary.index.name == "customer_id"
    assert summary.columns.tolist() == [
        "first_purchase", "last_purchase", "recency_days", "frequency", "monetary", "revenue"
    ]
    # Customer 1: 10 Jan (twice) and 1 Mar; 30 days from 1 March to 31 March; (10 + 30 + 50) / 3 = 30.
    assert summary.loc[1, "first_purchase"] == pd.Timestamp("2025-01-10")
    assert summary.loc[1, "last_purchase"] == pd.Timestamp("2025-03-01")
    assert summary["recency_days"].tolist() == [30, 85, 0]  # 5 Jan to 31 Mar is 85 days
    assert summary["frequency"].tolist() == [3, 1, 1]
    assert summary["monetary"].tolist() == pytest.approx([30.0, 20.0, 7.5])
    assert summary["revenue"].tolist() == pytest.approx([90.0, 20.0, 7.5])
    assert summary["recency_days"].dtype == np.int64 and summary["frequency"].dtype == np.int64


def test_end_is_inclusive_and_may_be_text_a_timestamp_or_carry_a_time():
    by_text = rfm.customer_summary(SHOP, end="2025-03-31")
    for end in (pd.Timestamp("2025-03-31"), "2025-03-31 18:30", pd.Timestamp("2025-03-31", tz="UTC")):
        pd.testing.assert_frame_equal(rfm.customer_summary(SHOP, end=end), by_text)
    day_before = rfm.customer_summary(SHOP, end="2025-03-30")
    assert 3 not in day_before.index  # customer 3's only purchase is on 31 March


def test_later_end_adds_purchases_and_days():
    summary = rfm.customer_summary(SHOP, end="2025-12-31")
    assert summary.loc[2, "frequency"] == 2 and summary.loc[2, "revenue"] == pytest.approx(119.0)
    assert summary.loc[4, "recency_days"] == 213  # 1 June to 31 December


def test_customer_summary_does_not_change_its_input():
    table = SHOP.assign(date=SHOP["date"].dt.strftime("%Y-%m-%d"))  # text dates get converted, in a copy
    before = table.copy()
    rfm.customer_summary(table, end="2025-12-31")
    pd.testing.assert_frame_equal(table, before)


def test_world_summary_adds_up(world):
    summary = rfm.customer_summary(world.transactions, end="2025-12-31")
    assert len(summary) == world.transactions["customer_id"].nunique() == 10_000
    assert summary["frequency"].sum() == len(world.transactions)
    assert summary["revenue"].sum() == pytest.approx(world.transactions["amount"].sum())
    assert (summary["first_purchase"] == world.customers["acquisition_date"]).all()
    assert summary["recency_days"].min() == 0 and summary["recency_days"].max() <= 3 * 366


@pytest.mark.parametrize("table, end, error, message", [
    (SHOP.drop(columns="amount"), "2025-12-31", ValueError, "transactions is missing column 'amount'"),
    (SHOP.assign(amount=-1.0), "2025-12-31", ValueError, "column 'amount' has 7 negative values"),
    (SHOP, "the end of the year", ValueError, r"end should be a date such as '2025-12-31'"),
    (SHOP, 2025, ValueError, "end should be a date such as '2025-12-31' or a pandas Timestamp, got 2025"),
    (SHOP, None, ValueError, "end should be a date"),
    (SHOP, "2024-12-31", ValueError,
     r"transactions has no purchase on or before end=2024-12-31 \(its first purchase is on 2025-01-05\)"),
    ([1, 2, 3], "2025-12-31", TypeError, "transactions should be a pandas DataFrame, got list"),
])
def test_customer_summary_names_bad_input(table, end, error, message):
    with pytest.raises(error, match=message):
        rfm.customer_summary(table, end=end)


# --- rfm_scores --------------------------------------------------------------------------------

#: Ten customers, worked by hand in test_rfm_scores_hand_worked_with_ties.
TEN = pd.DataFrame(
    {
        "recency_days": [5, 5, 10, 30, 30, 30, 60, 90, 200, 400],
        "frequency": [1, 1, 2, 1, 3, 1, 8, 2, 1, 1],
        "monetary": [10.0, 20.0, 15.0, 40.0, 15.0, 5.0, 25.0, 15.0, 60.0, 10.0],
    },
    index=pd.Index(range(1, 11), name="customer_id"),
)


def test_rfm_scores_hand_worked_with_ties():
    scores = rfm.rfm_scores(TEN, bins=5)
    # Ten customers, five scores: two customers per score, by position k = 0 (worst) .. 9 (best).
    # R, worst to best: 400 (c10), 200 (c9), 90 (c8), 60 (c7); the three at 30 days split by
    #   frequency, then monetary: c6 (1, $5), c4 (1, $40), c5 (3); then c3 (10); then the two
    #   at 5 days by monetary: c1 ($10), c2 ($20).
    assert scores["R"].tolist() == [5, 5, 4, 3, 4, 3, 2, 2, 1, 1]
    # F: six one-time buyers fill F 1, F 2 and F 3 in order of recency (then monetary):
    #   c10, c9 | c6, c4 | c1, c2; then the two-time buyers c8 (90 days), c3 (10 days); then c5, c7.
    assert scores["F"].tolist() == [3, 3, 4, 2, 5, 2, 5, 4, 1, 1]
    # M: $5 c6; $10 c10 (F tie, older) then c1; $15: c8, c3 (2 purchases, c8 older) then c5 (3);
    #   $20 c2; $25 c7; $40 c4; $60 c9.
    assert scores["M"].tolist() == [2, 4, 3, 5, 3, 1, 4, 2, 5, 1]
    assert scores["rfm_cell"].tolist() == ["532", "534", "443", "325", "453", "321", "254", "242", "115", "111"]
    assert scores["rfm_score"].tolist() == [10, 12, 11, 10, 12, 6, 11, 8, 7, 3]
    assert scores.columns.tolist() == ["R", "F", "M", "rfm_cell", "rfm_score"]
    assert scores.index.equals(TEN.index)


def test_customers_tied_on_everything_are_ordered_by_id():
    twins = pd.DataFrame({"recency_days": [7, 7], "frequency": [2, 2], "monetary": [9.0, 9.0]},
                         index=pd.Index([20, 10], name="customer_id"))
    scores = rfm.rfm_scores(twins, bins=2)
    # The higher id (20, usually the more recently acquired) takes the higher score, wherever its row is.
    assert scores.loc[20, "rfm_cell"] == "222" and scores.loc[10, "rfm_cell"] == "111"


def test_groups_have_equal_sizes_even_when_most_customers_tie():
    # 60% of these customers bought once: value quantiles would give duplicate cut points.
    summary = pd.DataFrame({
        "recency_days": np.arange(100) % 37,
        "frequency": [1] * 60 + [2] * 25 + [5] * 15,
        "monetary": np.round(np.linspace(5, 80, 100), 0),
    })
    scores = rfm.rfm_scores(summary)
    for letter in "RFM":
        assert scores[letter].value_counts().sort_index().tolist() == [20] * 5
    # F 1, F 2 and F 3 hold one-time buyers only; every two-time buyer scores 4 (the 25 of them
    # fill positions 60-84: F 4 is 60-79, F 5 starts at 80).
    assert set(scores.loc[summary["frequency"] == 1, "F"]) == {1, 2, 3}
    assert set(scores.loc[summary["frequency"] == 2, "F"]) == {4, 5}


def test_as_many_customers_as_bins_is_one_each():
    scores = rfm.rfm_scores(TEN.iloc[:5], bins=5)
    assert sorted(scores["R"]) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("summary, bins, message", [
    (TEN.iloc[:4], 5, r"summary has 4 customer\(s\), fewer than bins=5: some score would be empty"),
    (TEN, 1, "bins should be a whole number from 2 to 9"),
    (TEN, 10, "bins should be a whole number from 2 to 9"),
    (TEN, 2.5, "bins should be a whole number from 2 to 9"),
    (TEN, True, "bins should be a whole number from 2 to 9"),
    (TEN.drop(columns="frequency"), 5, "summary is missing column 'frequency'"),
    (TEN.assign(monetary=[np.nan] + [1.0] * 9), 5,
     r"summary column 'monetary' has 1 missing value \(first at customer_id 1\); expected a finite number"),
    (TEN.assign(recency_days=[5, 5] + [-1] * 8), 5,
     r"summary column 'recency_days' has 8 negative values \(first at customer_id 3\)"),
    (TEN.assign(frequency=[np.inf] * 10), 5, "summary column 'frequency' has 10 infinite values"),
    (TEN.assign(frequency="often"), 5, "summary column 'frequency' should hold numbers"),
    (TEN.set_index(pd.Index([1, 2, 3, 3, 5, 6, 7, 8, 9, 10], name="customer_id")), 5,
     "summary has more than one row for customer_id 3; expected one row per customer"),
])
def test_rfm_scores_names_bad_input(summary, bins, message):
    with pytest.raises(ValueError, match=message):
        rfm.rfm_scores(summary, bins=bins)


def test_rfm_scores_rejects_what_is_not_a_table():
    with pytest.raises(TypeError, match="summary should be a pandas DataFrame, got list"):
        rfm.rfm_scores([1, 2, 3])


summaries = st.integers(1, 60).flatmap(lambda n: st.fixed_dictionaries({
    "recency_days": st.lists(st.integers(0, 30), min_size=n, max_size=n),
    "frequency": st.lists(st.integers(1, 4), min_size=n, max_size=n),
    "monetary": st.lists(st.sampled_from([5.0, 10.0, 12.5, 40.0, 99.99]), min_size=n, max_size=n),
})).map(lambda columns: pd.DataFrame(columns, index=pd.Index(range(101, 101 + len(columns["frequency"])),
                                                              name="customer_id")))


@settings(max_examples=80, deadline=None)
@given(summary=summaries, bins=st.integers(2, 9), seed=st.integers(0, 2**32 - 1))
def test_rfm_score_properties(summary, bins, seed):
    if len(summary) < bins:
        with pytest.raises(ValueError, match="fewer than bins"):
            rfm.rfm_scores(summary, bins=bins)
        return
    before = summary.copy()
    scores = rfm.rfm_scores(summary, bins=bins)
    pd.testing.assert_frame_equal(summary, before)  # the input is untouched
    n = len(summary)
    for letter, column in rfm.RFM_COLUMNS.items():
        score = scores[letter].to_numpy()
        assert score.min() >= 1 and score.max() <= bins
        sizes = np.bincount(score, minlength=bins + 1)[1:]
        assert sizes.max() - sizes.min() <= 1 and sizes.sum() == n  # equal groups, none empty
        # Monotone: a strictly better value never gets a lower score.
        value = summary[column].to_numpy(dtype=float) * (-1 if letter == "R" else 1)
        better = value[:, None] > value[None, :]
        assert (score[:, None] >= score[None, :])[better].all()
    assert (scores["rfm_cell"] == scores["R"].astype(str) + scores["F"].astype(str) + scores["M"].astype(str)).all()
    assert (scores["rfm_score"] == scores[["R", "F", "M"]].sum(axis=1)).all()
    # The order of the rows does not matter: ties are broken by values and ids, not by position.
    shuffled = summary.sample(frac=1.0, random_state=seed % 2**32)
    pd.testing.assert_frame_equal(rfm.rfm_scores(shuffled, bins=bins).loc[scores.index], scores)


def test_world_rfm_scores_split_the_one_time_buyers_by_recency(world):
    summary = rfm.customer_summary(world.transactions, end="2025-12-31")
    scores = rfm.rfm_scores(summary)
    assert scores["F"].value_counts().tolist() == [2000] * 5
    # More than a fifth of the base bought once: all of F 1, and the oldest of them.
    once = summary["frequency"] == 1
    assert once.sum() > 2000 and (scores.loc[scores["F"] == 1].index.isin(summary.index[once])).all()
    last_f1 = summary.loc[scores["F"] == 1, "recency_days"].min()
    assert (summary.loc[once & (scores["F"] == 2), "recency_days"] <= last_f1).all()


# --- cohort_counts and cohort_retention ---------------------------------------------------------

COHORTS = purchases([
    (1, "2025-01-10", 10.0), (2, "2025-02-01", 10.0), (3, "2025-03-31", 10.0),  # Q1 cohort: 1, 2, 3
    (1, "2025-02-20", 10.0),                                                     # 1 again, still Q1
    (4, "2025-04-01", 10.0), (1, "2025-05-05", 10.0), (1, "2025-06-06", 10.0),   # Q2: 4 new; 1 twice
    (3, "2025-10-01", 10.0), (4, "2025-12-31", 10.0),                            # Q3: nobody. Q4: 3 and 4
])


def test_cohort_counts_hand_worked():
    counts = rfm.cohort_counts(COHORTS, freq="QS")
    # Q1 cohort (1, 2, 3): Q2 customer 1 (twice, counts once); Q3 nobody; Q4 customer 3 (skipped two quarters).
    # Q2 cohort (4): Q3 nobody; Q4 customer 4. Its period 3 would be Q1 2026: not seen.
    assert counts.index.tolist() == list(pd.to_datetime(["2025-01-01", "2025-04-01"]))
    assert counts.index.name == "cohort" and counts.columns.name == "periods_since_acquisition"
    assert counts.columns.tolist() == [0, 1, 2, 3]
    assert counts.iloc[0].tolist() == [3, 1, 0, 1]
    assert counts.iloc[1, :3].tolist() == [1, 0, 1] and counts.iloc[1, 3] is pd.NA
    assert str(counts.dtypes.iloc[0]) == "Int64"


def test_cohort_retention_hand_worked():
    retention = rfm.cohort_retention(COHORTS, freq="QS")
    assert retention.iloc[0].tolist() == pytest.approx([1.0, 1 / 3, 0.0, 1 / 3])
    assert retention.iloc[1, :3].tolist() == [1.0, 0.0, 1.0] and np.isnan(retention.iloc[1, 3])
    assert retention.attrs["freq"] == "QS"


def test_cohorts_by_month_and_by_year():
    months = rfm.cohort_counts(COHORTS, freq="MS")
    # January: customer 1; February: 2; March: 3; April: 4. December is the last month seen.
    assert months.index.month.tolist() == [1, 2, 3, 4]
    assert months[0].tolist() == [1, 1, 1, 1]
    assert months.columns.max() == 11  # January cohort: 0 (January) .. 11 (December)
    assert months.loc["2025-01-01", 1] == 1 and months.loc["2025-01-01", 3] == 0  # Feb yes, April no
    assert months.loc["2025-04-01"].isna().sum() == 3  # April + 9 = January 2026 onwards: unseen
    years = rfm.cohort_retention(COHORTS, freq="YS")
    assert years.shape == (1, 1) and years.iloc[0, 0] == 1.0


def test_a_cohort_with_no_acquisitions_has_no_row():
    table = purchases([(1, "2025-01-05", 5.0), (1, "2025-07-05", 5.0), (2, "2025-10-05", 5.0)])
    counts = rfm.cohort_counts(table)
    assert counts.index.tolist() == list(pd.to_datetime(["2025-01-01", "2025-10-01"]))
    assert counts.iloc[0].tolist() == [1, 0, 1, 0]


def test_cohorts_do_not_change_their_input():
    before = COHORTS.copy()
    rfm.cohort_retention(COHORTS)
    pd.testing.assert_frame_equal(COHORTS, before)


@pytest.mark.parametrize("call, error, message", [
    (lambda: rfm.cohort_counts(COHORTS, freq="quarterly"), ValueError, "freq should be a pandas frequency"),
    (lambda: rfm.cohort_retention(COHORTS.drop(columns="date")), ValueError, "transactions is missing column 'date'"),
    (lambda: rfm.cohort_counts(COHORTS.iloc[:0]), ValueError, r"transactions is empty \(0 rows\)"),
    (lambda: rfm.cohort_counts(COHORTS.assign(customer_id=np.nan)), ValueError, "column 'customer_id' has 9 missing"),
])
def test_cohorts_name_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


dates = st.dates(min_value=pd.Timestamp("2024-01-01").date(), max_value=pd.Timestamp("2025-12-31").date())


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 12), dates), min_size=1, max_size=40))
def test_cohort_properties(rows):
    table = purchases([(customer, str(day), 1.0) for customer, day in rows])
    counts = rfm.cohort_counts(table, freq="QS")
    retention = rfm.cohort_retention(table, freq="QS")
    assert counts[0].sum() == table["customer_id"].nunique()  # every customer in exactly one cohort
    assert (retention[0] == 1.0).all()
    seen = retention.notna().to_numpy()
    assert ((retention.to_numpy()[seen] >= 0) & (retention.to_numpy()[seen] <= 1)).all()
    # Unseen cells are those past the last quarter with a purchase, and only those.
    last = table["date"].max().to_period("Q")
    for row, cohort in enumerate(counts.index):
        for column in counts.columns:
            assert seen[row, column] == (cohort.to_period("Q") + column <= last)


def test_world_cohorts_match_acquisition_quarters(world):
    counts = rfm.cohort_counts(world.transactions)
    acquired = world.customers["acquisition_date"].dt.to_period("Q").value_counts().sort_index()
    assert counts[0].tolist() == acquired.tolist()
    assert counts.shape == (12, 12) and counts.iloc[-1, 1:].isna().all()
    # The 2025 buyers of the 2023 Q1 cohort, quarter by quarter, counted directly.
    cohort = world.customers.index[world.customers["acquisition_date"] < "2023-04-01"]
    tx = world.transactions[world.transactions["customer_id"].isin(cohort)]
    direct = [tx.loc[tx["date"].dt.to_period("Q") == q, "customer_id"].nunique()
              for q in pd.period_range("2025Q1", "2025Q4", freq="Q")]
    assert counts.iloc[0, 8:].tolist() == direct


# --- the heat map and the cell explorer ------------------------------------------------------------

def test_retention_heatmap_draws_percentages_with_blank_unseen_cells():
    retention = rfm.cohort_retention(COHORTS, freq="QS")
    ax = plots.retention_heatmap(retention)
    image = ax.images[0]
    drawn = image.get_array()
    assert drawn[0].tolist() == pytest.approx([100, 100 / 3, 0, 100 / 3])
    assert bool(drawn.mask[1, 3]) and not drawn.mask[1, :3].any()
    assert image.get_cmap().name.startswith("cividis")
    assert image.colorbar.ax.get_ylabel() == "% of cohort buying"
    # The colour scale tops at the highest share after acquisition rounded up to 10%: 100% here (Q2 cohort, Q4).
    assert image.get_clim() == (0, 100)
    assert [text.get_text() for text in ax.texts][:4] == ["100", "33", "0", "33"]
    assert ax.get_xlabel() == "periods since acquisition (quarters)"
    assert ax.get_ylabel() == "acquisition cohort (quarter of first purchase)"
    assert [label.get_text() for label in ax.get_yticklabels()] == ["2025 Q1", "2025 Q2"]
    assert ax.get_title() == "Cohort retention: % of each cohort buying, by periods since acquisition"


def test_retention_heatmap_names_months_and_draws_into_a_given_axes(world):
    _, (left, right) = plt.subplots(1, 2)
    months = rfm.cohort_retention(COHORTS, freq="MS")
    assert plots.retention_heatmap(months, ax=right) is right and not left.images
    assert right.get_xlabel() == "periods since acquisition (months)"
    assert right.get_yticklabels()[0].get_text() == "2025-01"
    world_ax = plots.retention_heatmap(rfm.cohort_retention(world.transactions))
    assert world_ax.images[0].get_clim() == (0, 50)  # the highest later share in the world is 49%


@pytest.mark.parametrize("matrix, error, message", [
    ([[1.0, 0.5]], TypeError, "matrix should be a pandas DataFrame of shares"),
    (pd.DataFrame(), ValueError, "matrix is empty"),
    (rfm.cohort_counts(COHORTS).astype(float), ValueError, r"Pass cohort_retention\(...\), not cohort_counts"),
    (pd.DataFrame([["a", "b"]]), ValueError, "matrix should hold numbers"),
    (pd.DataFrame([[np.nan, np.nan]]), ValueError, "matrix has no values, only NaN"),
])
def test_retention_heatmap_rejects_what_it_cannot_draw(matrix, error, message):
    with pytest.raises(error, match=message):
        plots.retention_heatmap(matrix)


CELLS = pd.DataFrame({
    "rfm_cell": ["555", "555", "555", "555", "111", "111", "345"],
    "future": [0.0, 10.0, 20.0, 90.0, 0.0, 0.0, 5.0],
}, index=pd.Index(range(1, 8), name="customer_id"))


def test_cell_explorer_lists_cells_best_first_and_reads_out_the_cell():
    explorer = widgets.rfm_cell_explorer(CELLS, "future", value_label="future revenue (US$)")
    picker, readout, picture = explorer.children
    assert picker.options == (("555 (4 customers)", "555"), ("345 (1 customer)", "345"), ("111 (2 customers)", "111"))
    assert picker.value == "555"
    # 0, 10, 20, 90: median 15, mean 30; one of four (25.0%) at 0.
    assert "median 15.00" in readout.value and "mean 30.00" in readout.value
    assert "1 of them (25.0%) at 0" in readout.value
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n"
    first_picture = picture.value
    picker.value = "111"
    assert "2 customers" in readout.value and "2 of them (100.0%) at 0" in readout.value
    assert picture.value != first_picture


def test_cell_explorer_starts_where_asked_and_shows_the_same_text_every_time():
    first = widgets.rfm_cell_explorer(CELLS, "future", start="345")
    second = widgets.rfm_cell_explorer(CELLS, "future", start="345")
    assert first.children[0].value == "345"
    assert first._repr_mimebundle_()["text/plain"] == second._repr_mimebundle_()["text/plain"]
    assert first.model_id not in first._repr_mimebundle_()["text/plain"]


def test_cell_explorer_does_not_change_its_input():
    before = CELLS.copy()
    widgets.rfm_cell_explorer(CELLS, "future")
    pd.testing.assert_frame_equal(CELLS, before)


@pytest.mark.parametrize("table, value, start, message", [
    (CELLS, "past", None, "table is missing column 'past'"),
    (CELLS.drop(columns="rfm_cell"), "future", None, "table is missing column 'rfm_cell'"),
    (CELLS.assign(future=np.nan), "future", None, "table column 'future' should hold a finite number"),
    (CELLS.iloc[:0], "future", None, "table is empty"),
    (CELLS, "future", "999", "start should be one of the table's RFM cells"),
])
def test_cell_explorer_names_bad_input(table, value, start, message):
    with pytest.raises(ValueError, match=message):
        widgets.rfm_cell_explorer(table, value, start=start)


# --- cohort_intervals and the retention curves ---------------------------------------------------

def test_cohort_intervals_hand_worked():
    counts = rfm.cohort_counts(COHORTS, freq="QS")
    table = rfm.cohort_intervals(counts)
    # Q1 cohort (3 customers): 1, 0, 1 buyers in periods 1-3; Q2 cohort (1): 0, 1 in periods 1-2; period 3 unseen.
    assert table.index.names == ["cohort", "periods_since_acquisition"]
    assert table.index.tolist() == [(pd.Timestamp("2025-01-01"), k) for k in (1, 2, 3)] + [
        (pd.Timestamp("2025-04-01"), k) for k in (1, 2)]
    assert table["customers"].tolist() == [3, 3, 3, 1, 1] and table["buyers"].tolist() == [1, 0, 1, 0, 1]
    assert table["share"].tolist() == pytest.approx([1 / 3, 0, 1 / 3, 0, 1])
    # Each interval is the Wilson interval of intervals.proportion.
    from customering_utils import intervals
    one_of_three = intervals.proportion(1, 3)
    assert table.iloc[0][["lower", "upper"]].tolist() == pytest.approx([one_of_three.lower, one_of_three.upper])
    assert (table["lower"] <= table["share"]).all() and (table["share"] <= table["upper"]).all()
    assert table.attrs["freq"] == "QS"


def test_cohort_intervals_for_some_cohorts_and_a_wider_confidence():
    counts = rfm.cohort_counts(COHORTS, freq="QS")
    narrow = rfm.cohort_intervals(counts, cohorts=["2025-04-01"])
    assert narrow.index.get_level_values("cohort").unique().tolist() == [pd.Timestamp("2025-04-01")]
    wide = rfm.cohort_intervals(counts, cohorts=["2025-04-01"], confidence=0.99)
    assert (wide["upper"] - wide["lower"] > narrow["upper"] - narrow["lower"]).all()


def test_world_cohort_intervals_hold_the_pooled_share_a_year_on(world):
    counts = rfm.cohort_counts(world.transactions)
    year_on = rfm.cohort_intervals(counts).xs(4, level="periods_since_acquisition")
    assert len(year_on) == 8  # the cohorts of 2023 and 2024
    pooled = year_on["buyers"].sum() / year_on["customers"].sum()
    assert ((year_on["lower"] <= pooled) & (pooled <= year_on["upper"])).all()


@pytest.mark.parametrize("counts, cohorts, error, message", [
    ([[3, 1]], None, TypeError, "counts should be a pandas DataFrame from cohort_counts"),
    (pd.DataFrame({1: [3]}), None, ValueError, r"a column 0 \(the cohort sizes\)"),
    (rfm.cohort_retention(COHORTS), None, ValueError, r"pass cohort_counts\(...\), not cohort_retention"),
    (pd.DataFrame({0: [3], 1: [4]}), None, ValueError, "more buyers than the cohort has customers"),
    (rfm.cohort_counts(COHORTS), ["2024-01-01"], ValueError, "are not rows of counts"),
])
def test_cohort_intervals_names_bad_input(counts, cohorts, error, message):
    with pytest.raises(error, match=message):
        rfm.cohort_intervals(counts, cohorts)


def test_retention_curves_draw_each_cohort_with_its_band_over_the_pooled_line():
    counts = rfm.cohort_counts(COHORTS, freq="QS")
    ax = plots.retention_curves(counts)
    pooled, first, second = ax.get_lines()
    # Pooled: period 1, 1 buyer of 4 customers; period 2, 1 of 4; period 3, only the Q1 cohort is seen: 1 of 3.
    assert pooled.get_label() == "all cohorts, pooled"
    assert pooled.get_ydata().tolist() == pytest.approx([25.0, 25.0, 100 / 3])
    assert first.get_label() == "2025 Q1 (3 customers)" and second.get_label() == "2025 Q2 (1 customer)"
    assert first.get_ydata().tolist() == pytest.approx([100 / 3, 0, 100 / 3])
    assert second.get_xdata().tolist() == [1, 2]
    assert len(ax.collections) == 2  # one band per cohort
    assert to_hex(first.get_color()).upper() == plots.PALETTE["blue"]
    assert ax.get_xlabel() == "periods since acquisition (quarters)" and ax.get_ylabel() == "% of cohort buying"
    assert ax.get_title() == "Retention of acquisition cohorts, with 95% intervals (bands)"


def test_retention_curves_draw_only_the_cohorts_asked_for_into_a_given_axes():
    _, (left, right) = plt.subplots(1, 2)
    counts = rfm.cohort_counts(COHORTS, freq="QS")
    assert plots.retention_curves(counts, ["2025-04-01"], ax=right) is right and not left.get_lines()
    assert [line.get_label() for line in right.get_lines()] == ["all cohorts, pooled", "2025 Q2 (1 customer)"]
    assert plots.retention_curves(counts, [], ax=left).get_lines()[0].get_label() == "all cohorts, pooled"


def test_retention_curves_reject_shares():
    with pytest.raises(ValueError, match=r"pass cohort_counts\(...\), not cohort_retention"):
        plots.retention_curves(rfm.cohort_retention(COHORTS))
