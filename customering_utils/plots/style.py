"""The course's figure style, in one place: colours, axes, grids, dates, and figures as PNG.

Every figure of the package takes its colours from :data:`PALETTE` and its finishing
touches from here, so a change of style is one change. matplotlib is imported inside the
functions, so importing the package stays light.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the type hints; matplotlib loads when a function draws
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PALETTE", "GRID_COLOUR", "new_axes", "add_grid", "concise_dates", "png", "nice_ceiling"]

#: The Okabe-Ito palette (Okabe and Ito 2008), distinguishable with every common form of
#: colour blindness. Every figure of the course takes its colours from here.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
#: The light grey of every grid line.
GRID_COLOUR = "#dddddd"


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches.

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where to draw; ``None`` makes a new figure, shown in a notebook.
    figsize : tuple of two floats
        Width and height of a new figure, inches.

    Returns
    -------
    matplotlib.axes.Axes
        The axes to draw into.

    Examples
    --------
    >>> ax = new_axes(None, figsize=(4, 3))
    >>> [float(inches) for inches in ax.figure.get_size_inches()]
    [4.0, 3.0]
    >>> new_axes(ax, figsize=(8, 4)) is ax   # given axes come back as they are
    True
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def add_grid(ax: Axes, axis: str = "both") -> None:
    """Light grid lines behind the data, on ``axis`` (``"both"``, ``"x"`` or ``"y"``).

    Parameters
    ----------
    ax : matplotlib Axes
        The axes to add grid lines to; they are changed in place.
    axis : str, default "both"
        Which grid lines: ``"both"``, ``"x"`` (vertical lines) or ``"y"`` (horizontal lines).

    Examples
    --------
    >>> ax = new_axes(None, figsize=(4, 3))
    >>> add_grid(ax, axis="y")
    >>> ax.yaxis.get_gridlines()[0].get_visible(), ax.xaxis.get_gridlines()[0].get_visible()
    (True, False)
    """
    ax.grid(True, axis=axis, color=GRID_COLOUR, linewidth=0.6)


def concise_dates(ax: Axes) -> None:
    """Short date labels on the horizontal axis ("2025", "Apr", "Jul"), so they do not crowd.

    Parameters
    ----------
    ax : matplotlib Axes
        Axes with dates across; they are changed in place.

    Examples
    --------
    >>> import pandas as pd
    >>> ax = new_axes(None, figsize=(6, 3))
    >>> _ = ax.plot(pd.date_range("2025-01-01", periods=12, freq="MS"), range(12))
    >>> concise_dates(ax)
    >>> type(ax.xaxis.get_major_formatter()).__name__
    'ConciseDateFormatter'
    """
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def png(figure: Figure) -> bytes:
    """A figure as PNG bytes, with no software stamp, so the same figure gives the same bytes.

    Parameters
    ----------
    figure : matplotlib Figure
        A figure made with ``matplotlib.figure.Figure`` (not pyplot), as widgets draw them.

    Returns
    -------
    bytes
        The PNG image.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = Figure(figsize=(2, 1))
    >>> image = png(figure)
    >>> image[1:4]
    b'PNG'
    >>> png(figure) == image   # the same figure, the same bytes
    True
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def nice_ceiling(value: float) -> float:
    """The next round number at or above ``value`` (10, 20, 50, 100, 200, ...), for a slider's top.

    Parameters
    ----------
    value : float
        A positive number.

    Returns
    -------
    float
        1, 2 or 5 times a power of ten.

    Examples
    --------
    >>> nice_ceiling(130), nice_ceiling(0.7)
    (200, 1.0)
    """
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)
