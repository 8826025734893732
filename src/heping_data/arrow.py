"""Arrow schemas and Parquet/CSV writers generated from ``schemas/``."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import Table

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


def write_parquet(df: pd.DataFrame, table: Table, path: Path, version: str) -> None:
    """Zstd Parquet with nullable types kept and the schema's metadata in the file."""
    schema = arrow_schema(table, version)
    arrays = []
    for f, c in zip(schema, table.columns, strict=True):
        col = df[c.name]
        values = [None if pd.isna(v) else v for v in col.tolist()]
        if pa.types.is_dictionary(f.type):
            arrays.append(pa.array(values, type=pa.string()).dictionary_encode().cast(f.type))
        else:
            arrays.append(pa.array(values, type=f.type))
    tbl = pa.Table.from_arrays(arrays, schema=schema)
    pq.write_table(tbl, path, compression="zstd", use_dictionary=True, write_statistics=True)


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
