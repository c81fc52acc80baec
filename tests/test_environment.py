"""The three places that name the dependencies agree: pyproject.toml (ranges),
requirements.lock (exact pins), environment.yml (conda users)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    return {canonicalize_name(Requirement(line).name): Requirement(line) for line in lines}


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _conda() -> tuple[list, dict[str, str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    pins = {}
    for line in pip:
        if line.startswith("-e"):
            continue
        name, version = line.split("==")
        pins[canonicalize_name(name)] = version
    return [d for d in deps if isinstance(d, str)], pins


def test_every_declared_package_is_pinned_in_the_lock_within_its_range():
    locked = _locked()
    for name, requirement in _declared().items():
        assert name in locked, f"{name} is in pyproject.toml but not pinned in requirements.lock (run 'make lock')"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"requirements.lock pins {name}=={locked[name]}, outside pyproject.toml's range {requirement.specifier}"
        )


def test_environment_yml_lists_the_same_packages_at_the_locked_versions():
    conda_packages, conda_pins = _conda()
    declared, locked = _declared(), _locked()
    assert set(conda_pins) == set(declared), (
        f"environment.yml and pyproject.toml differ: only in environment.yml {sorted(set(conda_pins) - set(declared))}, "
        f"only in pyproject.toml {sorted(set(declared) - set(conda_pins))}"
    )
    for name, version in conda_pins.items():
        assert version == locked[name], f"environment.yml pins {name}=={version}, requirements.lock {locked[name]}"
    python = next(p for p in conda_packages if p.startswith("python"))
    minimum = re.search(r">=\s*([\d.]+)", tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    assert python.split("=")[-1].startswith(minimum.group(1)), f"{python} does not match requires-python {minimum.group(0)}"


def test_the_running_interpreter_and_packages_are_the_locked_ones():
    from importlib.metadata import version

    assert sys.version_info >= (3, 11)
    locked = _locked()
    for name in ("pandas", "numpy", "scipy", "nbgrader", "jupyter-book"):
        assert version(name) == locked[name], f"{name} {version(name)} is installed but the lock pins {locked[name]}: run 'make setup'"


def _imported_top_level(paths) -> set[str]:
    import ast
    import json

    found: set[str] = set()
    for path in paths:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
            sources = ["\n".join(ln for ln in s.splitlines() if not ln.lstrip().startswith(("%", "!"))) for s in sources]
        else:
            sources = [path.read_text()]
        for source in sources:
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"customering_utils", "customering_course", "tests"}


def _distributions(modules: set[str]) -> dict[str, str]:
    from importlib.metadata import packages_distributions

    owners = packages_distributions()
    return {module: canonicalize_name(owners[module][0]) if module in owners else module for module in modules}


def _audience(*names: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for name in names:
        lines += project["optional-dependencies"][name]
    return {canonicalize_name(Requirement(line).name) for line in lines}


@pytest.mark.parametrize("area, audiences", [
    ("customering_utils", ()),                      # what learners import: the default install
    ("modules", ()),                                # what the notebooks import
    ("customering_course", ("grade", "book")),     # the instructor's tooling, the book's PDF
    ("tests", ("grade", "book", "dev")),            # the test suite
])
def test_every_package_imported_directly_is_declared_for_its_audience(area, audiences):
    folder = ROOT / area
    files = [p for p in folder.rglob("*.py")] + ([p for p in folder.rglob("*.ipynb")
                                                  if ".ipynb_checkpoints" not in p.parts] if area == "modules" else [])
    local = {p.stem for p in files}  # a test file importing its neighbour
    wanted = _distributions(_imported_top_level(files) - local)
    declared = _audience(*audiences)
    missing = sorted(f"{module} (from {dist})" for module, dist in wanted.items() if dist not in declared)
    assert not missing, f"{area} imports packages its audience's install does not declare: {missing}"
