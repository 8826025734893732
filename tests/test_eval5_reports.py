"""Quality floors on a fifth, held-back blind set of long full work reports.

``tests/data/eval5`` holds a north-western prefecture-level city's 2022 report (2021
review with run-in （一）…（八） headings, figure-dense paragraphs in 万千瓦/万亩/万头/
人次, 七成, 千头 threshold, 2022 targets and 1./2. items) and a southern provincial
capital district's 2024 report (run-in review headings, plan headings on lines of their
own, 三成, 一半, 前三, 零费用, ranges 1—2家, 亿美元). Gold was written blind with the
shared builders (``tests/data/build_gold.py``, ``build_entities.py``), real digits.
Floors sit a little below what the pipeline reached; known gaps are strict xfails, so
a fix shows up as XPASS.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from .evalset import ENTITY_COLS, EvalSet, load_scorer
from .test_eval_reports import _load

DATA = Path(__file__).resolve().parent / "data"
EVAL5 = DATA / "eval5"
STEMS = sorted(p.stem for p in EVAL5.glob("*.txt"))
TYPES = {"organization", "place", "program", "event", "honor", "industry", "person"}

# stem: (numeric F1, fully correct recall, headings F1, entities strict F1, overlap F1)
FLOORS: dict[str, tuple[float, float, float, float, float]] = {
    "qe1_shiyang_city_2022": (0.99, 0.97, 0.98, 0.90, 0.90),
    "qe2_yongbei_district_2024": (0.99, 0.97, 0.98, 0.88, 0.92),
}
# Non-quantities the pipeline still reports as facts when the gold was written.
NONQ_GAPS: dict[str, str] = {}


SET = EvalSet(EVAL5)


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer("heping_eval5_score")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return SET.frames()


_text, _numeric, _sections, _entities = SET.text, SET.numeric, SET.sections, SET.entities


def test_two_long_reports_present() -> None:
    assert sorted(FLOORS) == STEMS
    for stem in STEMS:
        assert len(_text(stem)) >= 6000, stem


def test_gold_matches_annotated_sources() -> None:
    """The texts and numeric/section gold are exactly what build_gold.py makes."""
    build = _load("heping_eval5_build_gold", DATA / "build_gold.py")
    anns = sorted((EVAL5 / "annotated").glob("*.ann"))
    assert [a.stem for a in anns] == STEMS
    for ann in anns:
        for name, content in build.outputs(ann).items():
            assert (EVAL5 / name).read_text(encoding="utf-8") == content, name
    lists = sorted((EVAL5 / "annotated" / "entities").glob("*.lst"))
    assert [p.stem for p in lists] == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_gold_rows_are_at_their_offsets(stem: str) -> None:
    text = _text(stem)
    for kind, col in (("numeric", "mention"), ("non_quantity", "mention"), ("sections", "heading")):
        gold = pd.read_csv(EVAL5 / f"{stem}.{kind}.csv", keep_default_na=False)
        assert len(gold) > 0
        for r in gold.itertuples():
            assert text[r.char_start : r.char_end] == getattr(r, col), (kind, r)


@pytest.mark.parametrize("stem", STEMS)
def test_entity_gold_is_well_formed(stem: str) -> None:
    """Exact offsets, contract types, no overlaps, a canonical on every row."""
    text = _text(stem)
    gold = pd.read_csv(EVAL5 / f"{stem}.entities.csv", keep_default_na=False)
    assert list(gold.columns) == ENTITY_COLS and len(gold) >= 50
    for r in gold.itertuples():
        assert text[r.char_start : r.char_end] == r.mention, r
        assert r.entity_type in TYPES and r.canonical, r
    ends, starts = gold.char_end.tolist()[:-1], gold.char_start.tolist()[1:]
    assert all(e <= s for e, s in zip(ends, starts, strict=True))


@pytest.mark.parametrize("stem", STEMS)
def test_numeric_facts_floor(stem: str, frames, scorer) -> None:
    res = _numeric(stem, frames, scorer)
    f1, fully = FLOORS[stem][:2]
    assert res["mention_not_at_offsets"] == 0
    assert res["f1"] >= f1, (res["f1"], res["missed"], res["spurious"])
    assert res["fully_correct_recall"] >= fully, (res["fully_correct_recall"], res["errors"])
    acc = res["attribute_accuracy"]
    assert min(acc["bounds"], acc["unit"], acc["comparator"], acc["kind"], acc["role"]) >= 0.99


@pytest.mark.parametrize(
    "stem",
    [
        pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=NONQ_GAPS[s]))
        if s in NONQ_GAPS
        else s
        for s in STEMS
    ],
)
def test_no_non_quantity_reported_as_fact(stem: str, frames, scorer) -> None:
    res = _numeric(stem, frames, scorer)
    assert res["non_quantity_reported_as_fact"] == 0, res["spurious"]


@pytest.mark.parametrize("stem", STEMS)
def test_headings_floor(stem: str, frames, scorer) -> None:
    res = _sections(stem, frames, scorer)
    assert res["f1"] >= FLOORS[stem][2], res["missed"]
    assert res["level_accuracy"] >= 0.98 and res["part_accuracy"] >= 0.98


def test_threshold_counter_and_zero_are_found(frames, scorer) -> None:
    """建成千头肉牛养殖场 (qualifier, unit 头) and 零费用 (0) are quantities."""
    missed = [m["mention"] for stem in STEMS for m in _numeric(stem, frames, scorer)["missed"]]
    assert missed == []


@pytest.mark.parametrize("stem", STEMS)
def test_entities_floor(stem: str, frames, scorer) -> None:
    res = _entities(stem, frames, scorer)
    strict, overlap = FLOORS[stem][3:]
    assert res["strict"]["f1"] >= strict, res["strict"]
    assert res["overlap_span"]["f1"] >= overlap, res["overlap_span"]
