"""Compact per-document rows: read back as the same dicts, build the same tables."""

from __future__ import annotations

import pickle

import pytest

from heping_data.extract.pipeline import extract_path
from heping_data.tables.rows import PackedRows, build_from_rows, rows_for
from heping_data.tables.schema import tables

from .conftest import REPORTS, SEED


@pytest.fixture(scope="module")
def per_doc() -> list[dict[str, list[dict]]]:
    return [rows_for(extract_path(p)) for p in (REPORTS / "small_report.txt", SEED)]


def test_packed_rows_read_back_as_the_schema_columns_of_each_row(per_doc):
    for rows in per_doc:
        packed = PackedRows(rows)
        assert set(packed) == set(rows) and len(packed) == len(rows)
        for name, rs in rows.items():
            cols = tables()[name].column_names
            assert packed[name] == [{c: r.get(c) for c in cols} for r in rs]
        assert packed["documents"][0]["doc_id"] == rows["documents"][0]["doc_id"]


def test_reading_packed_rows_gives_fresh_dicts(per_doc):
    packed = PackedRows(per_doc[0])
    packed["documents"][0]["source_path"] = "elsewhere.txt"
    assert packed["documents"][0]["source_path"] != "elsewhere.txt"


def test_packed_and_plain_rows_build_identical_tables(per_doc):
    rejected = [{"source_path": "b.bin", "sha256": None, "reason": "b.bin: not text"}]
    plain = build_from_rows(per_doc, rejected)
    mixed = build_from_rows([PackedRows(per_doc[0]), per_doc[1]], rejected)
    packed = build_from_rows([PackedRows(r) for r in reversed(per_doc)], rejected)
    for name in tables():
        for other in (mixed, packed):
            assert list(other[name].dtypes) == list(plain[name].dtypes), name
            assert other[name].equals(plain[name]), name
    assert len(plain["rejected"]) == 1 and len(plain["numeric_facts"]) > 0


def test_packed_rows_survive_pickling(per_doc):
    """Batches come back from Dask workers pickled."""
    packed = PackedRows(per_doc[1])
    again = pickle.loads(pickle.dumps(packed))
    assert dict(again.items()) == dict(packed.items())


def test_consuming_build_gives_the_same_tables_and_frees_the_rows(per_doc):
    plain = build_from_rows([PackedRows(r) for r in per_doc])
    packed = [PackedRows(r) for r in per_doc]
    consumed = build_from_rows(packed, consume=True)
    for name, df in plain.items():
        assert consumed[name].equals(df), name
    for p in packed:
        assert set(p) == {"documents"}


def test_csv_is_the_same_across_chunk_boundaries(per_doc, tmp_path, monkeypatch):
    from heping_data.tables import arrow

    frames = build_from_rows([PackedRows(r) for r in per_doc])
    t = tables()["number_mentions"]
    arrow.write_csv(frames["number_mentions"], t, tmp_path / "whole.csv")
    monkeypatch.setattr(arrow, "CSV_CHUNK_ROWS", 7)
    arrow.write_csv(frames["number_mentions"], t, tmp_path / "chunks.csv")
    assert len(frames["number_mentions"]) > 7
    assert (tmp_path / "whole.csv").read_bytes() == (tmp_path / "chunks.csv").read_bytes()
