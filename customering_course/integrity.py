"""Does a graded notebook leave the tests' tools as they were?

Tests run in the same Python kernel as the learner's code, so code that rebinds ``np``,
patches ``customering_utils.checks.expect_close``, shadows ``abs`` or installs an IPython
hook that rewrites cells could make a failing test pass. nbgrader restores the tests' own
text, but not the objects they call. The grader therefore takes a fingerprint of those
objects in the fresh kernel, before any learner code, and again after the last cell, and
compares them (:func:`tampering`). Identity is compared, not behaviour, so nothing the
learner writes can look like the original.

The fingerprint code (:data:`PROBE`) is sent to the kernel as text; it does not need this
module inside the sandbox. It raises the bar a long way, but code running in the same
process can in principle defeat any check run there: the instructor guide says so, and a
flagged notebook goes to the instructor for review.
"""

from __future__ import annotations

import ast
import json
import pkgutil
from collections.abc import Iterable

#: Modules and classes whose callables the tests rely on. Names are looked up in the kernel;
#: any that are not imported there are imported by the first probe.
BASE_MODULES = ("builtins", "math", "operator", "numpy", "numpy.testing", "pandas", "pandas.testing")
WATCHED_CLASSES = ("pandas.DataFrame", "pandas.Series", "pandas.Index",
                   "IPython.core.interactiveshell.InteractiveShell",
                   "ipykernel.zmqshell.ZMQInteractiveShell", "ipykernel.ipkernel.IPythonKernel")

PROBE = r'''
def _customering_probe(watched_modules, watched_classes, bindings, test_names):
    import builtins, importlib, json, sys, types
    fingerprint, problems = {}, []
    # ipykernel swaps these in and out around every cell, for stdin and for exit().
    volatile = {"input", "getpass", "exit", "quit"}

    function_types = (types.FunctionType,)
    wrapper_types = (classmethod, staticmethod)

    def describe(value):
        # Identities only: cheap, and nothing a learner writes can share them.
        if isinstance(value, function_types):
            return "f%x.%x.%x.%x" % (id(value), id(value.__code__), id(value.__defaults__),
                                     id(value.__kwdefaults__))
        if isinstance(value, wrapper_types):
            return "w%x.%s" % (id(value), describe(value.__func__))
        if isinstance(value, property):
            return "p%x.%s.%s" % (id(value), describe(value.fget), describe(value.fset))
        return "o%x" % id(value)

    for name in watched_modules:
        try:
            module = importlib.import_module(name)
        except Exception as error:
            problems.append("module %s cannot be imported: %s" % (name, error))
            continue
        fingerprint["sys.modules[%s]" % name] = describe(module)
        for attribute, value in list(vars(module).items()):
            if name == "builtins" and attribute in volatile:
                continue
            if callable(value) and not isinstance(value, types.ModuleType):
                fingerprint["%s.%s" % (name, attribute)] = describe(value)
                if isinstance(value, type) and value.__module__.startswith("customering_utils"):
                    for member, inner in list(vars(value).items()):
                        fingerprint["%s.%s.%s" % (name, attribute, member)] = describe(inner)
    for dotted in watched_classes:
        module_name, _, class_name = dotted.rpartition(".")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except Exception:
            continue
        for klass in cls.__mro__[:-1]:
            for member, inner in list(vars(klass).items()):
                if callable(inner) or isinstance(inner, (classmethod, staticmethod, property)):
                    fingerprint["%s.%s.%s" % (klass.__module__, klass.__qualname__, member)] = describe(inner)

    shell = get_ipython()
    for hook in ("ast_transformers", "input_transformers_cleanup", "input_transformers_post"):
        fingerprint["shell.%s" % hook] = ",".join(describe(h) for h in getattr(shell, hook, []))
    fingerprint["shell.custom_exceptions"] = repr(shell.custom_exceptions)
    for member in ("run_cell", "run_cell_async", "run_code", "run_ast_nodes", "showtraceback",
                   "_showtraceback", "showsyntaxerror", "should_run_async", "transform_cell",
                   "CustomTB", "kernel"):
        fingerprint["shell.%s" % member] = describe(vars(shell).get(member))
    for event, callbacks in shell.events.callbacks.items():
        own = [cb for cb in callbacks if getattr(cb, "__module__", "") in ("__main__", None)]
        fingerprint["shell.events.%s" % event] = ",".join(describe(cb) for cb in own)
    fingerprint["sys.gettrace"] = describe(sys.gettrace())
    fingerprint["sys.getprofile"] = describe(sys.getprofile())

    namespace = shell.user_ns
    if namespace.get("__builtins__", builtins) not in (builtins, vars(builtins)):
        problems.append("`__builtins__` was replaced")
    for name in test_names:
        if name in bindings:
            module_name, _, attribute = bindings[name].partition(":")
            module = sys.modules.get(module_name)
            expected = module if not attribute else getattr(module, attribute, None)
            if name in namespace and namespace[name] is not expected:
                problems.append("`%s` no longer refers to %s" % (name, bindings[name].replace(":", ".")))
        elif hasattr(builtins, name) and name in namespace and namespace[name] is not getattr(builtins, name):
            problems.append("`%s` hides Python's built-in `%s`, which the tests use" % (name, name))
    print(json.dumps({"fingerprint": fingerprint, "problems": problems}))
'''


def learner_modules() -> tuple[str, ...]:
    """The learner package's modules that tests may call: every one but figures and widgets.

    Found by walking the package, so a module added for a new course module is watched
    without a change here.

    >>> mods = learner_modules()
    >>> "customering_utils.checks" in mods, any(".plots" in m or ".widgets" in m for m in mods)
    (True, False)
    """
    import customering_utils

    found = ["customering_utils"]
    for info in pkgutil.walk_packages(customering_utils.__path__, "customering_utils."):
        parts = info.name.split(".")
        if parts[1] in ("plots", "widgets") or any(p.startswith("_") for p in parts[1:]):
            continue
        found.append(info.name)
    return tuple(sorted(found))


def watched_modules() -> tuple[str, ...]:
    """Every module whose callables the probe fingerprints."""
    return BASE_MODULES + learner_modules()


def probe_code(bindings: dict[str, str], test_names: Iterable[str]) -> str:
    """The code the grader runs in a kernel to take a fingerprint; it prints one JSON line.

    It defines one function, calls it and deletes it, so it leaves nothing behind in the
    learner's namespace.
    """
    arguments = json.dumps([list(watched_modules()), list(WATCHED_CLASSES), bindings, sorted(test_names)])
    return (PROBE + f"\n_customering_probe(*__import__('json').loads({arguments!r}))"
            "\ndel _customering_probe\n")


def tampering(before: dict, after: dict) -> list[str]:
    """What changed between two probes: the names of replaced objects, then other problems.

    >>> tampering({"fingerprint": {"a.f": "x", "a.g": "y"}, "problems": []},
    ...           {"fingerprint": {"a.f": "x", "a.g": "z"}, "problems": ["`np` no longer refers to numpy"]})
    ['a.g was replaced', '`np` no longer refers to numpy']
    """
    old, new = before["fingerprint"], after["fingerprint"]
    changed = [f"{name} was replaced" for name in old if name in new and new[name] != old[name]]
    removed = [f"{name} was deleted" for name in old if name not in new]
    return changed + removed + list(after["problems"])


def import_bindings(sources: Iterable[str]) -> dict[str, str]:
    """Names bound by import statements: ``"np" -> "numpy"``, ``"expect_close" -> "pkg.mod:expect_close"``.

    >>> import_bindings(["import numpy as np\\nfrom customering_utils.checks import expect_close"])
    {'np': 'numpy', 'expect_close': 'customering_utils.checks:expect_close'}
    """
    bindings: dict[str, str] = {}
    for source in sources:
        for node in ast.walk(_parse(source)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        bindings[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        bindings[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    bindings[alias.asname or alias.name] = f"{node.module}:{alias.name}"
    return bindings


def free_names(source: str) -> set[str]:
    """Names a cell reads without assigning them itself (what it takes from earlier cells).

    >>> sorted(free_names("total = np.sum(x)\\nassert abs(total) < limit"))
    ['abs', 'limit', 'np', 'x']
    """
    tree = _parse(source)
    loaded, stored = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
    return loaded - stored


def _parse(source: str) -> ast.Module:
    """Parse a cell, ignoring IPython's magics and shell escapes."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])
