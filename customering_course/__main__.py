"""``python -m customering_course``: the course's command line (see :mod:`customering_course.cli`)."""

from customering_course.cli import main

if __name__ == "__main__":
    main()
