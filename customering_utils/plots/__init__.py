"""The course's figures, by topic, drawn one way everywhere: titled, labelled with units, colour-blind safe.

- :mod:`.value`: :func:`lorenz` (how revenue is spread across customers);
- :mod:`.activity`: :func:`active_customers` (the active base over time) and :func:`window_errors`
  (the active rule against the truth);
- :mod:`.cohorts`: :func:`retention_heatmap` and :func:`retention_curves` (acquisition cohorts);
- :mod:`.clv`: :func:`purchase_timeline` and :func:`p_alive_path` (one customer);
  :func:`purchase_rate_distribution`, :func:`dropout_distribution` and :func:`p_alive_heatmap` (BG/NBD);
- :mod:`.targeting`: :func:`value_reached` and :func:`value_gap` (ways of choosing customers, over resamples);
- :mod:`.style`: the palette and the finishing touches every figure shares.

Each function takes an optional matplotlib ``ax`` to draw into (a new figure is made if
it is ``None``) and returns the ``Axes``, so you can add to it or change its title.
matplotlib is imported inside the functions, so ``import customering_utils`` stays light.
"""

from .activity import active_customers, window_errors
from .clv import dropout_distribution, p_alive_heatmap, p_alive_path, purchase_rate_distribution, purchase_timeline
from .cohorts import retention_curves, retention_heatmap
from .league import funnel_plot, league_table, ranking_error_curve
from .service_quality import difference_intervals, metric_over_time
from .staffing import service_by_month, staffing_curves
from .style import PALETTE
from .survival_curves import kaplan_meier_curves
from .targeting import value_gap, value_reached
from .value import lorenz

__all__ = ["PALETTE", "active_customers", "difference_intervals", "dropout_distribution", "funnel_plot",
           "kaplan_meier_curves", "league_table", "lorenz", "metric_over_time", "p_alive_heatmap", "p_alive_path",
           "purchase_rate_distribution", "purchase_timeline", "ranking_error_curve", "retention_curves",
           "retention_heatmap", "service_by_month", "staffing_curves", "value_gap", "value_reached", "window_errors"]
