"""Extractions to typed DataFrames, one per table of ``schemas/``.

Ids are derived from the document id and the row's ordinal, so the same input always
gives the same ids; ``entity_key`` is a hash of (type, canonical), shared across documents.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

import pandas as pd

from heping_data.records import Extraction
from heping_data.tables.frames import as_tuples as _as_tuples
from heping_data.tables.frames import frame as frame  # re-exported: rows.frame was public
from heping_data.tables.frames import frame_of_tuples as _frame_of_tuples
from heping_data.tables.schema import counted_columns, per_run_tables, table_of, tables


@lru_cache(maxsize=1 << 16)
def entity_key(entity_type: str, canonical: str) -> str:
    """Stable 12-hex key of a canonical entity, the same in every document and release.

    Cached: the same few thousand entities recur in every report of a corpus.
    """
    return hashlib.sha256(f"{entity_type}\x1f{canonical}".encode()).hexdigest()[:12]


#: Zero-padded ordinals by width, grown on demand: formatting ``f"{i:05d}"`` per row
#: costs several times a list lookup plus a concatenation.
_PADDED: dict[int, list[str]] = {}


def _padded(width: int, n: int) -> list[str]:
    """``format(i, f"0{width}d")`` for every ``i < n`` (at least), shared across documents.

    A grown table replaces the old one whole, so concurrent threads never see a
    half-built list.
    """
    pads = _PADDED.get(width, [])
    if len(pads) < n:
        fmt = f"0{width}d"
        pads = [format(i, fmt) for i in range(max(n, 2 * len(pads), 1024))]
        _PADDED[width] = pads
    return pads


def _ids(prefix: str, width: int, ordinals: list[int]) -> list[str]:
    """``f"{prefix}{i:0{width}d}"`` for each ordinal, from the padded table."""
    if not ordinals:
        return []
    if min(ordinals) < 0:  # never from the pipeline; keep f-string semantics anyway
        return [f"{prefix}{i:0{width}d}" for i in ordinals]
    pads = _padded(width, max(ordinals) + 1)
    return [prefix + pads[i] for i in ordinals]


def __getattr__(name: str) -> Any:
    """``PER_RUN``: read from the schemas when first asked for (no schema read at import)."""
    if name == "PER_RUN":
        return per_run_tables()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Doc:
    """What every row builder of one document reads: its ids and where positions fall.

    Built once per document; the builders run in registration order and each may read
    the rows built before it (``rows``) and the lookups left on it (``mention_index``).
    """

    __slots__ = (
        "body_end",
        "body_start",
        "d",
        "ex",
        "has_sections",
        "mention_index",
        "p5",
        "sec_ends",
        "sec_ids",
        "sec_starts",
        "sent_ends",
        "sent_ids",
        "sent_starts",
    )

    def __init__(self, ex: Extraction) -> None:
        doc = ex.document
        d = self.d = doc.doc_id
        self.ex = ex
        sections, sentences = ex.sections, ex.sentences
        self.p5 = _padded(5, max(len(ex.mentions), len(ex.facts), len(ex.entities)))
        self.sec_ids = _ids(f"{d}-s", 4, [s.index for s in sections])
        self.sent_ids = _ids(f"{d}-t", 5, [s.index for s in sentences])
        self.sent_starts = [s.start for s in sentences]
        self.sent_ends = [s.end for s in sentences]
        self.sec_starts = [s.span_start for s in sections]
        self.sec_ends = [s.span_end for s in sections]
        self.body_start, self.body_end = doc.body_start, doc.body_end
        self.has_sections = bool(sections)
        #: (start, end) -> index of the mention row; the last mention of a span wins.
        self.mention_index: dict[tuple[int, int], int] = {}

    def section_at(self, pos: int) -> str | None:
        if not (self.body_start <= pos < self.body_end) or not self.has_sections:
            return None
        i = bisect.bisect_right(self.sec_starts, pos) - 1
        return self.sec_ids[i] if i >= 0 and pos < self.sec_ends[i] else None

    def sentence_at(self, pos: int) -> str | None:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i >= 0 and pos < self.sent_ends[i]:
            return self.sent_ids[i]
        return None


Tuples = dict[str, list[tuple[Any, ...]]]
Builder = Callable[["_Doc", Tuples], list[tuple[Any, ...]]]

#: Row builder of each per-document table, in the order they run, with the columns its
#: tuples hold (a builder may read the rows of the tables before it).
_BUILDERS: dict[str, tuple[tuple[str, ...] | None, Builder]] = {}


def builds(table: str, columns: tuple[str, ...] | None) -> Callable[[Builder], Builder]:
    """Register the row builder of ``table`` (one per table), writing tuples of ``columns``.

    ``None``: the builder orders its rows by the schema itself (it reads named values).

    Why tuples: a dict per row cost several times a tuple, and every row was turned into
    a tuple in schema order anyway (:class:`PackedRows`); ``columns`` is checked against
    the schema once, so a reordered schema fails loudly instead of shifting values.
    """

    def register(fn: Builder) -> Builder:
        if table in _BUILDERS:
            raise ValueError(f"{table}: a row builder is already registered")
        _BUILDERS[table] = (columns, fn)
        return fn

    return register


@cache
def _checked_builders() -> tuple[tuple[str, Builder], ...]:
    """The builders, once their columns are known to be their tables' schema columns."""
    ts = tables()
    for name, (cols, _fn) in _BUILDERS.items():
        if cols is not None and list(cols) != ts[name].column_names:
            raise ValueError(f"{name}: the row builder's columns are not the schema's: {cols}")
    return tuple((name, fn) for name, (_cols, fn) in _BUILDERS.items())


@builds("sections", ("section_id", "doc_id", "parent_id", "ordinal", "level", "numbering",
                     "heading", "part", "char_start", "char_end", "span_start", "span_end"))  # fmt: skip
def _sections(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    sec_ids, d = c.sec_ids, c.d
    return [
        (
            sec_ids[s.index],
            d,
            sec_ids[s.parent_index] if s.parent_index is not None else None,
            s.index,
            s.level,
            s.numbering,
            s.heading,
            s.part,
            s.char_start,
            s.char_end,
            s.span_start,
            s.span_end,
        )
        for s in c.ex.sections
    ]


@builds("sentences", ("sentence_id", "doc_id", "section_id", "char_start", "char_end", "sentence"))
def _sentences(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    sec_ids, sent_ids, d, text = c.sec_ids, c.sent_ids, c.d, c.ex.document.text
    return [
        (sent_ids[s.index], d, sec_ids[s.section_index], s.start, s.end, text[s.start : s.end])
        for s in c.ex.sentences
    ]


def _fact_ids_by_mention(c: _Doc) -> dict[int, str]:
    """Mention index -> id of the fact read from it (the last fact of a span wins)."""
    index = c.mention_index
    f_prefix, p5 = f"{c.d}-f", c.p5
    return {
        index[(f.mention.start, f.mention.end)]: f_prefix + p5[i] for i, f in enumerate(c.ex.facts)
    }


@builds("number_mentions", ("mention_id", "doc_id", "section_id", "char_start", "char_end",
                            "mention", "class", "fact_id", "note"))  # fmt: skip
def _number_mentions(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    d, p5, sec_ids, sec_starts, sec_ends = c.d, c.p5, c.sec_ids, c.sec_starts, c.sec_ends
    body_start, body_end, has_sections = c.body_start, c.body_end, c.has_sections
    bisect_right = bisect.bisect_right
    mentions = c.ex.mentions
    c.mention_index = {(m.start, m.end): i for i, m in enumerate(mentions)}
    fact_of = _fact_ids_by_mention(c).get
    mrows = []
    m_prefix = f"{d}-m"
    for i, m in enumerate(mentions):
        start = m.start
        # section_at inlined: one call per mention is a measurable share of rows_for
        if body_start <= start < body_end and has_sections:
            j = bisect_right(sec_starts, start) - 1
            sec = sec_ids[j] if j >= 0 and start < sec_ends[j] else None
        else:
            sec = None
        mrows.append((m_prefix + p5[i], d, sec, start, m.end, m.text, m.cls, fact_of(i), m.note))
    return mrows


@builds("numeric_facts", ("fact_id", "doc_id", "section_id", "sentence_id", "mention_id",
                          "char_start", "char_end", "mention", "metric", "unit", "multiplier",
                          "value", "value_min", "value_max", "comparator", "implied_min",
                          "implied_max", "is_masked", "masked_digits", "is_range", "kind",
                          "role", "period_year", "inferred_value", "inferred_how"))  # fmt: skip
def _numeric_facts(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    """Fact rows, each naming its mention's row (whose ``fact_id`` names it back)."""
    d, p5, sec_ids, sent_ids, index = c.d, c.p5, c.sec_ids, c.sent_ids, c.mention_index
    sentence_at = c.sentence_at
    f_prefix, m_prefix = f"{d}-f", f"{d}-m"
    out = []
    for i, f in enumerate(c.ex.facts):
        m = f.mention
        si = f.sentence_index
        out.append(
            (
                f_prefix + p5[i],
                d,
                sec_ids[f.section_index],
                sent_ids[si] if si is not None else sentence_at(m.start),
                m_prefix + p5[index[(m.start, m.end)]],
                m.start,
                m.end,
                m.text,
                # never null: consumers (and the gold scorer) read it as text
                f.metric or "",
                m.unit,
                m.multiplier,
                m.value,
                m.value_min,
                m.value_max,
                m.comparator,
                m.implied_min,
                m.implied_max,
                m.is_masked,
                m.masked_digits,
                m.is_range,
                f.kind,
                f.role,
                f.period_year,
                f.inferred_value,
                f.inferred_how,
            )
        )
    return out


@builds("indicator_values", None)
def _indicator_values_rows(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    """The linker's rows (dicts keyed by column name), read in schema order."""
    get = _schema_getter("indicator_values")
    return [get(r) for r in _indicator_values(c.ex, rows["numeric_facts"])]


@cache
def _schema_getter(table: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """One C call per row giving a dict's values in the table's schema column order."""
    return itemgetter(*tables()[table].column_names)


@builds("entities", ("entity_id", "doc_id", "section_id", "sentence_id", "char_start",
                     "char_end", "mention", "entity_type", "canonical", "entity_key", "rule"))  # fmt: skip
def _entities(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    d, p5 = c.d, c.p5
    section_at, sentence_at = c.section_at, c.sentence_at
    e_prefix = f"{d}-e"
    return [
        (
            e_prefix + p5[i],
            d,
            section_at(e.start),
            sentence_at(e.start),
            e.start,
            e.end,
            e.text,
            e.entity_type,
            e.canonical,
            entity_key(e.entity_type, e.canonical),
            e.rule,
        )
        for i, e in enumerate(c.ex.entities)
    ]


@builds("entity_summary", ("doc_id", "entity_key", "entity_type", "canonical", "mention_count",
                           "first_char_start"))  # fmt: skip
def _entity_summary(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    """One row per entity key of the document, in order of its first mention."""
    first: dict[str, tuple[Any, ...]] = {}
    count: dict[str, int] = {}
    for e in rows["entities"]:
        key = e[9]  # entity_key
        if key in count:
            count[key] += 1
        else:
            first[key], count[key] = e, 1
    out = [(e[1], k, e[7], e[8], count[k], e[4]) for k, e in first.items()]
    return sorted(out, key=itemgetter(5))


_DOCUMENT_COLUMNS = (
    "doc_id",
    "source_path",
    "file_name",
    "sha256",
    "byte_count",
    "encoding",
    "title",
    "byline",
    "source_url",
    "year_reviewed",
    "year_planned",
    "year_source",
    "region_name",
    "region_code",
    "admin_level",
    "parent_region_name",
    "parent_region_code",
    "region_source",
    "region_note",
    "publisher",
    "char_count",
    "body_char_start",
    "body_char_end",
    "text_path",
)


@builds("documents", (*_DOCUMENT_COLUMNS, "n_sections", "n_facts", "n_entities"))
def _documents(c: _Doc, rows: Tuples) -> list[tuple[Any, ...]]:
    """The document's one row; its count columns count the rows built before it."""
    doc, d = c.ex.document, c.d
    row = (
        d,
        doc.source_path,
        doc.file_name,
        doc.sha256,
        doc.byte_count,
        doc.encoding,
        doc.title,
        doc.byline,
        doc.source_url,
        doc.report_year,
        doc.year_planned,
        doc.year_source,
        doc.region_name,
        doc.region_code,
        doc.admin_level,
        doc.parent_region_name,
        doc.parent_region_code,
        doc.region_source,
        doc.region_note,
        doc.publisher,
        len(doc.text),
        c.body_start,
        c.body_end,
        f"texts/{d}.txt",
    )
    counts = counted_columns()
    cols = _BUILDERS["documents"][0][len(_DOCUMENT_COLUMNS) :]
    return [(*row, *(len(rows[counts[col]]) for col in cols))]


def _rows_for(ex: Extraction) -> Tuples:
    """Every per-document table's rows as tuples, each from its registered builder."""
    c = _Doc(ex)
    rows: Tuples = {}
    for name, build in _checked_builders():
        rows[name] = build(c, rows)
    return rows


def _part_of(sections: tuple[Any, ...], index: int) -> str | None:
    """A section's part (review / plan), inherited from the nearest ancestor that has one."""
    seen = 0
    i: int | None = index
    while i is not None and seen < 16:
        s = sections[i]
        if s.part is not None:
            return s.part
        i, seen = s.parent_index, seen + 1
    return None


#: Fields of a fact row that :func:`indicator_rows` reads, by position in the fact tuple.
_FACT_FIELDS = {"fact_id": 0, "doc_id": 1, "metric": 8, "unit": 9, "value_min": 12,
                "value_max": 13, "comparator": 14, "kind": 20, "role": 21, "period_year": 22}  # fmt: skip


_FACT_KEYS = tuple(_FACT_FIELDS)


def _indicator_values(ex: Extraction, frows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Rows of ``indicator_values``: the facts that measure a registry indicator."""
    from heping_data.extract.indicators import context_of, indicator_rows, phrases_in

    doc, text = ex.document, ex.document.text
    fact_fields = itemgetter(*_FACT_FIELDS.values())
    sentences = ex.sentences
    starts = [s.start for s in sentences]
    years = (doc.report_year, doc.year_planned)
    out: list[dict[str, Any]] = []
    parts: dict[int, str | None] = {}
    prev: tuple[int, list[str]] = (-1, [])  # sentence start, indicators of its last fact
    for f, r in zip(ex.facts, frows, strict=True):
        metric = r[8]
        if f.role != "measure" or not metric:
            continue
        m = f.mention
        si = f.sentence_index
        if si is None:
            si = bisect.bisect_right(starts, m.start) - 1
        sent_start = sentences[si].start if 0 <= si < len(sentences) else m.start
        carry = prev[1] if prev[0] == sent_start else []
        # most facts name no indicator: the (cached) phrase scan settles them cheaply
        if not carry and not phrases_in(metric):
            prev = (sent_start, [])
            continue
        part = parts.get(f.section_index, "")
        if part == "":
            part = parts[f.section_index] = _part_of(ex.sections, f.section_index)
        ctx = context_of(text, m.start, m.end, sent_start, part)
        fact = dict(zip(_FACT_KEYS, fact_fields(r), strict=True))
        rows = indicator_rows(fact, ctx, doc.region_code, years, carry)
        prev = (sent_start, [x["indicator_id"] for x in rows])
        out.extend(rows)
    return out


def build_tables(
    extractions: Iterable[Extraction], rejected: Iterable[dict[str, Any]] = ()
) -> dict[str, pd.DataFrame]:
    """All tables of a release from per-document extractions, sorted by document id."""
    return build_from_rows((rows_for(e) for e in extractions), rejected)


def rows_for(ex: Extraction) -> PackedRows:
    """Per-document rows (public for the flows' per-document cache), read as dicts."""
    return PackedRows.of_tuples(_rows_for(ex))


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
        if isinstance(rows, PackedRows):
            self._data, self._extra = dict(rows._data), dict(rows._extra)
            return
        for name, rs in rows.items():
            if name in ts:
                self._data[name] = _as_tuples(ts[name].column_names, rs)
            else:
                self._extra[name] = list(rs)

    @classmethod
    def of_tuples(cls, data: dict[str, list[tuple[Any, ...]]]) -> PackedRows:
        """Rows already built as tuples in schema column order (the row builders' output)."""
        packed = cls({})
        packed._data = data
        return packed

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


def _gathered(name: str, cols: list[str], docs: list[Any]) -> list[tuple[Any, ...]]:
    """One table's rows of every document, as tuples in schema column order."""
    acc: list[tuple[Any, ...]] = []
    for rows in docs:
        if isinstance(rows, PackedRows):
            if name in rows._data:
                acc.extend(rows.tuples(name))
        elif name in rows:
            acc.extend(_as_tuples(cols, rows[name]))
    return acc


def build_from_rows(
    per_doc: Iterable[Mapping[str, list[dict[str, Any]]]],
    rejected: Iterable[dict[str, Any]] = (),
    *,
    consume: bool = False,
) -> dict[str, pd.DataFrame]:
    """All tables from per-document row sets (already extracted, possibly from a cache).

    With ``consume`` each :class:`PackedRows` gives up a table's rows as soon as that
    table's frame is built. Why: at 10,000 reports the rows cost as much as the frames,
    and holding both doubled the peak of a corpus run.
    """
    documents = table_of("documents").name
    docs = sorted(per_doc, key=lambda r: r[documents][0]["doc_id"])
    packed = [r for r in docs if isinstance(r, PackedRows)]
    out: dict[str, pd.DataFrame] = {}
    for name, t in tables().items():
        if t.role == "panel":  # across documents: built from indicator_values
            from heping_data.extract.indicators import panel_frame

            out[name] = panel_frame(out["indicator_values"])
            continue
        if t.role == "rejected":
            out[name] = rejected_frame(rejected)
            continue
        acc = _gathered(name, t.column_names, docs)
        # The documents table is read for sorting and by callers: it is small, keep it.
        if consume and name != documents:
            for rows in packed:
                rows._data.pop(name, None)
        out[name] = _frame_of_tuples(t, acc)
        del acc
    return out


def rejected_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The ``rejected`` table from its rows, sorted by source path (as in a merged build)."""
    t = table_of("rejected")
    return _frame_of_tuples(
        t, _as_tuples(t.column_names, sorted(rows, key=lambda r: r["source_path"]))
    )
