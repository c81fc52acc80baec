"""Installed from a wheel (into a JupyterHub image, say) rather than from this repository,
the learners' package still finds its data, and says where it looked when it cannot."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

PROBE = ("from customering_utils import datasets; print(datasets.data_directory()); "
         "print(len(datasets.load_world().customers), len(datasets.load_cdnow()), len(datasets.load_hillstrom()))")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh environment with the course's wheel installed (not editable, not the repository)."""
    folder = tmp_path_factory.mktemp("install")
    # Built from a copy: a build writes build/ and egg-info next to its sources.
    source = folder / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for name in ("customering_utils", "customering_course", "datasets"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(folder / "wheels"), str(source)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = (folder / "wheels").glob("*.whl")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # The dependencies come from the course's own environment; the package itself does not.
    (site / "course-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "--quiet", str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv


def _run(venv: Path, code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CUSTOMERING_DATA"} | env
    return subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True,
                          cwd=venv.parent, env=environment)


def test_the_wheel_carries_both_packages_and_the_data(installed):
    (wheel,) = (installed.parent / "wheels").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("customering_utils/clv.py") for n in names)
    assert any(n.startswith("customering_course/cli.py") for n in names)
    assert any(n.endswith("data/share/customering/datasets/world/customers.csv") for n in names)
    assert any(n.endswith("data/share/customering/datasets/cdnow/CDNOW_sample.txt") for n in names)
    assert any(n.endswith("data/share/customering/datasets/hillstrom/hillstrom.csv") for n in names)


def test_an_installed_package_loads_the_world_cdnow_and_hillstrom_from_its_own_data(installed):
    done = _run(installed, PROBE)
    assert done.returncode == 0, done.stderr[-3000:]
    folder, counts = done.stdout.strip().splitlines()
    assert Path(folder) == installed / "share" / "customering" / "datasets"
    assert counts == "10000 6919 64000"  # Hillstrom's checksum held: the wheel kept its bytes
    imported = _run(installed, "import customering_utils; print(customering_utils.__file__)")
    assert Path(imported.stdout.strip()).is_relative_to(installed), "the test imported the repository's copy"


def test_customering_data_points_the_package_at_another_copy(installed):
    done = _run(installed, PROBE, CUSTOMERING_DATA=str(ROOT / "datasets"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert Path(done.stdout.splitlines()[0]) == ROOT / "datasets"


def test_a_missing_data_folder_is_a_clear_error_naming_where_it_looked(installed, tmp_path):
    done = _run(installed, PROBE, CUSTOMERING_DATA=str(tmp_path / "nowhere"))
    assert done.returncode != 0
    message = done.stderr.strip().splitlines()[-1]
    assert "FileNotFoundError: the course's data files were not found; looked in:" in message
    assert f"{tmp_path / 'nowhere'} (the CUSTOMERING_DATA setting)" in message
    assert "Set CUSTOMERING_DATA to the folder that holds world/ and cdnow/" in message
