"""Extractions to typed DataFrames, one per table of ``schemas/``.

Ids are derived from the document id and the row's ordinal, so the same input always
gives the same ids; ``entity_key`` is a hash of (type, canonical), shared across documents.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from .records import Extraction
from .schema import Table, tables


def entity_key(entity_type: str, canonical: str) -> str:
    """Stable 12-hex key of a canonical entity, the same in every document and release."""
    return hashlib.sha256(f"{entity_type}\x1f{canonical}".encode()).hexdigest()[:12]


def _rows_for(ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    doc = ex.document
    d = doc.doc_id
    sec_ids = [f"{d}-s{s.index:04d}" for s in ex.sections]
    sent_ids = [f"{d}-t{s.index:05d}" for s in ex.sentences]
    sent_starts = [s.start for s in ex.sentences]
    sec_starts = [s.span_start for s in ex.sections]

    def section_at(pos: int) -> str | None:
        if not (doc.body_start <= pos < doc.body_end) or not ex.sections:
            return None
        i = bisect.bisect_right(sec_starts, pos) - 1
        return sec_ids[i] if i >= 0 and pos < ex.sections[i].span_end else None

    def sentence_at(pos: int) -> str | None:
        i = bisect.bisect_right(sent_starts, pos) - 1
        if i >= 0 and pos < ex.sentences[i].end:
            return sent_ids[i]
        return None

    rows: dict[str, list[dict[str, Any]]] = {}
    rows["sections"] = [
        {
            "section_id": sec_ids[s.index],
            "doc_id": d,
            "parent_id": sec_ids[s.parent_index] if s.parent_index is not None else None,
            "ordinal": s.index,
            "level": s.level,
            "numbering": s.numbering,
            "heading": s.heading,
            "part": s.part,
            "char_start": s.char_start,
            "char_end": s.char_end,
            "span_start": s.span_start,
            "span_end": s.span_end,
        }
        for s in ex.sections
    ]
    rows["sentences"] = [
        {
            "sentence_id": sent_ids[s.index],
            "doc_id": d,
            "section_id": sec_ids[s.section_index],
            "char_start": s.start,
            "char_end": s.end,
            "sentence": doc.text[s.start : s.end],
        }
        for s in ex.sentences
    ]
    mention_ids = {}
    mrows = []
    for i, m in enumerate(ex.mentions):
        mid = f"{d}-m{i:05d}"
        mention_ids[(m.start, m.end)] = mid
        mrows.append(
            {
                "mention_id": mid,
                "doc_id": d,
                "section_id": section_at(m.start),
                "char_start": m.start,
                "char_end": m.end,
                "mention": m.text,
                "class": m.cls,
                "fact_id": None,
                "note": m.note,
            }
        )
    frows = []
    for i, f in enumerate(ex.facts):
        m = f.mention
        fid = f"{d}-f{i:05d}"
        mid = mention_ids[(m.start, m.end)]
        mrows[int(mid.rsplit("-m", 1)[1])]["fact_id"] = fid
        frows.append(
            {
                "fact_id": fid,
                "doc_id": d,
                "section_id": sec_ids[f.section_index],
                "sentence_id": sent_ids[f.sentence_index]
                if f.sentence_index is not None
                else sentence_at(m.start),
                "mention_id": mid,
                "char_start": m.start,
                "char_end": m.end,
                "mention": m.text,
                # Never null: consumers (and the gold scorer) read it as text.
                "metric": f.metric or "",
                "unit": m.unit,
                "multiplier": m.multiplier,
                "value": m.value,
                "value_min": m.value_min,
                "value_max": m.value_max,
                "comparator": m.comparator,
                "implied_min": m.implied_min,
                "implied_max": m.implied_max,
                "is_masked": m.is_masked,
                "masked_digits": m.masked_digits,
                "is_range": m.is_range,
                "kind": f.kind,
                "role": f.role,
                "period_year": f.period_year,
                "inferred_value": f.inferred_value,
                "inferred_how": f.inferred_how,
            }
        )
    rows["number_mentions"] = mrows
    rows["numeric_facts"] = frows
    erows = []
    summary: dict[str, dict[str, Any]] = {}
    for i, e in enumerate(ex.entities):
        key = entity_key(e.entity_type, e.canonical)
        erows.append(
            {
                "entity_id": f"{d}-e{i:05d}",
                "doc_id": d,
                "section_id": section_at(e.start),
                "sentence_id": sentence_at(e.start),
                "char_start": e.start,
                "char_end": e.end,
                "mention": e.text,
                "entity_type": e.entity_type,
                "canonical": e.canonical,
                "entity_key": key,
                "rule": e.rule,
            }
        )
        row = summary.setdefault(
            key,
            {
                "doc_id": d,
                "entity_key": key,
                "entity_type": e.entity_type,
                "canonical": e.canonical,
                "mention_count": 0,
                "first_char_start": e.start,
            },
        )
        row["mention_count"] += 1
    rows["entities"] = erows
    rows["entity_summary"] = sorted(summary.values(), key=lambda r: r["first_char_start"])
    rows["documents"] = [
        {
            "doc_id": d,
            "source_path": doc.source_path,
            "file_name": doc.file_name,
            "sha256": doc.sha256,
            "byte_count": doc.byte_count,
            "encoding": doc.encoding,
            "title": doc.title,
            "byline": doc.byline,
            "source_url": doc.source_url,
            "report_year": doc.report_year,
            "char_count": len(doc.text),
            "body_char_start": doc.body_start,
            "body_char_end": doc.body_end,
            "text_path": f"texts/{d}.txt",
            "n_sections": len(rows["sections"]),
            "n_facts": len(frows),
            "n_entities": len(erows),
        }
    ]
    return rows


def frame(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame with exactly the schema's columns, in order, with nullable dtypes."""
    data = {
        c.name: pd.array([r.get(c.name) for r in rows], dtype=c.pandas_dtype) for c in table.columns
    }
    return pd.DataFrame(data, columns=table.column_names)


def build_tables(
    extractions: Iterable[Extraction], rejected: Iterable[dict[str, Any]] = ()
) -> dict[str, pd.DataFrame]:
    """All tables of a release from per-document extractions, sorted by document id."""
    return build_from_rows((rows_for(e) for e in extractions), rejected)


def rows_for(ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Per-document rows (public for the flows' per-document cache)."""
    return _rows_for(ex)


class PackedRows(Mapping[str, list[dict[str, Any]]]):
    """A document's rows, one tuple per row in schema column order; reads give fresh dicts.

    Why: a dict per row costs several times a tuple, and a corpus run holds every
    document's rows until its release is built (about half the memory of the rows at
    10,000 reports). Columns not in the schema are dropped (no table would keep them).
    """

    __slots__ = ("_data", "_extra")

    def __init__(self, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        ts = tables()
        self._data: dict[str, list[tuple[Any, ...]]] = {}
        self._extra: dict[str, list[dict[str, Any]]] = {}
        for name, rs in rows.items():
            if name in ts:
                cols = ts[name].column_names
                self._data[name] = [tuple(r.get(c) for c in cols) for r in rs]
            else:
                self._extra[name] = list(rs)

    def tuples(self, name: str) -> list[tuple[Any, ...]]:
        """The rows of ``name`` as stored (schema column order), without building dicts."""
        return self._data[name]

    def __getitem__(self, name: str) -> list[dict[str, Any]]:
        if name in self._extra:
            return self._extra[name]
        cols = tables()[name].column_names
        return [dict(zip(cols, t, strict=True)) for t in self._data[name]]

    def __iter__(self) -> Iterator[str]:
        yield from self._data
        yield from self._extra

    def __len__(self) -> int:
        return len(self._data) + len(self._extra)

    def __getstate__(self) -> tuple[Any, Any]:
        return self._data, self._extra

    def __setstate__(self, state: tuple[Any, Any]) -> None:
        self._data, self._extra = state


def _frame_of_tuples(table: Table, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Like :func:`frame`, from rows already in schema column order."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(table.columns)
    data = {
        c.name: pd.array(list(v), dtype=c.pandas_dtype)
        for c, v in zip(table.columns, cols, strict=True)
    }
    return pd.DataFrame(data, columns=table.column_names)


def build_from_rows(
    per_doc: Iterable[Mapping[str, list[dict[str, Any]]]], rejected: Iterable[dict[str, Any]] = ()
) -> dict[str, pd.DataFrame]:
    """All tables from per-document row sets (already extracted, possibly from a cache)."""
    ts = tables()
    acc: dict[str, list[tuple[Any, ...]]] = {name: [] for name in ts}
    for rows in sorted(per_doc, key=lambda r: r["documents"][0]["doc_id"]):
        if isinstance(rows, PackedRows):
            for name in rows._data:
                acc[name].extend(rows.tuples(name))
            continue
        for name, rs in rows.items():
            cols = ts[name].column_names
            acc[name].extend(tuple(r.get(c) for c in cols) for r in rs)
    acc["rejected"] = [
        tuple(r.get(c) for c in ts["rejected"].column_names)
        for r in sorted(rejected, key=lambda r: r["source_path"])
    ]
    return {name: _frame_of_tuples(t, acc[name]) for name, t in ts.items()}
