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
from .style import PALETTE
from .targeting import value_gap, value_reached
from .value import lorenz

__all__ = ["PALETTE", "lorenz", "active_customers", "retention_heatmap", "retention_curves", "purchase_timeline", "p_alive_path",
           "window_errors", "purchase_rate_distribution", "dropout_distribution", "p_alive_heatmap", "value_reached", "value_gap"]
