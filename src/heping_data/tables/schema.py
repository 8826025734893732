"""Table and column definitions, loaded once from ``schemas/*.yaml``.

The YAML files are the single source of truth: pandera schemas, Arrow schemas, the
Frictionless table schemas and the data dictionary are all generated from them here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

#: pandas dtype, Arrow type name and Frictionless type for each schema type.
TYPES: dict[str, tuple[str, str, str]] = {
    "string": ("string", "string", "string"),
    "integer": ("Int64", "int64", "integer"),
    "number": ("Float64", "float64", "number"),
    "boolean": ("boolean", "bool", "boolean"),
}


@dataclass(frozen=True)
class Column:
    """One column: type, nullability, constraints and bilingual documentation."""

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

    @property
    def pandas_dtype(self) -> str:
        return TYPES[self.type][0]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    ref_fields: tuple[str, ...]


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

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")


def _schema_files() -> Path:
    """The repository's ``schemas/`` folder (override with HEPING_SCHEMAS)."""
    env = os.environ.get("HEPING_SCHEMAS")
    here = Path(env) if env else Path(__file__).resolve().parents[1] / "schemas"
    if not (here / "package.yaml").is_file():
        raise FileNotFoundError(f"schemas folder not found at {here} (set HEPING_SCHEMAS)")
    return here


def _load_table(data: dict[str, Any]) -> Table:
    cols = []
    for c in data["columns"]:
        if c["type"] not in TYPES:
            raise ValueError(
                f"schemas/{data['name']}.yaml: column {c['name']}: unknown type {c['type']}"
            )
        cols.append(
            Column(
                name=c["name"],
                type=c["type"],
                nullable=bool(c.get("nullable", False)),
                title_zh=c["title"]["zh"],
                title_en=c["title"]["en"],
                description_zh=c["description"]["zh"],
                description_en=c["description"]["en"],
                unit=c.get("unit"),
                enum=tuple(c["enum"]) if c.get("enum") is not None else None,
                unique=bool(c.get("unique", False)),
                pattern=c.get("pattern"),
                minimum=c.get("minimum"),
                maximum=c.get("maximum"),
            )
        )
    fks = tuple(
        ForeignKey(
            tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"])
        )
        for fk in data.get("foreign_keys") or []
    )
    return Table(
        name=data["name"],
        title_zh=data["title"]["zh"],
        title_en=data["title"]["en"],
        description_zh=data["description"]["zh"],
        description_en=data["description"]["en"],
        primary_key=tuple(data["primary_key"]),
        foreign_keys=fks,
        columns=tuple(cols),
    )


@cache
def package_meta() -> dict[str, Any]:
    """Package-level metadata (title, licences, contributors, table order)."""
    return yaml.load(
        _schema_files().joinpath("package.yaml").read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )


@cache
def tables() -> dict[str, Table]:
    """All tables in publishing order."""
    out: dict[str, Table] = {}
    for name in package_meta()["tables"]:
        data = yaml.load(
            _schema_files().joinpath(f"{name}.yaml").read_text(encoding="utf-8"),
            Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
        )
        if data["name"] != name:
            raise ValueError(f"schemas/{name}.yaml declares name {data['name']!r}")
        out[name] = _load_table(data)
    return out


@cache
def schema_version() -> str:
    """A short hash of every schema file: part of the cache key and of the release metadata."""
    import hashlib

    h = hashlib.sha256()
    files = _schema_files()
    for name in ["package", *package_meta()["tables"], "indicators"]:
        h.update(files.joinpath(f"{name}.yaml").read_bytes())
    return h.hexdigest()[:12]
