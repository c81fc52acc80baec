"""customering_utils: the helper package of the Mini MBA in Customering.

One module per topic: ``datasets`` (the data world, CDNOW and Hillstrom), ``activity``
(active customers and retention), ``concentration`` (Pareto table, Lorenz curve, Gini),
``economics`` (customer lifetime value), ``service`` (contact-centre queueing),
``experiments`` (A/B tests, their power, dose and response), ``uplift`` (uplift models, their
curves, and who to treat), ``tables`` (input checks), ``plots`` and ``widgets`` (the
course's figures and interactive explorers).
Importing the package loads no plotting, widget or machine-learning library; those load
when a function that draws or interacts is used.
"""

__version__ = "0.1.0"
