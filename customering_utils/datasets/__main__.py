"""Write a data world: ``python -m customering_utils.datasets FOLDER [SEED] [N_CUSTOMERS]``."""

from .world import main

main()
