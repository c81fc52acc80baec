"""Plausible wrong answers for every autograded exercise, kept beside the tests.

For each assignment: solution cell's grade_id -> list of (what the mistake is, the code).
The course-integrity tests run each wrong answer in place of the solution and require
the exercise's test cell to fail on it; a test that a wrong answer passes is too weak.
"""

WRONG_ANSWERS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "assignment-00": {
        "a00-ex1-revenue": [
            ("counts purchases instead of adding their amounts",
             "def revenue_by_customer(purchases):\n"
             '    return purchases.groupby("customer_id")["amount"].count().sort_values(ascending=False)\n'
             "revenue = revenue_by_customer(cdnow)"),
            ("averages the amounts",
             "def revenue_by_customer(purchases):\n"
             '    return purchases.groupby("customer_id")["amount"].mean().sort_values(ascending=False)\n'
             "revenue = revenue_by_customer(cdnow)"),
            ("forgets to sort",
             "def revenue_by_customer(purchases):\n"
             '    return purchases.groupby("customer_id")["amount"].sum()\n'
             "revenue = revenue_by_customer(cdnow)"),
            ("calls the package's helper instead of writing it",
             "def revenue_by_customer(purchases):\n"
             "    return concentration.customer_revenue(purchases)\n"
             "revenue = revenue_by_customer(cdnow)"),
            ("hard-codes CDNOW inside the function, so it ignores its argument",
             "def revenue_by_customer(purchases):\n"
             '    return cdnow.groupby("customer_id")["amount"].sum().sort_values(ascending=False)\n'
             "revenue = revenue_by_customer(cdnow)"),
        ],
        "a00-ex2-top20": [
            ("takes the top 20 customers, not the top 20%",
             "def top_share(revenue, share):\n"
             "    ranked = revenue.sort_values(ascending=False)\n"
             "    return float(ranked.head(20).sum() / ranked.sum())\n"
             "top20_share = top_share(given_revenue, 0.2)"),
            ("takes the bottom share (sorted the wrong way)",
             "def top_share(revenue, share):\n"
             "    ranked = revenue.sort_values()\n"
             "    return float(ranked.iloc[: int(np.ceil(share * len(ranked)))].sum() / ranked.sum())\n"
             "top20_share = top_share(given_revenue, 0.2)"),
            ("rounds the number of customers down",
             "def top_share(revenue, share):\n"
             "    ranked = revenue.sort_values(ascending=False)\n"
             "    return float(ranked.iloc[: int(share * len(ranked))].sum() / ranked.sum())\n"
             "top20_share = top_share(given_revenue, 0.2)"),
            ("assumes the revenue is already sorted",
             "def top_share(revenue, share):\n"
             "    return float(revenue.iloc[: int(np.ceil(share * len(revenue)))].sum() / revenue.sum())\n"
             "top20_share = top_share(given_revenue, 0.2)"),
        ],
        "a00-ex3-gini": [
            ("forgets to sort the values",
             "def gini(values):\n"
             "    x = np.asarray(values, dtype=float)\n"
             "    n = len(x)\n"
             "    i = np.arange(1, n + 1)\n"
             "    return float(((2 * i - n - 1) * x).sum() / (n * x.sum()))\n"
             "revenue_gini = gini(given_revenue)"),
            ("sorts from largest to smallest",
             "def gini(values):\n"
             "    x = np.sort(np.asarray(values, dtype=float))[::-1]\n"
             "    n = len(x)\n"
             "    i = np.arange(1, n + 1)\n"
             "    return float(((2 * i - n - 1) * x).sum() / (n * x.sum()))\n"
             "revenue_gini = gini(given_revenue)"),
            ("drops the n in the denominator",
             "def gini(values):\n"
             "    x = np.sort(np.asarray(values, dtype=float))\n"
             "    n = len(x)\n"
             "    i = np.arange(1, n + 1)\n"
             "    return float(((2 * i - n - 1) * x).sum() / x.sum())\n"
             "revenue_gini = gini(given_revenue)"),
            ("calls the package's helper instead of the formula",
             "def gini(values):\n"
             "    return float(concentration.gini(values))\n"
             "revenue_gini = gini(given_revenue)"),
        ],
        "a00-ex4-active": [
            ("counts purchases, not distinct customers",
             "def active_by_year_of(purchases):\n"
             '    return purchases.groupby(purchases["date"].dt.year)["customer_id"].count()\n'
             "active_by_year = active_by_year_of(cohort_transactions)"),
            ("follows every customer, not the 2023 cohort",
             "def active_by_year_of(purchases):\n"
             '    return purchases.groupby(purchases["date"].dt.year)["customer_id"].nunique()\n'
             "active_by_year = active_by_year_of(transactions)"),
            ("counts a customer in the year they were acquired only",
             "def active_by_year_of(purchases):\n"
             '    first = purchases.groupby("customer_id")["date"].min()\n'
             "    return first.groupby(first.dt.year).size()\n"
             "active_by_year = active_by_year_of(cohort_transactions)"),
        ],
        "a00-ex5-retention": [
            ("divides this year's active customers by last year's",
             "def retention_rate(purchases, year):\n"
             '    bought_in = purchases["date"].dt.year\n'
             '    return purchases.loc[bought_in == year, "customer_id"].nunique() / '
             'purchases.loc[bought_in == year - 1, "customer_id"].nunique()\n'
             "retention = retention_rate(cohort_transactions, 2025)"),
            ("uses this year's buyers as the denominator",
             "def retention_rate(purchases, year):\n"
             '    bought_in = purchases["date"].dt.year\n'
             '    last_year = set(purchases.loc[bought_in == year - 1, "customer_id"])\n'
             '    this_year = set(purchases.loc[bought_in == year, "customer_id"])\n'
             "    return len(last_year & this_year) / len(this_year)\n"
             "retention = retention_rate(cohort_transactions, 2025)"),
            ("measures retention over the whole base, not the cohort",
             "def retention_rate(purchases, year):\n"
             '    bought_in = purchases["date"].dt.year\n'
             '    last_year = set(purchases.loc[bought_in == year - 1, "customer_id"])\n'
             '    this_year = set(purchases.loc[bought_in == year, "customer_id"])\n'
             "    return len(last_year & this_year) / len(last_year)\n"
             "retention = retention_rate(transactions, 2025)"),
            ("calls the package's helper instead of writing it",
             "def retention_rate(purchases, year):\n"
             '    table = activity.period_retention(purchases, freq="YS")\n'
             '    return float(table.loc[pd.Timestamp(f"{year}-01-01"), "retention"])\n'
             "retention = retention_rate(cohort_transactions, 2025)"),
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
            ("calls the package's helper instead of the formula",
             "def clv(margin, retention, discount_rate):\n"
             "    return float(economics.simple_clv(margin, retention, discount_rate))"),
        ],
        "a00-ex7-base": [
            ("takes the margin over every customer active in 2025, newcomers to the year included",
             'sales_2025 = cohort_transactions[cohort_transactions["date"].dt.year == 2025]\n'
             'active_2025 = sales_2025["customer_id"].nunique()\n'
             'margin_per_customer = float(0.30 * sales_2025["amount"].sum() / active_2025)\n'
             "cohort_value = float(active_2025 * economics.simple_clv(margin_per_customer, given_retention, 0.10))"),
            ("uses revenue instead of gross margin",
             'bought_in = cohort_transactions["date"].dt.year\n'
             'kept = set(cohort_transactions.loc[bought_in == 2024, "customer_id"]) & '
             'set(cohort_transactions.loc[bought_in == 2025, "customer_id"])\n'
             'sales_2025 = cohort_transactions[bought_in == 2025]\n'
             'margin_per_customer = float(sales_2025.loc[sales_2025["customer_id"].isin(kept), "amount"].sum() / len(kept))\n'
             'cohort_value = float(sales_2025["customer_id"].nunique() * economics.simple_clv(margin_per_customer, given_retention, 0.10))'),
            ("values every customer of the cohort, active or not",
             'bought_in = cohort_transactions["date"].dt.year\n'
             'kept = set(cohort_transactions.loc[bought_in == 2024, "customer_id"]) & '
             'set(cohort_transactions.loc[bought_in == 2025, "customer_id"])\n'
             'sales_2025 = cohort_transactions[bought_in == 2025]\n'
             'margin_per_customer = float(0.30 * sales_2025.loc[sales_2025["customer_id"].isin(kept), "amount"].sum() / len(kept))\n'
             "cohort_value = float(len(cohort_ids) * economics.simple_clv(margin_per_customer, given_retention, 0.10))"),
            ("uses the whole base's revenue for the cohort's margin",
             'sales_2025 = transactions[transactions["date"].dt.year == 2025]\n'
             'margin_per_customer = float(0.30 * sales_2025["amount"].sum() / sales_2025["customer_id"].nunique())\n'
             'cohort_value = float(cohort_transactions.loc[cohort_transactions["date"].dt.year == 2025, "customer_id"].nunique()'
             " * economics.simple_clv(margin_per_customer, given_retention, 0.10))"),
        ],
    },
    "assignment-01": {
        "a01-ex1-summary": [
            ("counts purchases, not purchase days, so same-day purchases count twice",
             "def history_of(purchases, end):\n"
             '    by_customer = purchases.groupby("customer_id")\n'
             '    first, last, count = by_customer["date"].min(), by_customer["date"].max(), by_customer.size()\n'
             '    total, first_amount = by_customer["amount"].sum(), by_customer["amount"].first()\n'
             '    history = pd.DataFrame({"frequency": count - 1, "recency": (last - first).dt.days / 7,\n'
             '                            "T": (end - first).dt.days / 7})\n'
             '    history["monetary_value"] = ((total - first_amount) / (count - 1).where(count > 1, 1)).where(count > 1, 0.0)\n'
             "    return history\n"
             "summary = history_of(calibration, CALIBRATION_END)"),
            ("measures T from the start of the data instead of each customer's first purchase",
             "def history_of(purchases, end):\n"
             '    days = purchases.groupby(["customer_id", "date"])["amount"].sum().reset_index()\n'
             '    by_customer = days.groupby("customer_id")\n'
             '    first, last = by_customer["date"].min(), by_customer["date"].max()\n'
             '    total, first_amount = by_customer["amount"].sum(), by_customer["amount"].first()\n'
             '    history = pd.DataFrame({"frequency": by_customer.size() - 1, "recency": (last - first).dt.days / 7,\n'
             '                            "T": (end - days["date"].min()).days / 7})\n'
             '    repeat = history["frequency"] > 0\n'
             '    history["monetary_value"] = ((total - first_amount) / history["frequency"].where(repeat, 1)).where(repeat, 0.0)\n'
             "    return history\n"
             "summary = history_of(calibration, CALIBRATION_END)"),
            ("averages all purchases, the first included, for monetary_value",
             "def history_of(purchases, end):\n"
             '    days = purchases.groupby(["customer_id", "date"])["amount"].sum().reset_index()\n'
             '    by_customer = days.groupby("customer_id")\n'
             '    first, last = by_customer["date"].min(), by_customer["date"].max()\n'
             '    history = pd.DataFrame({"frequency": by_customer.size() - 1, "recency": (last - first).dt.days / 7,\n'
             '                            "T": (end - first).dt.days / 7, "monetary_value": by_customer["amount"].mean()})\n'
             "    return history\n"
             "summary = history_of(calibration, CALIBRATION_END)"),
            ("calls the package's helper instead of writing it",
             "def history_of(purchases, end):\n"
             "    return clv.summarize(purchases, end=end)\n"
             "summary = history_of(calibration, CALIBRATION_END)"),
        ],
        "a01-ex2-rfm": [
            ("scores customers at the end of the data, not on 30 June 2024",
             'rfm_table = rfm.rfm_scores(rfm.customer_summary(transactions, end="2025-12-31"))\n'
             'came_back = pd.Series(rfm_table.index.isin(holdout_sales["customer_id"]), index=rfm_table.index)\n'
             'r5_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 5].sum()), int((rfm_table["R"] == 5).sum()))\n'
             'r1_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 1].sum()), int((rfm_table["R"] == 1).sum()))'),
            ("swaps the ends of the scale (R=1 taken as the most recent)",
             "rfm_table = rfm.rfm_scores(rfm.customer_summary(transactions, end=CALIBRATION_END))\n"
             'came_back = pd.Series(rfm_table.index.isin(holdout_sales["customer_id"]), index=rfm_table.index)\n'
             'r5_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 1].sum()), int((rfm_table["R"] == 1).sum()))\n'
             'r1_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 5].sum()), int((rfm_table["R"] == 5).sum()))'),
            ("divides by every customer, not the group's",
             "rfm_table = rfm.rfm_scores(rfm.customer_summary(transactions, end=CALIBRATION_END))\n"
             'came_back = pd.Series(rfm_table.index.isin(holdout_sales["customer_id"]), index=rfm_table.index)\n'
             'r5_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 5].sum()), len(rfm_table))\n'
             'r1_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 1].sum()), len(rfm_table))'),
            ("counts purchases in the calibration period instead of the hold-out year",
             "rfm_table = rfm.rfm_scores(rfm.customer_summary(transactions, end=CALIBRATION_END))\n"
             'came_back = pd.Series(rfm_table.index.isin(calibration.loc[calibration["date"] > "2024-01-01", "customer_id"]),\n'
             "                      index=rfm_table.index)\n"
             'r5_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 5].sum()), int((rfm_table["R"] == 5).sum()))\n'
             'r1_repeat = intervals.proportion(int(came_back[rfm_table["R"] == 1].sum()), int((rfm_table["R"] == 1).sum()))'),
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
             "params = bgnbd.params_\n"
             'mean_weekly_rate = params["r"] / params["alpha"]\n'
             'mean_dropout = params["a"] / (params["a"] + params["b"])'),
            ("fits on a summary in days, so rates are per day",
             'bgnbd = clv.BetaGeo().fit(clv.summarize(transactions, end=CALIBRATION_END, time_unit="D"))\n'
             "params = bgnbd.params_\n"
             'mean_weekly_rate = params["r"] / params["alpha"]\n'
             'mean_dropout = params["a"] / (params["a"] + params["b"])'),
            ("takes alpha / r for the mean rate",
             "bgnbd = clv.BetaGeo().fit(given_summary)\n"
             "params = bgnbd.params_\n"
             'mean_weekly_rate = params["alpha"] / params["r"]\n'
             'mean_dropout = params["a"] / (params["a"] + params["b"])'),
            ("takes b / (a + b), the chance of staying, for the drop-out",
             "bgnbd = clv.BetaGeo().fit(given_summary)\n"
             "params = bgnbd.params_\n"
             'mean_weekly_rate = params["r"] / params["alpha"]\n'
             'mean_dropout = params["b"] / (params["a"] + params["b"])'),
        ],
        "a01-ex5-holdout": [
            ("predicts for a new customer, ignoring each customer's history",
             "holdout = clv.calibration_holdout(transactions, CALIBRATION_END, HOLDOUT_END)\n"
             'holdout["predicted"] = float(given_model.expected_purchases(holdout["duration_holdout"].iloc[0]))\n'
             'check = (holdout.groupby(holdout["frequency"].clip(upper=5))[["frequency_holdout", "predicted"]].mean()\n'
             '         .rename(columns={"frequency_holdout": "actual"}))\n'
             'relative_error = float((holdout["predicted"].sum() - holdout["frequency_holdout"].sum()) / holdout["frequency_holdout"].sum())'),
            ("predicts over 39 weeks, not the hold-out year",
             "holdout = clv.calibration_holdout(transactions, CALIBRATION_END, HOLDOUT_END)\n"
             'holdout["predicted"] = given_model.conditional_expected_purchases(39, holdout)\n'
             'check = (holdout.groupby(holdout["frequency"].clip(upper=5))[["frequency_holdout", "predicted"]].mean()\n'
             '         .rename(columns={"frequency_holdout": "actual"}))\n'
             'relative_error = float((holdout["predicted"].sum() - holdout["frequency_holdout"].sum()) / holdout["frequency_holdout"].sum())'),
            ("divides the gap by the predicted total",
             "holdout = clv.calibration_holdout(transactions, CALIBRATION_END, HOLDOUT_END)\n"
             'holdout["predicted"] = given_model.conditional_expected_purchases(holdout["duration_holdout"].iloc[0], holdout)\n'
             'check = (holdout.groupby(holdout["frequency"].clip(upper=5))[["frequency_holdout", "predicted"]].mean()\n'
             '         .rename(columns={"frequency_holdout": "actual"}))\n'
             'relative_error = float((holdout["predicted"].sum() - holdout["frequency_holdout"].sum()) / holdout["predicted"].sum())'),
        ],
        "a01-ex6-target": [
            ("picks the 500 lowest values",
             "spend_model = clv.GammaGamma().fit(given_summary)\n"
             "value = clv.customer_lifetime_value(given_model, spend_model, given_summary, horizon=52, margin=0.30, annual_discount_rate=0.10)\n"
             "top_500 = value.nsmallest(500).index\n"
             'captured_share = float(holdout_sales.loc[holdout_sales["customer_id"].isin(top_500), "amount"].sum() / holdout_sales["amount"].sum())'),
            ("ranks by past spend per purchase instead of CLV",
             "spend_model = clv.GammaGamma().fit(given_summary)\n"
             "value = clv.customer_lifetime_value(given_model, spend_model, given_summary, horizon=52, margin=0.30, annual_discount_rate=0.10)\n"
             'top_500 = given_summary["monetary_value"].nlargest(500).index\n'
             'captured_share = float(holdout_sales.loc[holdout_sales["customer_id"].isin(top_500), "amount"].sum() / holdout_sales["amount"].sum())'),
            ("measures the share of calibration revenue, not the year that followed",
             "spend_model = clv.GammaGamma().fit(given_summary)\n"
             "value = clv.customer_lifetime_value(given_model, spend_model, given_summary, horizon=52, margin=0.30, annual_discount_rate=0.10)\n"
             "top_500 = value.nlargest(500).index\n"
             'captured_share = float(calibration.loc[calibration["customer_id"].isin(top_500), "amount"].sum() / calibration["amount"].sum())'),
            ("values customers over five years instead of 52 weeks",
             "spend_model = clv.GammaGamma().fit(given_summary)\n"
             "value = clv.customer_lifetime_value(given_model, spend_model, given_summary, horizon=260, margin=0.30, annual_discount_rate=0.10)\n"
             "top_500 = value.nlargest(500).index\n"
             'captured_share = float(holdout_sales.loc[holdout_sales["customer_id"].isin(top_500), "amount"].sum() / holdout_sales["amount"].sum())'),
        ],
    },
    "assignment-02": {
        "a02-ex1-sla": [
            ("counts a first response of exactly the SLA as late",
             "def sla_table(tickets, sla_hours):\n"
             '    flags = pd.DataFrame({"channel": tickets["channel"], "sla_attainment": tickets["first_response_hours"] < sla_hours,\n'
             '                          "resolution_rate": tickets["resolved"].astype(bool),\n'
             '                          "first_contact_resolution": tickets["resolved"].astype(bool) & (tickets["contacts"] == 1)})\n'
             '    table = flags.groupby("channel").mean()\n'
             '    table.insert(0, "tickets", flags.groupby("channel").size())\n'
             "    return table\n"
             "sla = sla_table(tickets, 24)"),
            ("takes first-contact resolution out of the resolved tickets, not all tickets",
             "def sla_table(tickets, sla_hours):\n"
             '    flags = pd.DataFrame({"channel": tickets["channel"], "sla_attainment": tickets["first_response_hours"] <= sla_hours,\n'
             '                          "resolution_rate": tickets["resolved"].astype(bool)})\n'
             '    table = flags.groupby("channel").mean()\n'
             '    table.insert(0, "tickets", flags.groupby("channel").size())\n'
             '    solved = tickets[tickets["resolved"].astype(bool)]\n'
             '    table["first_contact_resolution"] = (solved["contacts"] == 1).groupby(solved["channel"]).mean()\n'
             "    return table\n"
             "sla = sla_table(tickets, 24)"),
            ("counts a ticket as first-contact resolved when it took one contact, resolved or not",
             "def sla_table(tickets, sla_hours):\n"
             '    flags = pd.DataFrame({"channel": tickets["channel"], "sla_attainment": tickets["first_response_hours"] <= sla_hours,\n'
             '                          "resolution_rate": tickets["resolved"].astype(bool),\n'
             '                          "first_contact_resolution": tickets["contacts"] == 1})\n'
             '    table = flags.groupby("channel").mean()\n'
             '    table.insert(0, "tickets", flags.groupby("channel").size())\n'
             "    return table\n"
             "sla = sla_table(tickets, 24)"),
            ("calls the package's helper instead of writing it",
             "def sla_table(tickets, sla_hours):\n"
             '    return service.ticket_metrics(tickets, by="channel", sla_hours=sla_hours)\n'
             "sla = sla_table(tickets, 24)"),
            ("ignores its sla_hours argument",
             "def sla_table(tickets, sla_hours):\n"
             '    flags = pd.DataFrame({"channel": tickets["channel"], "sla_attainment": tickets["first_response_hours"] <= 24,\n'
             '                          "resolution_rate": tickets["resolved"].astype(bool),\n'
             '                          "first_contact_resolution": tickets["resolved"].astype(bool) & (tickets["contacts"] == 1)})\n'
             '    table = flags.groupby("channel").mean()\n'
             '    table.insert(0, "tickets", flags.groupby("channel").size())\n'
             "    return table\n"
             "sla = sla_table(tickets, 24)"),
        ],
        "a02-ex2-nps": [
            ("counts 7 and 8 as detractors",
             "def nps_with_error(scores):\n"
             "    scores = pd.Series(scores)\n"
             "    p, d = (scores >= 9).mean(), (scores <= 8).mean()\n"
             "    return float(100 * (p - d)), float(100 * np.sqrt((p + d - (p - d) ** 2) / len(scores)))\n"
             "nps_answers = answers[answers['survey'] == 'NPS']\n"
             "scores_2024 = nps_answers.loc[nps_answers['date'].dt.year == 2024, 'score']\n"
             "scores_2025 = nps_answers.loc[nps_answers['date'].dt.year == 2025, 'score']\n"
             "nps_2024, nps_2025 = nps_with_error(scores_2024), nps_with_error(scores_2025)\n"
             "change = surveys.nps_difference(scores_2025, scores_2024)\n"
             "change_is_real = bool(change.lower > 0 or change.upper < 0)"),
            ("adds the variances of the two shares as if they were independent",
             "def nps_with_error(scores):\n"
             "    scores = pd.Series(scores)\n"
             "    p, d = (scores >= 9).mean(), (scores <= 6).mean()\n"
             "    return float(100 * (p - d)), float(100 * np.sqrt((p * (1 - p) + d * (1 - d)) / len(scores)))\n"
             "nps_answers = answers[answers['survey'] == 'NPS']\n"
             "scores_2024 = nps_answers.loc[nps_answers['date'].dt.year == 2024, 'score']\n"
             "scores_2025 = nps_answers.loc[nps_answers['date'].dt.year == 2025, 'score']\n"
             "nps_2024, nps_2025 = nps_with_error(scores_2024), nps_with_error(scores_2025)\n"
             "change = surveys.nps_difference(scores_2025, scores_2024)\n"
             "change_is_real = bool(change.lower > 0 or change.upper < 0)"),
            ("gives the score as a share, not in points",
             "def nps_with_error(scores):\n"
             "    scores = pd.Series(scores)\n"
             "    p, d = (scores >= 9).mean(), (scores <= 6).mean()\n"
             "    return float(p - d), float(np.sqrt((p + d - (p - d) ** 2) / len(scores)))\n"
             "nps_answers = answers[answers['survey'] == 'NPS']\n"
             "scores_2024 = nps_answers.loc[nps_answers['date'].dt.year == 2024, 'score']\n"
             "scores_2025 = nps_answers.loc[nps_answers['date'].dt.year == 2025, 'score']\n"
             "nps_2024, nps_2025 = nps_with_error(scores_2024), nps_with_error(scores_2025)\n"
             "change = surveys.nps_difference(scores_2025, scores_2024)\n"
             "change_is_real = bool(change.lower > 0 or change.upper < 0)"),
            ("uses every year's answers for both years",
             "def nps_with_error(scores):\n"
             "    scores = pd.Series(scores)\n"
             "    p, d = (scores >= 9).mean(), (scores <= 6).mean()\n"
             "    return float(100 * (p - d)), float(100 * np.sqrt((p + d - (p - d) ** 2) / len(scores)))\n"
             "nps_answers = answers[answers['survey'] == 'NPS']\n"
             "scores_2024 = scores_2025 = nps_answers['score']\n"
             "nps_2024, nps_2025 = nps_with_error(scores_2024), nps_with_error(scores_2025)\n"
             "change = surveys.nps_difference(scores_2025, scores_2024)\n"
             "change_is_real = bool(change.lower > 0 or change.upper < 0)"),
            ("calls the package's helper instead of the formula",
             "def nps_with_error(scores):\n"
             "    result = surveys.nps(scores)\n"
             "    return float(result.estimate), float(result.standard_error)\n"
             "nps_answers = answers[answers['survey'] == 'NPS']\n"
             "scores_2024 = nps_answers.loc[nps_answers['date'].dt.year == 2024, 'score']\n"
             "scores_2025 = nps_answers.loc[nps_answers['date'].dt.year == 2025, 'score']\n"
             "nps_2024, nps_2025 = nps_with_error(scores_2024), nps_with_error(scores_2025)\n"
             "change = surveys.nps_difference(scores_2025, scores_2024)\n"
             "change_is_real = bool(change.lower > 0 or change.upper < 0)"),
            ("calls a change real because the two scores differ, whatever the interval",
             "def nps_with_error(scores):\n"
             "    scores = pd.Series(scores)\n"
             "    p, d = (scores >= 9).mean(), (scores <= 6).mean()\n"
             "    return float(100 * (p - d)), float(100 * np.sqrt((p + d - (p - d) ** 2) / len(scores)))\n"
             "nps_answers = answers[answers['survey'] == 'NPS']\n"
             "scores_2024 = nps_answers.loc[nps_answers['date'].dt.year == 2024, 'score']\n"
             "scores_2025 = nps_answers.loc[nps_answers['date'].dt.year == 2025, 'score']\n"
             "nps_2024, nps_2025 = nps_with_error(scores_2024), nps_with_error(scores_2025)\n"
             "change = surveys.nps_difference(scores_2025, scores_2024)\n"
             "change_is_real = nps_2025[0] != nps_2024[0]"),
        ],
        "a02-ex3-erlang": [
            ("returns Erlang B, the chance a call is blocked, instead of Erlang C",
             "def wait_probability(agents, load):\n"
             "    blocking = 1.0\n"
             "    for k in range(1, agents + 1):\n"
             "        blocking = load * blocking / (k + load * blocking)\n"
             "    return float(blocking)\n"
             "busy_load = 230 / 1800 * 380\n"
             "busy_agents = int(service.agents_for_service_level(230, 380.0))\n"
             "level_one_short = float(service.service_level(230, 380.0, busy_agents - 1))"),
            ("forgets that every call waits when the load reaches the agents",
             "def wait_probability(agents, load):\n"
             "    blocking = 1.0\n"
             "    for k in range(1, agents + 1):\n"
             "        blocking = load * blocking / (k + load * blocking)\n"
             "    return float(agents * blocking / (agents - load * (1 - blocking)))\n"
             "busy_load = 230 / 1800 * 380\n"
             "busy_agents = int(service.agents_for_service_level(230, 380.0))\n"
             "level_one_short = float(service.service_level(230, 380.0, busy_agents - 1))"),
            ("measures the load in calls a half-hour times minutes",
             "def wait_probability(agents, load):\n"
             "    if load >= agents:\n"
             "        return 1.0\n"
             "    blocking = 1.0\n"
             "    for k in range(1, agents + 1):\n"
             "        blocking = load * blocking / (k + load * blocking)\n"
             "    return float(agents * blocking / (agents - load * (1 - blocking)))\n"
             "busy_load = 230 * 380 / 60\n"
             "busy_agents = int(service.agents_for_service_level(230, 380.0))\n"
             "level_one_short = float(service.service_level(230, 380.0, busy_agents - 1))"),
            ("staffs for the load alone, with no margin for the queue",
             "def wait_probability(agents, load):\n"
             "    if load >= agents:\n"
             "        return 1.0\n"
             "    blocking = 1.0\n"
             "    for k in range(1, agents + 1):\n"
             "        blocking = load * blocking / (k + load * blocking)\n"
             "    return float(agents * blocking / (agents - load * (1 - blocking)))\n"
             "busy_load = 230 / 1800 * 380\n"
             "busy_agents = int(np.ceil(busy_load))\n"
             "level_one_short = float(service.service_level(230, 380.0, busy_agents - 1))"),
            ("calls the package's helper instead of the formulas",
             "def wait_probability(agents, load):\n"
             "    return float(service.erlang_c(agents, load))\n"
             "busy_load = 230 / 1800 * 380\n"
             "busy_agents = int(service.agents_for_service_level(230, 380.0))\n"
             "level_one_short = float(service.service_level(230, 380.0, busy_agents - 1))"),
        ],
        "a02-ex4-abandon": [
            ("averages the half-hours' abandonment shares instead of pooling the calls",
             "observed_abandonment = intervals.proportion(int(round((freeze_calls['abandoned'] / freeze_calls['arrivals']).mean() * freeze_calls['arrivals'].sum())), int(freeze_calls['arrivals'].sum()))\n"
             "queue = service.erlang_a(freeze_calls['arrivals'].to_numpy(), freeze_calls['handle_time_s'].to_numpy(), freeze_calls['agents'].to_numpy(), patience=180.0)\n"
             "predicted_abandonment = float((queue['p_abandon'].to_numpy() * freeze_calls['arrivals'].to_numpy()).sum() / freeze_calls['arrivals'].sum())\n"
             "model_inside = bool(observed_abandonment.contains(predicted_abandonment))"),
            ("leaves out the arrival weights, so quiet half-hours count as much as busy ones",
             "observed_abandonment = intervals.proportion(int(freeze_calls['abandoned'].sum()), int(freeze_calls['arrivals'].sum()))\n"
             "queue = service.erlang_a(freeze_calls['arrivals'].to_numpy(), freeze_calls['handle_time_s'].to_numpy(), freeze_calls['agents'].to_numpy(), patience=180.0)\n"
             "predicted_abandonment = float(queue['p_abandon'].mean())\n"
             "model_inside = bool(observed_abandonment.contains(predicted_abandonment))"),
            ("gives patience in minutes (3) instead of seconds",
             "observed_abandonment = intervals.proportion(int(freeze_calls['abandoned'].sum()), int(freeze_calls['arrivals'].sum()))\n"
             "queue = service.erlang_a(freeze_calls['arrivals'].to_numpy(), freeze_calls['handle_time_s'].to_numpy(), freeze_calls['agents'].to_numpy(), patience=3.0)\n"
             "predicted_abandonment = float((queue['p_abandon'].to_numpy() * freeze_calls['arrivals'].to_numpy()).sum() / freeze_calls['arrivals'].sum())\n"
             "model_inside = bool(observed_abandonment.contains(predicted_abandonment))"),
            ("measures abandonment over answered calls instead of arriving calls",
             "observed_abandonment = intervals.proportion(int(freeze_calls['abandoned'].sum()), int(freeze_calls['answered'].sum()))\n"
             "queue = service.erlang_a(freeze_calls['arrivals'].to_numpy(), freeze_calls['handle_time_s'].to_numpy(), freeze_calls['agents'].to_numpy(), patience=180.0)\n"
             "predicted_abandonment = float((queue['p_abandon'].to_numpy() * freeze_calls['arrivals'].to_numpy()).sum() / freeze_calls['arrivals'].sum())\n"
             "model_inside = bool(observed_abandonment.contains(predicted_abandonment))"),
        ],
        "a02-ex5-survival": [
            ("treats censored customers as lapsed",
             "def survival_at(days, lapsed, t):\n"
             "    days = np.asarray(days, dtype=float)\n"
             "    share = 1.0\n"
             "    for day in np.unique(days[days <= t]):\n"
             "        share *= 1 - (days == day).sum() / (days >= day).sum()\n"
             "    return float(share)\n"
             "resolved_first = first_tickets[first_tickets['resolved']]\n"
             "unresolved_first = first_tickets[~first_tickets['resolved']]\n"
             "after_resolved = survival_at(resolved_first['days'], resolved_first['lapsed'], 365)\n"
             "after_unresolved = survival_at(unresolved_first['days'], unresolved_first['lapsed'], 365)"),
            ("drops censored customers instead of keeping them at risk",
             "def survival_at(days, lapsed, t):\n"
             "    days, lapsed = np.asarray(days, dtype=float), np.asarray(lapsed, dtype=bool)\n"
             "    days = days[lapsed]\n"
             "    share = 1.0\n"
             "    for day in np.unique(days[days <= t]):\n"
             "        share *= 1 - (days == day).sum() / (days >= day).sum()\n"
             "    return float(share)\n"
             "resolved_first = first_tickets[first_tickets['resolved']]\n"
             "unresolved_first = first_tickets[~first_tickets['resolved']]\n"
             "after_resolved = survival_at(resolved_first['days'], resolved_first['lapsed'], 365)\n"
             "after_unresolved = survival_at(unresolved_first['days'], unresolved_first['lapsed'], 365)"),
            ("takes the share not yet lapsed by day t, ignoring censoring",
             "def survival_at(days, lapsed, t):\n"
             "    days, lapsed = np.asarray(days, dtype=float), np.asarray(lapsed, dtype=bool)\n"
             "    return float(1 - (lapsed & (days <= t)).mean())\n"
             "resolved_first = first_tickets[first_tickets['resolved']]\n"
             "unresolved_first = first_tickets[~first_tickets['resolved']]\n"
             "after_resolved = survival_at(resolved_first['days'], resolved_first['lapsed'], 365)\n"
             "after_unresolved = survival_at(unresolved_first['days'], unresolved_first['lapsed'], 365)"),
            ("calls the package's helper instead of the formula",
             "def survival_at(days, lapsed, t):\n"
             "    curve = survival.kaplan_meier(np.asarray(days, dtype=float), np.asarray(lapsed, dtype=bool))\n"
             "    return float(curve.loc[curve.index <= t, 'survival'].iloc[-1])\n"
             "resolved_first = first_tickets[first_tickets['resolved']]\n"
             "unresolved_first = first_tickets[~first_tickets['resolved']]\n"
             "after_resolved = survival_at(resolved_first['days'], resolved_first['lapsed'], 365)\n"
             "after_unresolved = survival_at(unresolved_first['days'], unresolved_first['lapsed'], 365)"),
            ("swaps the two groups",
             "def survival_at(days, lapsed, t):\n"
             "    days, lapsed = np.asarray(days, dtype=float), np.asarray(lapsed, dtype=bool)\n"
             "    share = 1.0\n"
             "    for day in np.unique(days[lapsed & (days <= t)]):\n"
             "        share *= 1 - (lapsed & (days == day)).sum() / (days >= day).sum()\n"
             "    return float(share)\n"
             "resolved_first = first_tickets[first_tickets['resolved']]\n"
             "unresolved_first = first_tickets[~first_tickets['resolved']]\n"
             "after_unresolved = survival_at(resolved_first['days'], resolved_first['lapsed'], 365)\n"
             "after_resolved = survival_at(unresolved_first['days'], unresolved_first['lapsed'], 365)"),
        ],
        "a02-ex6-league": [
            ("labels the agents in the wrong order",
             "league = surveys.shrunken_rates(agent_counts['resolved'], agent_counts['tickets']).set_axis(agent_counts.index[::-1])\n"
             "half_weight_tickets = float((league['trials'] * (1 - league['weight']) / league['weight']).mean())\n"
             "raw_top = set(league['rate'].nlargest(8).index)\n"
             "shrunken_top = set(league['shrunken_rate'].nlargest(8).index)"),
            ("solves the weight the wrong way, m = n w / (1 - w)",
             "league = surveys.shrunken_rates(agent_counts['resolved'], agent_counts['tickets']).set_axis(agent_counts.index)\n"
             "half_weight_tickets = float((league['trials'] * league['weight'] / (1 - league['weight'])).mean())\n"
             "raw_top = set(league['rate'].nlargest(8).index)\n"
             "shrunken_top = set(league['shrunken_rate'].nlargest(8).index)"),
            ("ranks the shrunken table by raw rate",
             "league = surveys.shrunken_rates(agent_counts['resolved'], agent_counts['tickets']).set_axis(agent_counts.index)\n"
             "half_weight_tickets = float((league['trials'] * (1 - league['weight']) / league['weight']).mean())\n"
             "raw_top = set(league['rate'].nlargest(8).index)\n"
             "shrunken_top = set(league['rate'].nlargest(8).index)"),
            ("takes the agents with the most resolved tickets, not the highest rates",
             "league = surveys.shrunken_rates(agent_counts['resolved'], agent_counts['tickets']).set_axis(agent_counts.index)\n"
             "half_weight_tickets = float((league['trials'] * (1 - league['weight']) / league['weight']).mean())\n"
             "raw_top = set(league['successes'].nlargest(8).index)\n"
             "shrunken_top = set(league['shrunken_rate'].nlargest(8).index)"),
        ],
    },
    "assignment-03": {
        "a03-ex1-table": [
            ('counts visits instead of taking their share',
             'def arm_table(data, outcome):\n'
             "    grouped = data.groupby('segment', observed=True)[outcome]\n"
             "    return pd.DataFrame({'customers': grouped.size(), 'rate': grouped.sum()})\n"
             'newbies = hillstrom[hillstrom["newbie"] == 1]\n'
             'newbie_visits = arm_table(newbies, "visit")\n'
             'mens, control = newbies[newbies["segment"] == "Mens E-Mail"], newbies[newbies["segment"] == "No E-Mail"]\n'
             'mens_effect = experiments.difference_in_proportions(int(mens["visit"].sum()), len(mens), int(control["visit"].sum()), len(control))\n'),
            ('uses every customer, not only the new ones',
             'def arm_table(data, outcome):\n'
             "    grouped = data.groupby('segment', observed=True)[outcome]\n"
             "    return pd.DataFrame({'customers': grouped.size(), 'rate': grouped.mean()})\n"
             'newbies = hillstrom\n'
             'newbie_visits = arm_table(newbies, "visit")\n'
             'mens, control = newbies[newbies["segment"] == "Mens E-Mail"], newbies[newbies["segment"] == "No E-Mail"]\n'
             'mens_effect = experiments.difference_in_proportions(int(mens["visit"].sum()), len(mens), int(control["visit"].sum()), len(control))\n'),
            ("compares with the women's e-mail instead of no e-mail",
             'def arm_table(data, outcome):\n'
             "    grouped = data.groupby('segment', observed=True)[outcome]\n"
             "    return pd.DataFrame({'customers': grouped.size(), 'rate': grouped.mean()})\n"
             'newbies = hillstrom[hillstrom["newbie"] == 1]\n'
             'newbie_visits = arm_table(newbies, "visit")\n'
             'mens, control = newbies[newbies["segment"] == "Mens E-Mail"], newbies[newbies["segment"] == "Womens E-Mail"]\n'
             'mens_effect = experiments.difference_in_proportions(int(mens["visit"].sum()), len(mens), int(control["visit"].sum()), len(control))\n'),
            ('ignores its outcome argument and always takes visits',
             'def arm_table(data, outcome):\n'
             "    grouped = data.groupby('segment', observed=True)['visit']\n"
             "    return pd.DataFrame({'customers': grouped.size(), 'rate': grouped.mean()})\n"
             'newbies = hillstrom[hillstrom["newbie"] == 1]\n'
             'newbie_visits = arm_table(newbies, "visit")\n'
             'mens, control = newbies[newbies["segment"] == "Mens E-Mail"], newbies[newbies["segment"] == "No E-Mail"]\n'
             'mens_effect = experiments.difference_in_proportions(int(mens["visit"].sum()), len(mens), int(control["visit"].sum()), len(control))\n'),
            ("calls the package's helper instead of writing it",
             'def arm_table(data, outcome):\n'
             "    table = experiments.ab_table(data, 'segment', outcome, control='No E-Mail')\n"
             "    return table.rename(columns={'n': 'customers'})\n"
             'newbies = hillstrom[hillstrom["newbie"] == 1]\n'
             'newbie_visits = arm_table(newbies, "visit")\n'
             'mens, control = newbies[newbies["segment"] == "Mens E-Mail"], newbies[newbies["segment"] == "No E-Mail"]\n'
             'mens_effect = experiments.difference_in_proportions(int(mens["visit"].sum()), len(mens), int(control["visit"].sum()), len(control))\n'),
        ],
        "a03-ex2-size": [
            ('uses z at 1 - alpha (a one-sided test)',
             'def customers_per_arm(baseline, lift, alpha, power):\n'
             '    h = 2 * np.arcsin(np.sqrt(baseline + lift)) - 2 * np.arcsin(np.sqrt(baseline))\n'
             '    z = stats.norm.ppf(1 - alpha) + stats.norm.ppf(power)\n'
             '    return int(np.ceil(2 * z**2 / h**2))\n'
             'planned_n = customers_per_arm(0.006, 0.003, 0.05, 0.80)\n'
             'power_at_5000 = float(experiments.power(5000, 0.003, baseline=0.006))\n'),
            ('forgets the factor 2 of two arms',
             'def customers_per_arm(baseline, lift, alpha, power):\n'
             '    h = 2 * np.arcsin(np.sqrt(baseline + lift)) - 2 * np.arcsin(np.sqrt(baseline))\n'
             '    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)\n'
             '    return int(np.ceil(z**2 / h**2))\n'
             'planned_n = customers_per_arm(0.006, 0.003, 0.05, 0.80)\n'
             'power_at_5000 = float(experiments.power(5000, 0.003, baseline=0.006))\n'),
            ("uses the difference of rates instead of Cohen's h",
             'def customers_per_arm(baseline, lift, alpha, power):\n'
             '    h = lift\n'
             '    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)\n'
             '    return int(np.ceil(2 * z**2 / h**2))\n'
             'planned_n = customers_per_arm(0.006, 0.003, 0.05, 0.80)\n'
             'power_at_5000 = float(experiments.power(5000, 0.003, baseline=0.006))\n'),
            ('rounds down',
             'def customers_per_arm(baseline, lift, alpha, power):\n'
             '    h = 2 * np.arcsin(np.sqrt(baseline + lift)) - 2 * np.arcsin(np.sqrt(baseline))\n'
             '    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)\n'
             '    return int(np.floor(2 * z**2 / h**2))\n'
             'planned_n = customers_per_arm(0.006, 0.003, 0.05, 0.80) - 2\n'
             'power_at_5000 = float(experiments.power(5000, 0.003, baseline=0.006))\n'),
            ("calls the package's helper instead of the formula",
             'def customers_per_arm(baseline, lift, alpha, power):\n'
             '    return int(experiments.sample_size(lift, baseline=baseline, alpha=alpha, power=power))\n'
             'planned_n = customers_per_arm(0.006, 0.003, 0.05, 0.80)\n'
             'power_at_5000 = float(experiments.power(5000, 0.003, baseline=0.006))\n'),
        ],
        "a03-ex3-dose": [
            ('forgets the cost',
             "mean_revenue = trial.groupby('dose')['outcome_revenue'].mean()\n"
             'effect_by_dose = mean_revenue.loc[[1, 2, 3]] - mean_revenue.loc[0]\n'
             'net_by_dose = 0.30 * effect_by_dose\n'
             'best_dose = int(net_by_dose.idxmax())\n'),
            ('takes revenue instead of margin',
             "mean_revenue = trial.groupby('dose')['outcome_revenue'].mean()\n"
             'effect_by_dose = mean_revenue.loc[[1, 2, 3]] - mean_revenue.loc[0]\n'
             'net_by_dose = effect_by_dose - 2.0 * effect_by_dose.index.to_series()\n'
             'best_dose = int(net_by_dose.idxmax())\n'),
            ('uses purchases instead of revenue',
             "mean_revenue = trial.groupby('dose')['outcome_purchases'].mean()\n"
             'effect_by_dose = mean_revenue.loc[[1, 2, 3]] - mean_revenue.loc[0]\n'
             'net_by_dose = 0.30 * effect_by_dose - 2.0 * effect_by_dose.index.to_series()\n'
             'best_dose = int(net_by_dose.idxmax())\n'),
            ('charges $2 whatever the dose',
             "mean_revenue = trial.groupby('dose')['outcome_revenue'].mean()\n"
             'effect_by_dose = mean_revenue.loc[[1, 2, 3]] - mean_revenue.loc[0]\n'
             'net_by_dose = 0.30 * effect_by_dose - 2.0\n'
             'best_dose = int(net_by_dose.idxmax())\n'),
        ],
        "a03-ex4-tlearner": [
            ('subtracts the treated model from the control model',
             'def t_learner_uplift(X_train, y_train, treated_train, X_new):\n'
             '    treated = np.asarray(treated_train) == 1\n'
             '    model_treated = LogisticRegression(max_iter=1000).fit(X_train[treated], y_train[treated])\n'
             '    model_control = LogisticRegression(max_iter=1000).fit(X_train[~treated], y_train[~treated])\n'
             '    return model_control.predict_proba(X_new)[:, 1] - model_treated.predict_proba(X_new)[:, 1]\n'
             'test_uplift = t_learner_uplift(X_train, y_train, treated_train, X_test)\n'
             'mean_test_uplift = float(test_uplift.mean())\n'),
            ('fits one model on everyone with the arm as a feature (an S-learner)',
             'def t_learner_uplift(X_train, y_train, treated_train, X_new):\n'
             '    model = LogisticRegression(max_iter=1000).fit(np.column_stack([X_train, treated_train]), y_train)\n'
             '    ones, zeros = np.ones((len(X_new), 1)), np.zeros((len(X_new), 1))\n'
             '    return model.predict_proba(np.hstack([X_new, ones]))[:, 1] - model.predict_proba(np.hstack([X_new, zeros]))[:, 1]\n'
             'test_uplift = t_learner_uplift(X_train, y_train, treated_train, X_test)\n'
             'mean_test_uplift = float(test_uplift.mean())\n'),
            ('predicts for the training customers, not X_new',
             'def t_learner_uplift(X_train, y_train, treated_train, X_new):\n'
             '    treated = np.asarray(treated_train) == 1\n'
             '    model_treated = LogisticRegression(max_iter=1000).fit(X_train[treated], y_train[treated])\n'
             '    model_control = LogisticRegression(max_iter=1000).fit(X_train[~treated], y_train[~treated])\n'
             '    return model_treated.predict_proba(X_train)[:, 1] - model_control.predict_proba(X_train)[:, 1]\n'
             'test_uplift = t_learner_uplift(X_train, y_train, treated_train, X_test)\n'
             'mean_test_uplift = float(test_uplift.mean())\n'),
            ('uses predicted classes (0 or 1) instead of probabilities',
             'def t_learner_uplift(X_train, y_train, treated_train, X_new):\n'
             '    treated = np.asarray(treated_train) == 1\n'
             '    model_treated = LogisticRegression(max_iter=1000).fit(X_train[treated], y_train[treated])\n'
             '    model_control = LogisticRegression(max_iter=1000).fit(X_train[~treated], y_train[~treated])\n'
             '    return (model_treated.predict(X_new) - model_control.predict(X_new)).astype(float)\n'
             'test_uplift = t_learner_uplift(X_train, y_train, treated_train, X_test)\n'
             'mean_test_uplift = float(test_uplift.mean())\n'),
            ("calls the package's T-learner instead of writing it",
             'def t_learner_uplift(X_train, y_train, treated_train, X_new):\n'
             '    model = uplift.TLearner(LogisticRegression(max_iter=1000)).fit(X_train, y_train, treated_train)\n'
             '    return np.asarray(model.predict(X_new), dtype=float).ravel()\n'
             'test_uplift = t_learner_uplift(X_train, y_train, treated_train, X_test)\n'
             'mean_test_uplift = float(test_uplift.mean())\n'),
        ],
        "a03-ex5-qini": [
            ('sorts the lowest scores first',
             'def qini_at(y, score, treatment, k):\n'
             "    order = np.argsort(np.asarray(score), kind='stable')[:k]\n"
             '    y_top, t_top = np.asarray(y)[order], np.asarray(treatment)[order]\n'
             '    n_t, n_c = (t_top == 1).sum(), (t_top == 0).sum()\n'
             '    return float(y_top[t_top == 1].sum() - (y_top[t_top == 0].sum() * n_t / n_c if n_c else 0.0))\n'
             'qini_half = qini_at(visited, scores, mailed, len(scores) // 2)\n'
             'qini_coefficient = float(uplift.qini_auc_score(visited, scores, mailed))\n'),
            ('does not scale the control visits by N_T / N_C',
             'def qini_at(y, score, treatment, k):\n'
             "    order = np.argsort(-np.asarray(score), kind='stable')[:k]\n"
             '    y_top, t_top = np.asarray(y)[order], np.asarray(treatment)[order]\n'
             '    return float(y_top[t_top == 1].sum() - y_top[t_top == 0].sum())\n'
             'qini_half = qini_at(visited, scores, mailed, len(scores) // 2)\n'
             'qini_coefficient = float(uplift.qini_auc_score(visited, scores, mailed))\n'),
            ('takes the first k rows instead of the k highest scores',
             'def qini_at(y, score, treatment, k):\n'
             '    y_top, t_top = np.asarray(y)[:k], np.asarray(treatment)[:k]\n'
             '    n_t, n_c = (t_top == 1).sum(), (t_top == 0).sum()\n'
             '    return float(y_top[t_top == 1].sum() - (y_top[t_top == 0].sum() * n_t / n_c if n_c else 0.0))\n'
             'qini_half = qini_at(visited, scores, mailed, len(scores) // 2)\n'
             'qini_coefficient = float(uplift.qini_auc_score(visited, scores, mailed))\n'),
            ("uses the uplift curve's area instead of the Qini's",
             'def qini_at(y, score, treatment, k):\n'
             "    order = np.argsort(-np.asarray(score), kind='stable')[:k]\n"
             '    y_top, t_top = np.asarray(y)[order], np.asarray(treatment)[order]\n'
             '    n_t, n_c = (t_top == 1).sum(), (t_top == 0).sum()\n'
             '    return float(y_top[t_top == 1].sum() - (y_top[t_top == 0].sum() * n_t / n_c if n_c else 0.0))\n'
             'qini_half = qini_at(visited, scores, mailed, len(scores) // 2)\n'
             'qini_coefficient = float(uplift.uplift_auc_score(visited, scores, mailed))\n'),
            ("calls the package's curve instead of the formula",
             'def qini_at(y, score, treatment, k):\n'
             '    x, q = uplift.qini_curve(y, score, treatment)\n'
             '    return float(q[list(x).index(k)])\n'
             'qini_half = qini_at(visited, scores, mailed, len(scores) // 2)\n'
             'qini_coefficient = float(uplift.qini_auc_score(visited, scores, mailed))\n'),
        ],
        "a03-ex6-plan": [
            ('treats everyone at their best dose, even at a loss',
             'def choose_doses(predicted, margin, cost_per_dose):\n'
             '    returns = predicted.mul(margin, axis=0) - np.array(predicted.columns, dtype=float) * cost_per_dose\n'
             '    best = returns.idxmax(axis=1).astype(int)\n'
             '    best_return = returns.max(axis=1)\n'
             '    treat = best_return > -np.inf\n'
             "    return pd.DataFrame({'dose': best.where(treat, 0), 'expected_return': best_return.where(treat, 0.0)})\n"
             'plan = choose_doses(predicted, purchase_margin, 2.0)\n'
             "plan_return = float(plan['expected_return'].sum())\n"
             'treat_all_return = float((predicted[3] * purchase_margin - 3 * 2.0).sum())\n'),
            ('forgets the cost of the dose',
             'def choose_doses(predicted, margin, cost_per_dose):\n'
             '    returns = predicted.mul(margin, axis=0)\n'
             '    best = returns.idxmax(axis=1).astype(int)\n'
             '    best_return = returns.max(axis=1)\n'
             '    treat = best_return > 0\n'
             "    return pd.DataFrame({'dose': best.where(treat, 0), 'expected_return': best_return.where(treat, 0.0)})\n"
             'plan = choose_doses(predicted, purchase_margin, 2.0)\n'
             "plan_return = float(plan['expected_return'].sum())\n"
             'treat_all_return = float((predicted[3] * purchase_margin - 3 * 2.0).sum())\n'),
            ('charges the cost of one dose level whatever the dose',
             'def choose_doses(predicted, margin, cost_per_dose):\n'
             '    returns = predicted.mul(margin, axis=0) - cost_per_dose\n'
             '    best = returns.idxmax(axis=1).astype(int)\n'
             '    best_return = returns.max(axis=1)\n'
             '    treat = best_return > 0\n'
             "    return pd.DataFrame({'dose': best.where(treat, 0), 'expected_return': best_return.where(treat, 0.0)})\n"
             'plan = choose_doses(predicted, purchase_margin, 2.0)\n'
             "plan_return = float(plan['expected_return'].sum())\n"
             'treat_all_return = float((predicted[3] * purchase_margin - 3 * 2.0).sum())\n'),
            ("values everyone's purchase at the average margin",
             'def choose_doses(predicted, margin, cost_per_dose):\n'
             '    returns = predicted * margin.mean() - np.array(predicted.columns, dtype=float) * cost_per_dose\n'
             '    best = returns.idxmax(axis=1).astype(int)\n'
             '    best_return = returns.max(axis=1)\n'
             '    treat = best_return > 0\n'
             "    return pd.DataFrame({'dose': best.where(treat, 0), 'expected_return': best_return.where(treat, 0.0)})\n"
             'plan = choose_doses(predicted, purchase_margin, 2.0)\n'
             "plan_return = float(plan['expected_return'].sum())\n"
             'treat_all_return = float((predicted[3] * purchase_margin - 3 * 2.0).sum())\n'),
            ("calls the package's prescription instead of writing it",
             'def choose_doses(predicted, margin, cost_per_dose):\n'
             "    return uplift.prescribe(predicted, margin, cost_per_dose).customers[['dose', 'expected_return']]\n"
             'plan = choose_doses(predicted, purchase_margin, 2.0)\n'
             "plan_return = float(plan['expected_return'].sum())\n"
             'treat_all_return = float((predicted[3] * purchase_margin - 3 * 2.0).sum())\n'),
        ],
    },
    "assignment-04": {
        "a04-ex1-cac": [
            ('leaves the overhead out',
             'def cac_by_channel(marketing, year, overhead):\n'
             '    rows = marketing[marketing["month"].dt.year == year]\n'
             '    totals = rows.groupby("channel")[["spend", "new_customers"]].sum()\n'
             '    return totals["spend"] / totals["new_customers"]\n'
             '\n'
             '\n'
             'cac_2024 = cac_by_channel(world.marketing, 2024, 0.15)\n'
             'dearest_channel = str(cac_2024.idxmax())\n'),
            ("averages the monthly CACs instead of dividing the year's totals",
             'def cac_by_channel(marketing, year, overhead):\n'
             '    rows = marketing[marketing["month"].dt.year == year]\n'
             '    return (1 + overhead) * (rows["spend"] / rows["new_customers"]).groupby(rows["channel"]).mean()\n'
             '\n'
             '\n'
             'cac_2024 = cac_by_channel(world.marketing, 2024, 0.15)\n'
             'dearest_channel = str(cac_2024.idxmax())\n'),
            ('keeps every year, not only the one asked for',
             'def cac_by_channel(marketing, year, overhead):\n'
             '    rows = marketing\n'
             '    totals = rows.groupby("channel")[["spend", "new_customers"]].sum()\n'
             '    return (1 + overhead) * totals["spend"] / totals["new_customers"]\n'
             '\n'
             '\n'
             'cac_2024 = cac_by_channel(world.marketing, 2024, 0.15)\n'
             'dearest_channel = str(cac_2024.idxmax())\n'),
            ('adds the overhead share as dollars per customer',
             'def cac_by_channel(marketing, year, overhead):\n'
             '    rows = marketing[marketing["month"].dt.year == year]\n'
             '    totals = rows.groupby("channel")[["spend", "new_customers"]].sum()\n'
             '    return overhead + totals["spend"] / totals["new_customers"]\n'
             '\n'
             '\n'
             'cac_2024 = cac_by_channel(world.marketing, 2024, 0.15)\n'
             'dearest_channel = str(cac_2024.idxmax())\n'),
            ('names the cheapest channel as the dearest',
             'def cac_by_channel(marketing, year, overhead):\n'
             '    rows = marketing[marketing["month"].dt.year == year]\n'
             '    totals = rows.groupby("channel")[["spend", "new_customers"]].sum()\n'
             '    return (1 + overhead) * totals["spend"] / totals["new_customers"]\n'
             '\n'
             '\n'
             'cac_2024 = cac_by_channel(world.marketing, 2024, 0.15)\n'
             'dearest_channel = str(cac_2024.idxmin())\n'),
            ("calls the package's helper instead of writing it",
             'def cac_by_channel(marketing, year, overhead):\n'
             '    rows = marketing[marketing["month"].dt.year == year]\n'
             '    return economics.acquisition_cost(rows, overhead=overhead, by="channel")["cac"]\n'
             '\n'
             '\n'
             'cac_2024 = cac_by_channel(world.marketing, 2024, 0.15)\n'
             'dearest_channel = str(cac_2024.idxmax())\n'),
        ],
        "a04-ex2-ratio": [
            ('resamples without replacement, so every sample has the same mean',
             'def mean_with_interval(values, n_resamples=2000, seed=0):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    rng = np.random.default_rng(seed)\n'
             '    positions = np.array([rng.permutation(len(values)) for _ in range(n_resamples)])\n'
             '    means = values[positions].mean(axis=1)\n'
             '    return float(values.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))\n'
             '\n'
             '\n'
             'rows = {}\n'
             'for channel, group in cohort_2024.groupby("channel"):\n'
             '    mean, lower, upper = mean_with_interval(group["clv"])\n'
             '    cac = cac_2024_loaded[channel]\n'
             '    rows[channel] = {"clv": mean, "clv_to_cac": mean / cac, "lower": lower / cac, "upper": upper / cac}\n'
             'clv_cac_2024 = pd.DataFrame.from_dict(rows, orient="index")\n'
             'below_break_even = sorted(clv_cac_2024.index[clv_cac_2024["upper"] < 1])\n'),
            ('uses a normal interval, mean plus or minus 1.96 standard errors',
             'def mean_with_interval(values, n_resamples=2000, seed=0):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    rng = np.random.default_rng(seed)\n'
             '    positions = rng.integers(0, len(values), size=(n_resamples, len(values)))\n'
             '    means = values[positions].mean(axis=1)\n'
             '    se = values.std() / np.sqrt(len(values))\n'
             '    return float(values.mean()), float(values.mean() - 1.96 * se), float(values.mean() + 1.96 * se)\n'
             '\n'
             '\n'
             'rows = {}\n'
             'for channel, group in cohort_2024.groupby("channel"):\n'
             '    mean, lower, upper = mean_with_interval(group["clv"])\n'
             '    cac = cac_2024_loaded[channel]\n'
             '    rows[channel] = {"clv": mean, "clv_to_cac": mean / cac, "lower": lower / cac, "upper": upper / cac}\n'
             'clv_cac_2024 = pd.DataFrame.from_dict(rows, orient="index")\n'
             'below_break_even = sorted(clv_cac_2024.index[clv_cac_2024["upper"] < 1])\n'),
            ('takes the 5th and 95th percentiles (a 90% interval)',
             'def mean_with_interval(values, n_resamples=2000, seed=0):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    rng = np.random.default_rng(seed)\n'
             '    positions = rng.integers(0, len(values), size=(n_resamples, len(values)))\n'
             '    means = values[positions].mean(axis=1)\n'
             '    return float(values.mean()), float(np.percentile(means, 5)), float(np.percentile(means, 95))\n'
             '\n'
             '\n'
             'rows = {}\n'
             'for channel, group in cohort_2024.groupby("channel"):\n'
             '    mean, lower, upper = mean_with_interval(group["clv"])\n'
             '    cac = cac_2024_loaded[channel]\n'
             '    rows[channel] = {"clv": mean, "clv_to_cac": mean / cac, "lower": lower / cac, "upper": upper / cac}\n'
             'clv_cac_2024 = pd.DataFrame.from_dict(rows, orient="index")\n'
             'below_break_even = sorted(clv_cac_2024.index[clv_cac_2024["upper"] < 1])\n'),
            ("takes percentiles of the customers' values, not of the resampled means",
             'def mean_with_interval(values, n_resamples=2000, seed=0):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    rng = np.random.default_rng(seed)\n'
             '    positions = rng.integers(0, len(values), size=(n_resamples, len(values)))\n'
             '    means = values[positions].mean(axis=1)\n'
             '    return float(values.mean()), float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))\n'
             '\n'
             '\n'
             'rows = {}\n'
             'for channel, group in cohort_2024.groupby("channel"):\n'
             '    mean, lower, upper = mean_with_interval(group["clv"])\n'
             '    cac = cac_2024_loaded[channel]\n'
             '    rows[channel] = {"clv": mean, "clv_to_cac": mean / cac, "lower": lower / cac, "upper": upper / cac}\n'
             'clv_cac_2024 = pd.DataFrame.from_dict(rows, orient="index")\n'
             'below_break_even = sorted(clv_cac_2024.index[clv_cac_2024["upper"] < 1])\n'),
            ('divides the CAC by the CLV',
             'def mean_with_interval(values, n_resamples=2000, seed=0):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    rng = np.random.default_rng(seed)\n'
             '    positions = rng.integers(0, len(values), size=(n_resamples, len(values)))\n'
             '    means = values[positions].mean(axis=1)\n'
             '    return float(values.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))\n'
             '\n'
             '\n'
             'rows = {}\n'
             'for channel, group in cohort_2024.groupby("channel"):\n'
             '    mean, lower, upper = mean_with_interval(group["clv"])\n'
             '    cac = cac_2024_loaded[channel]\n'
             '    rows[channel] = {"clv": mean, "clv_to_cac": cac / mean, "lower": cac / upper, "upper": cac / lower}\n'
             'clv_cac_2024 = pd.DataFrame.from_dict(rows, orient="index")\n'
             'below_break_even = sorted(clv_cac_2024.index[clv_cac_2024["upper"] < 1])\n'),
            ("divides the interval by the channels' average CAC, not the channel's own",
             'def mean_with_interval(values, n_resamples=2000, seed=0):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    rng = np.random.default_rng(seed)\n'
             '    positions = rng.integers(0, len(values), size=(n_resamples, len(values)))\n'
             '    means = values[positions].mean(axis=1)\n'
             '    return float(values.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))\n'
             '\n'
             '\n'
             'rows = {}\n'
             'for channel, group in cohort_2024.groupby("channel"):\n'
             '    mean, lower, upper = mean_with_interval(group["clv"])\n'
             '    cac = cac_2024_loaded[channel]\n'
             '    rows[channel] = {"clv": mean, "clv_to_cac": mean / cac, "lower": lower / cac_2024_loaded.mean(), "upper": upper / cac_2024_loaded.mean()}\n'
             'clv_cac_2024 = pd.DataFrame.from_dict(rows, orient="index")\n'
             'below_break_even = sorted(clv_cac_2024.index[clv_cac_2024["upper"] < 1])\n'),
            ("calls the package's bootstrap instead of writing it",
             'def mean_with_interval(values, n_resamples=2000, seed=0):\n'
             '    from customering_utils import intervals\n'
             '    found = intervals.bootstrap(np.asarray(values, dtype=float), np.mean, n_resamples=n_resamples, seed=seed)\n'
             '    return float(found.estimate), float(found.lower), float(found.upper)\n'
             '\n'
             '\n'
             'rows = {}\n'
             'for channel, group in cohort_2024.groupby("channel"):\n'
             '    mean, lower, upper = mean_with_interval(group["clv"])\n'
             '    cac = cac_2024_loaded[channel]\n'
             '    rows[channel] = {"clv": mean, "clv_to_cac": mean / cac, "lower": lower / cac, "upper": upper / cac}\n'
             'clv_cac_2024 = pd.DataFrame.from_dict(rows, orient="index")\n'
             'below_break_even = sorted(clv_cac_2024.index[clv_cac_2024["upper"] < 1])\n'),
        ],
        "a04-ex3-payback": [
            ('does not interpolate: counts whole months up to the one that pays back',
             'def months_to_payback(curve, cac, annual_rate):\n'
             '    margins = np.asarray(curve, dtype=float)\n'
             '    months = np.arange(len(margins))\n'
             '    earned = np.cumsum(margins / (1 + annual_rate) ** (months / 12))\n'
             '    reached = np.nonzero(earned >= cac)[0]\n'
             '    if len(reached) == 0:\n'
             '        return float(np.inf)\n'
             '    k = int(reached[0])\n'
             '    before = earned[k - 1] if k > 0 else 0.0\n'
             '    return float(k + 1)\n'
             '\n'
             '\n'
             'payback_12 = pd.Series({channel: months_to_payback(margin_curve.loc[channel].dropna(), cac_media[channel], 0.12)\n'
             '                        for channel in margin_curve.index})\n'),
            ('discounts each month at the yearly rate',
             'def months_to_payback(curve, cac, annual_rate):\n'
             '    margins = np.asarray(curve, dtype=float)\n'
             '    months = np.arange(len(margins))\n'
             '    earned = np.cumsum(margins / (1 + annual_rate) ** months)\n'
             '    reached = np.nonzero(earned >= cac)[0]\n'
             '    if len(reached) == 0:\n'
             '        return float(np.inf)\n'
             '    k = int(reached[0])\n'
             '    before = earned[k - 1] if k > 0 else 0.0\n'
             '    return float(k + (cac - before) / (earned[k] - before)) if earned[k] > before else float(k)\n'
             '\n'
             '\n'
             'payback_12 = pd.Series({channel: months_to_payback(margin_curve.loc[channel].dropna(), cac_media[channel], 0.12)\n'
             '                        for channel in margin_curve.index})\n'),
            ('does not discount',
             'def months_to_payback(curve, cac, annual_rate):\n'
             '    margins = np.asarray(curve, dtype=float)\n'
             '    months = np.arange(len(margins))\n'
             '    earned = np.cumsum(margins)\n'
             '    reached = np.nonzero(earned >= cac)[0]\n'
             '    if len(reached) == 0:\n'
             '        return float(np.inf)\n'
             '    k = int(reached[0])\n'
             '    before = earned[k - 1] if k > 0 else 0.0\n'
             '    return float(k + (cac - before) / (earned[k] - before)) if earned[k] > before else float(k)\n'
             '\n'
             '\n'
             'payback_12 = pd.Series({channel: months_to_payback(margin_curve.loc[channel].dropna(), cac_media[channel], 0.12)\n'
             '                        for channel in margin_curve.index})\n'),
            ('returns NaN instead of infinity when it never pays back',
             'def months_to_payback(curve, cac, annual_rate):\n'
             '    margins = np.asarray(curve, dtype=float)\n'
             '    months = np.arange(len(margins))\n'
             '    earned = np.cumsum(margins / (1 + annual_rate) ** (months / 12))\n'
             '    reached = np.nonzero(earned >= cac)[0]\n'
             '    if len(reached) == 0:\n'
             "        return float('nan')\n"
             '    k = int(reached[0])\n'
             '    before = earned[k - 1] if k > 0 else 0.0\n'
             '    return float(k + (cac - before) / (earned[k] - before)) if earned[k] > before else float(k)\n'
             '\n'
             '\n'
             'payback_12 = pd.Series({channel: months_to_payback(margin_curve.loc[channel].dropna(), cac_media[channel], 0.12)\n'
             '                        for channel in margin_curve.index})\n'),
            ('counts months from 1, not from the month of acquisition',
             'def months_to_payback(curve, cac, annual_rate):\n'
             '    margins = np.asarray(curve, dtype=float)\n'
             '    months = np.arange(len(margins))\n'
             '    earned = np.cumsum(margins / (1 + annual_rate) ** (months / 12))\n'
             '    reached = np.nonzero(earned >= cac)[0]\n'
             '    if len(reached) == 0:\n'
             '        return float(np.inf)\n'
             '    k = int(reached[0])\n'
             '    before = earned[k - 1] if k > 0 else 0.0\n'
             '    return float(k + 1 + (cac - before) / (earned[k] - before)) if earned[k] > before else float(k)\n'
             '\n'
             '\n'
             'payback_12 = pd.Series({channel: months_to_payback(margin_curve.loc[channel].dropna(), cac_media[channel], 0.12)\n'
             '                        for channel in margin_curve.index})\n'),
            ('uses 10%, not 12%',
             'def months_to_payback(curve, cac, annual_rate):\n'
             '    margins = np.asarray(curve, dtype=float)\n'
             '    months = np.arange(len(margins))\n'
             '    earned = np.cumsum(margins / (1 + annual_rate) ** (months / 12))\n'
             '    reached = np.nonzero(earned >= cac)[0]\n'
             '    if len(reached) == 0:\n'
             '        return float(np.inf)\n'
             '    k = int(reached[0])\n'
             '    before = earned[k - 1] if k > 0 else 0.0\n'
             '    return float(k + (cac - before) / (earned[k] - before)) if earned[k] > before else float(k)\n'
             '\n'
             '\n'
             'payback_12 = pd.Series({channel: months_to_payback(margin_curve.loc[channel].dropna(), cac_media[channel], 0.10)\n'
             '                        for channel in margin_curve.index})\n'),
        ],
        "a04-ex4-equity": [
            ('forgets to discount the retention rate',
             'def equity_per_prospect(m, a, A, r, R, d):\n'
             '    kept = r\n'
             '    return float(a * m - A + a * (m - R / r) * kept / (1 - kept))\n'
             '\n'
             '\n'
             'shares = np.round(np.linspace(0.05, 0.95, 91), 2)\n'
             'equity_by_share = pd.Series([equity_per_prospect(150.0, float(acquisition_rate_at(60 * s)), 60 * s,\n'
             '                                                 float(retention_rate_at(60 * (1 - s))), 60 * (1 - s), 0.10)\n'
             '                             for s in shares], index=shares)\n'
             'best_share = float(equity_by_share.idxmax())\n'
             'equity_today = float(equity_by_share[0.70])\n'
             'equity_best = float(equity_by_share.max())\n'),
            ("leaves out the first year's margin and cost",
             'def equity_per_prospect(m, a, A, r, R, d):\n'
             '    kept = r / (1 + d)\n'
             '    return float(a * (m - R / r) * kept / (1 - kept))\n'
             '\n'
             '\n'
             'shares = np.round(np.linspace(0.05, 0.95, 91), 2)\n'
             'equity_by_share = pd.Series([equity_per_prospect(150.0, float(acquisition_rate_at(60 * s)), 60 * s,\n'
             '                                                 float(retention_rate_at(60 * (1 - s))), 60 * (1 - s), 0.10)\n'
             '                             for s in shares], index=shares)\n'
             'best_share = float(equity_by_share.idxmax())\n'
             'equity_today = float(equity_by_share[0.70])\n'
             'equity_best = float(equity_by_share.max())\n'),
            ('charges retention spending per prospect, not per customer kept',
             'def equity_per_prospect(m, a, A, r, R, d):\n'
             '    kept = r / (1 + d)\n'
             '    return float(a * m - A + a * (m - R) * kept / (1 - kept))\n'
             '\n'
             '\n'
             'shares = np.round(np.linspace(0.05, 0.95, 91), 2)\n'
             'equity_by_share = pd.Series([equity_per_prospect(150.0, float(acquisition_rate_at(60 * s)), 60 * s,\n'
             '                                                 float(retention_rate_at(60 * (1 - s))), 60 * (1 - s), 0.10)\n'
             '                             for s in shares], index=shares)\n'
             'best_share = float(equity_by_share.idxmax())\n'
             'equity_today = float(equity_by_share[0.70])\n'
             'equity_best = float(equity_by_share.max())\n'),
            ('swaps the shares: the share goes to retention',
             'def equity_per_prospect(m, a, A, r, R, d):\n'
             '    kept = r / (1 + d)\n'
             '    return float(a * m - A + a * (m - R / r) * kept / (1 - kept))\n'
             '\n'
             '\n'
             'shares = np.round(np.linspace(0.05, 0.95, 91), 2)\n'
             'equity_by_share = pd.Series([equity_per_prospect(150.0, float(acquisition_rate_at(60 * (1 - s))), 60 * (1 - s),\n'
             '                                                 float(retention_rate_at(60 * s)), 60 * s, 0.10)\n'
             '                             for s in shares], index=shares)\n'
             'best_share = float(equity_by_share.idxmax())\n'
             'equity_today = float(equity_by_share[0.70])\n'
             'equity_best = float(equity_by_share.max())\n'),
            ('reports the highest equity as the best share',
             'def equity_per_prospect(m, a, A, r, R, d):\n'
             '    kept = r / (1 + d)\n'
             '    return float(a * m - A + a * (m - R / r) * kept / (1 - kept))\n'
             '\n'
             '\n'
             'shares = np.round(np.linspace(0.05, 0.95, 91), 2)\n'
             'equity_by_share = pd.Series([equity_per_prospect(150.0, float(acquisition_rate_at(60 * s)), 60 * s,\n'
             '                                                 float(retention_rate_at(60 * (1 - s))), 60 * (1 - s), 0.10)\n'
             '                             for s in shares], index=shares)\n'
             'best_share = float(equity_by_share.max()) / 100\n'
             'equity_today = float(equity_by_share[0.70])\n'
             'equity_best = float(equity_by_share.max())\n'),
            ("takes today's split as 30% on acquisition",
             'def equity_per_prospect(m, a, A, r, R, d):\n'
             '    kept = r / (1 + d)\n'
             '    return float(a * m - A + a * (m - R / r) * kept / (1 - kept))\n'
             '\n'
             '\n'
             'shares = np.round(np.linspace(0.05, 0.95, 91), 2)\n'
             'equity_by_share = pd.Series([equity_per_prospect(150.0, float(acquisition_rate_at(60 * s)), 60 * s,\n'
             '                                                 float(retention_rate_at(60 * (1 - s))), 60 * (1 - s), 0.10)\n'
             '                             for s in shares], index=shares)\n'
             'best_share = float(equity_by_share.idxmax())\n'
             'equity_today = float(equity_by_share[0.30])\n'
             'equity_best = float(equity_by_share.max())\n'),
        ],
        "a04-ex5-referrals": [
            ('takes promoters from any answer of 9 or 10, not the latest',
             'nps = world.surveys[world.surveys["survey"] == "NPS"].sort_values("date", kind="stable")\n'
             'latest = nps.groupby("customer_id")["score"].max()\n'
             'promoters = sorted(latest.index[latest >= 9])\n'
             '\n'
             'referred = world.customers["referred_by"].dropna().astype(int)\n'
             'referred_values = clv_2y.reindex(referred.index)\n'
             'by_referrer = pd.DataFrame({"referrer": referred.to_numpy(), "value": referred_values.to_numpy()})\n'
             'totals = by_referrer.groupby("referrer")["value"].agg(["size", "sum"]).reindex(promoters, fill_value=0)\n'
             'promoter_value = pd.DataFrame({"own_value": clv_2y.reindex(promoters), "referrals": totals["size"]}, index=promoters)\n'
             'promoter_value["referral_value"] = 0.6 * totals["sum"] + 0.4 * totals["size"] * 45.0 - totals["size"] * 20.0\n'
             'share_worth_more_as_referrers = float((promoter_value["referral_value"] > promoter_value["own_value"]).mean())\n'),
            ('counts answers of 7 and 8 as promoters too',
             'nps = world.surveys[world.surveys["survey"] == "NPS"].sort_values("date", kind="stable")\n'
             'latest = nps.groupby("customer_id")["score"].last()\n'
             'promoters = sorted(latest.index[latest >= 7])\n'
             '\n'
             'referred = world.customers["referred_by"].dropna().astype(int)\n'
             'referred_values = clv_2y.reindex(referred.index)\n'
             'by_referrer = pd.DataFrame({"referrer": referred.to_numpy(), "value": referred_values.to_numpy()})\n'
             'totals = by_referrer.groupby("referrer")["value"].agg(["size", "sum"]).reindex(promoters, fill_value=0)\n'
             'promoter_value = pd.DataFrame({"own_value": clv_2y.reindex(promoters), "referrals": totals["size"]}, index=promoters)\n'
             'promoter_value["referral_value"] = 0.6 * totals["sum"] + 0.4 * totals["size"] * 45.0 - totals["size"] * 20.0\n'
             'share_worth_more_as_referrers = float((promoter_value["referral_value"] > promoter_value["own_value"]).mean())\n'),
            ('leaves out what the referrals that would have come anyway saved',
             'nps = world.surveys[world.surveys["survey"] == "NPS"].sort_values("date", kind="stable")\n'
             'latest = nps.groupby("customer_id")["score"].last()\n'
             'promoters = sorted(latest.index[latest >= 9])\n'
             '\n'
             'referred = world.customers["referred_by"].dropna().astype(int)\n'
             'referred_values = clv_2y.reindex(referred.index)\n'
             'by_referrer = pd.DataFrame({"referrer": referred.to_numpy(), "value": referred_values.to_numpy()})\n'
             'totals = by_referrer.groupby("referrer")["value"].agg(["size", "sum"]).reindex(promoters, fill_value=0)\n'
             'promoter_value = pd.DataFrame({"own_value": clv_2y.reindex(promoters), "referrals": totals["size"]}, index=promoters)\n'
             'promoter_value["referral_value"] = 0.6 * totals["sum"] - totals["size"] * 20.0\n'
             'share_worth_more_as_referrers = float((promoter_value["referral_value"] > promoter_value["own_value"]).mean())\n'),
            ("counts every referred customer's value in full",
             'nps = world.surveys[world.surveys["survey"] == "NPS"].sort_values("date", kind="stable")\n'
             'latest = nps.groupby("customer_id")["score"].last()\n'
             'promoters = sorted(latest.index[latest >= 9])\n'
             '\n'
             'referred = world.customers["referred_by"].dropna().astype(int)\n'
             'referred_values = clv_2y.reindex(referred.index)\n'
             'by_referrer = pd.DataFrame({"referrer": referred.to_numpy(), "value": referred_values.to_numpy()})\n'
             'totals = by_referrer.groupby("referrer")["value"].agg(["size", "sum"]).reindex(promoters, fill_value=0)\n'
             'promoter_value = pd.DataFrame({"own_value": clv_2y.reindex(promoters), "referrals": totals["size"]}, index=promoters)\n'
             'promoter_value["referral_value"] = totals["sum"] + 0.4 * totals["size"] * 45.0 - totals["size"] * 20.0\n'
             'share_worth_more_as_referrers = float((promoter_value["referral_value"] > promoter_value["own_value"]).mean())\n'),
            ('forgets the bonus paid',
             'nps = world.surveys[world.surveys["survey"] == "NPS"].sort_values("date", kind="stable")\n'
             'latest = nps.groupby("customer_id")["score"].last()\n'
             'promoters = sorted(latest.index[latest >= 9])\n'
             '\n'
             'referred = world.customers["referred_by"].dropna().astype(int)\n'
             'referred_values = clv_2y.reindex(referred.index)\n'
             'by_referrer = pd.DataFrame({"referrer": referred.to_numpy(), "value": referred_values.to_numpy()})\n'
             'totals = by_referrer.groupby("referrer")["value"].agg(["size", "sum"]).reindex(promoters, fill_value=0)\n'
             'promoter_value = pd.DataFrame({"own_value": clv_2y.reindex(promoters), "referrals": totals["size"]}, index=promoters)\n'
             'promoter_value["referral_value"] = 0.6 * totals["sum"] + 0.4 * totals["size"] * 45.0\n'
             'share_worth_more_as_referrers = float((promoter_value["referral_value"] > promoter_value["own_value"]).mean())\n'),
            ('keeps only the promoters who referred someone',
             'nps = world.surveys[world.surveys["survey"] == "NPS"].sort_values("date", kind="stable")\n'
             'latest = nps.groupby("customer_id")["score"].last()\n'
             'promoters = sorted(latest.index[latest >= 9])\n'
             '\n'
             'referred = world.customers["referred_by"].dropna().astype(int)\n'
             'referred_values = clv_2y.reindex(referred.index)\n'
             'by_referrer = pd.DataFrame({"referrer": referred.to_numpy(), "value": referred_values.to_numpy()})\n'
             'totals = by_referrer.groupby("referrer")["value"].agg(["size", "sum"])\n'
             'promoters = [p for p in promoters if p in set(referred)]\n'
             'totals = totals.reindex(promoters)\n'
             'promoter_value = pd.DataFrame({"own_value": clv_2y.reindex(promoters), "referrals": totals["size"]}, index=promoters)\n'
             'promoter_value["referral_value"] = 0.6 * totals["sum"] + 0.4 * totals["size"] * 45.0 - totals["size"] * 20.0\n'
             'share_worth_more_as_referrers = float((promoter_value["referral_value"] > promoter_value["own_value"]).mean())\n'),
            ("compares each referral value with the promoters' average own value, not the promoter's own",
             'nps = world.surveys[world.surveys["survey"] == "NPS"].sort_values("date", kind="stable")\n'
             'latest = nps.groupby("customer_id")["score"].last()\n'
             'promoters = sorted(latest.index[latest >= 9])\n'
             '\n'
             'referred = world.customers["referred_by"].dropna().astype(int)\n'
             'referred_values = clv_2y.reindex(referred.index)\n'
             'by_referrer = pd.DataFrame({"referrer": referred.to_numpy(), "value": referred_values.to_numpy()})\n'
             'totals = by_referrer.groupby("referrer")["value"].agg(["size", "sum"]).reindex(promoters, fill_value=0)\n'
             'promoter_value = pd.DataFrame({"own_value": clv_2y.reindex(promoters), "referrals": totals["size"]}, index=promoters)\n'
             'promoter_value["referral_value"] = 0.6 * totals["sum"] + 0.4 * totals["size"] * 45.0 - totals["size"] * 20.0\n'
             'share_worth_more_as_referrers = float((promoter_value["referral_value"] > promoter_value["own_value"].mean()).mean())\n'),
        ],
        "a04-ex6-var": [
            ('takes the quantile at the level, the good tail',
             'def value_at_risk_by_hand(values, level):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    return float(values.mean() - np.quantile(values, level))\n'
             '\n'
             '\n'
             'var_90 = value_at_risk_by_hand(draws["base_value"], 0.90)\n'
             'largest = expected_26w.sort_values(ascending=False)\n'
             'top_20_share = float(largest.iloc[: round(0.2 * len(largest))].sum() / largest.sum())\n'),
            ('returns the bad-year value itself, not its shortfall from the mean',
             'def value_at_risk_by_hand(values, level):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    return float(np.quantile(values, 1 - level))\n'
             '\n'
             '\n'
             'var_90 = value_at_risk_by_hand(draws["base_value"], 0.90)\n'
             'largest = expected_26w.sort_values(ascending=False)\n'
             'top_20_share = float(largest.iloc[: round(0.2 * len(largest))].sum() / largest.sum())\n'),
            ('measures from the median instead of the mean',
             'def value_at_risk_by_hand(values, level):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    return float(np.median(values) - np.quantile(values, 1 - level))\n'
             '\n'
             '\n'
             'var_90 = value_at_risk_by_hand(draws["base_value"], 0.90)\n'
             'largest = expected_26w.sort_values(ascending=False)\n'
             'top_20_share = float(largest.iloc[: round(0.2 * len(largest))].sum() / largest.sum())\n'),
            ('uses a normal approximation',
             'def value_at_risk_by_hand(values, level):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    return float(1.2816 * values.std())\n'
             '\n'
             '\n'
             'var_90 = value_at_risk_by_hand(draws["base_value"], 0.90)\n'
             'largest = expected_26w.sort_values(ascending=False)\n'
             'top_20_share = float(largest.iloc[: round(0.2 * len(largest))].sum() / largest.sum())\n'),
            ('takes the smallest 20% of customers',
             'def value_at_risk_by_hand(values, level):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    return float(values.mean() - np.quantile(values, 1 - level))\n'
             '\n'
             '\n'
             'var_90 = value_at_risk_by_hand(draws["base_value"], 0.90)\n'
             'largest = expected_26w.sort_values(ascending=True)\n'
             'top_20_share = float(largest.iloc[: round(0.2 * len(largest))].sum() / largest.sum())\n'),
            ("divides by the top customers' value instead of the base's",
             'def value_at_risk_by_hand(values, level):\n'
             '    values = np.asarray(values, dtype=float)\n'
             '    return float(values.mean() - np.quantile(values, 1 - level))\n'
             '\n'
             '\n'
             'var_90 = value_at_risk_by_hand(draws["base_value"], 0.90)\n'
             'largest = expected_26w.sort_values(ascending=False)\n'
             'top_20_share = float(largest.iloc[: round(0.2 * len(largest))].sum() / largest.iloc[: round(0.2 * len(largest))].sum())\n'),
        ],
    },
}
