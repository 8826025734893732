"""The release folder: atomic, deterministic, checkable, readable by every tool."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from heping_data import corpus
from heping_data import publish as publish_mod
from heping_data.arrow import format_number
from heping_data.errors import HepingError
from heping_data.schema import tables

from .conftest import REPORTS, SEED


@pytest.fixture(scope="module")
def merged() -> corpus.BatchResult:
    inputs = corpus.discover([SEED, REPORTS / "small_report.txt"])
    return corpus.merge([corpus.process_batch(inputs)])


def _publish(merged: corpus.BatchResult, out: Path, version: str = "t1") -> Path:
    frames = corpus.frames_of(merged)
    info = corpus.release_info(merged, version, "2024-03-01")
    return publish_mod.publish(frames, merged.texts, out, info)


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_release_layout_and_latest(merged, tmp_path):
    rel = _publish(merged, tmp_path)
    assert rel == tmp_path / "releases" / "t1"
    assert (tmp_path / "latest").resolve() == rel.resolve()
    for name in tables():
        assert (rel / f"{name}.parquet").is_file()
        assert (rel / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    for f in (
        "datapackage.json",
        "DATA_DICTIONARY.md",
        "data_dictionary.csv",
        "README.md",
        "SHA256SUMS",
    ):
        assert (rel / f).is_file(), f
    for d, text in merged.texts.items():
        assert (rel / "texts" / f"{d}.txt").read_text(encoding="utf-8") == text
    r = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=rel, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_same_inputs_give_byte_identical_release(merged, tmp_path):
    a = _publish(merged, tmp_path / "a")
    b = _publish(merged, tmp_path / "b")
    assert _digests(a) == _digests(b)
    again = _publish(merged, tmp_path / "a")  # republish over itself
    assert _digests(again) == _digests(b)


def test_datapackage_describes_every_file(merged, tmp_path):
    rel = _publish(merged, tmp_path)
    pkg = json.loads((rel / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["version"] == "t1" and pkg["created"] == "2024-03-01T00:00:00Z"
    assert pkg["licenses"][0]["name"] == "CC-BY-4.0"
    paths = {r["path"] for r in pkg["resources"]}
    assert {f"{n}.csv" for n in tables()} <= paths
    facts = next(r for r in pkg["resources"] if r["name"] == "numeric_facts")
    assert facts["schema"]["primaryKey"] == ["fact_id"]
    field = {f["name"]: f for f in facts["schema"]["fields"]}
    assert field["comparator"]["constraints"]["enum"] == ["eq", "gt", "ge", "lt", "le", "approx"]
    for r in pkg["resources"]:
        assert r["hash"] == "sha256:" + hashlib.sha256((rel / r["path"]).read_bytes()).hexdigest()
        assert r["bytes"] == (rel / r["path"]).stat().st_size


def test_frictionless_validate_passes(merged, tmp_path):
    rel = _publish(merged, tmp_path)
    exe = Path(sys.executable).with_name("frictionless")
    r = subprocess.run(
        [str(exe), "validate", "datapackage.json"], cwd=rel, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]


def test_parquet_metadata_and_types(merged, tmp_path):
    rel = _publish(merged, tmp_path)
    f = pq.ParquetFile(rel / "numeric_facts.parquet")
    schema = f.schema_arrow
    assert schema.metadata[b"primary_key"] == b"fact_id"
    assert schema.metadata[b"dataset_version"] == b"t1"
    assert b"description" in schema.field("value_min").metadata
    assert str(schema.field("comparator").type).startswith("dictionary")
    assert str(schema.field("period_year").type) == "int64"
    assert f.metadata.row_group(0).column(0).compression == "ZSTD"


def test_csv_numbers_plain_and_formulas_inert(tmp_path):
    assert format_number(1e7) == "10000000"
    assert format_number(10000000.000000002) == "10000000"
    assert format_number(99.9) == "99.9"
    assert format_number(0.5) == "0.5"
    t = tables()["rejected"]
    df = pd.DataFrame(
        {
            "source_path": ["=HYPERLINK(1)", "+1", "a"],
            "sha256": [None, None, None],
            "reason": ["-x", "@y", "\tz"],
        }
    )
    from heping_data.arrow import write_csv

    write_csv(df, t, tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'+1" in text and "'-x" in text and "'@y" in text
    assert "'\tz" in text


def test_failed_build_leaves_previous_release(merged, tmp_path, monkeypatch):
    first = _publish(merged, tmp_path, "t1")
    before = _digests(first)

    def boom(*a, **k):
        raise HepingError("disk full (simulated)")

    monkeypatch.setattr(publish_mod, "dataset_readme", boom)
    with pytest.raises(HepingError):
        _publish(merged, tmp_path, "t1")
    with pytest.raises(HepingError):
        _publish(merged, tmp_path, "t2")
    assert _digests(first) == before
    assert (tmp_path / "latest").resolve() == first.resolve()
    assert not (tmp_path / "releases" / "t2").exists()
    assert not list(tmp_path.glob(".building-*"))


def test_bad_version_refused(merged, tmp_path):
    with pytest.raises(HepingError, match="release version"):
        _publish(merged, tmp_path, "../escape")


def test_output_folder_reads_as_the_newest_release(merged, tmp_path):
    """output/<file> links through latest/, so tools given the output folder see the newest."""
    _publish(merged, tmp_path, "t1")
    second = _publish(merged, tmp_path, "t2")
    for name in ("documents.parquet", "numeric_facts.csv", "datapackage.json", "texts"):
        link = tmp_path / name
        assert link.is_symlink() and os.readlink(link) == f"latest/{name}"
        assert link.resolve() == (second / name).resolve()
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")  # a user's file stays
    _publish(merged, tmp_path, "t3")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    r = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=tmp_path, capture_output=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
