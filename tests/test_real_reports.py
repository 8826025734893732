"""Quality floors on real published reports, scored against gold written blind.

The texts stay in ``../shared/corpus/real`` (never copied into the repository); the gold
beside this test (``tests/data/real/<stem>.*.csv``: offsets, values and labels only) was
written by annotators who had not seen the pipeline's output. ``floors.csv`` holds, per
report, the floor each score must keep; ``texts.csv`` the sha256 each text had when it was
annotated, so a changed text fails loudly instead of scoring against shifted offsets.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from .conftest import SHARED
from .evalset import ENTITY_COLS, EvalSet, load_scorer

GOLD = Path(__file__).resolve().parent / "data" / "real"
TEXTS = SHARED / "corpus" / "real"
SET = EvalSet(GOLD, texts=TEXTS)
FLOORS = pd.read_csv(GOLD / "floors.csv").set_index("stem")
KNOWN = pd.read_csv(GOLD / "texts.csv").set_index("stem")
TYPES = {"organization", "company", "project", "place", "program", "event", "honor",
         "industry", "person"}  # fmt: skip

pytestmark = pytest.mark.skipif(
    not TEXTS.is_dir(),
    reason="../shared/corpus/real (the real report texts) is not beside the repo",
)


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer("heping_real_score")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return SET.frames()


def test_every_gold_report_has_floors_and_a_known_text() -> None:
    assert SET.stems and sorted(FLOORS.index) == SET.stems
    assert set(SET.stems) <= set(KNOWN.index)


@pytest.mark.parametrize("stem", SET.stems)
def test_text_is_the_one_annotated(stem: str) -> None:
    digest = hashlib.sha256((TEXTS / f"{stem}.txt").read_bytes()).hexdigest()
    assert digest == KNOWN.loc[stem, "sha256"], f"{stem}.txt changed since its gold was written"


@pytest.mark.parametrize("stem", SET.stems)
def test_gold_rows_are_at_their_offsets(stem: str) -> None:
    text = SET.text(stem)
    for kind, col in (("numeric", "mention"), ("non_quantity", "mention"),
                      ("sections", "heading"), ("entities", "mention")):  # fmt: skip
        gold = SET.gold(stem, kind)
        for r in gold.itertuples():
            assert text[r.char_start : r.char_end] == getattr(r, col), (kind, r)
    ents = SET.gold(stem, "entities")
    assert list(ents.columns) == ENTITY_COLS and set(ents.entity_type) <= TYPES


@pytest.mark.parametrize("stem", SET.stems)
def test_numeric_facts_floor(stem: str, frames, scorer) -> None:
    res = SET.numeric(stem, frames, scorer)
    floor = FLOORS.loc[stem]
    assert res["mention_not_at_offsets"] == 0
    assert res["f1"] >= floor.numeric_f1, (res["f1"], res["missed"], res["spurious"])
    assert res["fully_correct_recall"] >= floor.fully_correct, res["fully_correct_recall"]
    assert res["attribute_accuracy"]["kind"] >= floor.kind, res["attribute_accuracy"]
    assert res["non_quantity_reported_as_fact"] <= floor.max_nonq_as_fact, res["spurious"]


@pytest.mark.parametrize("stem", SET.stems)
def test_headings_floor(stem: str, frames, scorer) -> None:
    res = SET.sections(stem, frames, scorer)
    assert res["f1"] >= FLOORS.loc[stem].headings_f1, (res["f1"], res["missed"])


@pytest.mark.parametrize("stem", SET.stems)
def test_entities_floor(stem: str, frames, scorer) -> None:
    res = SET.entities(stem, frames, scorer)
    assert res["strict"]["f1"] >= FLOORS.loc[stem].entities_strict, res["strict"]
