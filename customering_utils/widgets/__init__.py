"""Interactive explorers for the lessons, by topic: move a slider, see the number and the figure change.

- :mod:`.ab_tests`: :func:`power_explorer` and :func:`planned_test_errors` (a planned A/B test's power,
  and how often it gets the sign or the size of an effect wrong);
- :mod:`.activity`: :func:`activity_window_explorer` (the activity window against the truth);
- :mod:`.balance_sheet`: :func:`balance_sheet_explorer` (the base's one-page balance sheet, quarter by quarter);
- :mod:`.channel_budget`: :func:`channel_budget_explorer` (move budget between acquisition channels: new
  customers, their value and the payback);
- :mod:`.concentration`: :func:`lorenz_explorer` (the Lorenz curve and Gini of revenue or purchases);
- :mod:`.economics`: :func:`clv_explorer` (simple CLV from margin, retention, discount rate);
- :mod:`.hand_over`: :func:`hand_over_explorer` (an acquisition channel's new customers in their first days);
- :mod:`.rfm`: :func:`rfm_cell_explorer` (how one RFM cell's customers spread);
- :mod:`.cohorts`: :func:`cohort_explorer` (acquisition cohorts' retention, with intervals);
- :mod:`.clv`: :func:`customer_explorer` (one customer's purchases, P(alive) and value) and
  :func:`horizon_explorer` (a base's value over the years, by a purchase model and by the simple CLV);
- :mod:`.targeting`: :func:`targeting_explorer` (the value two ways of choosing customers reach, and the gap);
- :mod:`.contraindication`: :func:`contraindication_explorer` (an experience's effect where service
  had been poor, against the rest);
- :mod:`.unit_economics`: :func:`unit_economics_explorer` (the gross margin and the overhead: CLV:CAC
  and payback by channel);
- :mod:`.uplift_curves`: :func:`uplift_explorer` (the customers an uplift model ranks highest or lowest:
  their observed uplift and, on simulated data, their true classes);
- :mod:`.prescription`: :func:`prescription_explorer` (the cost of a treatment and the share treated:
  the return of a prescription three ways, and the truly harmed customers it treats);
- :mod:`.p_alive`: :func:`bgnbd_parameter_explorer` and :func:`p_alive_explorer` (BG/NBD's parameters; P(alive) by history).

ipywidgets and matplotlib are imported inside the functions, so ``import customering_utils``
stays light. The widgets draw their figure into an image inside the widget (not into the
notebook's output), so a notebook that shows them gives the same stored output every run.
A static web page cannot run them; each lesson shows a static figure that makes the same
point.
"""

from .ab_tests import planned_test_errors, power_explorer
from .activity import activity_window_explorer
from .balance_sheet import balance_sheet_explorer
from .channel_budget import channel_budget_explorer
from .clv import customer_explorer, horizon_explorer
from .cohorts import cohort_explorer
from .concentration import lorenz_explorer
from .contraindication import contraindication_explorer
from .economics import clv_explorer
from .hand_over import hand_over_explorer
from .league import league_explorer
from .p_alive import bgnbd_parameter_explorer, p_alive_explorer
from .prescription import prescription_explorer
from .rfm import rfm_cell_explorer
from .service_quality import ticket_metrics_explorer
from .staffing import staffing_explorer
from .survival_curves import survival_explorer, survival_gap
from .targeting import targeting_explorer
from .unit_economics import unit_economics_explorer
from .uplift_curves import uplift_explorer

__all__ = ["activity_window_explorer", "balance_sheet_explorer", "bgnbd_parameter_explorer",
           "channel_budget_explorer", "clv_explorer", "cohort_explorer", "contraindication_explorer",
           "customer_explorer", "hand_over_explorer", "horizon_explorer", "league_explorer", "lorenz_explorer",
           "p_alive_explorer", "planned_test_errors", "power_explorer", "prescription_explorer", "rfm_cell_explorer",
           "staffing_explorer", "survival_explorer", "survival_gap", "targeting_explorer", "ticket_metrics_explorer",
           "unit_economics_explorer", "uplift_explorer"]
