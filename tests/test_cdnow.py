"""The CDNOW loader returns the published data set, whole and exactly."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from customering_utils import datasets
from customering_utils.datasets.cdnow import cdnow_directory


def test_sample_is_the_published_sample():
    cdnow = datasets.load_cdnow(sample=True)
    assert cdnow.columns.tolist() == ["customer_id", "date", "quantity", "amount"]
    assert len(cdnow) == 6_919 and cdnow["customer_id"].nunique() == 2_357
    assert cdnow["date"].min() == pd.Timestamp("1997-01-01") and cdnow["date"].max() == pd.Timestamp("1998-06-30")
    # Everyone in the cohort made their first purchase in the first quarter of 1997.
    assert cdnow.groupby("customer_id")["date"].min().max() < pd.Timestamp("1997-04-01")
    # The file's first customer: master id 4, four purchases, the first of 2 CDs for $29.33.
    first = cdnow[cdnow["customer_id"] == 4]
    assert first["amount"].tolist() == [29.33, 29.73, 14.96, 26.48] and first["quantity"].iloc[0] == 2
    assert [cdnow[c].dtype.kind for c in cdnow.columns] == ["i", "M", "i", "f"]


def test_full_data_and_sample_agree():
    full = datasets.load_cdnow(sample=False)
    assert len(full) == 69_659 and full["customer_id"].nunique() == 23_570
    sample = datasets.load_cdnow(sample=True)
    merged = sample.merge(full, how="left", on=["customer_id", "date", "quantity", "amount"], indicator=True)
    assert (merged["_merge"] == "both").all(), "every sample purchase is in the master file"


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_sample_must_be_true_or_false(value):
    with pytest.raises(TypeError, match=r"sample should be True \(the 2,357-customer sample\) or False"):
        datasets.load_cdnow(sample=value)


def test_missing_and_corrupt_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"CDNOW_sample.txt: CDNOW file not found"):
        datasets.load_cdnow(directory=tmp_path)
    shutil.copy(cdnow_directory() / "CDNOW_sample.txt", tmp_path)
    lines = (tmp_path / "CDNOW_sample.txt").read_text().splitlines()
    lines[4] = lines[4].replace("19970101", "1997-1-1")
    (tmp_path / "CDNOW_sample.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"column 'date' should be a date as YYYYMMDD, but row 5 has '1997-1-1'"):
        datasets.load_cdnow(directory=tmp_path)
