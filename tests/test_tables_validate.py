"""Tables built from extractions, and validation that names every failure."""

from __future__ import annotations

import pandas as pd
import pytest

from heping_data.errors import ValidationFailed
from heping_data.extract.pipeline import extract_path
from heping_data.tables.rows import build_tables, entity_key
from heping_data.tables.schema import tables
from heping_data.validate.checks import check, validate

from .conftest import REPORTS, SEED


@pytest.fixture(scope="module")
def built() -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    exs = [extract_path(SEED), extract_path(REPORTS / "small_report.txt")]
    return build_tables(exs), {e.document.doc_id: e.document.text for e in exs}


def test_every_table_has_exactly_its_schema_columns(built):
    frames, _ = built
    assert set(frames) == set(tables())
    for name, t in tables().items():
        assert list(frames[name].columns) == t.column_names, name


def test_clean_tables_validate(built):
    frames, texts = built
    assert validate(frames, texts) == []


def test_every_quantity_mention_points_to_its_fact(built):
    frames, _ = built
    m, f = frames["number_mentions"], frames["numeric_facts"]
    q = m[m["class"] == "quantity"]
    assert q.fact_id.notna().all()
    assert set(q.fact_id) == set(f.fact_id)
    assert m[m["class"] != "quantity"].fact_id.isna().all()


def test_entity_key_is_stable_and_type_aware():
    assert entity_key("place", "和平区") == entity_key("place", "和平区")
    assert entity_key("place", "和平区") != entity_key("organization", "和平区")
    assert len(entity_key("event", "和平杯")) == 12


def test_validation_lists_every_failure_with_table_column_row(built):
    frames, texts = built
    bad = {k: v.copy() for k, v in frames.items()}
    facts = bad["numeric_facts"]
    facts.loc[0, "comparator"] = "roughly"  # not an allowed value
    facts.loc[1, "value_min"] = 5.0
    facts.loc[1, "value_max"] = 1.0  # bounds out of order
    facts.loc[2, "section_id"] = "nope-s9999"  # dangling foreign key
    bad["number_mentions"].loc[3, "char_end"] = 10**9  # offset outside the document
    bad["sections"].loc[0, "section_id"] = bad["sections"].loc[1, "section_id"]  # duplicate key
    with pytest.raises(ValidationFailed) as exc:
        check(bad, texts)
    fails = exc.value.failures
    got = {(f["table"], f["check"]) for f in fails}
    assert ("numeric_facts", "isin(['eq', 'gt', 'ge', 'lt', 'le', 'approx'])") in got
    assert ("numeric_facts", "value_min <= value_max") in got
    assert ("numeric_facts", "foreign key -> sections.section_id") in got
    assert ("number_mentions", "offsets inside the document") in got
    assert any(f["table"] == "sections" and "unique" in f["check"].lower() for f in fails)
    assert all(f["row"] is not None or f["column"] is None for f in fails)
    rows = {f["row"] for f in fails if f["table"] == "numeric_facts"}
    assert {0, 1, 2} <= rows


def test_text_at_offsets_is_checked(built):
    frames, texts = built
    bad = {k: v.copy() for k, v in frames.items()}
    bad["entities" if len(bad["entities"]) else "numeric_facts"].loc[0, "mention"] = "不是原文"
    fails = validate(bad, texts)
    assert any(f["check"] == "text at offsets equals the span" for f in fails)
