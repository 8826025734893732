"""Unit tests for the number layer: spans, classes, values, bounds, units, comparators."""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import pytest

from heping_data.extract.numbers import find_mentions
from heping_data.records import Boilerplate, NumberMention

from .conftest import SEED, SHARED

ROOT = Path(__file__).resolve().parents[1]

GOLD = SHARED / "eval" / "gold" / "000_696758e3d0fa223f"
REPORTS = ROOT / "tests" / "data" / "reports"


def _one(text: str, span: str) -> NumberMention:
    """The single mention whose text is ``span``."""
    hits = [m for m in find_mentions(text) if m.text == span]
    assert len(hits) == 1, [(m.text, m.cls) for m in find_mentions(text)]
    return hits[0]


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _uncovered(text: str, mentions: list[NumberMention]) -> list[tuple[int, str]]:
    covered = bytearray(len(text))
    for m in mentions:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    return [
        (i, text[max(0, i - 5) : i + 5])
        for i, c in enumerate(text)
        if (c.isdigit() or c in "*＊") and not covered[i]
    ]


# --- quantities: value, unit, multiplier -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "unit", "mult", "value"),
    [
        ("全区实现地区生产总值1,286.4亿元，", "1,286.4亿元", "元", 1e8, 1.2864e11),
        ("年末存款余额3.07万亿元。", "3.07万亿元", "元", 1e12, 3.07e12),
        ("发放消费券3千万元。", "3千万元", "元", 1e7, 3e7),
        ("新增城镇就业1.68万人，", "1.68万人", "人", 1e4, 16800.0),
        ("接待游客2,860万人次。", "2,860万人次", "人次", 1e4, 2.86e7),
        ("增速高于全市1.2个百分点。", "1.2个百分点", "百分点", 1.0, 1.2),
        ("研发投入强度达到3.4％，", "3.4％", "%", 1.0, 3.4),
        ("新增学位１２３个。", "１２３个", "个", 1.0, 123.0),
        ("新增市场主体1，234户。", "1，234户", "户", 1.0, 1234.0),
        ("改造背街小巷12.5万平方米。", "12.5万平方米", "平方米", 1e4, 125000.0),
        ("分布式光伏装机5万千瓦，", "5万千瓦", "千瓦", 1e4, 50000.0),
        ("新建绿道5千米。", "5千米", "千米", 1.0, 5.0),
        ("实际利用外资2.3亿美元，", "2.3亿美元", "美元", 1e8, 2.3e8),
        ("企业开办压缩至0.5个工作日以内。", "0.5个工作日", "工作日", 1.0, 0.5),
        ("用3年时间完成改造。", "3年", "年", 1.0, 3.0),
        ("粉丝量达1.2亿。", "1.2亿", None, 1e8, 1.2e8),
        ("平均浓度控制在34微克/立方米以内。", "34微克/立方米", "微克/立方米", 1.0, 34.0),
        ("高考600分以上达到128人。", "600分", "分", 1.0, 600.0),
    ],
)
def test_arabic_quantities(text: str, span: str, unit: str | None, mult: float, value: float):
    m = _one(text, span)
    assert m.cls == "quantity"
    assert m.unit == unit
    assert m.multiplier == mult
    assert m.value == pytest.approx(value)
    assert m.value_min == pytest.approx(value) and m.value_max == pytest.approx(value)
    assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "span", "unit", "value"),
    [
        ("明确十个方面抓落实。", "十个", "个", 10.0),
        ("从督导、考核四个方面保落实。", "四个", "个", 4.0),
        ("新建两所公办幼儿园。", "两所", "所", 2.0),
        ("围绕夜购、夜食等九大主题，", "九大主题", "主题", 9.0),
        ("细化完善十大举措。", "十大举措", "举措", 10.0),
        ("投入三千万元资金。", "三千万元", "元", 3e7),
        ("共计一百二十三万四千元。", "一百二十三万四千元", "元", 1234000.0),
        ("新增企业数占百分之十五。", "百分之十五", "%", 15.0),
        ("提高零点五个百分点。", "零点五个百分点", "百分点", 0.5),
    ],
)
def test_chinese_numeral_quantities(text: str, span: str, unit: str, value: float):
    m = _one(text, span)
    assert m.cls == "quantity"
    assert m.unit == unit
    assert m.value == pytest.approx(value)


def test_fractions_and_negative():
    assert _one("已完成1/4的任务。", "1/4").value == pytest.approx(0.25)
    assert _one("覆盖三分之一的社区。", "三分之一").value == pytest.approx(1 / 3)
    neg = _one("工业增加值增长-3.5%，", "-3.5%")
    assert neg.value == -3.5 and neg.value_min == -3.5
    # a verb of decline does not invent a sign
    assert _one("能耗下降3.5%。", "3.5%").value == 3.5


@pytest.mark.parametrize(
    ("text", "span", "lo", "hi", "unit"),
    [
        ("建设3-5个产业园。", "3-5个", 3.0, 5.0, "个"),
        ("打造3至5个街区。", "3至5个", 3.0, 5.0, "个"),
        ("新建3～5所学校。", "3～5所", 3.0, 5.0, "所"),
        ("投资三到五千万元。", "三到五千万元", 3e7, 5e7, "元"),
        ("增长3%-5%。", "3%-5%", 3.0, 5.0, "%"),
        ("投资2-3万元。", "2-3万元", 2e4, 3e4, "元"),
    ],
)
def test_ranges(text: str, span: str, lo: float, hi: float, unit: str):
    m = _one(text, span)
    assert m.cls == "quantity" and m.is_range and m.value is None
    assert (m.value_min, m.value_max) == (pytest.approx(lo), pytest.approx(hi))
    assert m.unit == unit


# --- masked digits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "lo", "hi", "n"),
    [
        ("*个", 0, 9, 1),
        ("**个", 10, 99, 2),
        ("****个", 1000, 9999, 4),
        ("**.*%", 10, 99.9, 3),
        ("*.**亿元", 0, 9.99e8, 3),
        ("*.*亿", 0, 9.9e8, 2),
        ("****万元", 1e7, 9.999e7, 4),
        ("1**万元", 1e6, 1.99e6, 2),
        ("12*个", 120, 129, 1),
    ],
)
def test_masked_bounds(span: str, lo: float, hi: float, n: int):
    m = _one(f"今年完成{span}，", span)
    assert m.cls == "quantity" and m.is_masked and m.masked_digits == n
    assert m.value is None
    assert m.value_min == pytest.approx(lo) and m.value_max == pytest.approx(hi)


# --- comparators and implied ranges ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "cmp"),
    [
        ("营业收入突破2,000亿元。", "2,000亿元", "gt"),
        ("总投资超过460亿元。", "460亿元", "gt"),
        ("年内至少完成120个亿元以上项目。", "120个", "ge"),
        ("占比不低于55%。", "55%", "ge"),
        ("增长10%以上，", "10%", "ge"),
        ("失业率控制在5.5%以内。", "5.5%", "le"),
        ("失业率控制在5.5%以下。", "5.5%", "le"),
        ("负债率不超过65%。", "65%", "le"),
        ("不足5%的企业", "5%", "lt"),
        ("增长7%左右。", "7%", "approx"),
        ("约680亿元；", "680亿元", "approx"),
        ("最近3年", "3年", "eq"),
        ("新增企业15家。", "15家", "eq"),
    ],
)
def test_comparators(text: str, span: str, cmp: str):
    assert _one(text, span).comparator == cmp


def test_yu_duo_inside_span_and_implied_range():
    m = _one("日均销售额3000余万元。", "3000余万元")
    assert m.comparator == "gt"
    assert (m.value_min, m.value_max) == (3e7, 3e7)
    assert (m.implied_min, m.implied_max) == (3e7, 4e7)
    d = _one("带动就业10多万人。", "10多万人")
    assert d.comparator == "gt" and d.implied_max == pytest.approx(2e5)
    masked = _one("销售额****余万元。", "****余万元")
    assert masked.value_min == 1e7 and masked.implied_max == pytest.approx(1e8)
    near = _one("增加近2万户。", "2万户")
    assert near.comparator == "approx" and near.implied_max == 2e4


# --- rankings --------------------------------------------------------------------------


def test_rankings():
    for text, span, value in [
        ("获评百强区第12名，", "第12名", 12.0),
        ("位列东北第一；", "第一", 1.0),
        ("营商环境评价中居全省首位，", "首位", 1.0),
        ("排名第3。", "第3", 3.0),
    ]:
        m = _one(text, span)
        assert (m.cls, m.is_ordinal, m.unit, m.value) == ("quantity", True, "名", value)


def test_ordinal_labels_and_enumerations_are_not_rankings():
    assert _one("第3批试点", "第3批").cls == "name"
    assert find_mentions("存在问题：第一，投资偏弱；第二，") == []


# --- non-quantities --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "cls"),
    [
        ("2023年，全区经济回升。", "2023年", "year"),
        ("****年,和平区面对考验", "****年", "year"),
        ("2021—2025年规划", "2021—2025年", "year"),
        ("2022 答卷 砥砺奋进", "2022", "year"),
        ("3月15日前开工", "3月15日", "date"),
        ("*月**日,召开会议", "*月**日", "date"),
        ("1-6月累计", "1-6月", "date"),
        ("力争一季度开门红", "一季度", "date"),
        ("成功应对“7·26”强降雨", "7·26", "date"),
        ("建成5G基站", "5G", "name"),
        ("发展*G产业", "*G", "name"),
        ("126中学新校区", "126中学", "name"),
        ("***中学分校", "***中学", "name"),
        ("创建国家4A级旅游景区", "4A级", "name"),
        ("实现“十四五”开局", "十四五", "name"),
        ("PM2.5平均浓度", "PM2.5", "name"),
        ("世界500强企业", "500强", "name"),
        ("轨道交通19号线", "19号线", "name"),
        ("推进“1+N”协同招商", "1+N", "pattern"),
        ("采用“*+*+*”模式", "*+*+*", "pattern"),
        ("上午8:30开馆", "8:30", "pattern"),
        ("电话024-23456789", "024-23456789", "name"),
        ("12345热线工单", "12345热线", "name"),
        ("构建“*+*+X”体系", "*+*+X", "pattern"),
        ("******在化债融资方面作用明显", "******", "redacted"),
        ("做好******,提升效率", "******", "redacted"),
        ("查看隐藏内容(*)需先登录", "(*)", "boilerplate"),
    ],
)
def test_non_quantity_classes(text: str, span: str, cls: str):
    assert _one(text, span).cls == cls


def test_list_markers_are_names():
    text = "一、工作回顾\n1.先进制造业提速\n（2）要素改革\n3、开放合作"
    ms = find_mentions(text)
    assert [(m.text, m.cls) for m in ms] == [("1", "name"), ("（2）", "name"), ("3", "name")]


def test_fixed_expressions_are_not_mentions():
    text = (
        "第一时间封控，一网通办，一肩挑，一是加强，统一部署，唯一，“万人进万企”，"
        "两市，四态合一，三级党群中心，一票否决，从零到一，和平“十二名片”，"
        "沈阳最受欢迎十大旅游景点，区三届人大三次会议，最多跑一次，"
        "第一产业，引入第三方评估，三次产业协调发展，汽车零部件，零售"
    )
    assert find_mentions(text) == []


def test_boilerplate_spans_passed_in():
    text = "正文完成12项。\n网址http://www.***.cn/a?id=****&x=5"
    start = text.index("网址")
    ms = find_mentions(text, (Boilerplate(start, len(text), "source_url"),))
    assert [m.cls for m in ms] == ["quantity", "boilerplate", "boilerplate", "boilerplate"]
    assert [m.text for m in ms[1:]] == ["***", "****", "5"]
    # without the span, a URL still never yields quantities
    assert {m.cls for m in find_mentions(text)[1:]} == {"boilerplate"}


# --- invariants ------------------------------------------------------------------------


def _texts() -> list[tuple[str, str]]:
    out = []
    if SEED.exists():
        out.append((SEED.name, SEED.read_text(encoding="utf-8")))
    out += [(p.name, _read(p)) for p in sorted(REPORTS.glob("*.txt"))]
    return out


@pytest.mark.parametrize(("name", "text"), _texts())
def test_every_digit_and_mask_is_in_a_mention(name: str, text: str):
    ms = find_mentions(text)
    assert _uncovered(text, ms) == []
    for a, b in itertools.pairwise(ms):
        assert a.end <= b.start, (name, a, b)
    for m in ms:
        assert text[m.start : m.end] == m.text
        if m.cls == "quantity":
            assert m.value_min is not None and m.value_max is not None
            assert m.value_min <= m.value_max
            assert m.is_masked == (m.value is None and not m.is_range) or m.is_range


@pytest.fixture(scope="module")
def seed_scores() -> dict:
    if not GOLD.with_suffix(".numeric.csv").exists():
        pytest.skip("shared gold not present")
    import pandas as pd

    sys.path.insert(0, str(SHARED / "eval"))
    from score import score_numeric  # type: ignore[import-not-found]

    text = SEED.read_text(encoding="utf-8")
    ms = find_mentions(text)
    rows = [
        {
            "char_start": m.start,
            "char_end": m.end,
            "mention": m.text,
            "unit": m.unit,
            "multiplier": m.multiplier,
            "value": m.value,
            "value_min": m.value_min,
            "value_max": m.value_max,
            "comparator": m.comparator,
            "kind": "actual",
            "role": "measure",
            "metric": "",
        }
        for m in ms
        if m.cls == "quantity"
    ]
    gold = pd.read_csv(f"{GOLD}.numeric.csv", keep_default_na=False, na_values=[""])
    nonq = pd.read_csv(f"{GOLD}.non_quantity.csv")
    res = score_numeric(text, gold, nonq, pd.DataFrame(rows))
    res["_classes"] = {(m.start, m.end): m.cls for m in ms}
    res["_nonq"] = nonq
    return res


def test_seed_gold_detection_and_attributes(seed_scores: dict):
    assert seed_scores["f1"] >= 0.98, (seed_scores["missed"], seed_scores["spurious"])
    for attr in ("bounds", "unit", "comparator"):
        assert seed_scores["attribute_accuracy"][attr] >= 0.95, seed_scores["errors"]
    assert seed_scores["non_quantity_reported_as_fact"] == 0
    assert seed_scores["mention_not_at_offsets"] == 0


def test_seed_non_quantity_classes(seed_scores: dict):
    classes = seed_scores["_classes"]
    for _, row in seed_scores["_nonq"].iterrows():
        assert classes.get((row.char_start, row.char_end)) == row["class"], row.mention


# --- round 2: real-digit reports ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "unit", "value", "cmp"),
    [
        ("新建一所学校，", "一所", "所", 1.0, "eq"),
        ("获批一个国家级平台。", "一个", "个", 1.0, "eq"),
        ("新增一所公办幼儿园，", "一所", "所", 1.0, "eq"),
        ("民生支出占比达到八成，", "八成", "%", 80.0, "eq"),
        ("较上年提高两成。", "两成", "%", 20.0, "eq"),
        ("审批时限压缩三成半。", "三成半", "%", 35.0, "eq"),
        ("力争地区生产总值翻一番，", "翻一番", "倍", 2.0, "eq"),
        ("城乡居民收入翻两番。", "翻两番", "倍", 4.0, "eq"),
        ("建设周期缩短到一年半，", "一年半", "年", 1.5, "eq"),
        ("企业开办压缩至半天以内，", "半天", "天", 0.5, "le"),
        ("传统产业占比仍超过一半；", "一半", None, 0.5, "gt"),  # a fraction, like 二分之一
        ("连续3月位居全市前列，", "3月", "月", 3.0, "eq"),
        ("基本养老服务覆盖率达到百分之百。", "百分之百", "%", 100.0, "eq"),
        ("中欧班列累计开行418列。", "418列", "列", 418.0, "eq"),
        ("夺得金牌4枚。", "4枚", "枚", 4.0, "eq"),
        ("产值超百亿元企业9家，", "百亿元", "元", 1e10, "gt"),
        ("上百个项目签约，", "上百个", "个", 100.0, "ge"),
        ("近百家企业参与，", "百家", "家", 100.0, "approx"),
        ("引进百余名博士，", "百余名", "名", 100.0, "gt"),
        ("全区户籍人口约45万人，", "45万人", "人", 4.5e5, "approx"),
        ("常住人口58.6万人左右。", "58.6万人", "人", 5.86e5, "approx"),
        ("约占全部装机的三分之一。", "三分之一", None, 1 / 3, "approx"),
        ("聚焦“三个着力”，", "三个", "个", 3.0, "eq"),
        ("实施“十大工程”，", "十大工程", "工程", 10.0, "eq"),
    ],
)
def test_round2_quantities(text: str, span: str, unit: str | None, value: float, cmp: str):
    m = _one(text, span)
    assert m.cls == "quantity"
    assert (m.unit, m.comparator) == (unit, cmp)
    assert m.value == pytest.approx(value)
    assert m.value_min == pytest.approx(value) and m.value_max == pytest.approx(value)


def test_approx_convention_leaves_implied_range_open():
    # 约/左右: value and both bounds are the number; no implied range is invented.
    m = _one("户籍人口约45万人。", "45万人")
    assert (m.value, m.value_min, m.value_max) == (4.5e5, 4.5e5, 4.5e5)
    assert (m.implied_min, m.implied_max) == (None, None)


@pytest.mark.parametrize(
    ("text", "span", "lo", "hi"),
    [
        ("数十家银行机构入驻，", "数十家", 10.0, 100.0),
        ("十几个部门联动，", "十几个", 10.0, 20.0),
        ("带动几十万人就业，", "几十万人", 1e5, 1e6),
    ],
)
def test_approximate_numerals_give_bounds(text: str, span: str, lo: float, hi: float):
    m = _one(text, span)
    assert m.cls == "quantity" and m.value is None and m.comparator == "approx"
    assert (m.value_min, m.value_max) == (pytest.approx(lo), pytest.approx(hi))


def test_one_with_counter_needs_an_achievement_verb():
    idioms = "坚持一个中心，全区一盘棋，打造一张网，办好一件事，一个都不能少，推进一体化。"
    assert find_mentions(idioms) == []
    assert [m.text for m in find_mentions("新建一个社区卫生服务中心，引进一座物流中心。")] == [
        "一个",
        "一座",
    ]


def test_rank_units_and_top_n():
    assert _one("经济总量位次前移至第3位；", "第3位").unit == "位"
    top = _one("营商环境评价进入全省前三。", "三")
    assert (top.is_ordinal, top.value, top.comparator, top.unit) == (True, 3.0, "le", "名")
    assert _one("保持全市前3名。", "3名").comparator == "le"
    assert find_mentions("中考进入“前三校”的学生") == []


@pytest.mark.parametrize(
    ("text", "span", "cls"),
    [
        ("2023年1月12日在区第十八届人民代表大会上", "2023年1月12日", "date"),
        ("2023年底前完成改造", "2023年", "year"),
        ("2023年以来累计投入", "2023年", "year"),
        ("2023—2025年实施", "2023—2025年", "year"),
        ("2023世界龙狮锦标赛在本区举办", "2023", "year"),
        ("第3批国家级试点", "第3批", "name"),
        ("区第十五届人民代表大会", "第十五届", "name"),
        ("第七次全国人口普查", "第七次", "name"),
        ("地铁2号线二期开工", "2号线", "name"),
        ("110接警同比下降", "110", "name"),
        ("过去五年，全市上下", "五年", "name"),
        ("实施商圈提升三年行动", "三年", "name"),
    ],
)
def test_round2_non_quantities(text: str, span: str, cls: str):
    assert _one(text, span).cls == cls


def test_durations_stay_quantities():
    assert _one("用三年时间完成改造", "三年").cls == "quantity"
    assert _one("连续3年入选百强区", "3年").unit == "年"
    assert _one("完成投资2500，", "2500").cls == "quantity"  # a bare 4-digit number at a comma


def _num(x: str) -> float | None:
    return float(x) if x not in ("", None) else None


@pytest.mark.parametrize(
    "txt", sorted((ROOT / "tests" / "data" / "eval").glob("qa*.txt")), ids=lambda p: p.stem
)
def test_real_digit_eval_reports(txt: Path):
    """Hand-annotated real-digit reports: exact spans and number attributes near perfect."""
    import csv

    text = txt.read_text(encoding="utf-8")
    with open(txt.with_suffix(".numeric.csv"), encoding="utf-8") as f:
        gold = {(int(g["char_start"]), int(g["char_end"])): g for g in csv.DictReader(f)}
    with open(txt.with_suffix(".non_quantity.csv"), encoding="utf-8") as f:
        nonq = [(int(g["char_start"]), int(g["char_end"])) for g in csv.DictReader(f)]
    pred = {(m.start, m.end): m for m in find_mentions(text) if m.cls == "quantity"}
    tp = gold.keys() & pred.keys()
    f1 = 2 * len(tp) / (len(gold) + len(pred))
    assert f1 >= 0.98, (sorted(gold.keys() - tp), sorted(pred.keys() - tp))
    bad = []
    for k in tp:
        g, m = gold[k], pred[k]
        lower, upper = g["comparator"] in ("gt", "ge"), g["comparator"] in ("lt", "le")
        ok_lo = m.value_min == pytest.approx(_num(g["value_min"])) or upper
        ok_hi = m.value_max == pytest.approx(_num(g["value_max"])) or lower
        if (g["unit"] and g["unit"] != m.unit) or not (ok_lo and ok_hi):
            bad.append((g["mention"], g["unit"], m.unit))
    assert len(bad) <= 0.03 * len(gold), bad
    for s, e in nonq:
        assert not any(ps < e and pe > s for ps, pe in pred), text[s:e]


def test_comparator_words_respect_word_boundaries():
    """约 inside 签约/节约 is part of a verb, not 'about'."""
    got = {
        m.text: m.comparator
        for m in find_mentions("现场签约35亿元，节约资金2亿元，集约用地约3亿元。")
    }
    assert got == {"35亿元": "eq", "2亿元": "eq", "3亿元": "approx"}


# --- round 3: the fast path must agree with the full chain ------------------------------


def _chain_only(monkeypatch: pytest.MonkeyPatch, text: str) -> list[NumberMention]:
    """find_mentions with the fast quantity path switched off (every core via _classify)."""
    import dataclasses

    from heping_data.extract.numbers import number_rules
    from heping_data.extract.numbers.grammar import _CORE

    return find_mentions(text, rules=dataclasses.replace(number_rules(), scan=_CORE))


@pytest.mark.parametrize(
    "path",
    [
        *sorted(REPORTS.glob("*.txt")),
        *sorted((ROOT / "tests" / "data" / "eval").glob("qa*.txt")),
        SEED,
    ],
    ids=lambda p: p.stem,
)
def test_fast_path_equals_full_chain(path: Path, monkeypatch: pytest.MonkeyPatch):
    text = _read(path)
    fast = find_mentions(text)
    assert sum(m.cls == "quantity" for m in fast) > 10
    assert fast == _chain_only(monkeypatch, text)


def test_fast_path_edge_shapes_equal_full_chain(monkeypatch: pytest.MonkeyPatch):
    # Shapes near the fast path's borders: comparators on both sides, 余/多, ranges,
    # four-character cores (year or decimal), full-width and masked digits, compound units.
    text = (
        "超过12.5亿元，增长8.2%以上，近30万人，约45万人，签约15个项目，1,200余家，"
        "30多个，3-5个，3至5万元，2023年，98.7亿元，2500个，１２３个，**.*%，****万元，"
        "34微克/立方米，5千米，5万千瓦，用3天半时间，1.2万平方米左右，不低于95%。"
    )
    assert find_mentions(text) == _chain_only(monkeypatch, text)


def test_four_digit_fast_cores_equal_full_chain(monkeypatch: pytest.MonkeyPatch):
    # Four digits or masks before a unit take the fast path unless the chain might read
    # them otherwise (a year, a code after a space, a quoted label, an ASCII unit).
    text = (
        "新增2500个，共****户，１２３４人，3845家以内，约2023万元，超过1999吨，"
        "GB/T 1234个，「2023个」，‘1234家’，[1234]，\t1234个，\u30001234个，"
        "1234km，2023年，2023—2025年，2023、2024年，1234.5万元，1/23个，。"
    )
    assert find_mentions(text) == _chain_only(monkeypatch, text)


def test_fast_units_never_start_a_year_reading():
    # mentions._not_year relies on this: no fast unit or multiplier starts with what
    # makes the chain read four digits as a year (年, a range sign, a space, a list
    # word, a closing bracket or quote).
    from heping_data.extract.numbers import number_rules
    from heping_data.extract.numbers.grammar import _CLOSE_QUOTES, _RANGE_SEP

    year_next = set("、，,和及与〕]】)）年 \t\n\r\u3000.．") | set(_RANGE_SEP) | set(_CLOSE_QUOTES)
    assert not (number_rules().fast_next & year_next)


def test_clause_lookback_matches_word_search():
    from heping_data.extract.numbers.build import _lookback

    assert _lookback("排名全省第", 4, ["全省"])
    assert not _lookback("全省，排名第", 5, ["全省"])  # a clause mark cuts the look-back
    assert not _lookback("全省排名排名排名第", 9, ["全省"], 6)  # beyond the span
    assert not _lookback("排名第", 2, [])


def test_time_unit_with_half_after_digits():
    # 3天半 is three and a half days; the fast path leaves it to the half rule.
    m = _one("审批时限压缩至3天半。", "3天半")
    assert (m.value, m.unit) == (3.5, "天")


def test_records_are_plain_dataclass_instances():
    import dataclasses

    for m in find_mentions("实现地区生产总值98.7亿元，2023年，第3批，增长8.2%以上。"):
        names = [f.name for f in dataclasses.fields(NumberMention)]
        assert list(vars(m)) == names  # every field, in declaration order
        assert NumberMention(**vars(m)) == m
        assert hash(NumberMention(**vars(m))) == hash(m)
        with pytest.raises(dataclasses.FrozenInstanceError):
            m.start = 0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("完成投资0.07万元。", "0.07万元", 700.0),
        ("年末存款余额3.07万亿元。", "3.07万亿元", 3.07e12),
        ("实现收入98.7亿元。", "98.7亿元", 9.87e9),
        ("粉丝量达1.2亿。", "1.2亿", 1.2e8),
        ("改造面积12.345万平方米。", "12.345万平方米", 123450.0),
    ],
)
def test_multiplied_decimals_are_exact(text: str, span: str, value: float):
    # 0.07 * 1e4 is 700.0000000000001 in binary; the decimal product is exactly 700.
    m = _one(text, span)
    assert m.value == value and m.value_min == value and m.value_max == value


# --- round 4: ratio parts, slogans, units as printed, shared comparators ---------------


def test_ratio_parts_are_quantities_in_percent_when_they_add_up_to_100():
    text = "全市三次产业结构由7.9∶41.3∶50.8调整为6.5:38.2:55.3，汽车与零部件按1：2配套。"
    ms = find_mentions(text)
    assert [(m.text, m.cls, m.unit, m.value) for m in ms] == [
        ("7.9", "quantity", "%", 7.9),
        ("41.3", "quantity", "%", 41.3),
        ("50.8", "quantity", "%", 50.8),
        ("6.5", "quantity", "%", 6.5),
        ("38.2", "quantity", "%", 38.2),
        ("55.3", "quantity", "%", 55.3),
        ("1", "quantity", None, 1.0),
        ("2", "quantity", None, 2.0),
    ]
    assert all(text[m.start : m.end] == m.text and m.comparator == "eq" for m in ms)


def test_masked_ratio_parts_keep_their_bounds():
    ms = find_mentions("产业结构优化为*.*∶**.*∶**.*。")
    assert [(m.text, m.value, m.value_min, m.value_max) for m in ms] == [
        ("*.*", None, 0.0, 9.9),
        ("**.*", None, 10.0, 99.9),
        ("**.*", None, 10.0, 99.9),
    ]
    assert all(m.is_masked for m in ms)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("推进“1+N+X”政策体系", "1+N+X"),
        ("每天9:00至17:30开放", "9:00"),
        ("晚上20：30闭馆", "20：30"),
    ],
)
def test_formulas_and_clock_times_stay_patterns(text: str, span: str):
    assert _one(text, span).cls == "pattern"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("严格落实“四个不摘”要求，", "四个不摘"),
        ("坚持两个不放松，", "两个不放松"),
        ("做到“三个没有”。", "三个没有"),
    ],
)
def test_negated_counter_slogans_are_names(text: str, span: str):
    m = _one(text, span)
    assert (m.cls, m.note) == ("name", "slogan")


def test_counts_before_a_negation_word_stay_counts():
    m = _one("引进三个不同类型的研发机构。", "三个")
    assert (m.cls, m.value, m.unit) == ("quantity", 3.0, "个")
    assert _one("仍有2个不达标断面。", "2个").cls == "quantity"


def test_da_noun_takes_the_longest_noun():
    m = _one("打造三大产业链，营业收入增长", "三大产业链")
    assert (m.unit, m.value) == ("产业链", 3.0)


@pytest.mark.parametrize(
    ("text", "span", "unit"),
    [
        ("小麦亩产412公斤，", "412公斤", "公斤"),
        ("为65周岁以上老人体检", "65周岁", "周岁"),
        ("新建住房3.2万平米。", "3.2万平米", "平米"),
        ("建成绿道18km，", "18km", "km"),
        ("集装箱吞吐量12万标箱。", "12万标箱", "标箱"),
        ("全年用电3亿度。", "3亿度", "度"),
        ("利用外资1.5亿元人民币。", "1.5亿元人民币", "元人民币"),
        ("增速回落1.2个百分点。", "1.2个百分点", "百分点"),
        ("占比达到12.5％。", "12.5％", "%"),
        ("压缩至3个工作日。", "3个工作日", "工作日"),
    ],
)
def test_units_are_kept_as_printed(text: str, span: str, unit: str):
    assert _one(text, span).unit == unit


def test_comparator_after_a_list_applies_to_every_member():
    ms = find_mentions("城乡居民收入分别增长6.5%和8%左右，新增企业3家、5家和7家以上。")
    assert [(m.text, m.comparator) for m in ms] == [
        ("6.5%", "approx"),
        ("8%", "approx"),
        ("3家", "ge"),
        ("5家", "ge"),
        ("7家", "ge"),
    ]
    assert (ms[0].implied_min, ms[0].implied_max) == (None, None)
    assert (ms[2].implied_min, ms[2].implied_max) == (3.0, None)


@pytest.mark.parametrize(
    "text",
    ["新建学校6所、幼儿园8所以上。", "新增企业5个和9%以上。", "增长7%和9%。"],
)
def test_comparator_is_not_shared_across_nouns_or_units(text: str):
    first = find_mentions(text)[0]
    assert first.comparator == "eq"


@pytest.mark.parametrize(
    ("text", "mention", "unit", "mult", "value"),
    [
        # SI-prefixed units, also after a multiplier
        ("光伏组件产能超过60吉瓦。", "60吉瓦", "吉瓦", 1.0, 60.0),
        ("啤酒产量2.5万千升。", "2.5万千升", "千升", 1e4, 2.5e4),
        ("新建220千伏变电站两座。", "220千伏", "千伏", 1.0, 220.0),
        ("储能电站年放电8.6亿千瓦时。", "8.6亿千瓦时", "千瓦时", 1e8, 8.6e8),
        # 百/千 before 万/亿 with a measure unit is a numeral
        ("园区产值突破千亿元。", "千亿元", "元", 1e8, 1e11),
        # N大 + modifier + noun
        ("壮大四大支柱产业。", "四大支柱产业", "支柱产业", 1.0, 4.0),
    ],
)
def test_round5_units_and_numerals(
    text: str, mention: str, unit: str, mult: float, value: float
) -> None:
    m = _one(text, mention)
    assert (m.cls, m.unit, m.multiplier, m.value) == ("quantity", unit, mult, value)


@pytest.mark.parametrize(
    "text",
    [
        "新增纳税超亿元企业3家。",  # a bare 亿 is no numeral
        "实施亿元以上项目12个。",
        "首次迈上千亿台阶。",  # a counter after bare 千亿 is part of a word
        "吸引近万人参观。",
    ],
)
def test_round5_bare_multiplier_is_no_mention(text: str) -> None:
    got = [m.text for m in find_mentions(text) if m.cls == "quantity"]
    assert not [t for t in got if "万" in t or "亿" in t], got
    assert len(got) == (0 if text.endswith(("台阶。", "参观。")) else 1), got


@pytest.mark.parametrize(
    ("text", "mention", "cls"),
    [
        ("构建“162”网格治理机制。", "162", "name"),  # a quoted bare number is a label
        ("打造“10分钟社区服务圈”3个。", "10分钟", "name"),  # a quoted phrase naming a place
        ("消防救援实现“5分钟到场”。", "5分钟", "quantity"),  # a short verb: still a quantity
        ("吸引两类“专精特新”企业落户。", "两类", "name"),  # kinds of a named category
    ],
)
def test_round5_quoted_labels(text: str, mention: str, cls: str) -> None:
    got = {m.text: m.cls for m in find_mentions(text)}
    assert got.get(mention) == cls, got


# --- round 6: counters, start points, vague counts, trailing comparators -------------


@pytest.mark.parametrize(
    ("text", "span", "unit", "value"),
    [
        # an unseen noun after N大 counts the 、-list of exactly N items before it
        ("合并水务、燃气、公交三大集团，", "三大集团", "集团", 3.0),
        ("组建文旅、康养两大公司。", "两大公司", "公司", 2.0),
        # a time counter kept as a duration by the word after it
        ("审批事项在三周内全部办结。", "三周", "周", 3.0),
        ("群众诉求五日之内办结。", "五日", "日", 5.0),
        # 个 + a measure word: the measure word is the unit
        ("营商环境评价前移9个位次。", "9个位次", "位次", 9.0),
    ],
)
def test_round6_counted_nouns_and_durations(text: str, span: str, unit: str, value: float) -> None:
    m = _one(text, span)
    assert (m.cls, m.unit, m.value) == ("quantity", unit, value)


@pytest.mark.parametrize(
    "text",
    [
        "甲、乙四大集团。",  # two items do not make four
        "组建两大集团。",  # no list: an unknown noun stays unread
        "庆祝建镇五周年。",  # an anniversary, not a duration
    ],
)
def test_round6_no_count_without_its_evidence(text: str) -> None:
    got = [(m.text, m.unit) for m in find_mentions(text) if m.cls == "quantity"]
    assert not [g for g in got if g[1] in ("集团", "周")], got


def test_round6_bare_start_of_a_change_takes_the_end_unit() -> None:
    text = "公交专用道里程由零增加到18公里，覆盖率从零提高到百分之三十。"
    got = [(m.text, m.unit, m.value) for m in find_mentions(text) if m.cls == "quantity"]
    assert got == [
        ("零", "公里", 0.0),
        ("18公里", "公里", 18.0),
        ("零", "%", 0.0),
        ("百分之三十", "%", 30.0),
    ]
    # no change after it: 零 stays a word
    assert not [m for m in find_mentions("实现零的突破，由零起步。") if m.cls == "quantity"]


def test_round6_vague_batch_is_no_count() -> None:
    """开工一批 means "a number of" even after a verb that makes 一所/一个 a count."""
    assert not find_mentions("每月集中签约一批、开工一批。")
    assert _one("分三批建设。", "三批").value == 3.0
    assert _one("新建一所学校。", "一所").value == 1.0


@pytest.mark.parametrize(
    ("text", "span", "cmp"),
    [
        ("外贸进出口额实现翻一番还多；", "翻一番", "gt"),
        ("研发投入增长2倍多。", "2倍", "gt"),
        ("工期缩短4年有余，", "4年", "gt"),
        ("建成6个多功能驿站。", "6个", "eq"),  # 多 opens the next word
    ],
)
def test_round6_more_after_the_span(text: str, span: str, cmp: str) -> None:
    assert _one(text, span).comparator == cmp


# --- round 7: anniversaries, indicator terms, size classes, zero, count units --------


@pytest.mark.parametrize(
    "text",
    [
        "今年是建区四十周年，",  # an anniversary names an occasion
        "迎来恢复建制30周年。",
        "全县学前三年毛入学率达到91.2%，",  # 学前三年 is part of the indicator's name
    ],
)
def test_round7_anniversary_and_preschool_years_are_not_quantities(text: str) -> None:
    got = [(m.text, m.unit) for m in find_mentions(text) if m.cls == "quantity"]
    assert all(u == "%" for _, u in got), got
    assert [m.cls for m in find_mentions(text) if "周年" in m.text] in ([], ["name"])


@pytest.mark.parametrize(
    ("text", "span", "unit", "value"),
    [
        ("新建万头生猪养殖场3个，", "万头", "头", 1e4),
        ("培育千只蛋鸡养殖基地5处。", "千只", "只", 1e3),
        ("建成百亩蔬菜示范园2个。", "百亩", "亩", 100.0),
        # the holder noun after a longer modifier (`牦牛标准化养殖场`, 8 characters on)
        ("新建千头奶牛标准化养殖场4个，", "千头", "头", 1e3),
        ("打造万只湖羊生态循环养殖基地2处。", "万只", "只", 1e4),
    ],
)
def test_round7_bare_place_before_a_holder_is_a_size_class(
    text: str, span: str, unit: str, value: float
) -> None:
    m = _one(text, span)
    assert (m.cls, m.unit, m.value_min, m.comparator) == ("quantity", unit, value, "ge")


def test_round7_bare_place_without_a_holder_stays_a_word() -> None:
    for text in ("工作千头万绪，", "百只羊羔，", "千亩良田连片。"):
        assert not [m for m in find_mentions(text) if m.cls == "quantity"], text


@pytest.mark.parametrize(
    ("text", "unit"),
    [("不动产登记实现零收费，", "元"), ("守住零返贫底线，", "人"), ("办理开办手续零成本。", "元")],
)
def test_round7_zero_before_its_noun_is_zero(text: str, unit: str) -> None:
    m = _one(text, "零")
    assert (m.cls, m.unit, m.value) == ("quantity", unit, 0.0)


def test_round7_zero_idioms_and_records_stay_words() -> None:
    for text in ("对腐败零容忍，", "服务群众零距离。", "实现安全生产零事故。"):
        assert not [m for m in find_mentions(text) if m.cls == "quantity"], text


@pytest.mark.parametrize(
    ("text", "span", "unit"),
    [
        ("全年接种流感疫苗12.4万剂次，", "12.4万剂次", "剂次"),
        ("发放疫苗3000剂，", "3000剂", "剂"),
        ("抽检农产品2600批次，", "2600批次", "批次"),
    ],
)
def test_round7_dose_and_batch_units(text: str, span: str, unit: str) -> None:
    assert _one(text, span).unit == unit


def test_round7_half_is_a_fraction_like_other_fraction_words() -> None:
    m = _one("审批时间压缩近一半，", "一半")
    assert (m.unit, m.value, m.comparator) == (None, 0.5, "approx")


# --- rule files are validated on load, naming the file -----------------------------------


def test_a_bad_numbers_rule_file_fails_on_load_naming_the_file(monkeypatch: pytest.MonkeyPatch):
    from heping_data.extract.numbers import rules
    from heping_data.text import ruledata

    good = ruledata.read_yaml("numbers", "rules.yaml")
    bad = {
        "rules.yaml": good | {"rank_cue": ["位列"]},  # a typo'd key is an error, not ignored
        "bounds.yaml": {"default": 1e13, "no_unit": 1e13, "by_type": {"money": -1.0}},
    }

    for name, data in bad.items():
        monkeypatch.setattr(rules, "load_rules", _loader_with(name, data))
        with pytest.raises(ValueError, match=re.escape(f"data/numbers/{name}")):
            rules._read_files()
    # a bad CSV row names its file and row
    rows = ruledata.read_csv("numbers", "comparators.csv")
    rows[0] = {**rows[0], "position": "behind"}
    monkeypatch.setattr(rules, "load_rules", ruledata.load_rules)
    monkeypatch.setattr(
        rules, "read_csv", lambda *p: rows if p[-1] == "comparators.csv" else ruledata.read_csv(*p)
    )
    with pytest.raises(ValueError, match=r"data/numbers/comparators.csv: rows\.0\.position"):
        rules._read_files()


def _loader_with(name: str, data: dict):
    """``load_rules`` that reads ``data`` in place of the file ``name``."""
    from heping_data.text import ruledata

    def load(model, *parts, raw=None):
        return ruledata.load_rules(model, *parts, raw=data if parts[-1] == name else raw)

    return load


def test_bounds_of_an_unknown_unit_type_fail_on_load():
    from heping_data.extract.numbers import rules

    f = rules._read_files()
    bounds = rules.Bounds(default=1e13, no_unit=1e13, by_type={"monye": 1e16})
    with pytest.raises(ValueError, match=r"data/numbers/bounds\.yaml: unknown unit types"):
        rules._unit_bounds(bounds, *rules._unit_tables(f))


def test_a_bare_number_linked_to_the_next_takes_its_unit():
    ms = find_mentions("增速分别高于全市3.5和4.2个百分点，人口分别为1.2、1.5万人。")
    assert [(m.text, m.unit, m.value) for m in ms] == [
        ("3.5", "百分点", 3.5),
        ("4.2个百分点", "百分点", 4.2),
        ("1.2", "人", 12000.0),
        ("1.5万人", "人", 15000.0),
    ]


def test_a_count_of_a_numeral_in_quotes_is_a_slogan():
    text = "开展“服务企业三个一”活动和“八个1000”工程，落实“双十条”，建成3个10万千瓦电站。"
    ms = find_mentions(text)
    assert [(m.text, m.cls) for m in ms] == [
        ("三个一", "name"),
        ("八个1000", "name"),
        ("双十条", "name"),
        ("3个", "quantity"),
        ("10万千瓦", "quantity"),
    ]


def test_a_number_alone_in_ascii_quotes_is_a_label():
    ms = find_mentions('淘汰"1311"型老旧设备，开展"清风2019"行动，改造机井36眼。')
    assert [(m.text, m.cls, m.unit) for m in ms] == [
        ("1311", "name", None),
        ("清风2019", "name", None),
        ("36眼", "quantity", "眼"),
    ]
