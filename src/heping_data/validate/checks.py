"""Every table checked against its schema before anything is published.

pandera checks each table lazily (all failures at once); the cross-table rules that a
single-table schema cannot see (foreign keys, offsets inside the document, the text at the
offsets) are checked here too and reported in the same shape: table, column, row, check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from heping_data.errors import ValidationFailed
from heping_data.tables.schema import Table, counted_columns, table_of, tables

if TYPE_CHECKING:
    from heping_data.release.model import ReleaseParts


def _column_checks(col: Any) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.enum is not None:
        checks.append(pa.Check.isin(list(col.enum)))
    if col.pattern:
        checks.append(pa.Check.str_matches(col.pattern))
    if col.minimum is not None:
        checks.append(pa.Check.ge(col.minimum))
    if col.maximum is not None:
        checks.append(pa.Check.le(col.maximum))
    return checks


def _span_ordered(df: pd.DataFrame, lo: str, hi: str) -> pd.Series:
    ok = df[lo].isna() | df[hi].isna() | (df[lo] <= df[hi])
    return ok.fillna(True).astype(bool)


def _table_checks(table: Table) -> list[pa.Check]:
    names = set(table.column_names)
    checks: list[pa.Check] = []
    if {"char_start", "char_end"} <= names:
        checks.append(
            pa.Check(
                lambda df: (
                    (df.char_start.isna() | (df.char_start < df.char_end)).fillna(True).astype(bool)
                ),
                name="char_start < char_end",
            )
        )
    if {"span_start", "span_end"} <= names:
        checks.append(
            pa.Check(
                lambda df: (df.span_start < df.span_end).astype(bool), name="span_start < span_end"
            )
        )
    if {"value_min", "value_max", "value"} <= names:
        checks.append(
            pa.Check(
                lambda df: _span_ordered(df, "value_min", "value_max"),
                name="value_min <= value_max",
            )
        )
        checks.append(
            pa.Check(lambda df: _span_ordered(df, "value_min", "value"), name="value_min <= value")
        )
        checks.append(
            pa.Check(lambda df: _span_ordered(df, "value", "value_max"), name="value <= value_max")
        )
    if {"implied_min", "implied_max"} <= names:
        checks.append(
            pa.Check(
                lambda df: _span_ordered(df, "implied_min", "implied_max"),
                name="implied_min <= implied_max",
            )
        )
    if {"body_char_start", "body_char_end", "char_count"} <= names:
        checks.append(
            pa.Check(
                lambda df: (
                    (df.body_char_start <= df.body_char_end) & (df.body_char_end <= df.char_count)
                ).astype(bool),
                name="body inside the text",
            )
        )
    return checks


@cache
def pandera_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of one table, generated from its YAML definition."""
    t = tables()[name]
    cols = {
        c.name: pa.Column(
            c.pandas_dtype, checks=_column_checks(c), nullable=c.nullable, unique=c.unique
        )
        for c in t.columns
    }
    return pa.DataFrameSchema(
        cols,
        checks=_table_checks(t),
        unique=list(t.primary_key),
        strict=True,
        ordered=True,
        name=name,
    )


def _failures_from(name: str, err: SchemaErrors) -> list[dict[str, Any]]:
    """pandera's failure cases, one per row and rule.

    Why: a table-wide check (``value_min <= value_max``) is reported by pandera once per
    column of a failing row (21 lines for one bad fact); here it is one failure with no
    column, whose value shows the columns the rule names.
    """
    out: list[dict[str, Any]] = []
    wide: dict[tuple[int | None, str], dict[str, Any]] = {}
    fc = err.failure_cases
    for r in fc.itertuples(index=False):
        row = None if pd.isna(r.index) else int(r.index)
        col = None if pd.isna(r.column) else str(r.column)
        val = None if pd.isna(r.failure_case) else str(r.failure_case)
        check = str(r.check)
        if r.schema_context != "DataFrameSchema" or col is None or row is None:
            out.append({"table": name, "column": col, "row": row, "check": check, "value": val})
            continue
        f = wide.get((row, check))
        if f is None:
            f = wide[(row, check)] = {
                "table": name,
                "column": None,
                "row": row,
                "check": check,
                "value": None,
            }
            out.append(f)
        if re.search(rf"\b{re.escape(col)}\b", check):
            shown = f"{col}={val}"
            f["value"] = shown if f["value"] is None else f"{f['value']}, {shown}"
    return out


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _fk_failures(frames: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    out = []
    for name, t in tables().items():
        df = frames[name]
        for fk in t.foreign_keys:
            if len(fk.fields) != 1:
                continue
            col, ref_col = fk.fields[0], fk.ref_fields[0]
            known = set(frames[fk.resource][ref_col].dropna().tolist())
            # A set lookup per value: Series.isin on Arrow-backed strings builds a Python
            # list of the set and was most of the time of these checks.
            vals = df[col].tolist()
            for pos, v in enumerate(vals):
                if v in known or _missing(v):
                    continue
                out.append(
                    {
                        "table": name,
                        "column": col,
                        "row": int(df.index[pos]),
                        "check": f"foreign key -> {fk.resource}.{ref_col}",
                        "value": str(v),
                    }
                )
    return out


def _offset_failures(
    frames: dict[str, pd.DataFrame], texts: dict[str, str]
) -> list[dict[str, Any]]:
    """Offsets inside the document and the text at the offsets equal to the row's span.

    The spans are the columns the schemas declare with ``span_of``.
    """
    out = []
    for name, t in tables().items():
        for text_col, start, end in t.text_spans:
            out.extend(_span_failures(name, frames[name], text_col, start, end, texts))
    return out


def _span_failures(
    name: str, df: pd.DataFrame, text_col: str, start: str, end: str, texts: dict[str, str]
) -> list[dict[str, Any]]:
    """Rows of one table whose ``text_col`` is not the document's text at its offsets."""
    out = []
    for i, doc_id, s, e, span in zip(
        df.index, df.doc_id, df[start], df[end], df[text_col], strict=True
    ):
        if pd.isna(s) or pd.isna(e):
            continue
        text = texts.get(doc_id)
        if text is None:
            continue
        if not (0 <= s < e <= len(text)):
            out.append(
                {
                    "table": name,
                    "column": end,
                    "row": int(i),
                    "check": "offsets inside the document",
                    "value": f"{s}:{e}",
                }
            )
        elif text[s:e] != span:
            out.append(
                {
                    "table": name,
                    "column": text_col,
                    "row": int(i),
                    "check": "text at offsets equals the span",
                    "value": str(span),
                }
            )
    return out


def _tiling_failures(
    frames: dict[str, pd.DataFrame], exempt: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Rows of a table declared ``tiles_body`` tile each document's body: every body
    character in exactly one row (the sections)."""
    out = []
    docs = frames[table_of("documents").name].set_index("doc_id")
    for name, t in tables().items():
        if t.tiles_body is not None:
            out.extend(_tiling_of(name, frames[name], *t.tiles_body, docs, exempt))
    return out


def _tiling_of(
    name: str, df: pd.DataFrame, start: str, end: str, docs: pd.DataFrame, exempt: frozenset[str]
) -> list[dict[str, Any]]:
    out = []
    check = f"{name} tile the body"
    for doc_id, g in df.groupby("doc_id", sort=False):
        if doc_id in exempt:
            continue
        g = g.sort_values(start)
        expect = int(docs.loc[doc_id, "body_char_start"]) if doc_id in docs.index else None
        for i, s, e in zip(g.index, g[start], g[end], strict=True):
            if expect is not None and s != expect:
                out.append(
                    {
                        "table": name,
                        "column": start,
                        "row": int(i),
                        "check": check,
                        "value": f"{s} (expected {expect})",
                    }
                )
            expect = e
        if doc_id in docs.index and expect != int(docs.loc[doc_id, "body_char_end"]):
            out.append(
                {
                    "table": name,
                    "column": end,
                    "row": int(g.index[-1]),
                    "check": check,
                    "value": f"ends at {expect}",
                }
            )
    return out


#: Row rules added by a caller beside the schemas' own, as (table, name, rule); a rule
#: takes the table's frame and returns a boolean Series, True where the row holds.
_EXTRA_RULES: list[tuple[str, str, Callable[[pd.DataFrame], pd.Series]]] = []


def add_rule(table: str, name: str, rule: Callable[[pd.DataFrame], pd.Series]) -> None:
    """Add a per-row rule to every later validation in this process.

    Why: a stricter local policy (or a test) checks its own rule with the same reporting,
    document rejection and quarantine as the schemas' rules, with no change to the schemas.
    """
    if table not in tables():
        raise ValueError(f"unknown table {table!r}")
    _EXTRA_RULES.append((table, name, rule))


def clear_rules() -> None:
    """Remove the rules added with :func:`add_rule`."""
    _EXTRA_RULES.clear()


def _extra_failures(frames: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    out = []
    for table, name, rule in _EXTRA_RULES:
        df = frames.get(table)
        if df is None or not len(df):
            continue
        ok = rule(df).fillna(True).astype(bool)
        for i in df.index[~ok.to_numpy()]:
            out.append(
                {"table": table, "column": None, "row": int(i), "check": name, "value": None}
            )
    return out


def validate(
    frames: dict[str, pd.DataFrame],
    texts: dict[str, str] | None = None,
    *,
    tiling_exempt: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Every failure of every table (empty list when all rules hold).

    ``tiling_exempt`` names documents whose sections are known not to tile the body
    (some were quarantined), so the tiling rule is not re-reported for them.
    """
    failures: list[dict[str, Any]] = []
    for name in tables():
        try:
            pandera_schema(name).validate(frames[name], lazy=True)
        except SchemaErrors as err:
            failures.extend(_failures_from(name, err))
    failures.extend(_extra_failures(frames))
    failures.extend(_fk_failures(frames))
    failures.extend(_tiling_failures(frames, tiling_exempt))
    if texts is not None:
        failures.extend(_offset_failures(frames, texts))
    return failures


def check(frames: dict[str, pd.DataFrame], texts: dict[str, str] | None = None) -> None:
    """Raise ValidationFailed listing every failure, or return quietly."""
    failures = validate(frames, texts)
    if failures:
        raise ValidationFailed(failures)


@dataclass
class SetAside:
    """Frames and texts left to publish, the documents set aside whole with their failures.

    ``failures`` is not empty when some failure names no document row (a wrong column
    type): then nothing can be set aside and the run stops with every failure listed.
    """

    frames: dict[str, pd.DataFrame]
    texts: dict[str, str]
    documents: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)


def _row_key(df: pd.DataFrame, table: str, row: int) -> str | None:
    """The row's primary key as ``col=value`` (what names the row outside its batch)."""
    cols = [c for c in tables()[table].primary_key if c in df.columns]
    if not cols or row not in df.index:
        return None
    return ", ".join(f"{c}={df.at[row, c]}" for c in cols)


def _doc_of(frames: dict[str, pd.DataFrame], f: dict[str, Any]) -> str | None:
    df = frames.get(f["table"])
    row = f.get("row")
    if df is None or row is None or "doc_id" not in df.columns or row not in df.index:
        return None
    d = df.at[row, "doc_id"]
    return None if _missing(d) else str(d)


def set_aside_documents(
    frames: dict[str, pd.DataFrame], texts: dict[str, str] | None = None, *, max_rounds: int = 5
) -> SetAside:
    """Remove every document with a row that fails a rule, whole, to a fixed point.

    Why: every rule checked here is within one document, so one odd report must not
    stop a corpus; its rows are all withheld (a document with half its facts would be
    wrong without saying so) and the caller lists it in ``rejected``. Each failure gets
    the document's ``doc_id`` and the row's primary key (``key``).
    """
    frames = dict(frames)
    texts = dict(texts or {})
    bad: dict[str, list[dict[str, Any]]] = {}
    for _ in range(max_rounds):
        failures = validate(frames, texts or None)
        if not failures:
            break
        docs = [_doc_of(frames, f) for f in failures]
        if any(d is None for d in docs):
            return SetAside(frames, texts, bad, failures)
        for f, d in zip(failures, docs, strict=True):
            key = _row_key(frames[f["table"]], f["table"], f["row"])
            bad.setdefault(str(d), []).append({**f, "doc_id": d, "key": key})
        gone = set(bad)
        for name, df in frames.items():
            if "doc_id" in df.columns:
                frames[name] = df[~df["doc_id"].astype(str).isin(gone)]
        for d in gone:
            texts.pop(d, None)
    else:
        return SetAside(frames, texts, bad, validate(frames, texts or None))
    frames = {k: v.reset_index(drop=True) for k, v in frames.items()}
    return SetAside(frames, texts, bad, [])


def describe(f: dict[str, Any]) -> str:
    """One failure in one line: table, row (by key when known), column, rule, value."""
    where = f"row {f['key']}" if f.get("key") else f"row {f.get('row')}"
    col = f", column {f['column']}" if f.get("column") else ""
    val = f" (value {f['value']!r})" if f.get("value") is not None else ""
    return f"table {f['table']}, {where}{col}: {f['check']}{val}"


#: Column added to quarantined rows: the checks each row failed.
FAILED_CHECK = "failed_check"


@dataclass
class Quarantined:
    """Frames and texts left to publish, and the rows set aside per table with their checks."""

    frames: dict[str, pd.DataFrame]
    texts: dict[str, str]
    rows: dict[str, pd.DataFrame] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(df) for df in self.rows.values())


def _move_rows(
    frames: dict[str, pd.DataFrame], name: str, rows: dict[int, list[str]]
) -> pd.DataFrame:
    """Take ``rows`` out of ``frames[name]``; return them with the checks each failed."""
    df = frames[name]
    idx = [i for i in rows if i in df.index]
    out = df.loc[idx].copy()
    out[FAILED_CHECK] = ["; ".join(rows[i]) for i in idx]
    frames[name] = df.drop(index=idx)
    return out


def quarantine(
    frames: dict[str, pd.DataFrame], texts: dict[str, str] | None = None, *, max_rounds: int = 20
) -> Quarantined:
    """Move every row that fails a rule out of the tables, to a fixed point.

    Why iterate: removing a row can break the rows that point at it (a fact whose
    mention was removed fails its foreign key); those are moved in the next round, until
    every rule holds. Documents that lost sections are exempt from the tiling rule from
    then on (otherwise each removal would fail the next section, one per round). A
    failure not tied to a row (a wrong column type, a missing column) cannot be
    quarantined and raises :class:`ValidationFailed`; so does not converging.
    """
    frames = dict(frames)
    texts = dict(texts or {})
    moved: dict[str, list[pd.DataFrame]] = {}
    all_failures: list[dict[str, Any]] = []
    exempt: set[str] = set()
    for _ in range(max_rounds):
        failures = validate(frames, texts or None, tiling_exempt=frozenset(exempt))
        if not failures:
            break
        unplaced = [f for f in failures if f["row"] is None or f["table"] not in frames]
        if unplaced:
            raise ValidationFailed(unplaced)
        all_failures.extend(failures)
        by_table: dict[str, dict[int, list[str]]] = {}
        for f in failures:
            checks = by_table.setdefault(f["table"], {}).setdefault(f["row"], [])
            what = f"{f['column']}: {f['check']}" if f["column"] else str(f["check"])
            if what not in checks:
                checks.append(what)
        for name, rows in by_table.items():
            out = _move_rows(frames, name, rows)
            moved.setdefault(name, []).append(out)
            if tables()[name].tiles_body is not None:
                exempt.update(out["doc_id"].astype(str))
            if tables()[name].role == "documents":
                for d in out["doc_id"].astype(str):
                    texts.pop(d, None)
    else:
        raise ValidationFailed(validate(frames, texts or None, tiling_exempt=frozenset(exempt)))
    rows = {
        name: pd.concat(parts).sort_index(kind="stable").reset_index(drop=True)
        for name, parts in moved.items()
    }
    if moved:
        frames = recount(frames)
    return Quarantined(
        frames={k: v.reset_index(drop=True) for k, v in frames.items()},
        texts=texts,
        rows=rows,
        failures=all_failures,
    )


def __getattr__(name: str) -> Any:
    """``COUNTED``: the per-document count columns of ``documents`` and the table each
    counts, as the schema declares them (``counts:``)."""
    if name == "COUNTED":
        return counted_columns()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def recount(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Counts that describe other tables, made true again after rows were set aside.

    Why: a published ``documents.n_facts`` or ``entity_summary.mention_count`` that still
    counts quarantined rows would contradict the tables beside it. Summary rows whose
    mentions were all set aside are dropped; the others get their count and first offset
    from the mentions that remain.
    """
    frames = dict(frames)
    documents = table_of("documents").name
    docs = frames.get(documents)
    if docs is not None and len(docs):
        docs = docs.copy()
        for col, table in counted_columns().items():
            if col in docs and table in frames:
                n = frames[table]["doc_id"].astype(str).value_counts()
                docs[col] = (
                    docs["doc_id"].astype(str).map(n).fillna(0).astype(docs[col].dtype).values
                )
        frames[documents] = docs
    summ, ents = frames.get("entity_summary"), frames.get("entities")
    if summ is not None and ents is not None and len(summ):
        key = ["doc_id", "entity_key"]
        g = ents.assign(**{k: ents[k].astype(str) for k in key}).groupby(key, sort=False)
        stats = g["char_start"].agg(["size", "min"])
        idx = pd.MultiIndex.from_arrays([summ[k].astype(str) for k in key])
        keep = idx.isin(stats.index)
        summ = summ[keep].copy()
        found = stats.loc[idx[keep]]
        summ["mention_count"] = found["size"].astype(summ["mention_count"].dtype).values
        summ["first_char_start"] = found["min"].astype(summ["first_char_start"].dtype).values
        frames["entity_summary"] = summ
    return frames


def _key_of(tbl: Any, cols: list[str]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(cols) == 1:
        return tbl.column(cols[0])
    return pc.binary_join_element_wise(*[tbl.column(c).cast(pa.string()) for c in cols], "\x1f")


def _duplicate_keys(name: str, cols: list[str], folders: list[Any]) -> list[dict[str, Any]]:
    """Rows whose key occurs twice in the whole table, reading its key columns only."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from heping_data.release.model import read_part

    chunks: list[Any] = []
    for f in folders:
        chunks.extend(_key_of(read_part(f, name, cols), cols).chunks)
    keys = pa.chunked_array(chunks, type=pa.string())
    if pc.count_distinct(keys).as_py() == len(keys):
        return []
    counts = pc.value_counts(keys)
    dup = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    rows = pc.indices_nonzero(pc.is_in(keys, value_set=dup)).to_pylist()
    return [
        {
            "table": name,
            "column": ",".join(cols),
            "row": int(i),
            "check": "primary key unique across batches",
            "value": str(v),
        }
        for i, v in zip(rows, keys.take(rows).to_pylist(), strict=True)
    ]


def _scoped(name: str, cols: list[str], folders: list[Any]) -> bool:
    """Every key of the table names its row's document (doc_id in the key, or as its head).

    Then keys unique within each batch and document ids unique across batches make the
    keys unique across batches, and no table's keys need be held at once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from heping_data.release.model import read_part

    if "doc_id" in cols:
        return True
    # a composite key whose first column names the document is scoped as well
    for f in folders:
        tbl = read_part(f, name, [cols[0], "doc_id"])
        if not tbl.num_rows:
            continue
        head = pc.utf8_slice_codeunits(tbl.column(0), 0, 17)
        want = pc.binary_join_element_wise(tbl.column(1), pa.scalar("-"), pa.scalar(""))
        if not pc.all(pc.fill_null(pc.equal(head, want), False)).as_py():
            return False
    return True


def global_failures(parts: ReleaseParts) -> list[dict[str, Any]]:
    """The checks no single batch can make: the ``rejected`` table and keys across batches.

    Every other rule is within one document and was checked with its batch. Document ids
    are compared across batches; another table's keys are only gathered (key columns,
    one table at a time) when some key does not name its document. Rows are numbered as
    in the published table.
    """
    import pyarrow as pa

    failures: list[dict[str, Any]] = []
    for role, frame in (("rejected", parts.rejected), ("panel", parts.panel)):
        if frame is None:
            continue
        name = table_of(role).name
        try:
            pandera_schema(name).validate(frame, lazy=True)
        except SchemaErrors as err:
            failures.extend(_failures_from(name, err))
    if len(parts.folders) < 2:
        return failures
    for name, t in tables().items():
        if t.scope == "run" or not t.primary_key:
            continue
        cols = list(t.primary_key)
        if t.role == "documents" or not _scoped(name, cols, parts.folders):
            failures.extend(_duplicate_keys(name, cols, parts.folders))
    pa.default_memory_pool().release_unused()
    return failures
