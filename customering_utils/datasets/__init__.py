"""The course's data: the simulated company (the data world), the real CDNOW purchases and the
real Hillstrom e-mail experiment.

Reading a data set is cheap: the simulator behind the data world, and scipy with it, load
only when a world is generated (:func:`write_world`, :class:`WorldParameters`).

>>> from customering_utils import datasets
>>> world = datasets.load_world()
>>> world.customers.index.name, world.truth.time_unit
('customer_id', 'W')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cdnow import load_cdnow
from .hillstrom import load_hillstrom
from .location import data_directory
from .world import SCHEMAS, Truth, World, load_world, verify_manifest, write_world

if TYPE_CHECKING:
    from .simulation import WorldParameters

__all__ = ["load_world", "write_world", "verify_manifest", "load_cdnow", "load_hillstrom", "data_directory", "World", "Truth",
           "WorldParameters", "SCHEMAS"]


def __getattr__(name: str) -> object:
    if name == "WorldParameters":
        from .simulation import WorldParameters

        return WorldParameters
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
