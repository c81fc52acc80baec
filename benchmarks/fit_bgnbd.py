"""Benchmark BG/NBD at scale: summarize the million-customer world, then fit it, ours against lifetimes.

Run from the repository's root::

    .venv/bin/python benchmarks/fit_bgnbd.py
    .venv/bin/python benchmarks/fit_bgnbd.py --customers 100000 --workdir /tmp/bgnbd --repeat 3

What it does:

1. Writes the data world with ``datasets.write_world(seed=2026, n_customers=--customers)``
   into ``--workdir`` (default: ``customering-benchmarks`` in the system's temporary
   folder, never inside the repository), or reuses the one already there (about 320 MB
   on disk at a million customers).
2. Summarizes its ``transactions.csv`` with ``clv.summarize(..., end="2025-12-31")``
   (weeks), timed as its own row, and does the same for the CDNOW sample
   (``end="1997-09-30"``). Each summary is saved as CSV (``frequency``, ``recency``,
   ``T``), the one input both fitters read.
3. Fits BG/NBD on each summary twice, each in a fresh child process: ``clv.BetaGeo().fit``
   with the course's ``.venv`` and ``lifetimes``' ``BetaGeoFitter(penalizer_coef=0.0).fit``
   with a separate environment, ``benchmarks/.venv-lifetimes``. If that folder is missing
   the script creates it (``python -m venv`` with the interpreter running this script,
   then ``pip install -r benchmarks/requirements-lifetimes.txt``; this needs the package
   index). ``--lifetimes-python`` runs lifetimes with another interpreter instead.
4. Prints Markdown tables: seconds and peak memory of each job, both parameter sets, the
   total log-likelihood of each (lifetimes reports the *mean* negative log-likelihood,
   on rescaled times, so the script recomputes the total on the weeks both fitters see),
   the largest relative difference between the parameter sets, and the speed-up.

"Fit seconds" is the wall-clock time of the ``fit`` call alone, after the CSV is read.
lifetimes' ``fit`` also computes the Hessian (with autograd) for standard errors; that
part is timed too and shown apart. "Peak RSS" is the child's ``ru_maxrss`` (interpreter,
pandas and data included); "RSS before fit" is the peak once the data is loaded. With
``--repeat N`` a row shows the fastest run and the largest peak memory (the two
implementations' runs alternate, so a busy moment of the machine slows both alike). Prints figures;
asserts nothing (these are not timed tests).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIFETIMES_VENV = ROOT / "benchmarks" / ".venv-lifetimes"
LIFETIMES_REQUIREMENTS = ROOT / "benchmarks" / "requirements-lifetimes.txt"
SEED = 2026
WORLD_END = "2025-12-31"
CDNOW_END = "1997-09-30"
#: Fader, Hardie and Lee (2005), Table 1 / section 5: the CDNOW sample, weeks.
FHL_PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4}
PARAMS = ("r", "alpha", "a", "b")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _versions(*names: str) -> dict[str, str]:
    from importlib import metadata

    return {name: metadata.version(name) for name in names}


# --- child jobs: each runs in a fresh process and prints one JSON line -------------------


def child_world(n_customers: int, directory: str) -> dict:
    """Write the world (the course's .venv)."""
    from customering_utils import datasets

    start = time.perf_counter()
    datasets.write_world(directory, seed=SEED, n_customers=n_customers)
    return {"seconds": time.perf_counter() - start, "peak_mib": _peak_mib()}


def child_summarize(source: str, out: str) -> dict:
    """Read the purchases, time ``clv.summarize`` and save frequency, recency, T as CSV (the course's .venv)."""
    import pandas as pd

    from customering_utils import clv, datasets

    start = time.perf_counter()
    if source == "cdnow":
        transactions, end = datasets.load_cdnow(), CDNOW_END
    else:
        transactions = pd.read_csv(source, usecols=["customer_id", "date", "amount"], parse_dates=["date"],
                                   date_format="%Y-%m-%d")
        end = WORLD_END
    read_s = time.perf_counter() - start
    rss_before = _peak_mib()
    start = time.perf_counter()
    summary = clv.summarize(transactions, end=end)
    summarize_s = time.perf_counter() - start
    summary[["frequency", "recency", "T"]].to_csv(out)
    return {"transactions": len(transactions), "customers": len(summary), "read_s": read_s,
            "summarize_s": summarize_s, "rss_before_mib": rss_before, "peak_mib": _peak_mib()}


def child_ours(summary_csv: str) -> dict:
    """Time ``clv.BetaGeo().fit(summary)`` (the course's .venv)."""
    import pandas as pd
    from scipy import optimize

    from customering_utils import clv

    summary = pd.read_csv(summary_csv, index_col="customer_id")
    rss_before = _peak_mib()
    results = []
    minimize = optimize.minimize

    def counted_minimize(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = minimize(*args, **kwargs)
        results.append(result)
        return result

    optimize.minimize = counted_minimize  # clv calls optimize.minimize through the module
    start = time.perf_counter()
    model = clv.BetaGeo().fit(summary)
    fit_s = time.perf_counter() - start
    return {"customers": len(summary), "fit_s": fit_s, "hessian_s": None, "evaluations": int(results[-1].nfev),
            "rss_before_mib": rss_before, "peak_mib": _peak_mib(), "params": model.params_,
            "log_likelihood": model.log_likelihood_,
            "versions": _versions("numpy", "pandas", "scipy") | {"python": sys.version.split()[0]}}


def child_lifetimes(summary_csv: str) -> dict:
    """Time ``lifetimes.BetaGeoFitter(penalizer_coef=0.0).fit(frequency, recency, T)`` (the lifetimes venv)."""
    import warnings

    warnings.simplefilter("ignore")  # lifetimes on pandas 3 warns about a deprecated option at import
    import lifetimes.fitters as fitters
    import numpy as np
    import pandas as pd
    from lifetimes import BetaGeoFitter

    summary = pd.read_csv(summary_csv, index_col="customer_id")
    rss_before = _peak_mib()
    results, hessian_seconds = [], []
    minimize, hessian = fitters.minimize, fitters.hessian

    def counted_minimize(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = minimize(*args, **kwargs)
        results.append(result)
        return result

    def timed_hessian(function):  # type: ignore[no-untyped-def]
        inner = hessian(function)

        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            value = inner(*args, **kwargs)
            hessian_seconds.append(time.perf_counter() - start)
            return value

        return call

    fitters.minimize, fitters.hessian = counted_minimize, timed_hessian  # fitters looks both up in its module
    start = time.perf_counter()
    model = BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])
    fit_s = time.perf_counter() - start
    params = {name: float(model.params_[name]) for name in PARAMS}
    # lifetimes' _negative_log_likelihood_ is the mean over customers, on times it rescaled
    # internally (alpha with them). The total on the weeks both fitters see, with its own formula:
    frequency = summary["frequency"].to_numpy().astype(int)
    n = len(summary)
    mean_nll = BetaGeoFitter._negative_log_likelihood(
        np.log([params[name] for name in PARAMS]), frequency, summary["recency"].to_numpy(),
        summary["T"].to_numpy(), np.ones(n), 0.0)
    versions = _versions("lifetimes", "autograd", "numpy", "pandas", "scipy") | {"python": sys.version.split()[0]}
    return {"customers": n, "fit_s": fit_s, "hessian_s": sum(hessian_seconds), "evaluations": int(results[-1].nfev),
            "rss_before_mib": rss_before, "peak_mib": _peak_mib(), "params": params,
            "log_likelihood": float(-mean_nll * n), "versions": versions}


# --- the parent ---------------------------------------------------------------------------


def run_child(python: str | Path, *args: str) -> dict:
    """Run this script in child mode with ``python`` and return the JSON figures it prints last."""
    done = subprocess.run([str(python), __file__, "--child", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed with exit code {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(runs: list[dict], key: str) -> dict:
    """The fastest run's figures, with the largest peak memory of all runs and every run's ``key`` as ``runs``."""
    return min(runs, key=lambda run: run[key]) | {"peak_mib": max(run["peak_mib"] for run in runs),
                                                  "runs": [run[key] for run in runs]}


def lifetimes_python(given: str | None) -> tuple[Path | None, str]:
    """The interpreter that runs lifetimes, creating benchmarks/.venv-lifetimes if needed; or None and why not."""
    python = Path(given) if given else LIFETIMES_VENV / "bin" / "python"
    if not given and not python.exists():
        print(f"Creating {LIFETIMES_VENV.relative_to(ROOT)} from {LIFETIMES_REQUIREMENTS.relative_to(ROOT)} "
              "(needs the package index)...", file=sys.stderr, flush=True)
        for command in ([sys.executable, "-m", "venv", str(LIFETIMES_VENV)],
                        [str(python), "-m", "pip", "install", "--quiet", "-r", str(LIFETIMES_REQUIREMENTS)]):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                shutil.rmtree(LIFETIMES_VENV, ignore_errors=True)  # so the next run tries again
                return None, f"`{' '.join(command)}` failed:\n{done.stderr.strip()}"
    try:
        done = subprocess.run([str(python), "-c", "from lifetimes import BetaGeoFitter"], capture_output=True, text=True)
    except OSError as error:
        return None, f"cannot run {python}: {error}"
    if done.returncode != 0:
        return None, f"`from lifetimes import BetaGeoFitter` failed:\n{done.stderr.strip()}"
    return python, ""


def world_folder(workdir: Path, n_customers: int) -> tuple[Path, dict | None]:
    """The world's folder in ``workdir``, and the figures of writing it (None if an earlier run's was reused)."""
    folder = workdir / f"world-{n_customers}-seed{SEED}"
    params_file = folder / "truth_params.json"
    if (folder / "MANIFEST.sha256").exists() and params_file.exists():  # the manifest is written last
        params = json.loads(params_file.read_text(encoding="utf-8"))
        if params.get("n_customers") == n_customers and params.get("seed") == SEED:
            return folder, None
    return folder, run_child(sys.executable, "world", str(n_customers), str(folder))


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def _fmt_params(params: dict) -> str:
    return " | ".join(f"{params[name]:.4f}" for name in PARAMS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000,
                        help="customers in the data world (default 1000000)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "customering-benchmarks",
                        help="folder for the world and the summaries, reused between runs (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (the fastest is shown)")
    parser.add_argument("--lifetimes-python",
                        help="interpreter with lifetimes installed (default: benchmarks/.venv-lifetimes, created if missing)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        job, *rest = args.child
        figures = {"world": lambda: child_world(int(rest[0]), rest[1]), "summarize": lambda: child_summarize(*rest),
                   "ours": lambda: child_ours(rest[0]), "lifetimes": lambda: child_lifetimes(rest[0])}[job]()
        print(json.dumps(figures))
        return

    workdir = args.workdir.resolve()
    if workdir == ROOT or ROOT in workdir.parents:
        parser.error(f"--workdir should be outside the repository ({ROOT}), got {workdir}")
    workdir.mkdir(parents=True, exist_ok=True)
    lt_python, lt_error = lifetimes_python(args.lifetimes_python)

    folder, written = world_folder(workdir, args.customers)
    world_note = (f"written in {written['seconds']:.1f} s, peak RSS {written['peak_mib']:,.0f} MiB" if written
                  else "reused from an earlier run")
    print(f"World: {args.customers:,} customers, seed {SEED}, {folder} ({world_note}); "
          f"{args.repeat} run(s) per figure, each in a fresh process; load average {_load()} at the start\n")

    data_sets = [("CDNOW sample", "cdnow", workdir / "summary-cdnow.csv"),
                 (f"world, {args.customers:,} customers", str(folder / "transactions.csv"),
                  workdir / f"summary-world-{args.customers}.csv")]
    print("`clv.summarize` (read time apart; peak RSS includes the purchases table):\n")
    print("| Data | Transactions rows | Customers | Read s | Summarize s | RSS before MiB | Peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, source, out in data_sets:
        row = best([run_child(sys.executable, "summarize", source, str(out)) for _ in range(args.repeat)],
                   "summarize_s")
        print(f"| {label} | {row['transactions']:,} | {row['customers']:,} | {row['read_s']:.2f} "
              f"| {row['summarize_s']:.2f} | {row['rss_before_mib']:,.0f} | {row['peak_mib']:,.0f} |", flush=True)

    truth = {key: json.loads((folder / "truth_params.json").read_text(encoding="utf-8"))[key] for key in PARAMS}
    references = {"CDNOW sample": ("published (FHL 2005)", FHL_PUBLISHED),
                  data_sets[1][0]: ("simulation's truth", truth | {"log_likelihood": None})}
    fits: dict[str, dict[str, dict]] = {}
    failures: list[str] = []
    print("\nBG/NBD fit (weeks); fit seconds exclude reading the CSV:\n")
    print("| Data | Implementation | Customers | Fit s | Fit s, each run | of which Hessian s | Evaluations "
          "| RSS before fit MiB | Peak RSS MiB | r | alpha | a | b | Log-likelihood |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    implementations = {"ours": Path(sys.executable), "lifetimes": lt_python}
    for label, _, summary_csv in data_sets:
        fits[label] = {}
        runs: dict[str, list[dict]] = {name: [] for name, python in implementations.items() if python is not None}
        for _ in range(args.repeat):  # alternate the two, so a busy moment of the machine hits both alike
            for name in list(runs):
                try:
                    runs[name].append(run_child(implementations[name], name, str(summary_csv)))
                except RuntimeError as error:
                    failures.append(str(error))
                    del runs[name]
        for name, python in implementations.items():
            if python is None or name not in runs:
                why = "not installed" if python is None else "failed"
                print(f"| {label} | {name} | | {why}, see below | | | | | | | | | | |", flush=True)
                continue
            row = fits[label][name] = best(runs[name], "fit_s")
            hessian = "" if row["hessian_s"] is None else f"{row['hessian_s']:.2f}"
            each = ", ".join(f"{seconds:.2f}" for seconds in row["runs"])
            print(f"| {label} | {name} | {row['customers']:,} | {row['fit_s']:.2f} | {each} | {hessian} "
                  f"| {row['evaluations']} | {row['rss_before_mib']:,.0f} | {row['peak_mib']:,.0f} | {_fmt_params(row['params'])} "
                  f"| {row['log_likelihood']:,.2f} |", flush=True)
        reference, values = references[label]
        ll = "" if values["log_likelihood"] is None else f"{values['log_likelihood']:,.1f}"
        print(f"| {label} | *{reference}* | | | | | | | | {_fmt_params(values)} | {ll} |", flush=True)

    if any(len(pair) == 2 for pair in fits.values()):
        print("\n| Data | Max relative difference of r, alpha, a, b | Log-likelihood, ours minus lifetimes "
              "| Speed-up (lifetimes s / ours s) | Speed-up without lifetimes' Hessian |")
        print("|---|---:|---:|---:|---:|")
    for label, pair in fits.items():
        if len(pair) < 2:
            continue
        ours, theirs = pair["ours"], pair["lifetimes"]
        difference = max(abs(ours["params"][k] - theirs["params"][k]) / abs(theirs["params"][k]) for k in PARAMS)
        without_hessian = (theirs["fit_s"] - theirs["hessian_s"]) / ours["fit_s"]
        print(f"| {label} | {difference:.1e} | {ours['log_likelihood'] - theirs['log_likelihood']:+.2g} "
              f"| {theirs['fit_s'] / ours['fit_s']:.2f}x | {without_hessian:.2f}x |")
    for label, pair in fits.items():
        if "ours" in pair and label == "CDNOW sample":
            difference = max(abs(pair["ours"]["params"][k] - FHL_PUBLISHED[k]) / FHL_PUBLISHED[k] for k in PARAMS)
            print(f"\nOurs against FHL's published CDNOW parameters (3 decimals): "
                  f"max relative difference {difference:.1e}")

    versions = {name: next((pair[name]["versions"] for pair in fits.values() if name in pair), None)
                for name in ("ours", "lifetimes")}
    for name, found in versions.items():
        if found:
            print(f"{name}: " + ", ".join(f"{key} {value}" for key, value in found.items()))
    print(f"Load average at the end: {_load()} (on {os.cpu_count()} cores; "
          "other work on the machine slows every figure)")
    if lt_error:
        print(f"\nlifetimes could not be installed or imported:\n{lt_error}", file=sys.stderr)
    for failure in failures:
        print(f"\n{failure}", file=sys.stderr)
    if failures or lt_error:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
