"""The course's data: the simulated company (the data world) and the real CDNOW purchases.

>>> from customering_utils import datasets
>>> world = datasets.load_world()
>>> world.customers.index.name, world.truth.time_unit
('customer_id', 'W')
"""

from .cdnow import load_cdnow
from .simulation import WorldParameters
from .world import SCHEMAS, Truth, World, load_world, verify_manifest, write_world

__all__ = ["load_world", "write_world", "verify_manifest", "load_cdnow", "World", "Truth", "WorldParameters", "SCHEMAS"]
