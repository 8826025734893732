"""Quality floors on a fourth, blind evaluation set modelled on full work reports.

``tests/data/eval4`` holds a central-province county report (2022 review with （一）
sections, 2023 targets and 1./2. run-in items ending in a full stop), a northern
district's 换届 report (五年 review: 年均增长, 是…的…倍, 翻一番, 三分之一, 千分之三,
∶ ratios; headings carrying their first sentence on the same line) and a southern news
summary in paragraphs with Chinese numerals (三成, 两倍, 百分之十二, 十余家) and ``**``
masks. Gold was written blind; ``tests/data/build_masked.py`` adds mask bounds to the shared
builder. Floors sit a little below what the pipeline reached; known gaps are strict
xfails, so a fix shows up as XPASS.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from .evalset import ENTITY_COLS, EvalSet, load_scorer
from .test_eval_reports import _load

EVAL4 = Path(__file__).resolve().parent / "data" / "eval4"
STEMS = sorted(p.stem for p in EVAL4.glob("*.txt"))
TYPES = {"organization", "place", "program", "event", "honor", "industry", "person"}

# stem: (numeric F1, fully correct recall, headings F1, entities strict F1, overlap F1)
FLOORS: dict[str, tuple[float, float, float, float, float]] = {
    "qd1_yiyang_county_2023": (0.99, 0.97, 0.98, 0.88, 0.89),
    "qd2_guhe_district_2021": (0.99, 0.97, 0.98, 0.95, 0.95),
    "qd3_rongwan_news_2023": (0.99, 0.98, 0.98, 0.98, 0.98),
}
# Non-quantities the pipeline still reports as facts when the gold was written.
NONQ_GAPS: dict[str, str] = {}


SET = EvalSet(EVAL4)


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer("heping_eval4_score")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return SET.frames()


_text, _numeric, _sections, _entities = SET.text, SET.numeric, SET.sections, SET.entities


def test_three_reports_present() -> None:
    assert sorted(FLOORS) == STEMS


def test_gold_matches_annotated_sources() -> None:
    """The texts and numeric/section gold are exactly what build_gold.py makes."""
    build = _load("heping_eval4_build_masked", EVAL4.parent / "build_masked.py")
    anns = sorted((EVAL4 / "annotated").glob("*.ann"))
    assert [a.stem for a in anns] == STEMS
    for ann in anns:
        for name, content in build.outputs(ann).items():
            assert (EVAL4 / name).read_text(encoding="utf-8") == content, name
    lists = sorted((EVAL4 / "annotated" / "entities").glob("*.lst"))
    assert [p.stem for p in lists] == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_gold_rows_are_at_their_offsets(stem: str) -> None:
    text = _text(stem)
    assert 300 < len(text) < 11000
    for kind, col in (("numeric", "mention"), ("non_quantity", "mention"), ("sections", "heading")):
        gold = pd.read_csv(EVAL4 / f"{stem}.{kind}.csv", keep_default_na=False)
        assert len(gold) > 0
        for r in gold.itertuples():
            assert text[r.char_start : r.char_end] == getattr(r, col), (kind, r)


@pytest.mark.parametrize("stem", STEMS)
def test_entity_gold_is_well_formed(stem: str) -> None:
    """Exact offsets, contract types, no overlaps, a canonical on every row."""
    text = _text(stem)
    gold = pd.read_csv(EVAL4 / f"{stem}.entities.csv", keep_default_na=False)
    assert list(gold.columns) == ENTITY_COLS and len(gold) >= 10
    for r in gold.itertuples():
        assert text[r.char_start : r.char_end] == r.mention, r
        assert r.entity_type in TYPES and r.canonical, r
    ends, starts = gold.char_end.tolist()[:-1], gold.char_start.tolist()[1:]
    assert all(e <= s for e, s in zip(ends, starts, strict=True))


def test_news_is_in_paragraphs() -> None:
    """Unlike the seed's one line: headline, boilerplate, then heading and body lines."""
    assert _text("qd3_rongwan_news_2023").count("\n") >= 8


@pytest.mark.parametrize("stem", STEMS)
def test_numeric_facts_floor(stem: str, frames, scorer) -> None:
    res = _numeric(stem, frames, scorer)
    f1, fully = FLOORS[stem][:2]
    assert res["mention_not_at_offsets"] == 0
    assert res["f1"] >= f1, (res["f1"], res["missed"], res["spurious"])
    assert res["fully_correct_recall"] >= fully, (res["fully_correct_recall"], res["errors"])
    assert res["attribute_accuracy"]["bounds"] == 1.0, res["errors"]


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
    if stem != "qd3_rongwan_news_2023":  # its missed subhead shifts levels: see the xfail
        assert res["level_accuracy"] >= 0.98 and res["part_accuracy"] >= 0.98


def test_news_paragraph_subheads(frames, scorer) -> None:
    """Three 'topic comment' subheads on lines of their own, each under its part."""
    assert _sections("qd3_rongwan_news_2023", frames, scorer)["f1"] == 1.0


def test_counter_nouns_and_zero_are_found(frames, scorer) -> None:
    """三大集团 (unit 集团), 由零增加到 (0) and 两周 (unit 周) are quantities."""
    missed = [
        m["mention"]
        for stem in ("qd1_yiyang_county_2023", "qd2_guhe_district_2021")
        for m in _numeric(stem, frames, scorer)["missed"]
    ]
    assert missed == []


@pytest.mark.parametrize("stem", STEMS)
def test_entities_floor(stem: str, frames, scorer) -> None:
    res = _entities(stem, frames, scorer)
    strict, overlap = FLOORS[stem][3:]
    assert res["strict"]["f1"] >= strict, res["strict"]
    assert res["overlap_span"]["f1"] >= overlap, res["overlap_span"]
