"""Quality floors on a seventh, held-back blind set: a full district report and a masked news summary.

``tests/data/eval7`` holds a western provincial capital's district report for 2023
(own-line and run-in ``（一）`` headings, a targets paragraph standing before ``二、``,
``1.``–``4.`` items, 八成/七成/三成 → %, 不足一半, 千头 as a qualifier, 超50亿元企业,
80周岁以上, companies with and without 公司, honours and people named after them) and a
southern county's news summary in the seed's layout (2021 review / 2022 plan, every
Arabic digit masked, two-part subheads, short subheads running into their body with and
without a space, ``以X为Y Z`` plan heads with level-4 children, 翻一番, 一半以上). Gold
was written blind with the shared builders (masked spans through
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
EVAL7 = DATA / "eval7"
STEMS = sorted(p.stem for p in EVAL7.glob("*.txt"))
TYPES = {"organization", "place", "program", "event", "honor", "industry", "person"}
FULL = "qg1_huangbin_district_2023"
NEWS = "qg2_meigang_news_2022"

# stem: (numeric F1, fully correct recall, kind accuracy, headings F1,
#        heading level accuracy, entities strict F1, overlap F1)
FLOORS: dict[str, tuple[float, ...]] = {
    FULL: (0.99, 0.98, 0.99, 0.98, 0.98, 0.84, 0.89),
    NEWS: (0.98, 0.98, 0.99, 0.96, 0.97, 0.77, 0.89),
}
MIN_CHARS = {FULL: 5000, NEWS: 2500}


SET = EvalSet(EVAL7)


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer("heping_eval7_score")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return SET.frames()


_text, _numeric, _sections, _entities = SET.text, SET.numeric, SET.sections, SET.entities
_entity_pred = SET.entity_pred


def _exact_spans(stem: str, frames: dict[str, pd.DataFrame]) -> set[tuple[int, int]]:
    pred = _entity_pred(stem, frames)
    return set(zip(pred.char_start, pred.char_end, strict=True))


def _gold_spans(stem: str, mentions: set[str]) -> set[tuple[int, int]]:
    gold = pd.read_csv(EVAL7 / f"{stem}.entities.csv", keep_default_na=False)
    rows = gold[gold.mention.isin(mentions)]
    assert len(rows) >= len(mentions)
    return set(zip(rows.char_start, rows.char_end, strict=True))


def test_two_reports_present() -> None:
    assert sorted(FLOORS) == STEMS
    for stem in STEMS:
        assert len(_text(stem)) >= MIN_CHARS[stem], stem


def test_news_digits_all_masked() -> None:
    """Like the seed, the news summary carries no Arabic digit at all."""
    assert not any(ch.isdigit() and ch.isascii() for ch in _text(NEWS))
    gold = pd.read_csv(EVAL7 / f"{NEWS}.numeric.csv", keep_default_na=False, dtype=str)
    masked = gold[gold.mention.str.contains("*", regex=False)]
    assert len(masked) >= 90
    assert (masked.is_masked == "true").all() and (masked.value == "").all()


def test_gold_matches_annotated_sources() -> None:
    """The texts and numeric/section gold are exactly what build_masked.py makes."""
    build = _load("heping_eval7_build_masked", EVAL7.parent / "build_masked.py")
    anns = sorted((EVAL7 / "annotated").glob("*.ann"))
    assert [a.stem for a in anns] == STEMS
    for ann in anns:
        for name, content in build.outputs(ann).items():
            assert (EVAL7 / name).read_text(encoding="utf-8") == content, name
    lists = sorted((EVAL7 / "annotated" / "entities").glob("*.lst"))
    assert [p.stem for p in lists] == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_gold_rows_are_at_their_offsets(stem: str) -> None:
    text = _text(stem)
    for kind, col in (("numeric", "mention"), ("non_quantity", "mention"), ("sections", "heading")):
        gold = pd.read_csv(EVAL7 / f"{stem}.{kind}.csv", keep_default_na=False)
        assert len(gold) > 0
        for r in gold.itertuples():
            assert text[r.char_start : r.char_end] == getattr(r, col), (kind, r)


@pytest.mark.parametrize("stem", STEMS)
def test_entity_gold_is_well_formed(stem: str) -> None:
    """Exact offsets, contract types, no overlaps, a canonical on every row."""
    text = _text(stem)
    gold = pd.read_csv(EVAL7 / f"{stem}.entities.csv", keep_default_na=False)
    assert list(gold.columns) == ENTITY_COLS and len(gold) >= 80
    for r in gold.itertuples():
        assert text[r.char_start : r.char_end] == r.mention, r
        assert r.entity_type in TYPES and r.canonical, r
    ends, starts = gold.char_end.tolist()[:-1], gold.char_start.tolist()[1:]
    assert all(e <= s for e, s in zip(ends, starts, strict=True))


@pytest.mark.parametrize("stem", STEMS)
def test_numeric_facts_floor(stem: str, frames, scorer) -> None:
    res = _numeric(stem, frames, scorer)
    f1, fully, kind = FLOORS[stem][:3]
    assert res["mention_not_at_offsets"] == 0
    assert res["f1"] >= f1, (res["f1"], res["missed"], res["spurious"])
    assert res["fully_correct_recall"] >= fully, (res["fully_correct_recall"], res["errors"])
    acc = res["attribute_accuracy"]
    assert min(acc["bounds"], acc["unit"], acc["comparator"], acc["role"]) >= 0.99
    assert acc["kind"] >= kind


@pytest.mark.parametrize("stem", STEMS)
def test_no_non_quantity_reported_as_fact(stem: str, frames, scorer) -> None:
    """Years, dates, 第N届, 二十大, 一期/二期, 一是, 三年(行动), 1+3+N, 三甲, *G, PM*.* stay out."""
    res = _numeric(stem, frames, scorer)
    assert res["non_quantity_reported_as_fact"] == 0, res["spurious"]


def test_targets_paragraph_before_plan_heading_is_target(frames, scorer) -> None:
    errors = _numeric(FULL, frames, scorer)["errors"]
    assert [e["mention"] for e in errors if "kind" in e["wrong"]] == []


def test_qian_tou_qualifier_found(frames, scorer) -> None:
    assert _numeric(FULL, frames, scorer)["missed"] == []


@pytest.mark.parametrize("stem", STEMS)
def test_headings_floor(stem: str, frames, scorer) -> None:
    res = _sections(stem, frames, scorer)
    f1, level = FLOORS[stem][3:5]
    assert res["f1"] >= f1, res["missed"]
    assert res["level_accuracy"] >= level and res["part_accuracy"] >= 0.98


@pytest.mark.xfail(
    strict=True,
    reason="sections: a subhead glued to a body that opens with a noun subject "
    "(消费市场加快回暖社会消费品…) stays unsplit",
)
def test_news_run_in_subheads_found(frames, scorer) -> None:
    assert _sections(NEWS, frames, scorer)["missed"] == []


@pytest.mark.parametrize("stem", STEMS)
def test_entities_floor(stem: str, frames, scorer) -> None:
    res = _entities(stem, frames, scorer)
    strict, overlap = FLOORS[stem][5:]
    assert res["strict"]["f1"] >= strict, res["strict"]
    assert res["overlap_span"]["f1"] >= overlap, res["overlap_span"]


def test_people_after_titles_found(frames) -> None:
    for stem, names in ((FULL, {"马秀兰", "韩德明", "才让多杰"}), (NEWS, {"李振华"})):
        assert _gold_spans(stem, names) <= _exact_spans(stem, frames), stem


def test_masked_edition_kept_in_event(frames) -> None:
    spans = _gold_spans(NEWS, {"第**届中国(梅岗)客家山歌节"})
    assert spans <= _exact_spans(NEWS, frames)
