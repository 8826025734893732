"""The release's README, in the sections of Datasheets for Datasets, with this release's figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from heping_data.release.panel_view import readme_lines
from heping_data.tables.schema import package_meta, schema_version, table_of, tables

if TYPE_CHECKING:
    from heping_data.release.model import ReleaseInfo


def figures(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Headline counts of a release (also used by the flows' summary artifact)."""
    facts = frames["numeric_facts"]
    masked = int(facts["is_masked"].fillna(False).astype(bool).sum()) if len(facts) else 0
    mentions = frames["number_mentions"]
    return {
        "documents": len(frames["documents"]),
        "sections": len(frames["sections"]),
        "number_mentions": len(mentions),
        "numeric_facts": len(facts),
        "masked_facts": masked,
        "masked_share": masked / len(facts) if len(facts) else 0.0,
        "targets": int((facts["kind"] == "target").sum()) if len(facts) else 0,
        "entities": len(frames["entities"]),
        "distinct_entities": int(frames["entity_summary"]["entity_key"].nunique()),
        "rejected": len(frames["rejected"]),
        "mention_classes": {
            str(k): int(v) for k, v in mentions["class"].value_counts().sort_index().items()
        },
        "units": dict(
            sorted(
                (
                    (str(k), int(v))
                    for k, v in facts["unit"].fillna("(none)").value_counts().items()
                ),
                key=lambda kv: (-kv[1], kv[0]),  # ties by name: same bytes on every run
            )[:12]
        ),
    }


def _source_lines(info: ReleaseInfo, docs: pd.DataFrame) -> list[str]:
    """One line per source of the release (or per document when the sources are unnamed)."""
    src_lines = []
    for s in info.sources:
        bits = [str(s.get("title") or s.get("path") or "")]
        for k in ("district", "publisher", "report_year", "retrieved", "sha256"):
            if s.get(k):
                bits.append(f"{k}: {s[k]}")
        src_lines.append("- " + "; ".join(bits))
    if not src_lines:
        src_lines = [f"- {r.file_name} (sha256 {r.sha256})" for r in docs.itertuples()]
    return src_lines


def dataset_readme(frames: dict[str, pd.DataFrame], info: ReleaseInfo) -> str:
    """README.md of the release (motivation … maintenance), generated, never edited by hand."""
    meta = package_meta()
    f = figures(frames)
    src_lines = _source_lines(info, frames[table_of("documents").name])
    classes = ", ".join(f"{k} {v}" for k, v in f["mention_classes"].items()) or "none"
    units = ", ".join(f"{k} {v}" for k, v in f["units"].items()) or "none"
    return "\n".join(
        [
            f"# {meta['title']['en']}",
            "",
            f"{meta['title']['zh']} — release `{info.version}`"
            + (f", created {info.created}" if info.created else ""),
            "",
            "## Motivation",
            "",
            "Local-government work reports state a region's results and targets in prose. This "
            "dataset turns every section, every number and every named thing of such reports into "
            "rows of validated tables, each traceable to the exact characters it came from, so that "
            "figures can be compared across districts and years without re-reading the text.",
            "",
            "## Composition",
            "",
            f"- documents: {f['documents']}; sections: {f['sections']}; number mentions: "
            f"{f['number_mentions']} ({classes})",
            f"- numeric facts: {f['numeric_facts']}, of which {f['masked_facts']} masked "
            f"({f['masked_share']:.1%}) and {f['targets']} targets; units: {units}",
            f"- entity mentions: {f['entities']} ({f['distinct_entities']} distinct entities)",
            f"- rejected inputs: {f['rejected']}",
            "",
            "Tables: " + "".join(f"`{name}`, " for name in tables()) + "each as Parquet and "
            "CSV; see "
            "`DATA_DICTIONARY.md` for every column. A masked digit (`*`) gives bounds, never a "
            "guess: `value` is empty and `value_min`/`value_max` bound the number as written.",
            "",
            *readme_lines(),
            "## Collection",
            "",
            *src_lines,
            "",
            "Each raw file is identified by the sha256 of its bytes (`documents.sha256`).",
            "",
            "## Preprocessing",
            "",
            "Raw bytes are decoded (UTF-8, UTF-16, GB18030) without any normalisation; the decoded "
            "texts are published in `texts/`. Headings, numbers and named things are found by "
            "general rules held as data files in the `heping-data` package (no model, no network). "
            f"Schema version `{schema_version()}`.",
            "",
            "## Uses",
            "",
            "Comparing reported results and targets across districts and years; checking a figure "
            "against its source sentence; listing the organisations, places and programmes a report "
            "names. Not suitable as official statistics: figures are as the reports state them, and "
            "masked numbers are only bounded.",
            "",
            "## Distribution",
            "",
            f"License of the derived data: {meta['licenses'][0]['name']}. "
            f"{meta['source_licence_note']['en']} `datapackage.json` describes every file "
            "(Frictionless Data Package v2); `SHA256SUMS` lets you check them "
            "(`sha256sum -c SHA256SUMS`).",
            "",
            "## Maintenance",
            "",
            "Regenerated by the `heping-data` pipeline; the same inputs and code give byte-identical "
            "files. Report problems on the project's issue tracker, naming the release version and "
            "the row's id.",
            "",
        ]
    )
