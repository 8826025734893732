"""What the schemas declare (text spans, scope, roles, counts, shared enums) is what the
row builders, the checks and the release read."""

from __future__ import annotations

import pandas as pd
import pytest

from heping_data.extract.pipeline import extract_path
from heping_data.tables import rows as rows_mod
from heping_data.tables import schema as schema_mod
from heping_data.tables.rows import build_tables, rows_for
from heping_data.tables.schema import counted_columns, package_meta, table_of, tables
from heping_data.text.yamlio import load_path
from heping_data.validate.checks import set_aside_documents, validate

from .conftest import REPORTS, ROOT, SEED

SPANS = [(name, *span) for name, t in tables().items() for span in t.text_spans]


@pytest.fixture(scope="module")
def built() -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    exs = [extract_path(SEED), extract_path(REPORTS / "small_report.txt")]
    return build_tables(exs), {e.document.doc_id: e.document.text for e in exs}


def test_the_span_columns_are_declared() -> None:
    assert {(n, c) for n, c, _, _ in SPANS} == {
        ("sections", "heading"),
        ("sentences", "sentence"),
        ("number_mentions", "mention"),
        ("numeric_facts", "mention"),
        ("entities", "mention"),
    }


@pytest.mark.parametrize(("table", "text_col", "start", "end"), SPANS)
def test_every_declared_span_is_checked_against_the_text(built, table, text_col, start, end):
    frames, texts = built
    assert validate(frames, texts) == []
    df = frames[table]
    i = int(df.index[df[start].notna()][0])
    doc = str(df.at[i, "doc_id"])
    bad = dict(frames)
    bad[table] = df.copy()
    bad[table].loc[i, text_col] = "≠" + str(df.at[i, text_col])  # the text moved off its offsets
    sa = set_aside_documents(bad, texts)
    assert set(sa.documents) == {doc}
    (f,) = sa.documents[doc]
    assert (f["table"], f["column"], f["check"]) == (
        table,
        text_col,
        "text at offsets equals the span",
    )
    assert doc not in set(sa.frames[table]["doc_id"]) and doc not in sa.texts


@pytest.mark.parametrize(("table", "text_col", "start", "end"), SPANS)
def test_an_offset_past_the_text_sets_the_document_aside(built, table, text_col, start, end):
    frames, texts = built
    df = frames[table].copy()
    i = int(df.index[df[start].notna()][0])
    doc = str(df.at[i, "doc_id"])
    df.loc[i, end] = len(texts[doc]) + 5
    sa = set_aside_documents({**frames, table: df}, texts)
    assert set(sa.documents) == {doc}
    assert any(
        f["table"] == table and f["check"] == "offsets inside the document"
        for f in sa.documents[doc]
    )


def test_an_enum_is_written_once() -> None:
    enums = package_meta()["enums"]
    assert "entity_type" in enums
    inline: dict[tuple[object, ...], list[str]] = {}
    for name in tables():
        raw = load_path(ROOT / "schemas" / f"{name}.yaml")
        for c in raw["columns"]:
            e = c.get("enum")
            if isinstance(e, list):
                inline.setdefault(tuple(e), []).append(f"{name}.{c.get('name')}")
            else:
                assert e is None or e in enums, (name, c)
    shared = {tuple(v) for v in enums.values()}
    assert not [w for e, w in inline.items() if e in shared], "write the enum's name instead"
    assert not [w for w in inline.values() if len(w) > 1], "define the enum once in package.yaml"
    # both entity tables read the one list
    assert (
        tables()["entities"].column("entity_type").enum
        == tables()["entity_summary"].column("entity_type").enum
        == tuple(enums["entity_type"])
    )


def test_a_shared_column_is_resolved_with_the_table_s_own_description() -> None:
    c = tables()["entities"].column("char_start")
    assert (c.type, c.unit, c.nullable, c.minimum, c.title_en) == (
        "integer",
        "字符",
        False,
        0,
        "Start",
    )
    assert type(c.minimum) is int  # written as 0 in datapackage.json, not 0.0
    assert c.description_en == "Offset of the first character (inclusive)."


def test_roles_scope_and_counts_are_declared() -> None:
    assert table_of("documents").name == "documents"
    assert table_of("rejected").name == "rejected"
    assert table_of("panel").name == "indicator_panel"
    per_run = rows_mod.PER_RUN  # read from the schemas on first use
    assert per_run == frozenset({"indicator_panel", "rejected"})
    assert counted_columns() == {
        "n_sections": "sections",
        "n_facts": "numeric_facts",
        "n_entities": "entities",
    }


def test_every_per_document_table_has_one_builder_giving_its_columns() -> None:
    per_doc = [n for n, t in tables().items() if t.scope == "document"]
    assert sorted(rows_mod._BUILDERS) == sorted(per_doc)
    rows = rows_for(extract_path(SEED))
    for name in per_doc:
        assert rows[name], name
        assert all(list(r) == tables()[name].column_names for r in rows[name]), name
    with pytest.raises(ValueError, match="already registered"):
        rows_mod.builds("sections", ())(lambda c, r: [])


def test_an_unknown_key_in_a_table_file_is_refused() -> None:
    raw = load_path(ROOT / "schemas" / "rejected.yaml")
    with pytest.raises(ValueError, match=r"rejected\.yaml"):
        schema_mod._load_table({**raw, "scpoe": "run"}, package_meta())
    col = {**raw["columns"][0], "span_of": {"start": "nope", "end": "reason"}}
    with pytest.raises(ValueError, match="span_of"):
        schema_mod._load_table({**raw, "columns": [col]}, package_meta())


def test_the_schema_version_pin_is_current() -> None:
    # The pin keeps the version releases had before the version became a digest of the
    # resolved schema. After any change to the tables, remove the pin from package.yaml.
    pin = package_meta().get("schema_version")
    if pin is not None:
        assert pin["digest"] == schema_mod.schema_digest(), "remove the stale pin"
