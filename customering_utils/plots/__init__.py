"""The course's figures, by topic, drawn one way everywhere: titled, labelled with units, colour-blind safe.

- :mod:`.acquisition_signals`: :func:`signal_value` and :func:`own_and_referral_value` (what each
  first-purchase signal adds to a prediction of value; customers' own value against their referral value);
- :mod:`.value`: :func:`lorenz` (how revenue is spread across customers);
- :mod:`.ab_tests`: :func:`arm_differences`, :func:`power_curves` and :func:`dose_response_curve`
  (an experiment's effects with their intervals, a test's power, an effect by dose);
- :mod:`.activity`: :func:`active_customers` (the active base over time) and :func:`window_errors`
  (the active rule against the truth);
- :mod:`.base_risk`: :func:`value_distributions` and :func:`churn_risk_bands` (the base's simulated
  value with its value at risk; its value by P(alive), expected and in doubt);
- :mod:`.cohorts`: :func:`retention_heatmap` and :func:`retention_curves` (acquisition cohorts);
- :mod:`.clv`: :func:`purchase_timeline` and :func:`p_alive_path` (one customer);
  :func:`purchase_rate_distribution`, :func:`dropout_distribution` and :func:`p_alive_heatmap` (BG/NBD);
- :mod:`.hand_over`: :func:`first_days_funnel` (new customers' first days by acquisition channel:
  a second purchase, a ticket, a ticket handled badly, with intervals);
- :mod:`.contraindication`: :func:`effects_by_group` and :func:`effects_by_threshold` (an experience's
  effect in two groups of customers, by dose and by the rule that defines the groups);
- :mod:`.prescription`: :func:`policy_curves`, :func:`returns_by_share` and :func:`harmed_by_share`
  (treating the top customers by expected return: the model's, the experiment's and the true return,
  and the truly harmed treated, as the share treated grows);
- :mod:`.targeting`: :func:`value_reached` and :func:`value_gap` (ways of choosing customers, over resamples);
- :mod:`.unit_economics`: :func:`cac_by_month`, :func:`clv_to_cac_ratios` and :func:`payback_curves`
  (marketing's unit economics by channel: CAC month by month, CLV:CAC with intervals, payback);
- :mod:`.uplift_curves`: :func:`uplift_curves` and :func:`classes_by_rank` (uplift models judged on
  held-out customers: Qini or uplift curves, and the true classes by predicted uplift);
- :mod:`.style`: the palette and the finishing touches every figure shares.

Each function takes an optional matplotlib ``ax`` to draw into (a new figure is made if
it is ``None``) and returns the ``Axes``, so you can add to it or change its title.
matplotlib is imported inside the functions, so ``import customering_utils`` stays light.
"""

from .ab_tests import arm_differences, dose_response_curve, power_curves
from .acquisition_signals import own_and_referral_value, signal_value
from .activity import active_customers, window_errors
from .base_risk import churn_risk_bands, value_distributions
from .clv import dropout_distribution, p_alive_heatmap, p_alive_path, purchase_rate_distribution, purchase_timeline
from .cohorts import retention_curves, retention_heatmap
from .contraindication import effects_by_group, effects_by_threshold
from .hand_over import first_days_funnel
from .league import funnel_plot, league_table, ranking_error_curve
from .prescription import harmed_by_share, policy_curves, returns_by_share
from .service_quality import difference_intervals, metric_over_time
from .staffing import service_by_month, staffing_curves
from .style import PALETTE
from .survival_curves import kaplan_meier_curves
from .targeting import value_gap, value_reached
from .unit_economics import cac_by_month, clv_to_cac_ratios, payback_curves
from .uplift_curves import classes_by_rank, uplift_curves
from .value import lorenz

__all__ = ["PALETTE", "active_customers", "arm_differences", "cac_by_month", "churn_risk_bands", "classes_by_rank",
           "clv_to_cac_ratios", "difference_intervals", "dose_response_curve", "dropout_distribution",
           "effects_by_group", "effects_by_threshold", "first_days_funnel", "funnel_plot", "harmed_by_share",
           "kaplan_meier_curves", "league_table", "lorenz", "metric_over_time", "own_and_referral_value",
           "p_alive_heatmap", "p_alive_path", "payback_curves", "policy_curves", "power_curves",
           "purchase_rate_distribution", "purchase_timeline", "ranking_error_curve", "retention_curves",
           "retention_heatmap", "returns_by_share", "service_by_month", "signal_value", "staffing_curves",
           "uplift_curves", "value_distributions", "value_gap", "value_reached", "window_errors"]
