"""What a release is made of, shared by the writer, the documents and the checks.

Why a module of its own: the writer (:mod:`publish`), the documents it writes
(:mod:`datasheet`, :mod:`landing`, :mod:`datapackage`) and the checks across batches
(:mod:`heping_data.validate.checks`) all read these; none of them imports another for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

#: File name ending of a batch's table part.
PART_SUFFIX = ".arrow"


@dataclass(frozen=True)
class ReleaseInfo:
    """What the release says about itself; nothing here comes from the clock."""

    version: str
    created: str | None = None  # ISO date or datetime, from an explicit date or the sources
    sources: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def write_part(folder: Path, name: str, tbl: pa.Table) -> None:
    """One table's rows of a batch as an Arrow IPC file (uncompressed: read back memory-mapped).

    Written aside and renamed into place: a reader still mapping the old file keeps it.
    """
    path = folder / f"{name}{PART_SUFFIX}"
    tmp = folder / f".{name}{PART_SUFFIX}.tmp"
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, tbl.schema) as w:
        w.write_table(tbl)
    os.replace(tmp, path)


def read_part(folder: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """A batch's rows of one table (memory-mapped: only the columns read are paged in)."""
    with pa.memory_map(str(folder / f"{name}{PART_SUFFIX}")) as src:
        tbl = pa.ipc.open_file(src).read_all()
    return tbl.select(columns) if columns is not None else tbl


@dataclass
class ReleaseParts:
    """A release whose rows wait in per-batch parts on disk, in release order.

    Each folder holds ``<table>.arrow`` (plain-typed Arrow IPC, rows of the batch's
    documents sorted by doc_id) and ``texts/<doc_id>.txt``; the batches themselves are in
    doc_id order, so reading the folders in order gives the release's row order.
    """

    folders: list[Path]
    doc_ids: list[str]
    counts: dict[str, int]
    rejected: pd.DataFrame
    quarantine: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: :func:`summary_frames` of these parts, once built (publishing and the flow's
    #: figures both read them).
    summary: dict[str, pd.DataFrame] | None = None
    #: The run's ``indicator_panel`` (built across batches from indicator_values).
    panel: pd.DataFrame | None = None


def panel_of_parts(folders: list[Path]) -> pd.DataFrame:
    """The run's ``indicator_panel``, from the compact ``indicator_values`` columns of every part.

    Why after every batch: the panel joins reports of different batches (a target planned
    in one report, its actual reviewed in the next), so it is the one table built last.
    """
    from heping_data.extract.indicators import PANEL_INPUT, panel_frame
    from heping_data.tables.schema import tables

    pieces = [
        read_part(f, "indicator_values", PANEL_INPUT).to_pandas()
        for f in folders
        if (f / f"indicator_values{PART_SUFFIX}").exists()
    ]
    if not pieces:
        t = tables()["indicator_values"]
        return panel_frame(
            pd.DataFrame({c: pd.Series([], dtype=t.column(c).pandas_dtype) for c in PANEL_INPUT})
        )
    return panel_frame(pd.concat(pieces, ignore_index=True))
