"""Unit tests for numeral conversion: every written form reports use, plus money and percent."""

from __future__ import annotations

import math

import cn2an
import pytest

from heping_data.text.numerals import (
    NUMERAL_RE,
    approx_bounds,
    find_numerals,
    is_approximate,
    parse_bounds,
    parse_money,
    percent_value,
    to_value,
    word_spans,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Arabic: half/full width, separators, decimals, negatives, fractions
        ("2021", 2021),
        ("３５６", 356),
        ("1,234", 1234),
        ("1，234", 1234),
        ("12,345,678.5", 12345678.5),
        ("4.75", 4.75),
        ("-3.2", -3.2),
        ("－８", -8),
        ("1/4", 0.25),
        ("2 1/2", 2.5),
        # Chinese numerals
        ("十二", 12),
        ("两", 2),
        ("一百二十三万四千", 1234000),
        ("一千零五", 1005),
        ("三万五", 35000),
        ("两千四百五", 2450),
        ("一万零二百五十", 10250),
        ("二〇二一", 2021),
        ("零点五", 0.5),
        ("十五点七", 15.7),
        ("负三十二", -32),
        ("壹佰贰拾叁", 123),
        ("肆佰叁拾萬", 4300000),
        ("廿二", 22),
        ("卅", 30),
        ("半", 0.5),
        ("半百", 50),
        ("四万万", 400000000),
        ("五亿零六", 500000006),
        # mixed Arabic and multipliers
        ("1.2万", 12000),
        ("3.07万亿", 3.07e12),
        ("5千", 5000),
        ("25万6千", 256000),
        ("1千零20", 1020),
        ("1,100.9亿", 110090000000),
        # fractions in words
        ("三分之一", 1 / 3),
        ("百分之十五", 0.15),
        ("一又二分之一", 1.5),
        ("千分之三", 0.003),
    ],
)
def test_to_value(text: str, value: float) -> None:
    got = to_value(text)
    assert got is not None and math.isclose(got, value, rel_tol=1e-9), (text, got)


@pytest.mark.parametrize("text", ["", "万", "亿元", "abc", "十几", "三千多", "八九亿", "分之"])
def test_to_value_none_for_non_numerals_and_approximations(text: str) -> None:
    assert to_value(text) is None


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("十几", (10, 20)),
        ("十几万", (1e5, 2e5)),
        ("二十几万", (2e5, 3e5)),
        ("几十万", (1e5, 1e6)),
        ("数百", (100, 1000)),
        ("数十亿", (1e9, 1e10)),
        ("3000多", (3000, 4000)),
        ("3000余万", (3e7, 4e7)),
        ("一百多万", (1e6, 2e6)),
        ("二百三十余万", (2.3e6, 2.4e6)),
        ("五亿三千多万", (5.3e8, 5.4e8)),
        ("八九亿", (8e8, 9e8)),
        ("三五百", (300, 500)),
        ("上千", (1000, 10000)),
        ("12", (12, 12)),
    ],
)
def test_approx_bounds(text: str, bounds: tuple[float, float]) -> None:
    got = approx_bounds(text)
    assert got is not None
    assert math.isclose(got[0], bounds[0]) and math.isclose(got[1], bounds[1]), (text, got)


def test_is_approximate() -> None:
    assert is_approximate("十几") and is_approximate("500多")
    assert not is_approximate("五百") and not is_approximate("1.5万")


@pytest.mark.parametrize(
    ("text", "pct"),
    [
        ("15%", 15),
        ("１５．５％", 15.5),
        ("百分之十五", 15),
        ("百分之2.4", 2.4),
        ("千分之五", 0.5),
        ("3‰", 0.3),
        ("2.4个百分点", 2.4),
        ("三成", 30),
        ("八折", 80),
        ("75折", 75),
        ("负3.9%", -3.9),
    ],
)
def test_percent_value(text: str, pct: float) -> None:
    got = percent_value(text)
    assert got is not None and math.isclose(got, pct, rel_tol=1e-9), (text, got)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3000余万元", (3e7, 4e7, "元")),
        ("100多万美元", (1e6, 2e6, "美元")),
        ("约5亿元", (5e8, 5e8, "元")),
        ("3到5万元", (3e4, 5e4, "元")),
        ("三到五千万元", (3e7, 5e7, "元")),
        ("两千万元以上", (2e7, 2e7, "元")),
        ("1.5万亿元左右", (1.5e12, 1.5e12, "元")),
        ("人民币3万元整", (3e4, 3e4, "元")),
        ("五角", (0.5, 0.5, "元")),
        ("3元5角", (3.5, 3.5, "元")),
        ("十块三毛", (10.3, 10.3, "元")),
        ("从8500到3万港元", (8500, 3e4, "港元")),
        ("十八至三十万日元", (1.8e5, 3e5, "日元")),
        ("两个亿卢布", (2e8, 2e8, "卢布")),
        ("数十亿元人民币", (1e9, 1e10, "元")),
    ],
)
def test_parse_money(text: str, expected: tuple[float, float, str]) -> None:
    got = parse_money(text)
    assert got is not None
    assert math.isclose(got[0], expected[0]) and math.isclose(got[1], expected[1]), (text, got)
    assert got[2] == expected[2]


def test_parse_money_rejects_non_money() -> None:
    assert parse_money("元") is None
    assert parse_money("") is None


def _spans(text: str) -> list[str]:
    return [text[s:e] for s, e in find_numerals(text)]


def test_find_numerals_in_a_report_sentence() -> None:
    text = "全区实现地区生产总值356.8亿元，增长6.5%，新增市场主体1,234户，引进项目十二个、储备三千余个。"
    assert _spans(text) == ["356.8亿", "6.5", "1,234", "十二", "三千余"]


def test_find_numerals_skips_words_made_of_numeral_characters() -> None:
    assert _spans("统一部署，一切为了群众，进一步做好四川对口工作") == []
    assert _spans("唯一的办法是干") == []


def test_find_numerals_keeps_si_prefix_out_of_the_number() -> None:
    assert _spans("新增光伏装机50兆瓦") == ["50"]
    assert _spans("总量达五十兆九千亿") == ["五十兆九千亿"]


def test_find_numerals_masked_digits_are_not_numerals() -> None:
    # masks (*) are numbers.py's business: the numeral finder leaves them alone
    assert _spans("增长**.*%") == []


def test_numeral_regex_separators_and_decimals() -> None:
    assert NUMERAL_RE.fullmatch("12,345.67")
    assert NUMERAL_RE.fullmatch("一百二十三万四千")
    assert not NUMERAL_RE.fullmatch("12,34")


def test_bounds_are_ordered_for_negative_approximations() -> None:
    lo, hi = parse_bounds("负十几")  # type: ignore[misc]
    assert lo <= hi


@pytest.mark.parametrize(
    "text",
    [
        "一百零一",
        "一千零一十一",
        "十三万五千",
        "两千六百",
        "一亿五千万零六千三百五十五",
        "九十八万七千六百五十四",
    ],
)
def test_agrees_with_cn2an_where_cn2an_is_right(text: str) -> None:
    assert to_value(text) == pytest.approx(float(cn2an.cn2an(text, "smart")))


@pytest.mark.parametrize("text", ["3.07万亿", "1,234", "五百余万", "十几", "三分之一", "一万万"])
def test_handles_forms_cn2an_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        cn2an.cn2an(text, "smart")
    assert parse_bounds(text) is not None


def test_word_spans_and_keep_words() -> None:
    text = "推进一网通办，新增3家"
    assert _spans(text) == ["3"]
    kept = [text[s:e] for s, e in find_numerals(text, keep_words=True)]
    assert kept == ["一", "3"]
    assert [text[s:e] for s, e in word_spans(text)] == ["一网通办"]
