r"""The economics of the customer base: what one customer, and so the base, is worth.

**Customer lifetime value (CLV)** is the margin a customer is expected to bring over
their remaining life with the company, each year's margin discounted to today's money.
In its simplest form every customer brings the same margin ``m`` per period (US dollars),
stays from one period to the next with probability ``r`` (the retention rate), and money
a period from now is worth ``1 / (1 + d)`` of money now (``d``: the discount rate). A
customer is still there after ``t`` periods with probability :math:`r^t`, so

.. math:: \mathrm{CLV} = \sum_{t=1}^{T} \frac{m \, r^t}{(1 + d)^t}
          \;\xrightarrow{T \to \infty}\; \frac{m \, r}{1 + d - r}

(Gupta and Lehmann 2003, "Customers as assets", *Journal of Interactive Marketing*
17(1), 9-24). The sum starts at ``t = 1``: the margin of the current period is already
in hand and not counted.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["simple_clv"]


def simple_clv(
    margin: ArrayLike,
    retention: ArrayLike,
    discount_rate: ArrayLike,
    periods: int | None = None,
) -> float | NDArray[np.float64]:
    r"""Expected discounted margin of one customer (US dollars, if ``margin`` is).

    ``margin`` is the margin per period of a customer who stays (US dollars),
    ``retention`` the probability of staying from one period to the next (0 to 1,
    excluding 1), ``discount_rate`` the rate per period (0.10 for 10%). All three use the
    same period (a year, say). With ``periods=None`` the horizon is infinite and the
    closed form :math:`m r / (1 + d - r)` applies; with ``periods=T`` the sum stops after
    ``T`` periods:

    .. math:: \sum_{t=1}^{T} m q^t = m \, q \, \frac{1 - q^T}{1 - q},
              \qquad q = \frac{r}{1 + d}.

    Scalars give a ``float``; arrays (for example a grid of retention rates) broadcast
    against each other and give an array.

    Hand-worked: margin $100 a year, retention 0.8, discount rate 10%. For ever:
    100 * 0.8 / (1 + 0.1 - 0.8) = 80 / 0.3 = $266.67. Over two years:
    100 * 0.8 / 1.1 + 100 * 0.64 / 1.21 = 72.73 + 52.89 = $125.62.

    Parameters
    ----------
    margin : float or array_like
        Margin per period of a customer who stays, US dollars (for example 100 for
        $100 a year).
    retention : float or array_like
        Probability that a customer stays from one period to the next, a share from 0
        up to but excluding 1 (0.8 for 80%).
    discount_rate : float or array_like
        Discount rate per period, a share of at least 0 (0.10 for 10%).
    periods : int, optional
        The horizon, a whole number of periods (at least 1); ``None`` (the default)
        for ever.

    Returns
    -------
    float or ndarray
        The expected discounted margin of one customer, US dollars (in the unit of
        ``margin``): a ``float`` for scalar inputs, an array of the broadcast shape
        for arrays.

    Examples
    --------
    The hand-worked case above, for ever and over two years, then a grid of retention
    rates:

    >>> round(simple_clv(100, 0.8, 0.1), 2)
    266.67
    >>> round(simple_clv(100, 0.8, 0.1, periods=2), 2)
    125.62
    >>> simple_clv(100, [0.0, 0.5, 0.9], 0.1).round(2).tolist()
    [0.0, 83.33, 450.0]
    """
    m = np.asarray(margin, dtype=float)
    r = np.asarray(retention, dtype=float)
    d = np.asarray(discount_rate, dtype=float)
    if not np.all(np.isfinite(m)):
        raise ValueError(f"margin should be a finite amount per period (US dollars), got {margin!r}")
    if not np.all(np.isfinite(r)) or np.any((r < 0) | (r >= 1)):
        raise ValueError(
            f"retention should be a probability from 0 up to but excluding 1 (for example 0.8), got {retention!r}"
        )
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError(
            "discount_rate should be a finite rate per period of at least 0 "
            f"(for example 0.10 for 10%), got {discount_rate!r}"
        )
    m, r, d = np.broadcast_arrays(m, r, d)
    q = r / (1 + d)  # the chance of being there next period, in today's money
    if periods is None:
        value = m * r / (1 + d - r)
    else:
        if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
            raise ValueError(
                f"periods should be None (for ever) or a whole number of periods, at least 1, got {periods!r}"
            )
        value = m * q * (1 - q ** int(periods)) / (1 - q)
    return float(value) if value.ndim == 0 else value.astype(float)
