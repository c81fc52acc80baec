"""Uplift metrics, ours against scikit-uplift: the reference values the tests check, and a million-row benchmark.

Run from the repository's root::

    .venv/bin/python benchmarks/uplift_metrics.py                    # both parts
    .venv/bin/python benchmarks/uplift_metrics.py --reference-only   # part 1 alone (seconds)
    .venv/bin/python benchmarks/uplift_metrics.py --rows 100000 --repeat 3

What it does:

1. **Reference values.** Draws fixed, seeded inputs (outcome, predicted uplift, treatment),
   ties included: a ten-customer hand example, scores without ties, scores rounded so that
   many tie, one score for everyone, an unbalanced experiment with whole-number scores, a
   perfect ranking and a reversed one. A child process in scikit-uplift's environment
   computes all five metrics on them (``uplift_curve``, ``qini_curve``,
   ``uplift_auc_score``, ``qini_auc_score`` with and without ``negative_effect``,
   ``uplift_at_k`` for both strategies and several ``k``), and the script writes inputs and
   values to ``tests/data/sklift_reference.json``, which ``tests/test_uplift.py`` checks
   ours against to 1e-6. It prints the largest difference between the two.
2. **A million rows.** Draws two seeded synthetic experiments of ``--rows`` customers each
   (one to fit on, one to evaluate on), the way the data world draws its experiment
   (``WorldParameters``: the world's purchase rates, gain, unmoved and harm types by age
   band, the diminishing dose response, the effect cut after poor service; doses 0-3 with
   shares 40/20/20/20, treated = dose of 1 or more, outcome = bought in the 13 weeks). It
   fits ``uplift.TLearner`` over scikit-learn's ``HistGradientBoostingClassifier`` on the
   first, predicts uplift on the second, and computes the five metrics on those scores
   with ours and, side by side on the same scores, with scikit-uplift: seconds and peak
   memory of each, and the largest difference of their values.

scikit-uplift runs in its own environment, ``benchmarks/.venv-sklift`` (git-ignored). If it
is missing the script creates it: ``python -m venv`` with the interpreter running this
script (Python 3.11), then ``pip install -r benchmarks/requirements-sklift.txt`` (needs the
package index). ``--sklift-python`` uses another interpreter that has scikit-uplift.

Each timed job runs in a fresh child process that does only that job; "peak RSS" is that
process's ``ru_maxrss`` (interpreter, NumPy and data included), "CPU seconds" its own
processor time (``time.process_time``), which other work on a shared machine slows less than
the wall-clock seconds. Every child runs with one
thread (``OMP_NUM_THREADS=1`` and the like): the machine's cores are shared. With
``--repeat N`` a row shows the fastest run and the largest peak memory. Prints figures;
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
SKLIFT_VENV = ROOT / "benchmarks" / ".venv-sklift"
SKLIFT_REQUIREMENTS = ROOT / "benchmarks" / "requirements-sklift.txt"
REFERENCE = ROOT / "tests" / "data" / "sklift_reference.json"
SEED = 2026
#: uplift_at_k's settings computed for every reference case: (strategy, k).
AT_K = [("overall", 0.1), ("overall", 0.3), ("overall", 0.5), ("by_group", 0.1), ("by_group", 0.3),
        ("by_group", 0.5), ("overall", 7), ("by_group", 7)]
#: The metrics timed at a million rows, in order.
METRICS = ("uplift_curve", "qini_curve", "uplift_auc_score", "qini_auc_score", "uplift_at_k")
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _versions(*names: str) -> dict:
    from importlib.metadata import version

    return {name: version(name) for name in names} | {"python": sys.version.split()[0]}


# ---- part 1: the reference inputs and values ----------------------------------------------------------


def reference_inputs() -> dict[str, dict]:
    """Seeded inputs for the comparison, ties included. Plain lists, so both environments read them alike."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    cases: dict[str, dict] = {
        "hand_ten_customers": {"y": [1, 0, 0, 1, 1, 0, 0, 1, 0, 0], "treatment": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
                               "uplift": [0.8, 0.1, 0.3, 0.7, 0.6, 0.5, 0.2, 0.0, 0.4, 0.1]},
    }
    n = 1_000
    x = rng.normal(size=n)
    treatment = rng.integers(0, 2, n)
    y = (rng.uniform(size=n) < 0.10 + 0.08 * treatment * (x > 0)).astype(int)
    score = x + rng.normal(0, 1.0, n)
    cases["no_ties"] = {"y": y.tolist(), "treatment": treatment.tolist(), "uplift": score.tolist()}
    cases["many_ties"] = {"y": y.tolist(), "treatment": treatment.tolist(), "uplift": np.round(score, 1).tolist()}
    cases["all_ties"] = {"y": y[:300].tolist(), "treatment": treatment[:300].tolist(), "uplift": [0.25] * 300}
    m = 1_500
    treated = (rng.uniform(size=m) < 0.2).astype(int)
    z = rng.integers(0, 10, m)
    outcome = (rng.uniform(size=m) < 0.05 + 0.02 * z * treated).astype(int)
    cases["unbalanced_integer_scores"] = {"y": outcome.tolist(), "treatment": treated.tolist(),
                                          "uplift": (z + rng.integers(-2, 3, m)).tolist()}
    perfect = y * treatment - y * (1 - treatment)
    cases["perfect_ranking"] = {"y": y.tolist(), "treatment": treatment.tolist(), "uplift": perfect.tolist()}
    cases["reversed_ranking"] = {"y": y.tolist(), "treatment": treatment.tolist(), "uplift": (-perfect).tolist()}
    return cases


def compute_metrics(module, cases: dict[str, dict]) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """All five metrics on every case, with ``module`` (sklift.metrics or customering_utils.uplift).

    A value scikit-uplift cannot give (it returns NaN, or raises) is recorded as None."""
    import math
    import warnings

    warnings.simplefilter("ignore")  # sklift on scikit-learn 1.9 warns that stable_cumsum is deprecated
    out: dict[str, dict] = {}
    def number(function, *args, **kwargs) -> float | None:  # type: ignore[no-untyped-def]
        try:
            value = float(function(*args, **kwargs))
        except (ValueError, ZeroDivisionError):
            return None
        return value if math.isfinite(value) else None

    for name, case in cases.items():
        y, u, t = case["y"], case["uplift"], case["treatment"]
        values: dict[str, object] = {}
        for key, function in (("uplift_curve", module.uplift_curve), ("qini_curve", module.qini_curve)):
            x_points, heights = function(y, u, t)
            values[key] = {"x": [int(v) for v in x_points], "y": [float(v) for v in heights]}
        values["uplift_auc_score"] = number(module.uplift_auc_score, y, u, t)
        values["qini_auc_score"] = number(module.qini_auc_score, y, u, t)
        values["qini_auc_score_no_negative_effect"] = number(module.qini_auc_score, y, u, t, negative_effect=False)
        for strategy, k in AT_K:
            values[f"uplift_at_k/{strategy}/{k}"] = number(module.uplift_at_k, y, u, t, strategy=strategy, k=k)
        out[name] = values
    return out


def largest_difference(ours: dict, theirs: dict) -> tuple[float, str, list[str]]:
    """The largest absolute difference between two sets of values, where it is, and any mismatch of shape."""
    worst, where, problems = 0.0, "", []
    for case, values in theirs.items():
        for key, value in values.items():
            mine = ours[case][key]
            if isinstance(value, dict):
                if mine["x"] != value["x"]:
                    problems.append(f"{case}/{key}: the x points differ")
                    continue
                pairs = zip(mine["y"], value["y"], strict=True)
            elif value is None or mine is None:
                if (value is None) != (mine is None):
                    problems.append(f"{case}/{key}: scikit-uplift {value}, ours {mine}")
                continue
            else:
                pairs = [(mine, value)]
            for a, b in pairs:
                if abs(a - b) > worst:
                    worst, where = abs(a - b), f"{case}/{key}"
    return worst, where, problems


# ---- part 2: a million rows --------------------------------------------------------------------------


def synthetic_experiment(n: int, seed: int) -> dict:
    """A randomised experiment drawn as the data world draws its own, at any size.

    From ``WorldParameters``: each customer's weekly purchase rate is Gamma(r, alpha); their
    response type (gain, unmoved, harm) is drawn by age band; a gain type's top-dose effect on
    the rate is Gamma(4, gain_mean / 4), a harm type's -Uniform(0.2, 0.5); the effect is cut
    to ``poor_service_effect_factor`` for customers with poor service (15% here), and reached
    at dose d in the share ``dose_response(d)``. Doses 0-3 with ``dose_shares``. Purchases
    in the 52 weeks before and the 13 weeks after are Poisson; there is no drop-out. The
    company knows the age band, the purchases and revenue before, and the poor service.
    """
    import numpy as np

    from customering_utils.datasets import WorldParameters

    p = WorldParameters()
    rng = np.random.default_rng(seed)
    age = rng.choice(len(p.age_bands), size=n, p=np.asarray(p.age_band_shares))
    rate = rng.gamma(p.r, 1 / p.alpha, n)
    spend = p.p / rng.gamma(p.q, 1 / p.v, n)  # mean spend per purchase (Gamma-Gamma)
    pre_purchases = rng.poisson(rate * 52)
    pre_revenue = np.round(pre_purchases * spend, 2)
    poor = rng.uniform(size=n) < 0.15
    gain = np.asarray(p.gain_share_by_age)[age]
    harm = np.asarray(p.harm_share_by_age)[age]
    draw = rng.uniform(size=n)
    full = np.where(draw < gain, rng.gamma(4.0, p.gain_mean / 4.0, n),
                    np.where(draw > 1 - harm, -rng.uniform(0.2, 0.5, n), 0.0))
    effect_max = full * np.where(poor, p.poor_service_effect_factor, 1.0)
    dose = np.asarray(p.doses)[rng.choice(len(p.doses), size=n, p=np.asarray(p.dose_shares))]
    multiplier = np.where(dose > 0, np.maximum(0.05, 1 + effect_max * p.dose_response(dose)), 1.0)
    purchases = rng.poisson(rate * multiplier * p.experiment_weeks)
    features = np.column_stack([age, pre_purchases, pre_revenue, poor]).astype(float)
    return {"X": features, "treatment": (dose > 0).astype(np.int8), "y": (purchases > 0).astype(np.int8)}


def child_data(n: int, folder: str) -> dict:
    import numpy as np

    start = time.perf_counter()
    for name, seed in (("train", SEED), ("test", SEED + 1)):
        np.savez(Path(folder) / f"{name}.npz", **synthetic_experiment(n, seed))
    return {"seconds": time.perf_counter() - start, "peak_mib": _peak_mib()}


def child_tlearner(folder: str) -> dict:
    """Fit uplift.TLearner(HistGradientBoostingClassifier) on train, predict uplift on test."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from customering_utils import uplift

    train, test = (np.load(Path(folder) / f"{name}.npz") for name in ("train", "test"))
    X, y, t = train["X"], train["y"], train["treatment"]
    rss_before = _peak_mib()
    estimator = HistGradientBoostingClassifier(max_iter=100, categorical_features=[0], random_state=0)
    start, cpu = time.perf_counter(), time.process_time()
    model = uplift.TLearner(estimator).fit(X, y, t)
    fit_s, fit_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    scores = model.predict(test["X"])
    predict_s, predict_cpu = time.perf_counter() - start, time.process_time() - cpu
    np.save(Path(folder) / "scores.npy", scores)
    return {"rows": len(y), "fit_s": fit_s, "fit_cpu_s": fit_cpu, "predict_s": predict_s, "predict_cpu_s": predict_cpu,
            "rss_before_mib": rss_before,
            "peak_mib": _peak_mib(), "treated_share": float(t.mean()), "response_rate": float(y.mean()),
            "versions": _versions("numpy", "scikit-learn")}


def child_metrics(implementation: str, folder: str) -> dict:
    """Time each metric on the test experiment's scores, with ours or with sklift."""
    import warnings

    import numpy as np

    warnings.simplefilter("ignore")
    if implementation == "sklift":
        import sklift.metrics as module

        versions = _versions("scikit-uplift", "scikit-learn", "numpy")
    else:
        from customering_utils import uplift as module

        versions = _versions("numpy")
    test = np.load(Path(folder) / "test.npz")
    y, t, scores = test["y"], test["treatment"], np.load(Path(folder) / "scores.npy")
    rss_before = _peak_mib()
    calls = {"uplift_curve": lambda: module.uplift_curve(y, scores, t),
             "qini_curve": lambda: module.qini_curve(y, scores, t),
             "uplift_auc_score": lambda: module.uplift_auc_score(y, scores, t),
             "qini_auc_score": lambda: module.qini_auc_score(y, scores, t),
             "uplift_at_k": lambda: module.uplift_at_k(y, scores, t, strategy="overall", k=0.3)}
    seconds, values = {}, {}
    cpu = time.process_time()
    for name in METRICS:
        start = time.perf_counter()
        result = calls[name]()
        seconds[name] = time.perf_counter() - start
        values[name] = ([float(v) for v in result[1][:: max(1, len(result[1]) // 1_000)]] + [float(result[1][-1])]
                        if isinstance(result, tuple) else float(result))
    return {"rows": len(y), "seconds": seconds, "total_s": sum(seconds.values()), "cpu_s": time.process_time() - cpu,
            "rss_before_mib": rss_before,
            "peak_mib": _peak_mib(), "values": values, "versions": versions}


def child_reference(inputs: str) -> dict:
    import sklift.metrics

    return {"values": compute_metrics(sklift.metrics, json.loads(Path(inputs).read_text())),
            "versions": _versions("scikit-uplift", "scikit-learn", "numpy", "pandas")}


# ---- the parent -----------------------------------------------------------------------------------------


def run_child(python: str | Path, *args: str) -> dict:
    """Run this script in child mode with ``python`` (one thread) and return the JSON figures it prints last."""
    done = subprocess.run([str(python), __file__, "--child", *args], cwd=ROOT, capture_output=True, text=True,
                          env=os.environ | ONE_THREAD)
    if done.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed with exit code {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sklift_python(given: str | None) -> tuple[Path | None, str]:
    """The interpreter that runs scikit-uplift, creating benchmarks/.venv-sklift if needed; or None and why not."""
    python = Path(given) if given else SKLIFT_VENV / "bin" / "python"
    if not given and not python.exists():
        print(f"Creating {SKLIFT_VENV.relative_to(ROOT)} from {SKLIFT_REQUIREMENTS.relative_to(ROOT)} "
              "(needs the package index)...", file=sys.stderr, flush=True)
        for command in ([sys.executable, "-m", "venv", str(SKLIFT_VENV)],
                        [str(python), "-m", "pip", "install", "--quiet", "-r", str(SKLIFT_REQUIREMENTS)]):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                shutil.rmtree(SKLIFT_VENV, ignore_errors=True)  # so the next run tries again
                return None, f"`{' '.join(command)}` failed:\n{done.stderr.strip()}"
    try:
        done = subprocess.run([str(python), "-W", "ignore", "-c", "import sklift.metrics"], capture_output=True, text=True)
    except OSError as error:
        return None, f"cannot run {python}: {error}"
    if done.returncode != 0:
        return None, f"`import sklift.metrics` failed:\n{done.stderr.strip()}"
    return python, ""


def best(runs: list[dict], key: str) -> dict:
    return min(runs, key=lambda run: run[key]) | {"peak_mib": max(run["peak_mib"] for run in runs),
                                                  "runs": [run[key] for run in runs]}


def part_reference(python: Path) -> None:
    from customering_utils import uplift

    cases = reference_inputs()
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "inputs.json"
        inputs.write_text(json.dumps(cases))
        theirs = run_child(python, "reference", str(inputs))
    ours = compute_metrics(uplift, cases)
    worst, where, problems = largest_difference(ours, theirs["values"])
    REFERENCE.parent.mkdir(exist_ok=True)
    REFERENCE.write_text(json.dumps({
        "about": "Uplift metrics computed by scikit-uplift itself (sklift.metrics) on fixed seeded inputs, written by "
                 "benchmarks/uplift_metrics.py; tests/test_uplift.py checks customering_utils.uplift against them to "
                 "1e-6. null: scikit-uplift gives no value there (NaN, or an error).",
        "versions": theirs["versions"], "at_k": AT_K, "inputs": cases, "values": theirs["values"]}, indent=None) + "\n")
    print(f"Reference values: {len(cases)} cases, written to {REFERENCE.relative_to(ROOT)} "
          f"({REFERENCE.stat().st_size / 1024:,.0f} KiB) with {', '.join(f'{k} {v}' for k, v in theirs['versions'].items())}")
    print(f"Largest difference, ours against scikit-uplift: {worst:.1e} (at {where or '-'})"
          + (f"; mismatches: {problems}" if problems else "; no mismatch of points or of missing values") + "\n")


def part_million(python: Path | None, rows: int, repeat: int, workdir: Path) -> list[str]:
    failures: list[str] = []
    folder = workdir / f"experiment-{rows}-seed{SEED}"
    folder.mkdir(parents=True, exist_ok=True)
    data = run_child(sys.executable, "data", str(rows), str(folder))
    print(f"Synthetic experiments: 2 x {rows:,} customers (fit on one, evaluate on the other), drawn in "
          f"{data['seconds']:.1f} s, peak RSS {data['peak_mib']:,.0f} MiB; {repeat} run(s) per figure; "
          f"load average {' / '.join(f'{v:.2f}' for v in os.getloadavg())}\n")
    fits = [run_child(sys.executable, "tlearner", str(folder)) for _ in range(repeat)]
    fit = best(fits, "fit_s")
    print("| Job | Rows | Seconds | CPU seconds | Seconds, each run | RSS before MiB | Peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| `TLearner(HistGradientBoostingClassifier()).fit` | {fit['rows']:,} | {fit['fit_s']:.2f} | {fit['fit_cpu_s']:.2f} "
          f"| {', '.join(f'{s:.2f}' for s in fit['runs'])} | {fit['rss_before_mib']:,.0f} | {fit['peak_mib']:,.0f} |")
    print(f"| `TLearner.predict` (uplift of the other {rows:,}) | {rows:,} | {fit['predict_s']:.2f} "
          f"| {fit['predict_cpu_s']:.2f} | | | |")
    print(f"\n(treated share {fit['treated_share']:.3f}, response rate {fit['response_rate']:.3f}; "
          f"{', '.join(f'{k} {v}' for k, v in fit['versions'].items())})\n")
    results: dict[str, dict] = {}
    implementations = {"ours": Path(sys.executable), "scikit-uplift": python}
    runs: dict[str, list[dict]] = {name: [] for name, exe in implementations.items() if exe is not None}
    for _ in range(repeat):  # alternate, so a busy moment of the machine hits both alike
        for name in list(runs):
            try:
                runs[name].append(run_child(implementations[name], "metrics", "sklift" if name != "ours" else "ours",
                                            str(folder)))
            except RuntimeError as error:
                failures.append(str(error))
                del runs[name]
    for name, found in runs.items():
        results[name] = best(found, "total_s")
    print(f"The five metrics on the same {rows:,} scores (seconds each; peak RSS of the process that computed all five):\n")
    print("| Implementation | " + " | ".join(f"`{m}` s" for m in METRICS)
          + " | Total s | Total CPU s | RSS before MiB | Peak RSS MiB |")
    print("|---|" + "---:|" * (len(METRICS) + 4))
    for name, row in results.items():
        print(f"| {name} | " + " | ".join(f"{row['seconds'][m]:.2f}" for m in METRICS)
              + f" | {row['total_s']:.2f} | {row['cpu_s']:.2f} | {row['rss_before_mib']:,.0f} | {row['peak_mib']:,.0f} |")
    if len(results) == 2:
        ours, theirs = results["ours"]["values"], results["scikit-uplift"]["values"]
        worst = 0.0
        for metric in METRICS:
            a, b = ours[metric], theirs[metric]
            pairs = zip(a, b, strict=True) if isinstance(a, list) else [(a, b)]
            worst = max([worst] + [abs(x - y) for x, y in pairs])
        print(f"\nLargest difference of the values (scores; about 1,000 points of each curve): {worst:.1e}. "
              f"Speed-up (scikit-uplift s / ours s): {results['scikit-uplift']['total_s'] / results['ours']['total_s']:.2f}x. "
              f"Values: " + ", ".join(f"{m} {ours[m]:.4f}" for m in METRICS if not isinstance(ours[m], list)))
        print(f"scikit-uplift: {', '.join(f'{k} {v}' for k, v in results['scikit-uplift']['versions'].items())}")
    return failures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="customers in each synthetic experiment")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "customering-benchmarks",
                        help="folder for the synthetic experiments and scores (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (the fastest is shown)")
    parser.add_argument("--reference-only", action="store_true", help="only write tests/data/sklift_reference.json")
    parser.add_argument("--sklift-python", help="interpreter with scikit-uplift (default: benchmarks/.venv-sklift)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        job, *rest = args.child
        figures = {"data": lambda: child_data(int(rest[0]), rest[1]), "tlearner": lambda: child_tlearner(rest[0]),
                   "metrics": lambda: child_metrics(rest[0], rest[1]), "reference": lambda: child_reference(rest[0])}[job]()
        print(json.dumps(figures))
        return

    workdir = args.workdir.resolve()
    if workdir == ROOT or ROOT in workdir.parents:
        parser.error(f"--workdir should be outside the repository ({ROOT}), got {workdir}")
    python, error = sklift_python(args.sklift_python)
    failures: list[str] = []
    if python is not None:
        part_reference(python)
    if not args.reference_only:
        failures += part_million(python, args.rows, args.repeat, workdir)
    print(f"Load average at the end: {' / '.join(f'{v:.2f}' for v in os.getloadavg())} (on {os.cpu_count()} cores)")
    if error:
        print(f"\nscikit-uplift could not be installed or imported:\n{error}", file=sys.stderr)
    for failure in failures:
        print(f"\n{failure}", file=sys.stderr)
    if failures or error:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
