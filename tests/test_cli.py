"""The course's command line: the entry point every make target calls, with help that says what
each command does, and commands that work on a copy of the course as on the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from customering_course import cli

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("release", "workspace", "grade", "feedback", "export", "rubrics", "execute")


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "customering_course", *args], capture_output=True, text=True, cwd=cwd)


def test_help_lists_every_command():
    done = _run("--help")
    assert done.returncode == 0, done.stderr
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", done.stdout, re.MULTILINE), f"--help does not describe {command}"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_that_says_what_it_does_and_its_options(command):
    done = _run(command, "--help")
    assert done.returncode == 0, done.stderr
    description = done.stdout.split("\n\n")[1]
    assert len(description.split()) >= 10, f"{command} --help says too little: {description!r}"
    assert "--help" in done.stdout


def test_an_unknown_command_is_refused_with_the_list_of_commands():
    done = _run("autograde")
    assert done.returncode == 2
    assert "invalid choice: 'autograde'" in done.stderr and "release" in done.stderr


def test_make_targets_call_the_command_line():
    makefile = (ROOT / "Makefile").read_text()
    for command in ("release", "workspace", "grade"):
        assert f"-m customering_course {command}" in makefile, f"make {command} should call the command line"


def test_release_and_workspace_on_a_copy_of_the_course(tmp_path, capsys):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "modules", root / "modules", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    cli.main(["--root", str(root), "release"])
    assert "released release/00-orientation" in capsys.readouterr().out
    assert (root / "release" / "00-orientation" / "assignment-00.ipynb").is_file()
    cli.main(["--root", str(root), "workspace"])
    first = capsys.readouterr().out
    assert re.search(r"workspace/: \d+ new file\(s\) added, 0 already there", first), first
    cli.main(["--root", str(root), "workspace"])
    assert "0 new file(s) added" in capsys.readouterr().out


def test_grade_with_nothing_submitted_says_so(tmp_path, capsys):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    (tmp_path / "modules").mkdir()
    cli.main(["--root", str(tmp_path), "grade"])
    assert "nothing to grade: submitted/ holds no submissions" in capsys.readouterr().out


def test_rubrics_gathers_every_written_answer_for_the_instructor(tmp_path, capsys):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "modules", tmp_path / "modules", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    cli.main(["--root", str(tmp_path), "rubrics"])
    assert re.search(r"wrote grades/rubrics.md: [2-9] written answer", capsys.readouterr().out)
    page = (tmp_path / "grades" / "rubrics.md").read_text()
    for module in ("00-orientation", "01-individualization"):
        assert f"## {module}: " in page
    assert page.count("**Rubric") >= 2 and "**3 points:**" in page and "**1 point:**" in page
