"""Benchmark the data world: generating and writing it at several sizes, importing, loading.

Run from the repository's root (``make benchmarks`` does exactly this)::

    .venv/bin/python benchmarks/generate_world.py
    .venv/bin/python benchmarks/generate_world.py --sizes 10000 100000 --repeat 3

Every measurement runs in a fresh child process (``sys.executable``) that does that one
job and reports its wall-clock seconds and its peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, KiB on Linux), so runs do not pollute
each other. Worlds are written to a temporary folder, never to ``datasets/world``.
With ``--repeat N`` a row shows the fastest of N runs and the largest peak memory.
Prints figures; asserts nothing (these are not timed tests).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_generate(n_customers: int, directory: str) -> dict[str, float]:
    """In a fresh process: write one world, timing the simulation apart from the writing."""
    from customering_utils.datasets import simulation, world

    simulated: list[float] = []
    simulate = simulation.simulate

    def timed_simulate(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        tables = simulate(*args, **kwargs)
        simulated.append(time.perf_counter() - start)
        return tables

    simulation.simulate = timed_simulate  # write_world imports simulate from its module when it runs
    start = time.perf_counter()
    folder = world.write_world(directory, n_customers=n_customers)
    total = time.perf_counter() - start
    with (folder / "transactions.csv").open("rb") as handle:
        transactions = sum(1 for _ in handle) - 1
    size = sum(path.stat().st_size for path in folder.iterdir())
    return {"customers": n_customers, "transactions": transactions, "simulate_s": simulated[0],
            "write_s": total - simulated[0], "total_s": total, "peak_mib": _peak_mib(), "files_mb": size / 1e6}


def child_import(what: str, before: str = "") -> dict[str, float]:
    """In a fresh process: time one import statement, after ``before`` (not timed)."""
    exec(before)
    start = time.perf_counter()
    exec(what)
    return {"seconds": time.perf_counter() - start, "peak_mib": _peak_mib()}


def child_load() -> dict[str, float]:
    """In a fresh process: time ``datasets.load_world()`` of the committed world (import excluded)."""
    from customering_utils import datasets

    start = time.perf_counter()
    datasets.load_world()
    return {"seconds": time.perf_counter() - start, "peak_mib": _peak_mib()}


def run_child(*args: str) -> dict[str, float]:
    """Run this script in child mode and return the JSON figures it prints last."""
    done = subprocess.run([sys.executable, __file__, "--child", *args], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed with exit code {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """The fastest run's figures, with the largest peak memory of all runs."""
    key = "total_s" if "total_s" in runs[0] else "seconds"
    return min(runs, key=lambda run: run[key]) | {"peak_mib": max(run["peak_mib"] for run in runs)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000], help="numbers of customers")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (the fastest is shown)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        job, *rest = args.child
        figures = {"generate": lambda: child_generate(int(rest[0]), rest[1]),
                   "import": lambda: child_import(*rest), "load": child_load}[job]()
        print(json.dumps(figures))
        return

    print(f"Python {sys.version.split()[0]}; {args.repeat} run(s) per figure, each in a fresh process\n")
    print("| Job | Seconds | Peak RSS MiB |\n|---|---:|---:|")
    for label, what in [("`import customering_utils`", ["import customering_utils"]),
                        ("`from customering_utils import datasets`", ["from customering_utils import datasets"]),
                        ("`from customering_utils import datasets`, pandas already imported",
                         ["from customering_utils import datasets", "import pandas"])]:
        row = best([run_child("import", *what) for _ in range(args.repeat)])
        print(f"| {label} | {row['seconds']:.3f} | {row['peak_mib']:.0f} |")
    row = best([run_child("load") for _ in range(args.repeat)])
    print(f"| `datasets.load_world()` (committed world, import excluded) | {row['seconds']:.3f} | {row['peak_mib']:.0f} |")

    print("\n| Customers | Transactions rows | Simulate s | Write s | Total s | Peak RSS MiB | Files MB on disk |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    failures: list[str] = []
    for n in args.sizes:
        runs = []
        try:
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory(prefix="world-bench-") as directory:
                    runs.append(run_child("generate", str(n), directory))
        except RuntimeError as error:
            failures.append(str(error))
            print(f"| {n:,} | failed, see below | | | | | |", flush=True)
            continue
        row = best(runs)
        print(f"| {n:,} | {row['transactions']:,.0f} | {row['simulate_s']:.2f} | {row['write_s']:.2f} "
              f"| {row['total_s']:.2f} | {row['peak_mib']:,.0f} | {row['files_mb']:,.1f} |", flush=True)
    for failure in failures:
        print(f"\n{failure}", file=sys.stderr)
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
