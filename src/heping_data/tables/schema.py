"""Table and column definitions, loaded once from ``schemas/*.yaml``.

The YAML files are the single source of truth: pandera schemas, Arrow schemas, the
Frictionless table schemas and the data dictionary are all generated from them here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError, field_validator, model_validator

from heping_data.text.ruledata import RuleModel, schema_file
from heping_data.text.yamlio import load_text

#: pandas dtype, Arrow type name and Frictionless type for each schema type.
TYPES: dict[str, tuple[str, str, str]] = {
    "string": ("string", "string", "string"),
    "integer": ("Int64", "int64", "integer"),
    "number": ("Float64", "float64", "number"),
    "boolean": ("boolean", "bool", "boolean"),
}


@dataclass(frozen=True)
class Column:
    """One column: type, nullability, constraints and bilingual documentation.

    ``span_of`` (start, end column) marks a column holding the document's text between
    two offsets of the row, checked against the text before publishing; ``counts`` names
    the table whose rows of the same document the column counts; ``summary`` keeps the
    column whole in the summary frames the release's documents read.
    """

    name: str
    type: str
    nullable: bool
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    unit: str | None = None
    enum: tuple[Any, ...] | None = None
    unique: bool = False
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    span_of: tuple[str, str] | None = None
    counts: str | None = None
    summary: bool = False

    @property
    def pandas_dtype(self) -> str:
        return TYPES[self.type][0]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    ref_fields: tuple[str, ...]


#: What a table is for beyond holding rows: ``documents`` has one row per document (the
#: row set's header, its body bounds and counts); ``rejected`` lists the inputs set
#: aside; ``panel`` is built across documents from another table.
ROLES = ("documents", "rejected", "panel")


@dataclass(frozen=True)
class Table:
    """One table of the release."""

    name: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    columns: tuple[Column, ...]
    #: ``document``: rows come from one document each; ``run``: from the whole run.
    scope: str = "document"
    role: str | None = None
    #: Every column kept whole in the summary frames (a table of one row per document).
    summary_whole: bool = False
    #: (start, end) columns of rows that tile each document's body, in order, no gap.
    tiles_body: tuple[str, str] | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def text_spans(self) -> list[tuple[str, str, str]]:
        """(text column, start column, end column) of every span the text must match."""
        return [(c.name, *c.span_of) for c in self.columns if c.span_of is not None]

    @property
    def summary_columns(self) -> tuple[str, ...]:
        """Columns kept whole in the summary frames."""
        if self.summary_whole:
            return tuple(self.column_names)
        return tuple(c.name for c in self.columns if c.summary)


class _Text(RuleModel):
    zh: str
    en: str


class _SpanOf(RuleModel):
    start: str
    end: str


class _ColumnSpec(RuleModel):
    """A column as written in a table file; ``use`` starts from a shared column."""

    name: str
    type: str
    nullable: bool = False
    title: _Text
    description: _Text
    unit: str | None = None
    enum: list[Any] | None = None
    unique: bool = False
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    span_of: _SpanOf | None = None
    counts: str | None = None
    summary: bool = False

    @field_validator("type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v not in TYPES:
            raise ValueError(f"unknown type {v}")
        return v


class _Reference(RuleModel):
    resource: str
    fields: list[str]


class _ForeignKeySpec(RuleModel):
    fields: list[str]
    reference: _Reference


class _TableSpec(RuleModel):
    name: str
    title: _Text
    description: _Text
    primary_key: list[str]
    foreign_keys: list[_ForeignKeySpec] | None = None
    scope: Literal["document", "run"] = "document"
    role: Literal["documents", "rejected", "panel"] | None = None
    summary: Literal["whole"] | None = None
    tiles_body: _SpanOf | None = None
    columns: list[_ColumnSpec]

    @model_validator(mode="after")
    def _spans_name_columns(self) -> _TableSpec:
        names = {c.name for c in self.columns}
        for c in self.columns:
            if c.span_of is not None and not {c.span_of.start, c.span_of.end} <= names:
                raise ValueError(f"column {c.name}: span_of names a column the table lacks")
        tiles = self.tiles_body
        if tiles is not None and not {tiles.start, tiles.end} <= names:
            raise ValueError("tiles_body names a column the table lacks")
        if len(names) != len(self.columns):
            raise ValueError("a column name is used twice")
        return self


def _shared(pkg: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    return pkg.get("shared_columns") or {}, pkg.get("enums") or {}


def _resolve_column(raw: dict[str, Any], pkg: dict[str, Any], where: str) -> dict[str, Any]:
    """A column entry with its ``use`` (shared column) and enum name filled in.

    Why: a column that several tables share (its type, unit, bounds, pattern) and a set of
    allowed values are written once in ``package.yaml``; a table overrides only what
    differs (usually the description).
    """
    shared, enums = _shared(pkg)
    col = dict(raw)
    use = col.pop("use", None)
    if use is not None:
        if use not in shared:
            raise ValueError(f"{where}: unknown shared column {use!r}")
        col = {"name": use, **shared[use], **col}
    enum = col.get("enum")
    if isinstance(enum, str):
        if enum not in enums:
            raise ValueError(f"{where}: column {col.get('name')}: unknown enum {enum!r}")
        col["enum"] = list(enums[enum])
    return col


def _load_table(data: dict[str, Any], pkg: dict[str, Any] | None = None) -> Table:
    pkg = {} if pkg is None else pkg
    where = f"schemas/{data.get('name')}.yaml"
    raw = {
        **data,
        "columns": [_resolve_column(c, pkg, where) for c in data.get("columns") or []],
    }
    try:
        spec = _TableSpec.model_validate(raw)
    except ValidationError as exc:
        first = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise ValueError(f"{where}: {first}") from exc
    return Table(
        name=spec.name,
        title_zh=spec.title.zh,
        title_en=spec.title.en,
        description_zh=spec.description.zh,
        description_en=spec.description.en,
        primary_key=tuple(spec.primary_key),
        foreign_keys=tuple(
            ForeignKey(tuple(fk.fields), fk.reference.resource, tuple(fk.reference.fields))
            for fk in spec.foreign_keys or []
        ),
        columns=tuple(_column(c) for c in spec.columns),
        scope=spec.scope,
        role=spec.role,
        summary_whole=spec.summary == "whole",
        tiles_body=(spec.tiles_body.start, spec.tiles_body.end) if spec.tiles_body else None,
    )


def _column(c: _ColumnSpec) -> Column:
    return Column(
        name=c.name,
        type=c.type,
        nullable=c.nullable,
        title_zh=c.title.zh,
        title_en=c.title.en,
        description_zh=c.description.zh,
        description_en=c.description.en,
        unit=c.unit,
        enum=tuple(c.enum) if c.enum is not None else None,
        unique=c.unique,
        pattern=c.pattern,
        minimum=c.minimum,
        maximum=c.maximum,
        span_of=(c.span_of.start, c.span_of.end) if c.span_of is not None else None,
        counts=c.counts,
        summary=c.summary,
    )


def _schema_files() -> Path:
    """The repository's ``schemas/`` folder (override with HEPING_SCHEMAS)."""
    env = os.environ.get("HEPING_SCHEMAS")
    here = Path(env) if env else Path(str(schema_file("package.yaml"))).parent
    if not (here / "package.yaml").is_file():
        raise FileNotFoundError(f"schemas folder not found at {here} (set HEPING_SCHEMAS)")
    return here


@cache
def package_meta() -> dict[str, Any]:
    """Package-level metadata (title, licences, contributors, table order, shared columns)."""
    return load_text(_schema_files().joinpath("package.yaml").read_text(encoding="utf-8"))


@cache
def tables() -> dict[str, Table]:
    """All tables in publishing order."""
    out: dict[str, Table] = {}
    pkg = package_meta()
    for name in pkg["tables"]:
        data = load_text(_schema_files().joinpath(f"{name}.yaml").read_text(encoding="utf-8"))
        if data["name"] != name:
            raise ValueError(f"schemas/{name}.yaml declares name {data['name']!r}")
        out[name] = _load_table(data, pkg)
    _check_links(out)
    return out


def _check_links(ts: dict[str, Table]) -> None:
    """Each role held by one table, and every counted table known."""
    for role in ROLES:
        held = [t.name for t in ts.values() if t.role == role]
        if len(held) != 1:
            raise ValueError(f"schemas: role {role!r} must be held by one table, not {held}")
    for t in ts.values():
        for c in t.columns:
            if c.counts is not None and c.counts not in ts:
                raise ValueError(f"schemas/{t.name}.yaml: {c.name} counts unknown {c.counts!r}")


def table_of(role: str) -> Table:
    """The table that holds ``role`` (see :data:`ROLES`)."""
    for t in tables().values():
        if t.role == role:
            return t
    raise KeyError(f"no table has role {role!r}")


def per_run_tables() -> frozenset[str]:
    """Tables built from the whole run, never in one document's rows or a batch's parts."""
    return frozenset(t.name for t in tables().values() if t.scope == "run")


def counted_columns() -> dict[str, str]:
    """Per-document count columns of the ``documents`` table and the table each counts."""
    return {c.name: c.counts for c in table_of("documents").columns if c.counts is not None}


def schema_digest() -> str:
    """A digest of the schema as resolved (shared columns and enums filled in).

    Why resolved: writing a column once in ``package.yaml`` instead of in each table, a
    comment or a re-ordered key says nothing new about the tables and must not rename them.
    """
    import hashlib
    import json

    files = _schema_files()
    # shared columns and enums count as resolved into the tables, not as written
    unresolved = ("schema_version", "shared_columns", "enums")
    meta = {k: v for k, v in package_meta().items() if k not in unresolved}
    h = hashlib.sha256(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    # a frozen dataclass's repr lists every field in order: the resolved tables, cheaply
    h.update(repr(tuple(tables().values())).encode("utf-8"))
    # the registry's own bytes: parsing it here would cost start-up for nothing
    h.update(files.joinpath("indicators.yaml").read_bytes())
    return h.hexdigest()[:12]


@cache
def schema_version() -> str:
    """The schema's version: part of the cache key and of the release metadata.

    It is :func:`schema_digest`, unless ``package.yaml`` pins the version of exactly this
    digest (``schema_version: {digest, version}``): releases made before the version was a
    digest of the resolved schema (it hashed the files' bytes) keep their version while
    the tables stay the same. Any change to the tables changes the digest and so the
    version; a stale pin is then ignored.
    """
    pin = package_meta().get("schema_version") or {}
    digest = schema_digest()
    if pin.get("digest") == digest:
        return str(pin["version"])
    return digest
