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

from heping_data.errors import HepingError
from heping_data.release import publish as publish_mod
from heping_data.run import corpus, sequence
from heping_data.tables.arrow import format_number
from heping_data.tables.schema import tables

from .conftest import REPORTS, SEED
from .runs import extract_inputs, extracted


@pytest.fixture(scope="module")
def merged() -> corpus.BatchResult:
    inputs = corpus.discover([SEED, REPORTS / "small_report.txt"])
    return extract_inputs(inputs)


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
    from heping_data.tables.arrow import write_csv

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


# --- The streamed path: per-batch parts, global checks, publish from parts ---------------


def _variants(tmp_path: Path, n: int = 9, extras: bool = True) -> Path:
    from .procs import report_variants

    folder = tmp_path / "corpus"
    bases = ["small_report.txt", "news_summary_digits.txt", "full_report_digits.txt"]
    made = report_variants([REPORTS / b for b in bases], n, folder)
    if not extras:
        return folder
    (folder / "copy_of_first.txt").write_bytes(made[0].read_bytes())
    (folder / "not_a_report.bin").write_bytes(b"\x00\x01\x02" * 64)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_streamed_release_is_byte_identical_to_the_in_memory_one(tmp_path):
    folder = _variants(tmp_path)
    merged = extracted([folder])
    frames = corpus.frames_of(merged)
    info = corpus.release_info(merged, "same", "2024-03-01")
    whole = publish_mod.publish(frames, merged.texts, tmp_path / "a", info)
    # batches of 2: five batches, a duplicate and a rejected file among them
    streamed, run = sequence.publish_corpus(
        [folder], tmp_path / "b", version="same", release_date="2024-03-01", batch_size=2
    )
    assert len(run.batches) == 5 and run.documents == 9
    assert _files(whole) == _files(streamed)
    reasons = {Path(r["source_path"]).name: r["reason"] for r in run.rejected}
    assert sorted(reasons) == ["not_a_report.bin", "r00_small_report.txt"]
    assert "binary file" in reasons["not_a_report.bin"]
    assert reasons["r00_small_report.txt"].endswith("copy_of_first.txt (one document kept)")
    # the work folder is gone, nothing but the release is left behind
    assert not list((tmp_path / "b").glob(".work-*"))
    assert not list((tmp_path / "b").glob(".building-*"))


def test_batches_come_in_document_id_order(tmp_path):
    folder = _variants(tmp_path)
    prep = corpus.prepare_batch(corpus.discover([folder]))
    batches, dups = corpus.plan_batches(prep.prepared, 4)
    ids = [p.sha256 for b in batches for p in b]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 10
    assert [d["source_path"].rsplit("/", 1)[-1] for d in dups] == ["r00_small_report.txt"]


def test_a_key_in_two_batches_fails_the_global_check(tmp_path):
    from heping_data.errors import ValidationFailed

    prep = corpus.prepare_batch(corpus.discover([REPORTS / "small_report.txt"]))
    with publish_mod.work_folder(tmp_path / "out") as work:
        staged = [corpus.stage_prepared(prep.prepared, i, work) for i in (0, 1)]
        run = corpus.collect(staged)
        with pytest.raises(ValidationFailed) as exc:
            corpus.check_run(run)
    # every other key names its document: the documents table reports the clash
    checks = {(f["table"], f["check"], f["row"]) for f in exc.value.failures}
    assert checks == {
        ("documents", "primary key unique across batches", 0),
        ("documents", "primary key unique across batches", 1),
    }


def test_keys_that_do_not_name_their_document_are_compared_across_batches(tmp_path):
    import pyarrow as pa

    from heping_data.validate.checks import global_failures

    prep = corpus.prepare_batch(corpus.discover([SEED, REPORTS / "small_report.txt"]))
    batches, _ = corpus.plan_batches(prep.prepared, 1)
    with publish_mod.work_folder(tmp_path / "out") as work:
        staged = [corpus.stage_prepared(b, i, work) for i, b in enumerate(batches)]
        run = corpus.collect(staged)
        parts = run.parts()
        assert global_failures(parts) == []
        # the same bare id in both batches: unique within each, not across them
        for f in parts.folders:
            tbl = publish_mod.read_part(f, "numeric_facts")
            ids = ["x", *tbl.column("fact_id").to_pylist()[1:]]
            tbl = tbl.set_column(0, "fact_id", pa.array(ids, type=pa.string()))
            publish_mod.write_part(f, "numeric_facts", tbl)
        failures = global_failures(parts)
    first = run.batches[0].counts["numeric_facts"]
    assert [(f["table"], f["row"], f["value"]) for f in failures] == [
        ("numeric_facts", 0, "x"),
        ("numeric_facts", first, "x"),
    ]


def test_batch_failures_are_numbered_as_in_the_whole_table(tmp_path, monkeypatch):
    from heping_data.errors import ValidationFailed

    folder = _variants(tmp_path, 4, extras=False)
    real = corpus.frames_of

    def corrupt(merged, **kw):
        frames = real(merged, **kw)
        frames["sections"].loc[frames["sections"].index[-1], "level"] = 9
        return frames

    monkeypatch.setattr(corpus, "frames_of", corrupt)
    with pytest.raises(ValidationFailed) as exc:
        sequence.publish_corpus([folder], tmp_path / "out", version="x", batch_size=2, strict=True)
    monkeypatch.undo()
    whole = corpus.frames_of(extracted([folder]))
    secs = whole["sections"]
    docs = sorted(secs.doc_id.unique())
    # the last section row of each batch of two documents, numbered in the whole table
    want = [int(secs.index[secs.doc_id == d][-1]) for d in docs[1::2]]
    got = sorted(
        f["row"] for f in exc.value.failures if f["table"] == "sections" and f["column"] == "level"
    )
    assert got == want
    assert not (tmp_path / "out" / "releases" / "x").exists()
    assert not list((tmp_path / "out").glob(".work-*"))


def test_inline_parts_land_like_written_ones(tmp_path):
    prep = corpus.prepare_batch(corpus.discover([SEED, REPORTS / "small_report.txt"]))
    (batch,), _ = corpus.plan_batches(prep.prepared, 10)
    written = corpus.stage_prepared(batch, 0, tmp_path / "w1")
    inline = corpus.stage_prepared(batch, 0, None)
    assert inline.folder is None and inline.inline
    landed = corpus.land(inline, tmp_path / "w2")
    assert landed.inline is None
    assert _files(Path(landed.folder)) == _files(Path(written.folder))
    assert landed.counts == written.counts and landed.doc_ids == written.doc_ids


def test_stale_work_folders_are_removed_live_ones_kept(tmp_path):
    out = tmp_path / "out"
    with publish_mod.work_folder(out) as live:
        dead = out / ".work-dead"
        dead.mkdir()
        (dead / ".lock").touch()
        (dead / "000000").mkdir()
        publish_mod.remove_stale_work(out)
        assert live.is_dir() and not dead.exists()
    assert not live.exists()


def _break_first_facts(frames: dict) -> dict:
    """The first fact of every document gets an offset outside the text (as a bug would)."""
    f = frames["numeric_facts"]
    f.loc[f.fact_id.str.endswith("-f00000"), "char_start"] = -3
    return frames


def test_streamed_quarantine_matches_the_in_memory_one(tmp_path, monkeypatch):
    from heping_data.validate import checks as validate

    folder = _variants(tmp_path, 5, extras=False)
    merged = extracted([folder])
    q = validate.quarantine(_break_first_facts(corpus.frames_of(merged)), merged.texts)
    info = corpus.release_info(merged, "q", "2024-03-01")
    whole = publish_mod.publish(q.frames, q.texts, tmp_path / "a", info, quarantine=q.rows)
    real = corpus.frames_of
    monkeypatch.setattr(corpus, "frames_of", lambda m, **kw: _break_first_facts(real(m, **kw)))
    streamed, run = sequence.publish_corpus(
        [folder],
        tmp_path / "b",
        version="q",
        release_date="2024-03-01",
        batch_size=2,
        quarantine=True,
    )
    assert run.quarantined["numeric_facts"] == 5 and run.quarantined["number_mentions"] >= 5
    assert (streamed / "quarantine" / "numeric_facts.csv").is_file()
    assert _files(whole) == _files(streamed)
