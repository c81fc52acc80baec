"""What the steps of a grading run hand to each other: jobs, outcomes and settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_NOTEBOOK_TIMEOUT = 900
DEFAULT_MAX_OUTPUT = 1_000_000


@dataclass
class Job:
    """One submitted notebook to execute."""

    assignment: str
    student: str
    notebook: str
    source: Path  # the checked copy of the submission
    target: Path  # where the executed notebook goes
    files: Path  # the checked submission folder, copied into the kernel's working folder
    notes: list[str] = field(default_factory=list)  # what the check found, e.g. a renamed file


@dataclass
class Submission:
    """One submitted notebook as a worker receives it: data only, no path of the course."""

    assignment: str
    student: str
    notebook: str
    files: dict[str, bytes]  # the checked submission folder: relative path -> content

    @classmethod
    def of(cls, job: Job) -> Submission:
        """The job's checked submission folder, read into memory."""
        files = {p.relative_to(job.files).as_posix(): p.read_bytes()
                 for p in sorted(job.files.rglob("*")) if p.is_file()}
        return cls(job.assignment, job.student, job.notebook, files)


@dataclass
class Outcome:
    """What happened to one submitted notebook, for the log and the report."""

    assignment: str
    student: str
    notebook: str
    graded: bool
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        status = "graded" if self.graded else "NOT GRADED"
        detail = "; ".join(self.reasons) if self.reasons else "ok"
        return f"{self.assignment} {self.student} {self.notebook}.ipynb: {status} ({detail})"


@dataclass(frozen=True)
class Settings:
    """How to execute submissions."""

    mode: str = "workdir"
    cell_timeout: int = 120
    notebook_timeout: int = DEFAULT_NOTEBOOK_TIMEOUT
    max_output: int = DEFAULT_MAX_OUTPUT
    memory: int | None = 6 * 1024**3

