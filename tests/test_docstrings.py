"""Every public function of the learners' package documents itself: what it does, its
parameters, what it returns, and an example, so ``help()`` and a tooltip in JupyterLab
answer a learner's question (numpydoc's own validator checks the sections)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from numpydoc.validate import validate

import customering_utils

#: The numpydoc checks every public function must pass: a docstring at all (GL08), every
#: parameter documented (PR01) and none invented (PR02), a Returns section (RT01), an
#: Examples section (EX01).
CHECKS = {"GL08", "PR01", "PR02", "RT01", "EX01"}
#: Checks that do not apply to a kind of object: a class documents its attributes and
#: constructor, a method that returns nothing needs no Returns section.
EXEMPT = {"class": {"RT01", "PR01", "PR02"}}


def _modules() -> list[str]:
    names = ["customering_utils"]
    for info in pkgutil.walk_packages(customering_utils.__path__, "customering_utils."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return names


def _public_objects() -> list[str]:
    """Dotted names of the public functions, classes and methods defined in the package."""
    found = []
    for module_name in _modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if not (inspect.isfunction(value) or inspect.isclass(value)) or value.__module__ != module_name:
                continue
            found.append(f"{module_name}.{name}")
            if inspect.isclass(value):
                for member, inner in vars(value).items():
                    if not member.startswith("_") and (inspect.isfunction(inner) or isinstance(inner, classmethod)):
                        found.append(f"{module_name}.{name}.{member}")
    return sorted(set(found))


def _returns_nothing(dotted: str) -> bool:
    return inspect.signature(_resolve(dotted)).return_annotation in (None, "None")


def _resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            value = getattr(value, attribute)
        return value
    raise ImportError(dotted)


PUBLIC = _public_objects()


def test_the_package_has_public_functions_to_check():
    assert len(PUBLIC) > 40, PUBLIC


@pytest.mark.parametrize("dotted", PUBLIC)
def test_public_docstring_has_the_numpydoc_sections(dotted):
    target = _resolve(dotted)
    exempt = EXEMPT["class"] if inspect.isclass(target) else set()
    if inspect.isclass(target) and issubclass(target, Exception):
        exempt = exempt | {"EX01"}  # an error is met, not called: its message is its example
    if not inspect.isclass(target) and _returns_nothing(dotted):
        exempt = exempt | {"RT01"}
    errors = [f"{code}: {message}" for code, message in validate(dotted)["errors"]
              if code in CHECKS - exempt]
    assert not errors, f"{dotted}:\n" + "\n".join(errors)


def test_no_doctest_changes_global_state():
    """Learners copy examples into notebooks: none may switch matplotlib's backend, seed
    numpy's global generator or change pandas' options for everyone."""
    offending = []
    for module_name in _modules():
        source = inspect.getsource(importlib.import_module(module_name))
        for needle in ("matplotlib.use(", "np.random.seed(", "pd.set_option(", "plt.rcParams[", "rcParams.update("):
            if needle in source:
                offending.append(f"{module_name}: {needle}")
    assert not offending, offending
