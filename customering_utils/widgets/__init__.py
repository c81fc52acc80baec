"""Interactive explorers for the lessons, by topic: move a slider, see the number and the figure change.

- :mod:`.economics`: :func:`clv_explorer` (simple CLV from margin, retention, discount rate);
- :mod:`.rfm`: :func:`rfm_cell_explorer` (how one RFM cell's customers spread);
- :mod:`.clv`: :func:`customer_explorer` (one customer's purchases, P(alive) and value).

ipywidgets and matplotlib are imported inside the functions, so ``import customering_utils``
stays light. The widgets draw their figure into an image inside the widget (not into the
notebook's output), so a notebook that shows them gives the same stored output every run.
A static web page cannot run them; each lesson shows a static figure that makes the same
point.
"""

from .clv import customer_explorer
from .economics import clv_explorer
from .rfm import rfm_cell_explorer

__all__ = ["clv_explorer", "rfm_cell_explorer", "customer_explorer"]
