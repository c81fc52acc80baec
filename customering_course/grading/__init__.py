"""Grading a cohort with nbgrader, in steps, each its own module, importing one way only.

- :mod:`~customering_course.grading.cohort`: the whole run (``make grade``);
- :mod:`~customering_course.grading.intake`: checking submissions before anything runs;
- :mod:`~customering_course.grading.execution`: executing one submission in the sandbox;
- :mod:`~customering_course.grading.cluster`: the Dask workers that execute submissions;
- :mod:`~customering_course.grading.scoring`: scores into the gradebook;
- :mod:`~customering_course.grading.feedback`: feedback pages without hidden tests;
- :mod:`~customering_course.grading.records`: what the steps hand to each other.

Nothing is imported here, so loading one step (nbgrader loads ``feedback`` for its
configuration) does not load the others.
"""
