"""The release's ``datapackage.json`` (Frictionless Data Package v2), built from the schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from heping_data import __version__
from heping_data.release.model import ReleaseInfo
from heping_data.sources.digest import sha256_file
from heping_data.tables.schema import Table, package_meta, schema_version, tables


def _table_schema(t: Table) -> dict[str, Any]:
    fields = []
    for c in t.columns:
        f: dict[str, Any] = {
            "name": c.name,
            "type": c.type,
            "title": c.title_en,
            "description": c.description_en,
            "x-title-zh": c.title_zh,
            "x-description-zh": c.description_zh,
        }
        if c.unit:
            f["unit"] = c.unit
        cons: dict[str, Any] = {}
        if not c.nullable:
            cons["required"] = True
        if c.unique and tuple(t.primary_key) != (c.name,):
            cons["unique"] = True
        if c.enum is not None:
            cons["enum"] = list(c.enum)
        if c.pattern:
            cons["pattern"] = c.pattern
        if c.minimum is not None:
            cons["minimum"] = c.minimum
        if c.maximum is not None:
            cons["maximum"] = c.maximum
        if cons:
            f["constraints"] = cons
        if c.type == "boolean":
            f["trueValues"] = ["true"]
            f["falseValues"] = ["false"]
        fields.append(f)
    schema: dict[str, Any] = {
        "fields": fields,
        "primaryKey": list(t.primary_key),
        "missingValues": [""],
    }
    fks = []
    for fk in t.foreign_keys:
        ref = {"fields": list(fk.ref_fields)}
        if fk.resource != t.name:
            ref["resource"] = fk.resource
        fks.append({"fields": list(fk.fields), "reference": ref})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _file_resource(folder: Path, rel: str, **kw: Any) -> dict[str, Any]:
    p = folder / rel
    return {"path": rel, "bytes": p.stat().st_size, "hash": f"sha256:{sha256_file(p)}", **kw}


def _table_resources(folder: Path, t: Table) -> list[dict[str, Any]]:
    """A table's CSV resource (with its schema) and its Parquet file."""
    csv = _file_resource(
        folder,
        f"{t.name}.csv",
        name=t.name,
        type="table",
        title=t.title_en,
        description=t.description_en,
        **{"x-title-zh": t.title_zh, "x-description-zh": t.description_zh},
        format="csv",
        mediatype="text/csv",
        encoding="utf-8",
        dialect={"delimiter": ",", "header": True, "lineTerminator": "\n"},
        schema=_table_schema(t),
    )
    # The same table as Parquet: its own resource so portals list it and frictionless
    # checks its bytes and hash; typed "file" because its schema lives in the file itself.
    parquet = _file_resource(
        folder,
        f"{t.name}.parquet",
        name=f"{t.name}-parquet",
        type="file",
        title=f"{t.title_en} (Parquet)",
        description=(
            f"The {t.name} table as zstd Parquet with nullable types, dictionary-encoded "
            "allowed-value columns and column descriptions in the field metadata; same "
            f"schema as the {t.name} resource."
        ),
        **{"x-title-zh": f"{t.title_zh}（Parquet）", "x-table": t.name},
        format="parquet",
        mediatype="application/vnd.apache.parquet",
    )
    return [csv, parquet]


def _text_resource(folder: Path, d: str) -> dict[str, Any]:
    return _file_resource(
        folder,
        f"texts/{d}.txt",
        name=f"text-{d}",
        title=f"Decoded text of document {d}",
        description="The report's text exactly as decoded; every offset in the tables points into it.",
        format="txt",
        mediatype="text/plain",
        encoding="utf-8",
    )


def _quarantine_resources(folder: Path) -> list[dict[str, Any]]:
    qdir = folder / "quarantine"
    if not qdir.is_dir():
        return []
    return [
        _file_resource(
            folder,
            f"quarantine/{q.name}",
            name=f"quarantine-{q.stem.replace('_', '-')}",
            title=f"Rows of {q.stem} that failed validation",
            description=(
                f"Rows of the {q.stem} table set aside because they broke a schema "
                "rule (or pointed at a row that did); the failed checks are in the "
                "failed_check column. Not part of the published table."
            ),
            format="csv",
            mediatype="text/csv",
            encoding="utf-8",
        )
        for q in sorted(qdir.glob("*.csv"))
    ]


def _document_resources(folder: Path) -> list[dict[str, Any]]:
    """The dictionary and README, when written."""
    out = []
    for rel, mt in (
        ("DATA_DICTIONARY.md", "text/markdown"),
        ("README.md", "text/markdown"),
        ("data_dictionary.csv", "text/csv"),
    ):
        if (folder / rel).exists():
            name = rel.lower().replace(".", "-").replace("_", "-")
            out.append(
                _file_resource(
                    folder,
                    rel,
                    name=name,
                    format=rel.rsplit(".", 1)[1],
                    mediatype=mt,
                    encoding="utf-8",
                )
            )
    return out


#: Keys of a source that Frictionless defines; the others are written with an ``x-`` prefix.
_SOURCE_KEYS = ("title", "path", "email", "version")


def _source(s: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in s.items() if v is not None and k in _SOURCE_KEYS} | {
        "x-" + k: v for k, v in s.items() if v is not None and k not in _SOURCE_KEYS
    }


def datapackage(
    folder: Path, frames: dict[str, pd.DataFrame], info: ReleaseInfo, doc_ids: list[str]
) -> dict[str, Any]:
    """The Frictionless Data Package v2 descriptor of a built release folder."""
    meta = package_meta()
    resources = [r for t in tables().values() for r in _table_resources(folder, t)]
    resources.extend(_text_resource(folder, d) for d in doc_ids)
    resources.extend(_quarantine_resources(folder))
    resources.extend(_document_resources(folder))
    pkg: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"],
        "title": meta["title"]["en"],
        "x-title-zh": meta["title"]["zh"],
        "description": meta["description"]["en"],
        "x-description-zh": meta["description"]["zh"],
        "version": info.version,
        "keywords": meta.get("keywords", []),
        "licenses": meta["licenses"],
        "x-source-licence-note": meta["source_licence_note"]["en"],
        "contributors": meta["contributors"],
        "sources": [_source(s) for s in info.sources],
        "x-schema-version": schema_version(),
        "x-code-version": __version__,
        "resources": resources,
    }
    if info.created:
        pkg["created"] = info.created if "T" in info.created else f"{info.created}T00:00:00Z"
    pkg.update({f"x-{k}": v for k, v in info.extra.items()})
    return pkg
