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
}
