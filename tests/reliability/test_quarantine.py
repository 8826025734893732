"""A row that breaks a rule stops the publish, every failure listed, unless quarantined."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from heping_data.errors import ValidationFailed
from heping_data.release import publish as publish_mod
from heping_data.run import corpus
from heping_data.validate import checks as validate

from ..conftest import REPORTS
from ..runs import extract_inputs
from .test_crash import verify


@pytest.fixture(scope="module")
def merged() -> corpus.BatchResult:
    inputs = corpus.discover([REPORTS / "small_report.txt", REPORTS / "news_summary_digits.txt"])
    return extract_inputs(inputs)


def _broken(merged: corpus.BatchResult) -> dict:
    """Two bad rows in two tables: a fact with a negative offset, a mention with a wrong span."""
    frames = {k: v.copy() for k, v in corpus.frames_of(merged).items()}
    facts, mentions = frames["numeric_facts"], frames["number_mentions"]
    assert len(facts) > 3 and len(mentions) > 3
    facts.loc[facts.index[1], "char_start"] = -5
    mentions.loc[mentions.index[2], "mention"] = "篡改"
    return frames


def test_every_failure_is_listed_and_nothing_is_published(merged, tmp_path):
    frames = _broken(merged)
    with pytest.raises(ValidationFailed) as exc:
        validate.check(frames, merged.texts)
    where = {(f["table"], f["row"]) for f in exc.value.failures}
    assert ("numeric_facts", 1) in where and ("number_mentions", 2) in where
    for f in exc.value.failures:
        assert {"table", "column", "row", "check", "value"} <= set(f)


def test_quarantine_moves_failing_and_dependent_rows_to_a_fixed_point(merged, tmp_path):
    frames = _broken(merged)
    bad_fact = frames["numeric_facts"].fact_id.iloc[1]
    q = validate.quarantine(frames, merged.texts)
    assert validate.validate(q.frames, q.texts) == []  # what is left passes every rule
    qf = q.rows["numeric_facts"]
    assert (
        bad_fact in set(qf.fact_id)
        and "char_start" in qf.set_index("fact_id").failed_check[bad_fact]
    )
    # mentions that pointed at the removed fact went too (foreign key), with that reason
    dependents = q.rows["number_mentions"]
    assert "篡改" in set(dependents.mention)
    fk = dependents[dependents.fact_id == bad_fact]
    assert len(fk) >= 1 and fk.failed_check.str.contains("foreign key").all()
    assert len(q.frames["numeric_facts"]) == len(frames["numeric_facts"]) - len(qf)
    # the release carries the quarantine files, listed and checksummed
    info = corpus.release_info(merged, "q1", "2025-01-01")
    rel = publish_mod.publish(q.frames, q.texts, tmp_path / "out", info, quarantine=q.rows)
    verify(rel)
    with (rel / "quarantine" / "numeric_facts.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(qf) and rows[0]["failed_check"]
    assert "quarantine/number_mentions.csv" in (rel / "datapackage.json").read_text("utf-8")


def test_removed_sections_do_not_cascade_through_the_tiling_rule(merged):
    frames = {k: v.copy() for k, v in corpus.frames_of(merged).items()}
    secs = frames["sections"]
    assert len(secs) >= 3
    secs.loc[secs.index[1], "level"] = -1  # breaks a range rule of one section
    q = validate.quarantine(frames, merged.texts)
    assert (
        validate.validate(q.frames, q.texts, tiling_exempt=frozenset(q.rows["sections"].doc_id))
        == []
    )
    assert len(q.rows["sections"]) < len(secs)  # not every section of the document


def test_a_column_level_failure_cannot_be_quarantined(merged):
    frames = {k: v.copy() for k, v in corpus.frames_of(merged).items()}
    frames["documents"] = frames["documents"].drop(columns=["file_name"])
    with pytest.raises(ValidationFailed):
        validate.quarantine(frames, merged.texts)


def test_nothing_to_quarantine_is_a_no_op(merged, tmp_path: Path):
    frames = corpus.frames_of(merged)
    q = validate.quarantine(frames, merged.texts)
    assert q.count == 0 and q.rows == {}
    assert all(len(q.frames[k]) == len(frames[k]) for k in frames)


def test_counts_and_entity_summary_describe_what_is_left(merged):
    frames = {k: v.copy() for k, v in corpus.frames_of(merged).items()}
    ents = frames["entities"]
    doc = str(ents.doc_id.iloc[0])
    # break every mention of one entity and one mention of another in the same document
    one = ents[ents.doc_id == doc].entity_key.iloc[0]
    many = ents[(ents.doc_id == doc) & (ents.entity_key != one)].entity_key.value_counts()
    twice = many[many >= 2].index[0]
    gone = ents.index[(ents.doc_id == doc) & (ents.entity_key == one)]
    first_of_twice = ents.index[(ents.doc_id == doc) & (ents.entity_key == twice)][0]
    ents.loc[[*gone, first_of_twice], "char_end"] = -1
    q = validate.quarantine(frames, merged.texts)
    assert validate.validate(q.frames, q.texts) == []
    left = q.frames["entities"]
    docs = q.frames["documents"].set_index("doc_id")
    for d, n in left.doc_id.value_counts().items():
        assert docs.loc[d, "n_entities"] == n
    assert docs.loc[doc, "n_facts"] == (q.frames["numeric_facts"].doc_id == doc).sum()
    summ = q.frames["entity_summary"]
    mine = summ[summ.doc_id == doc].set_index("entity_key")
    assert one not in mine.index  # every mention set aside: no summary row
    rest = left[(left.doc_id == doc) & (left.entity_key == twice)]
    assert mine.loc[twice, "mention_count"] == len(rest)
    assert mine.loc[twice, "first_char_start"] == rest.char_start.min()
    # summary rows of untouched entities keep their counts
    before = frames["entity_summary"].set_index(["doc_id", "entity_key"]).mention_count
    after = summ.set_index(["doc_id", "entity_key"]).mention_count
    same = after.index.difference(pd.MultiIndex.from_tuples([(doc, twice)]))
    assert (after.loc[same] == before.loc[same]).all()
