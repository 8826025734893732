"""Quality floors on a sixth, held-back blind set: a masked news summary and a full report.

``tests/data/eval6`` holds a north-eastern district's news summary in the seed's layout
(one long line of blocks, 2019 review / 2020 plan, every Arabic digit masked as ``*``,
run-in subheads, ``第**届``/``PM*.*``/``*G``/``***强`` names, 翻一番, 六大板块) and a
county-level city's full 2020 report (own-line review headings, run-in plan headings with
1.–4. items, ratios 1.61∶1 and 2.8∶51.3∶45.9, ranges 2—3家/2—3年, 三分之一/三分之二/一半,
十方面, 两大集团). Gold was written blind with the shared builders (masked spans through
``tests/data/build_masked.py``). Floors sit a little below what the pipeline
reached; known gaps are strict xfails, so a fix shows up as XPASS.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from .evalset import ENTITY_COLS, EvalSet, load_scorer
from .test_eval_reports import _load

DATA = Path(__file__).resolve().parent / "data"
EVAL6 = DATA / "eval6"
STEMS = sorted(p.stem for p in EVAL6.glob("*.txt"))
TYPES = {"organization", "place", "program", "event", "honor", "industry", "person"}
NEWS = "qf1_songlan_news_2020"
FULL = "qf2_tongxi_city_2020"

# stem: (numeric F1, fully correct recall, headings F1, heading level accuracy,
#        entities strict F1, overlap F1)
FLOORS: dict[str, tuple[float, float, float, float, float, float]] = {
    NEWS: (0.98, 0.97, 0.96, 0.98, 0.93, 0.95),
    FULL: (0.98, 0.93, 0.98, 0.98, 0.90, 0.92),
}
MIN_CHARS = {NEWS: 3000, FULL: 6000}


SET = EvalSet(EVAL6)


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer("heping_eval6_score")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return SET.frames()


_text, _numeric, _sections, _entities = SET.text, SET.numeric, SET.sections, SET.entities


def test_two_reports_present() -> None:
    assert sorted(FLOORS) == STEMS
    for stem in STEMS:
        assert len(_text(stem)) >= MIN_CHARS[stem], stem


def test_news_digits_all_masked() -> None:
    """Like the seed, the news summary carries no Arabic digit at all."""
    assert not any(ch.isdigit() and ch.isascii() for ch in _text(NEWS))
    gold = pd.read_csv(EVAL6 / f"{NEWS}.numeric.csv", keep_default_na=False, dtype=str)
    masked = gold[gold.mention.str.contains("*", regex=False)]
    assert (masked.is_masked == "true").all() and (masked.value == "").all()


def test_gold_matches_annotated_sources() -> None:
    """The texts and numeric/section gold are exactly what build_masked.py makes."""
    build = _load("heping_eval6_build_masked", EVAL6.parent / "build_masked.py")
    anns = sorted((EVAL6 / "annotated").glob("*.ann"))
    assert [a.stem for a in anns] == STEMS
    for ann in anns:
        for name, content in build.outputs(ann).items():
            assert (EVAL6 / name).read_text(encoding="utf-8") == content, name
    lists = sorted((EVAL6 / "annotated" / "entities").glob("*.lst"))
    assert [p.stem for p in lists] == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_gold_rows_are_at_their_offsets(stem: str) -> None:
    text = _text(stem)
    for kind, col in (("numeric", "mention"), ("non_quantity", "mention"), ("sections", "heading")):
        gold = pd.read_csv(EVAL6 / f"{stem}.{kind}.csv", keep_default_na=False)
        assert len(gold) > 0
        for r in gold.itertuples():
            assert text[r.char_start : r.char_end] == getattr(r, col), (kind, r)


@pytest.mark.parametrize("stem", STEMS)
def test_entity_gold_is_well_formed(stem: str) -> None:
    """Exact offsets, contract types, no overlaps, a canonical on every row."""
    text = _text(stem)
    gold = pd.read_csv(EVAL6 / f"{stem}.entities.csv", keep_default_na=False)
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


@pytest.mark.parametrize("stem", STEMS)
def test_no_non_quantity_reported_as_fact(stem: str, frames, scorer) -> None:
    """Masked years/dates, 第**届, PM*.*, *G, ***强, 70周年, 一是, 三年(行动) stay out."""
    res = _numeric(stem, frames, scorer)
    assert res["non_quantity_reported_as_fact"] == 0, res["spurious"]


def test_chinese_numeral_before_fangmian_is_found(frames, scorer) -> None:
    """十方面 (numeral + 方面, no counter): 方面 is a counter (units.csv)."""
    missed = [m["mention"] for m in _numeric(FULL, frames, scorer)["missed"]]
    assert missed == []


@pytest.mark.parametrize("stem", STEMS)
def test_headings_floor(stem: str, frames, scorer) -> None:
    res = _sections(stem, frames, scorer)
    f1, level = FLOORS[stem][2:4]
    assert res["f1"] >= f1, res["missed"]
    assert res["level_accuracy"] >= level and res["part_accuracy"] >= 0.98


@pytest.mark.xfail(
    strict=True,
    reason="sections: two run-in subheads stay glued to their body: a noun + unlisted "
    "predicate before 推行 (no directive or doubled-state shape), and a directive head "
    "before 改造 (left out as an opener: it also ends noun phrases, 实施技术改造项目)",
)
def test_news_run_in_subheads_found(frames, scorer) -> None:
    res = _sections(NEWS, frames, scorer)
    assert res["missed"] == []


@pytest.mark.parametrize("stem", STEMS)
def test_entities_floor(stem: str, frames, scorer) -> None:
    res = _entities(stem, frames, scorer)
    strict, overlap = FLOORS[stem][4:]
    assert res["strict"]["f1"] >= strict, res["strict"]
    assert res["overlap_span"]["f1"] >= overlap, res["overlap_span"]
