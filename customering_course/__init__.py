"""customering_course: the instructor's tooling of the Mini MBA in Customering.

It releases the course, gives learners their workspace, grades a cohort's submissions with
nbgrader (in parallel, in a sandbox, with an integrity check), writes feedback without
hidden tests, and exports grades and an item analysis. Learners never import it: their
package is :mod:`customering_utils`, which this tooling imports and never the other way
round. The layers, top to bottom, each importing only those below it (``pyproject.toml``'s
import-linter contracts check this):

- :mod:`~customering_course.cli`: the command line (``python -m customering_course``);
- :mod:`~customering_course.grading.cohort`: a whole grading run;
- the steps: :mod:`~customering_course.grading.execution`,
  :mod:`~customering_course.grading.scoring`, :mod:`~customering_course.grading.feedback`,
  :mod:`~customering_course.grading.cluster`, :mod:`~customering_course.reports`,
  :mod:`~customering_course.release`;
- what the steps use: :mod:`~customering_course.grading.intake`,
  :mod:`~customering_course.sandbox`, :mod:`~customering_course.integrity`;
- :mod:`~customering_course.grading.records`: what the steps hand to each other;
- :mod:`~customering_course.layout`: where the course's files are, and its nbgrader
  configuration.
"""

__version__ = "0.1.0"
