"""The course's figures, by topic, drawn one way everywhere: titled, labelled with units, colour-blind safe.

- :mod:`.value`: :func:`lorenz` (how revenue is spread across customers);
- :mod:`.activity`: :func:`active_customers` (the active base over time);
- :mod:`.cohorts`: :func:`retention_heatmap` (acquisition cohorts);
- :mod:`.clv`: :func:`purchase_timeline` and :func:`p_alive_path` (one customer);
- :mod:`.style`: the palette and the finishing touches every figure shares.

Each function takes an optional matplotlib ``ax`` to draw into (a new figure is made if
it is ``None``) and returns the ``Axes``, so you can add to it or change its title.
matplotlib is imported inside the functions, so ``import customering_utils`` stays light.
"""

from .activity import active_customers
from .clv import p_alive_path, purchase_timeline
from .cohorts import retention_heatmap
from .style import PALETTE
from .value import lorenz

__all__ = ["PALETTE", "lorenz", "active_customers", "retention_heatmap", "purchase_timeline", "p_alive_path"]
