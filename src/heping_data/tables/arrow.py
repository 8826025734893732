"""Arrow schemas and Parquet/CSV writers generated from ``schemas/``."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from heping_data.tables.schema import Table

_ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}

#: Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: pandas' own name for each schema type in its stored-metadata vocabulary.
_PANDAS_TYPE = {"string": "unicode", "integer": "int64", "number": "float64", "boolean": "bool"}


def _pandas_meta(table: Table) -> str:
    """pandas metadata so a plain ``pd.read_parquet`` gives Int64/boolean, not float/object.

    Without it pandas turns a nullable integer column into float64 and a nullable boolean
    into object; with it the analyst's one-liner gets the declared types.
    """
    cols = []
    for c in table.columns:
        enum = c.enum is not None and c.type == "string"
        cols.append(
            {
                "name": c.name,
                "field_name": c.name,
                "pandas_type": "categorical" if enum else _PANDAS_TYPE[c.type],
                "numpy_type": "int32" if enum else c.pandas_dtype,
                "metadata": None,
            }
        )
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": cols})


def arrow_schema(table: Table, version: str) -> pa.Schema:
    """Arrow schema with column descriptions as field metadata, enums dictionary-encoded."""
    fields = []
    for c in table.columns:
        typ = _ARROW[c.type]
        if c.enum is not None and c.type == "string":
            typ = pa.dictionary(pa.int32(), pa.string())
        meta = {
            "description": c.description_en,
            "description_zh": c.description_zh,
            "title": c.title_en,
            "title_zh": c.title_zh,
        }
        if c.unit:
            meta["unit"] = c.unit
        fields.append(pa.field(c.name, typ, nullable=c.nullable, metadata=meta))
    meta = {
        "pandas": _pandas_meta(table),
        "description": table.description_en,
        "description_zh": table.description_zh,
        "primary_key": ",".join(table.primary_key),
        "dataset_version": version,
        "table": table.name,
    }
    return pa.schema(fields, metadata=meta)


def plain_schema(table: Table) -> pa.Schema:
    """The table's columns with plain types (no dictionary, no metadata): the parts' schema.

    Why: a batch's part is written before the release version is known, and a dictionary
    per part would make the file depend on where the batches were cut; both are fixed when
    the release's row groups are written.
    """
    return pa.schema([pa.field(c.name, _ARROW[c.type], nullable=c.nullable) for c in table.columns])


def arrow_table(df: pd.DataFrame, table: Table) -> pa.Table:
    """A frame's schema columns as an Arrow table with plain types; NaN and NA become null."""
    arrays = []
    for c in table.columns:
        typ = _ARROW[c.type]
        col = df[c.name]
        try:
            arr = pa.array(col.array, type=typ, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            arr = pa.array([None if pd.isna(v) else v for v in col.tolist()], type=typ)
        if c.type == "number" and arr.null_count < len(arr):
            arr = pc.if_else(pc.is_nan(arr), pa.scalar(None, typ), arr)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=plain_schema(table))


#: Rows per Parquet row group: groups are cut by row count alone, never by batch, so the
#: file depends only on the rows (same bytes whatever the batching or task runner).
ROW_GROUP_ROWS = 65_536


def _release_group(tbl: pa.Table, schema: pa.Schema) -> pa.Table:
    """One row group in the release's schema: enum columns dictionary-encoded within it."""
    arrays = []
    for f in schema:
        col = tbl.column(f.name).combine_chunks()
        if pa.types.is_dictionary(f.type):
            col = col.dictionary_encode().cast(f.type)
        arrays.append(col)
    return pa.Table.from_arrays(arrays, schema=schema)


class TableWriter:
    """Streams a table's parts into ``NAME.parquet`` (fixed-size row groups) and ``NAME.csv``.

    Parts arrive in release order as plain-typed Arrow tables (:func:`arrow_table`); at most
    one row group is buffered, so writing a table never holds all of its rows.
    """

    def __init__(self, table: Table, folder: Path, version: str) -> None:
        self.table = table
        self.schema = arrow_schema(table, version)
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._parquet = pq.ParquetWriter(
            folder / f"{table.name}.parquet",
            self.schema,
            compression="zstd",
            use_dictionary=True,
            write_statistics=True,
        )
        self._csv_file = (folder / f"{table.name}.csv").open("w", encoding="utf-8", newline="")
        self._csv_file.write("\ufeff")
        self._csv = csv.writer(self._csv_file, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        self._csv.writerow(table.column_names)

    def write(self, part: pa.Table) -> None:
        """Append a part's rows (CSV at once, Parquet whenever a row group is full)."""
        if not part.num_rows:
            return
        self.rows += part.num_rows
        types = [c.type for c in self.table.columns]
        for lo in range(0, part.num_rows, CSV_CHUNK_ROWS):
            chunk = part.slice(lo, CSV_CHUNK_ROWS)
            cols = [chunk.column(i).to_pylist() for i in range(len(types))]
            self._csv.writerows(
                [_cell(vals[i], typ) for vals, typ in zip(cols, types, strict=True)]
                for i in range(chunk.num_rows)
            )
        self._pending.append(part)
        self._pending_rows += part.num_rows
        while self._pending_rows >= ROW_GROUP_ROWS:
            self._flush(ROW_GROUP_ROWS)

    def _flush(self, n: int) -> None:
        buf = pa.concat_tables(self._pending)
        self._parquet.write_table(
            _release_group(buf.slice(0, n), self.schema), row_group_size=ROW_GROUP_ROWS
        )
        rest = buf.slice(n)
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows

    def close(self) -> None:
        """Write the last row group (an empty table still gets its schema) and close."""
        if self._pending_rows or not self.rows:
            if self._pending_rows:
                self._flush(self._pending_rows)
            else:
                empty = pa.Table.from_pylist([], schema=plain_schema(self.table))
                self._parquet.write_table(_release_group(empty, self.schema))
        self._parquet.close()
        self._csv_file.close()

    def abort(self) -> None:
        """Close the files after a failure (the caller removes the folder)."""
        self._parquet.close()
        self._csv_file.close()


def write_parquet(df: pd.DataFrame, table: Table, path: Path, version: str) -> None:
    """Zstd Parquet with nullable types kept and the schema's metadata in the file."""
    schema = arrow_schema(table, version)
    tbl = arrow_table(df, table)
    with pq.ParquetWriter(
        path, schema, compression="zstd", use_dictionary=True, write_statistics=True
    ) as w:
        if not tbl.num_rows:
            w.write_table(_release_group(tbl, schema))
        for lo in range(0, tbl.num_rows, ROW_GROUP_ROWS):
            w.write_table(
                _release_group(tbl.slice(lo, ROW_GROUP_ROWS), schema),
                row_group_size=ROW_GROUP_ROWS,
            )


def format_number(v: float) -> str:
    """Shortest exact positional form: 10000000, 99.9, never 1e+07 or float noise."""
    if math.isnan(v):
        return ""
    return np.format_float_positional(float(format(v, ".15g")), trim="-")


def _cell(v: object, typ: str) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if typ == "number":
        return format_number(float(v))  # type: ignore[arg-type]
    if typ == "integer":
        return str(int(v))  # type: ignore[call-overload]
    if typ == "boolean":
        return "true" if v else "false"
    s = str(v)
    if s.startswith(FORMULA_START):
        return "'" + s
    return s


#: Rows converted to Python values at a time when writing CSV.
CSV_CHUNK_ROWS = 50_000


def write_csv(df: pd.DataFrame, table: Table, path: Path) -> None:
    """UTF-8 with BOM (Excel shows Chinese), LF line ends, formula-like cells made inert.

    Streamed to the file a chunk of rows at a time: the whole table as Python values plus
    its text and its bytes once cost several times the frame at 10,000 reports.
    """
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(table.column_names)
        for lo in range(0, len(df), CSV_CHUNK_ROWS):
            part = df.iloc[lo : lo + CSV_CHUNK_ROWS]
            cols = [(part[c.name].tolist(), c.type) for c in table.columns]
            w.writerows([_cell(vals[i], typ) for vals, typ in cols] for i in range(len(part)))
