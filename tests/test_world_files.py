"""The committed data world: its bytes, its shape, its keys, and the errors a broken copy raises."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customering_utils import datasets
from customering_utils.datasets.simulation import simulate
from customering_utils.datasets.world import SCHEMAS, default_directory

COMMITTED = default_directory()


def test_committed_files_match_their_manifest():
    assert datasets.verify_manifest(COMMITTED) == [], "a committed world file changed: regenerate with 'make world'"


def test_same_seed_gives_the_same_bytes(tmp_path):
    # Regenerating the default world must reproduce the committed manifest exactly:
    # this is what makes every number in every lesson reproducible.
    datasets.write_world(tmp_path)
    assert (tmp_path / "MANIFEST.sha256").read_bytes() == (COMMITTED / "MANIFEST.sha256").read_bytes()


def test_another_seed_gives_another_world(tmp_path):
    datasets.write_world(tmp_path, seed=7, n_customers=300)
    assert (tmp_path / "transactions.csv").read_bytes() != (COMMITTED / "transactions.csv").read_bytes()


def test_shape_and_keys(world):
    assert len(world.customers) == 10_000 and world.customers.index.is_unique
    assert world.customers.index.name == "customer_id"
    for name in ("transactions", "tickets", "surveys", "calls", "experiments"):
        assert getattr(world, name).index.is_unique, f"{name} index is not unique"
    assert world.transactions["date"].between("2023-01-01", "2025-12-31").all()
    assert world.calls.index.min() == pd.Timestamp("2023-01-01 08:00") and len(world.calls) == 1096 * 24
    assert set(world.truth.bgnbd) == {"r", "alpha", "a", "b"} and world.truth.time_unit == "W"
    assert set(world.truth.gamma_gamma) == {"p", "q", "v"}


def test_referential_integrity(world):
    customers = world.customers.index
    for name in ("transactions", "tickets", "surveys"):
        assert getattr(world, name)["customer_id"].isin(customers).all(), f"{name} names an unknown customer"
    assert world.experiments.index.isin(customers).all()
    assert world.surveys["ticket_id"].dropna().isin(world.tickets.index).all()
    assert world.truth.customers.index.equals(customers)
    # Each customer's first purchase is their acquisition.
    first = world.transactions.groupby("customer_id")["date"].min()
    assert first.reindex(customers).equals(world.customers["acquisition_date"].rename("date"))
    # Tickets follow purchases; resolution comes after first response.
    resolved = world.tickets[world.tickets["resolved"]]
    assert (resolved["resolution_hours"] >= resolved["first_response_hours"]).all()
    assert world.tickets.loc[~world.tickets["resolved"], "resolution_hours"].isna().all()
    assert (world.transactions["amount"] > 0).all()


def test_marketing_counts_every_customer_once(world):
    by_channel = world.marketing.groupby("channel")["new_customers"].sum()
    assert by_channel.sum() == len(world.customers)
    assert by_channel.to_dict() == world.customers["channel"].value_counts().to_dict()


def test_load_world_reports_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no-world: no such folder; expected a data world written by datasets.write_world"):
        datasets.load_world(tmp_path / "no-world")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "world"
    shutil.copytree(COMMITTED, target)
    return target


def test_load_world_reports_missing_files(tmp_path):
    folder = _copy(tmp_path)
    (folder / "tickets.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"the world is incomplete, missing tickets.csv"):
        datasets.load_world(folder)


def test_load_world_names_a_missing_column(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "transactions.csv"
    pd.read_csv(path).drop(columns="amount").to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"transactions.csv: missing column 'amount'"):
        datasets.load_world(folder)


def test_load_world_names_a_wrong_type(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "tickets.csv"
    text = path.read_text().splitlines()
    cells = text[3].split(",")
    cells[6] = "maybe"  # the 'resolved' flag of the third ticket
    text[3] = ",".join(cells)
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match=r"tickets.csv: column 'resolved' should hold true or false, but row 3 has 'maybe'"):
        datasets.load_world(folder)
    assert datasets.verify_manifest(folder) == ["tickets.csv"]


def test_load_world_names_a_missing_parameter(tmp_path):
    folder = _copy(tmp_path)
    (folder / "truth_params.json").write_text('{"time_unit": "W"}')
    with pytest.raises(ValueError, match=r"truth_params.json: missing parameter 'r'"):
        datasets.load_world(folder)


@pytest.mark.parametrize("kwargs, message", [
    ({"seed": -1}, "seed should be a non-negative whole number, got -1"),
    ({"seed": "abc"}, "seed should be a non-negative whole number, got 'abc'"),
    ({"n_customers": 10}, "n_customers should be a whole number of at least 100, got 10"),
    ({"n_customers": 1e4}, "n_customers should be a whole number of at least 100, got 10000.0"),
])
def test_write_world_rejects_bad_arguments(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.write_world(tmp_path, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_write_world_leaves_other_files_alone(tmp_path):
    (tmp_path / "my-notes.txt").write_text("mine")
    datasets.write_world(tmp_path, seed=3, n_customers=150)
    assert (tmp_path / "my-notes.txt").read_text() == "mine"


def test_schemas_match_what_is_written():
    for name, (_, schema) in SCHEMAS.items():
        header = (COMMITTED / f"{name}.csv").open().readline().strip().split(",")
        assert header == list(schema), f"{name}.csv header {header} differs from its schema"


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(100, 400))
def test_any_small_world_keeps_its_invariants(seed, n):
    tables = simulate(n_customers=n, seed=seed)
    customers, tx, tickets = tables["customers"], tables["transactions"], tables["tickets"]
    assert customers["customer_id"].tolist() == list(range(1, n + 1))
    assert tx.groupby("customer_id")["date"].min().tolist() == customers["acquisition_date"].tolist()
    assert (tx["amount"] > 0).all() and tx["date"].is_monotonic_increasing
    assert tickets["customer_id"].isin(customers["customer_id"]).all()
    assert tickets["created_at"].is_monotonic_increasing
    referred = customers.dropna(subset=["referred_by"])
    referrer_acquired = customers.set_index("customer_id").loc[referred["referred_by"].astype(int), "acquisition_date"]
    assert (referrer_acquired.to_numpy() <= referred["acquisition_date"].to_numpy()).all()
    truth = tables["truth_customers"]
    assert np.all(truth["purchase_rate"] > 0) and truth["dropout_probability"].between(0, 1).all()
    assert tables["marketing"]["new_customers"].sum() == n


def test_every_table_has_a_data_card_with_its_columns_and_row_count():
    cards = (COMMITTED.parent / "README.md").read_text(encoding="utf-8")
    for name, (_, schema) in SCHEMAS.items():
        assert f"`world/{name}.csv`" in cards, f"datasets/README.md has no card for {name}.csv"
        card = cards[cards.index(f"### {name}\n"):]
        card = card[: card.find("\n### ", 1)]
        for column in schema:
            assert f"| {column} |" in card, f"the {name} card does not describe column {column!r}"
        rows = sum(1 for _ in (COMMITTED / f"{name}.csv").open()) - 1
        assert f"**{rows:,} rows" in card, f"the {name} card should say **{rows:,} rows**"


def test_loading_a_world_again_gives_equal_new_tables_and_sees_changed_files(tmp_path):
    folder = datasets.write_world(tmp_path / "small", seed=3, n_customers=200)
    first = datasets.load_world(folder)
    first.transactions.loc[first.transactions.index[0], "amount"] = -1.0  # a learner's own change
    second = datasets.load_world(folder)
    assert second.transactions is not first.transactions
    assert second.transactions["amount"].iloc[0] >= 0, "a change to one loaded world reached the next"
    pd.testing.assert_frame_equal(second.customers, datasets.load_world(folder).customers)
    # The file changes: the next load reads it again.
    path = folder / "transactions.csv"
    lines = path.read_text().splitlines()
    lines[1] = ",".join(lines[1].split(",")[:-1] + ["12345.67"])
    path.write_text("\n".join(lines) + "\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert datasets.load_world(folder).transactions["amount"].iloc[0] == 12345.67
