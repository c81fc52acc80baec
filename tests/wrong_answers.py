"""Plausible wrong answers for every autograded exercise, kept beside the tests.

For each assignment: solution cell's grade_id -> list of (what the mistake is, the code).
The course-integrity tests run each wrong answer in place of the solution and require
the exercise's test cell to fail on it; a test that a wrong answer passes is too weak.
"""

WRONG_ANSWERS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "assignment-00": {
        "a00-ex1-revenue": [
            ("counts purchases instead of adding their amounts",
             'revenue = cdnow.groupby("customer_id")["amount"].count().sort_values(ascending=False)'),
            ("averages the amounts",
             'revenue = cdnow.groupby("customer_id")["amount"].mean().sort_values(ascending=False)'),
            ("forgets to sort",
             'revenue = cdnow.groupby("customer_id")["amount"].sum()'),
        ],
        "a00-ex2-top20": [
            ("takes the top 20 customers, not the top 20%",
             "top20_share = float(revenue.head(20).sum() / revenue.sum())"),
            ("takes the bottom 20% (sorted the wrong way)",
             "top20_share = float(revenue.sort_values().iloc[:472].sum() / revenue.sum())"),
            ("confuses the quantiles: keeps customers above the 20th percentile (the top 80%)",
             "top20_share = float(revenue[revenue > revenue.quantile(0.2)].sum() / revenue.sum())"),
        ],
        "a00-ex3-gini": [
            ("forgets to sort the values",
             "def gini(values):\n"
             "    x = np.asarray(values, dtype=float)\n"
             "    n = len(x)\n"
             "    i = np.arange(1, n + 1)\n"
             "    return float(((2 * i - n - 1) * x).sum() / (n * x.sum()))\n"
             "revenue_gini = gini(revenue)"),
            ("sorts from largest to smallest",
             "def gini(values):\n"
             "    x = np.sort(np.asarray(values, dtype=float))[::-1]\n"
             "    n = len(x)\n"
             "    i = np.arange(1, n + 1)\n"
             "    return float(((2 * i - n - 1) * x).sum() / (n * x.sum()))\n"
             "revenue_gini = gini(revenue)"),
            ("drops the n in the denominator",
             "def gini(values):\n"
             "    x = np.sort(np.asarray(values, dtype=float))\n"
             "    n = len(x)\n"
             "    i = np.arange(1, n + 1)\n"
             "    return float(((2 * i - n - 1) * x).sum() / x.sum())\n"
             "revenue_gini = gini(revenue)"),
        ],
        "a00-ex4-active": [
            ("counts purchases, not distinct customers",
             'cohort_ids = customers.index[customers["acquisition_date"].dt.year == 2023]\n'
             'cohort_transactions = transactions[transactions["customer_id"].isin(cohort_ids)]\n'
             'active_by_year = cohort_transactions.groupby(cohort_transactions["date"].dt.year)["customer_id"].count()'),
            ("follows every customer, not the 2023 cohort",
             "cohort_transactions = transactions[transactions['date'].dt.year >= 2023]\n"
             'active_by_year = transactions.groupby(transactions["date"].dt.year)["customer_id"].nunique()'),
            ("keeps only the cohort's 2023 purchases",
             'cohort_transactions = transactions[transactions["date"].dt.year == 2023]\n'
             'active_by_year = cohort_transactions.groupby(cohort_transactions["date"].dt.year)["customer_id"].nunique()'),
        ],
        "a00-ex5-retention": [
            ("divides 2025's active customers by 2024's",
             "retention = float(active_by_year[2025] / active_by_year[2024])"),
            ("uses 2025's buyers as the denominator",
             'year = cohort_transactions["date"].dt.year\n'
             'b24 = set(cohort_transactions.loc[year == 2024, "customer_id"])\n'
             'b25 = set(cohort_transactions.loc[year == 2025, "customer_id"])\n'
             "retention = len(b24 & b25) / len(b25)"),
            ("measures retention over the whole base, not the cohort",
             'year = transactions["date"].dt.year\n'
             'b24 = set(transactions.loc[year == 2024, "customer_id"])\n'
             'b25 = set(transactions.loc[year == 2025, "customer_id"])\n'
             "retention = len(b24 & b25) / len(b24)"),
        ],
        "a00-ex6-clv": [
            ("counts this year's margin too",
             "def clv(margin, retention, discount_rate):\n"
             "    return float(margin * (1 + discount_rate) / (1 + discount_rate - retention))"),
            ("forgets to discount",
             "def clv(margin, retention, discount_rate):\n"
             "    return float(margin * retention / (1 - retention))"),
            ("discounts without retention",
             "def clv(margin, retention, discount_rate):\n"
             "    return float(margin / discount_rate)"),
        ],
        "a00-ex7-base": [
            ("uses the whole base's revenue for the cohort's margin",
             'revenue_2025 = transactions.loc[transactions["date"].dt.year == 2025, "amount"].sum()\n'
             "margin_per_customer = float(0.30 * revenue_2025 / active_by_year[2025])\n"
             "cohort_value = float(active_by_year[2025] * clv(margin_per_customer, retention, 0.10))"),
            ("uses revenue instead of gross margin",
             'r25 = cohort_transactions.loc[cohort_transactions["date"].dt.year == 2025, "amount"].sum()\n'
             "margin_per_customer = float(r25 / active_by_year[2025])\n"
             "cohort_value = float(active_by_year[2025] * clv(margin_per_customer, retention, 0.10))"),
            ("values every customer of the cohort, active or not",
             'r25 = cohort_transactions.loc[cohort_transactions["date"].dt.year == 2025, "amount"].sum()\n'
             "margin_per_customer = float(0.30 * r25 / active_by_year[2025])\n"
             "cohort_value = float(active_by_year[2023] * clv(margin_per_customer, retention, 0.10))"),
        ],
    },
    "assignment-01": {
        "a01-ex1-summary": [
            ("counts purchases, not purchase days, so same-day purchases count twice",
             'first = calibration.groupby("customer_id")["date"].min()\n'
             'last = calibration.groupby("customer_id")["date"].max()\n'
             'count = calibration.groupby("customer_id").size()\n'
             'total = calibration.groupby("customer_id")["amount"].sum()\n'
             'first_amount = calibration.groupby("customer_id")["amount"].first()\n'
             'summary = pd.DataFrame({"frequency": count - 1, "recency": (last - first).dt.days / 7,\n'
             '                        "T": (CALIBRATION_END - first).dt.days / 7})\n'
             'summary["monetary_value"] = ((total - first_amount) / (count - 1).where(count > 1, 1)).where(count > 1, 0.0)'),
            ("measures T from the start of the data instead of each customer's first purchase",
             "summary = clv.summarize(transactions, end=CALIBRATION_END)\n"
             'summary["T"] = (CALIBRATION_END - pd.Timestamp("2023-01-01")).days / 7'),
            ("averages all purchases, the first included, for monetary_value",
             "summary = clv.summarize(transactions, end=CALIBRATION_END)\n"
             'summary["monetary_value"] = calibration.groupby("customer_id")["amount"].mean().reindex(summary.index)'),
        ],
        "a01-ex2-rfm": [
            ("scores customers at the end of the data, not on 30 June 2024",
             'rfm_table = rfm.rfm_scores(rfm.customer_summary(transactions, end="2025-12-31"))\n'
             'came_back = rfm_table.index.isin(holdout_sales["customer_id"])\n'
             'r5_repeat_rate = float(came_back[rfm_table["R"] == 5].mean())\n'
             'r1_repeat_rate = float(came_back[rfm_table["R"] == 1].mean())'),
            ("swaps the ends of the scale (R=1 taken as the most recent)",
             "rfm_table = rfm.rfm_scores(rfm.customer_summary(transactions, end=CALIBRATION_END))\n"
             'came_back = rfm_table.index.isin(holdout_sales["customer_id"])\n'
             'r5_repeat_rate = float(came_back[rfm_table["R"] == 1].mean())\n'
             'r1_repeat_rate = float(came_back[rfm_table["R"] == 5].mean())'),
            ("counts purchases in the calibration period instead of the hold-out year",
             "rfm_table = rfm.rfm_scores(rfm.customer_summary(transactions, end=CALIBRATION_END))\n"
             'came_back = rfm_table.index.isin(calibration.loc[calibration["date"] > "2024-01-01", "customer_id"])\n'
             'r5_repeat_rate = float(came_back[rfm_table["R"] == 5].mean())\n'
             'r1_repeat_rate = float(came_back[rfm_table["R"] == 1].mean())'),
        ],
        "a01-ex3-cohorts": [
            ("counts young cohorts' missing period 4 as zero",
             'cohort_table = rfm.cohort_retention(transactions, freq="QS")\n'
             "year_on_retention = float(cohort_table[4].fillna(0).mean())"),
            ("reads period 3, the fourth column",
             'cohort_table = rfm.cohort_retention(transactions, freq="QS")\n'
             "year_on_retention = float(cohort_table[3].dropna().mean())"),
        ],
        "a01-ex4-fit": [
            ("fits on the whole data, hold-out year and beyond included",
             'bgnbd = clv.BetaGeo().fit(clv.summarize(transactions, end="2025-12-31"))\n'
             "params = bgnbd.params_"),
            ("fits on a summary in days, so rates are per day",
             'bgnbd = clv.BetaGeo().fit(clv.summarize(transactions, end=CALIBRATION_END, time_unit="D"))\n'
             "params = bgnbd.params_"),
        ],
        "a01-ex5-holdout": [
            ("predicts for a new customer, ignoring each customer's history",
             "holdout = clv.calibration_holdout(transactions, CALIBRATION_END, HOLDOUT_END)\n"
             'holdout["predicted"] = float(bgnbd.expected_purchases(holdout["duration_holdout"].iloc[0]))\n'
             'check = (holdout.groupby(holdout["frequency"].clip(upper=5))[["frequency_holdout", "predicted"]].mean()\n'
             '         .rename(columns={"frequency_holdout": "actual"}))\n'
             'relative_error = float((holdout["predicted"].sum() - holdout["frequency_holdout"].sum()) / holdout["frequency_holdout"].sum())'),
            ("predicts over 39 weeks, not the hold-out year",
             "holdout = clv.calibration_holdout(transactions, CALIBRATION_END, HOLDOUT_END)\n"
             'holdout["predicted"] = bgnbd.conditional_expected_purchases(39, holdout)\n'
             'check = (holdout.groupby(holdout["frequency"].clip(upper=5))[["frequency_holdout", "predicted"]].mean()\n'
             '         .rename(columns={"frequency_holdout": "actual"}))\n'
             'relative_error = float((holdout["predicted"].sum() - holdout["frequency_holdout"].sum()) / holdout["frequency_holdout"].sum())'),
            ("divides the gap by the predicted total",
             "holdout = clv.calibration_holdout(transactions, CALIBRATION_END, HOLDOUT_END)\n"
             'holdout["predicted"] = bgnbd.conditional_expected_purchases(holdout["duration_holdout"].iloc[0], holdout)\n'
             'check = (holdout.groupby(holdout["frequency"].clip(upper=5))[["frequency_holdout", "predicted"]].mean()\n'
             '         .rename(columns={"frequency_holdout": "actual"}))\n'
             'relative_error = float((holdout["predicted"].sum() - holdout["frequency_holdout"].sum()) / holdout["predicted"].sum())'),
        ],
        "a01-ex6-target": [
            ("picks the 500 lowest values",
             "spend_model = clv.GammaGamma().fit(summary)\n"
             "value = clv.customer_lifetime_value(bgnbd, spend_model, summary, horizon=52, margin=0.30, annual_discount_rate=0.10)\n"
             "top_500 = value.nsmallest(500).index\n"
             'captured_share = float(holdout_sales.loc[holdout_sales["customer_id"].isin(top_500), "amount"].sum() / holdout_sales["amount"].sum())'),
            ("ranks by past spend per purchase instead of CLV",
             "spend_model = clv.GammaGamma().fit(summary)\n"
             "value = clv.customer_lifetime_value(bgnbd, spend_model, summary, horizon=52, margin=0.30, annual_discount_rate=0.10)\n"
             'top_500 = summary["monetary_value"].nlargest(500).index\n'
             'captured_share = float(holdout_sales.loc[holdout_sales["customer_id"].isin(top_500), "amount"].sum() / holdout_sales["amount"].sum())'),
            ("measures the share of calibration revenue, not the year that followed",
             "spend_model = clv.GammaGamma().fit(summary)\n"
             "value = clv.customer_lifetime_value(bgnbd, spend_model, summary, horizon=52, margin=0.30, annual_discount_rate=0.10)\n"
             "top_500 = value.nlargest(500).index\n"
             'captured_share = float(calibration.loc[calibration["customer_id"].isin(top_500), "amount"].sum() / calibration["amount"].sum())'),
        ],
    },
}
