"""The Hillstrom loader returns the published experiment, whole, typed, and refuses an altered copy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from customering_utils import datasets, experiments
from customering_utils.datasets import hillstrom as module

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "datasets" / "hillstrom"


@pytest.fixture(scope="module")
def hillstrom() -> pd.DataFrame:
    return datasets.load_hillstrom()


def test_the_published_rows_and_columns_typed(hillstrom):
    assert len(hillstrom) == 64_000
    assert hillstrom.columns.tolist() == ["recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie",
                                          "channel", "segment", "visit", "conversion", "spend"]
    assert hillstrom.index.equals(pd.RangeIndex(64_000))
    assert {c: str(t) for c, t in hillstrom.dtypes.items()} == {
        "recency": "int64", "history_segment": "category", "history": "float64", "mens": "int64", "womens": "int64",
        "zip_code": "category", "newbie": "int64", "channel": "category", "segment": "category", "visit": "int64",
        "conversion": "int64", "spend": "float64"}
    assert not hillstrom.isna().any().any(), "every value is one of the published categories or a number"
    assert hillstrom["history_segment"].cat.ordered and not hillstrom["segment"].cat.ordered
    assert hillstrom["segment"].cat.categories.tolist() == ["No E-Mail", "Mens E-Mail", "Womens E-Mail"]
    assert hillstrom["zip_code"].cat.categories.tolist() == ["Urban", "Surburban", "Rural"]  # sic, as published
    for column in ("mens", "womens", "newbie", "visit", "conversion"):
        assert set(hillstrom[column].unique()) == {0, 1}, column
    assert hillstrom["recency"].between(1, 12).all()
    assert hillstrom["spend"].min() == 0 and hillstrom["spend"].max() == 499.0
    # The first customer in the file, as published: 10 months, $142.44, Surburban, Phone, women's e-mail.
    first = hillstrom.iloc[0]
    assert (first["recency"], first["history"], first["zip_code"], first["channel"], first["segment"]) == (
        10, 142.44, "Surburban", "Phone", "Womens E-Mail")
    # Each customer's history falls in their history band.
    bands = {"1) $0 - $100": (0, 100), "2) $100 - $200": (100, 200), "3) $200 - $350": (200, 350),
             "4) $350 - $500": (350, 500), "5) $500 - $750": (500, 750), "6) $750 - $1,000": (750, 1000),
             "7) $1,000 +": (1000, float("inf"))}
    low = hillstrom["history_segment"].map(lambda band: bands[band][0]).astype(float)
    high = hillstrom["history_segment"].map(lambda band: bands[band][1]).astype(float)
    assert ((hillstrom["history"] >= low) & (hillstrom["history"] < high)).all()


def test_the_three_arms_sizes(hillstrom):
    assert hillstrom["segment"].value_counts(sort=False).to_dict() == {
        "No E-Mail": 21_306, "Mens E-Mail": 21_307, "Womens E-Mail": 21_387}


def test_the_arms_visit_rates_are_the_published_ones(hillstrom):
    """scikit-uplift 0.5.1, notebooks/EDA_Hillstrom_dataset.ipynb, the cell
    `pd.crosstab(dataset.treatment, dataset.target, normalize='index')` on its own copy of the
    file prints the visit rates Mens E-Mail 0.182757, No E-Mail 0.106167, Womens E-Mail 0.151400;
    its data description (sklift/datasets/descr/hillstrom.rst) gives an average visit rate of .15
    and an average conversion rate of .009 over all 64,000."""
    rates = hillstrom.groupby("segment", observed=True)["visit"].mean().round(6).to_dict()
    assert rates == {"No E-Mail": 0.106167, "Mens E-Mail": 0.182757, "Womens E-Mail": 0.151400}
    assert round(hillstrom["visit"].mean(), 2) == 0.15 and round(hillstrom["conversion"].mean(), 3) == 0.009


def test_the_data_card_prints_what_the_loader_gives(hillstrom):
    card = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8").split("## Hillstrom", 1)[1]
    table = experiments.ab_table(hillstrom, "segment", "visit")
    bought = experiments.ab_table(hillstrom, "segment", "conversion")
    spend = experiments.ab_table(hillstrom, "segment", "spend")
    for arm in table.index:
        row = (f"| {arm} | {table.loc[arm, 'n']:,} | {table.loc[arm, 'rate']:.2%} | {bought.loc[arm, 'rate']:.2%} "
               f"| ${spend.loc[arm, 'mean']:.2f} |")
        assert row in card, row
    assert "**64,000 rows.**" in card


def test_the_checksum_is_the_manifests_and_the_provenances():
    assert module.file_checksum(FOLDER / "hillstrom.csv") == module.SHA256
    assert (FOLDER / "MANIFEST.sha256").read_text().split() == [module.SHA256, "hillstrom.csv"]
    assert module.SHA256 in (FOLDER / "PROVENANCE.md").read_text(encoding="utf-8")
    # git must never convert the file's CRLF line endings, or the checksum would differ after a checkout.
    assert re.search(r"^\* -text$", (FOLDER / ".gitattributes").read_text(), flags=re.MULTILINE)
    assert b"\r\n" in (FOLDER / "hillstrom.csv").read_bytes()[:200]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"hillstrom.csv: Hillstrom file not found"):
        datasets.load_hillstrom(directory=tmp_path)


def test_an_altered_file_is_refused(tmp_path):
    shutil.copy(FOLDER / "hillstrom.csv", tmp_path / "hillstrom.csv")
    (tmp_path / "hillstrom.csv").chmod(0o644)
    data = (tmp_path / "hillstrom.csv").read_bytes()
    (tmp_path / "hillstrom.csv").write_bytes(data.replace(b"142.44", b"142.45", 1))  # one cent on one customer
    with pytest.raises(ValueError, match=r"SHA-256 checksum [0-9a-f]{64} differs from the published file's 0e5893"):
        datasets.load_hillstrom(directory=tmp_path)
    (tmp_path / "hillstrom.csv").write_bytes(data[: len(data) // 2])  # a truncated download
    with pytest.raises(ValueError, match=r"the file was altered or is incomplete"):
        datasets.load_hillstrom(directory=tmp_path)
    (tmp_path / "hillstrom.csv").write_bytes(data.replace(b"\r\n", b"\n"))  # line endings converted
    with pytest.raises(ValueError, match=r"differs from the published file's"):
        datasets.load_hillstrom(directory=tmp_path)


def test_customering_data_finds_the_file(monkeypatch):
    monkeypatch.setenv("CUSTOMERING_DATA", str(ROOT / "datasets"))
    assert module.hillstrom_directory() == FOLDER
    assert len(datasets.load_hillstrom()) == 64_000
