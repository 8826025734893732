"""Property-based tests: generated report text never yields a row that breaks the contract.

Text is built from number shapes (Arabic, full-width, masked, Chinese, leading point,
long runs), separators (thousands commas, no-break, thin and zero-width spaces), range
marks, multipliers, units, comparator words and symbols, dates, codes and noise. Every
mention must sit at its offsets, in order and without overlap; every quantity must be
finite, ordered and within its unit's plausibility bound; no input may raise. Failing
examples Hypothesis found and shrank are kept below as ordinary tests.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heping_data.extract.facts import extract_facts
from heping_data.extract.numbers import find_mentions, number_rules
from heping_data.extract.outline import outline, sentences
from heping_data.extract.pipeline import extract
from heping_data.sources.ingest import build_document
from heping_data.tables.rows import build_tables
from heping_data.validate.checks import validate


def _words(s: str) -> list[str]:
    """A word list written on one line, ``|``-separated (the empty word included)."""
    return s.split("|")


DIGITS = st.text("0123456789", min_size=1, max_size=6)
NUMBER = st.one_of(
    DIGITS,
    st.builds(lambda a, b: f"{a}.{b}", DIGITS, DIGITS),
    st.builds(lambda a: f".{a}", DIGITS),
    st.text("０１２３４５６７８９", min_size=1, max_size=4),
    st.text("*＊0123", min_size=1, max_size=4),
    st.text("零〇一二两三四五六七八九十百千万亿", min_size=1, max_size=6),
    st.sampled_from(["1,234", "1\u00a0000", "1\u2009234", "5\u200b.2", "9" * 60, "三" * 50]),
    st.sampled_from(["数十", "几百万", "十几", "上百", "近千", "百余", "三分之一", "百分之十五"]),
)
GLUE = st.sampled_from(
    ["", "", "", "-", "－", "—", "~", "～", "〜", "至", "到", ":", "∶", "/", ".", "、", "+", " "]
)
UNIT = st.sampled_from(
    _words(
        "|%|％|个|万|亿|万元|亿元|万亿元|亿亿元|万万|人|个百分点|年|月|日|号|时|分|倍|公里|吨|蒸吨|版|周年|大主题|成"
    )
)
CUE = st.sampled_from(
    _words(
        '|增长|下降到|减少|超过|达到或超过|≥|≤|>|<|±|约|近|第|前|由|从|以|“|"|GB/T |ICP备|(|\n|\t|绿盾|工业'
    )
)
NOISE = st.sampled_from(
    _words(
        "|，|。|；|、|全区|完成投资|获胜|赛季|行动计划|”|以上|左右|多|余|\n|\t|时间：|2026-02-01|2023.1.1|12时30分|“十四五”"
    )
)
PIECE = st.builds(
    lambda c, a, g, b, u, n: c + a + g + b + u + n, CUE, NUMBER, GLUE, NUMBER, UNIT, NOISE
)
TEXT = st.lists(PIECE, min_size=1, max_size=8).map("".join)


def _check_mentions(text: str) -> None:
    """The invariants every mention list must satisfy."""
    r = number_rules()
    last = 0
    for m in find_mentions(text):
        assert last <= m.start < m.end <= len(text), (m, text)
        assert text[m.start : m.end] == m.text, (m, text)
        last = m.end
        if m.cls != "quantity":
            assert m.value is None and m.value_min is None and m.value_max is None, m
            continue
        bound = r.bound.get(m.unit, r.bound_default)
        lo, hi = m.value_min, m.value_max
        assert lo is not None and hi is not None, m
        assert math.isfinite(lo) and math.isfinite(hi), m
        assert -bound <= lo <= hi <= bound, (m, text)
        if m.value is not None:
            assert lo <= m.value <= hi, m
        for v in (m.implied_min, m.implied_max):
            assert v is None or math.isfinite(v), m


@settings(
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(TEXT)
def test_generated_text_keeps_every_mention_invariant(text: str) -> None:
    _check_mentions(text)


def _doc(text: str):
    return build_document(text.encode("utf-8"), text, "utf-8", Path("generated.txt"))


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(TEXT)
def test_generated_text_facts_are_finite_and_ordered(text: str) -> None:
    doc = _doc("测试报告\n" + text + "\n")
    secs = outline(doc)
    mentions = tuple(find_mentions(doc.text))
    for f in extract_facts(doc, secs, sentences(doc, secs), mentions):
        m = f.mention
        assert m.cls == "quantity"
        assert math.isfinite(m.value_min) and math.isfinite(m.value_max)
        assert m.value_min <= m.value_max


@settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_generated_reports_validate_against_the_schema(texts: list[str]) -> None:
    docs = [_doc(f"报告{k}\n" + t + "\n") for k, t in enumerate(texts)]
    frames = build_tables([extract(d) for d in {d.doc_id: d for d in docs}.values()])
    assert validate(frames, {d.doc_id: d.text for d in docs}) == []


# --- failing examples found by Hypothesis, shrunk, kept as ordinary tests ------------------


@pytest.mark.parametrize(
    "text",
    [
        "9" * 400 + "亿元",  # inf after the multiplier: ValueError 'infe8'
        "三" * 50 + "个",  # a Chinese run past any numeral: overflow in the date check
        "0-00",  # zero-led right end: a serial, never the range 0..0 read twice
        "≥.0%",  # a comparator symbol before a leading point
        "下降到9-0万亿元",  # descending after a fall, with a multiplier on both ends
        "1\u00a0000-5亿元",  # a grouped left end before a range mark
        ".0.00",  # a leading point before a decimal: ValueError on 0.0.00
    ],
)
def test_shrunk_examples_keep_every_invariant(text: str) -> None:
    _check_mentions(text)


def test_property_frames_are_pandas() -> None:
    """The schema check above runs on real frames (guards against an empty build)."""
    frames = build_tables([extract(_doc("报告\n完成投资3-5万元，增长5〜6%。\n"))])
    assert isinstance(frames["numeric_facts"], pd.DataFrame)
    assert len(frames["numeric_facts"]) == 2
