"""Number shapes found on real published reports (issue 14), each on a sentence of our own.

The blind gold of ``tests/data/real`` showed these shapes read wrong: endnote markers as
quantities, magnitude classes (千亿级) and digit counts (两位数) missed, and so on.
"""

from __future__ import annotations

import pytest

from heping_data.extract.numbers import find_mentions
from heping_data.extract.numbers.shapes import ShapeRules
from heping_data.extract.pipeline import extract
from heping_data.records import Document
from heping_data.text.ruledata import load_rules, read_yaml


def _at(text: str, span: str):
    """The mention that starts where ``span`` starts in ``text``."""
    s = text.index(span)
    hits = [m for m in find_mentions(text) if m.start == s]
    assert hits, [(m.text, m.cls) for m in find_mentions(text)]
    return hits[0]


def _quantities(text: str) -> list[str]:
    return [m.text for m in find_mentions(text) if m.cls == "quantity"]


@pytest.mark.parametrize("marker", ["[3]", "^[12]", "［7］"])
def test_endnote_markers_are_boilerplate(marker: str) -> None:
    text = f"全面推行“河长制”{marker}，新建公园8座。"
    m = _at(text, marker)
    assert (m.cls, m.text) == ("boilerplate", marker)
    assert _quantities(text) == ["8座"]


def test_notes_block_leading_marker_is_boilerplate() -> None:
    text = "名词解释\n[4]“河长制”：即每条河流设河长，全市共设河长120名。"
    assert _at(text, "[4]").cls == "boilerplate"
    assert "120名" in _quantities(text)


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("培育3个千亿级产业集群。", "千亿级", 1e11, "元"),
        ("建设两个两千亿级开发区。", "两千亿级", 2e11, "元"),
        ("打造一批30亿级县域特色产业集群。", "30亿级", 3e9, "元"),
        ("新建万吨级码头两个。", "万吨级", 1e4, "吨"),
        ("培育千万元级企业5家。", "千万元级", 1e7, "元"),
    ],
)
def test_magnitude_class_is_a_threshold(text: str, span: str, value: float, unit: str) -> None:
    m = _at(text, span)
    assert (m.cls, m.text, m.unit, m.comparator) == ("quantity", span, unit, "ge")
    assert m.value_min == pytest.approx(value)


def test_magnitude_class_needs_money_context_and_a_sentence() -> None:
    assert _quantities("千亿级的讨论很热烈。") == []  # no holder noun: nothing read
    assert _quantities("北岸区 万亿级产业集群主阵地\n正文。") == []  # a slogan line


def _facts(text: str):
    doc = Document(
        doc_id="t", source_path="t.txt", file_name="t.txt", sha256="0" * 64,
        byte_count=len(text.encode()), encoding="utf-8", text=text, body_start=0,
        body_end=len(text), report_year=2023,
    )  # fmt: skip
    return extract(doc).facts


def test_magnitude_class_roles() -> None:
    text = "全市培育4个千亿级产业集群。纺织业成长为万亿级产业。打造康养亿级人次产业。"
    roles = {f.mention.text: f.role for f in _facts(text)}
    assert roles["千亿级"] == "qualifier"
    assert roles["万亿级"] == "measure"  # predicate: the size of the subject
    assert roles["亿级人次"] == "measure"


@pytest.mark.parametrize(
    ("text", "cmp"),
    [("服务业增速保持在两位数左右。", "approx"), ("开发区营收保持两位数以上。", "ge"),
     ("外贸实现两位数增长。", "ge")],
)  # fmt: skip
def test_digit_count_growth_is_a_percent(text: str, cmp: str) -> None:
    m = _at(text, "两位数")
    assert (m.cls, m.unit, m.value, m.comparator) == ("quantity", "%", 10.0, cmp)


def test_digit_count_without_growth_is_not_read() -> None:
    assert _quantities("密码为两位数。") == []


def test_return_period_streak_and_time_of_day() -> None:
    text = "建成五十年一遇防洪堤，荣获全国文明城市三连冠。下午3时，会议开幕。推进“十连冠”创建。"
    m = _at(text, "五十年一遇")
    assert (m.cls, m.unit, m.value) == ("quantity", "年", 50.0)
    m = _at(text, "三连冠")
    assert (m.cls, m.unit, m.value) == ("quantity", "连冠", 3.0)
    assert _at(text, "3时").cls == "date"  # the clock time; 下午 is a word before it
    assert "十连冠" not in _quantities(text)  # the whole of a quotation: a label


def test_travel_time_circle_is_a_qualifier() -> None:
    text = "打造京津一小时交通圈和15分钟社区生活圈。"
    roles = {f.mention.text: (f.role, f.mention.value) for f in _facts(text)}
    assert roles["一小时"] == ("qualifier", 1.0)
    assert roles["15分钟"] == ("qualifier", 15.0)


def test_people_nouns_give_unit_person() -> None:
    text = "全市800万江城人民，12万党员干部和3.5万村民参与，捐款50万元。"
    units = {m.text: m.unit for m in find_mentions(text) if m.cls == "quantity"}
    assert units["800万"] == "人"
    assert units["12万"] == "人"
    assert units["3.5万"] == "人"


@pytest.mark.parametrize(
    ("text", "span"),
    [("出台“2＋8＋N”政策体系。", "2＋8＋N"), ("推进“6＋1”专项整治。", "6＋1")],
)
def test_full_width_plus_formula_is_a_pattern(text: str, span: str) -> None:
    assert _at(text, span).cls == "pattern"
    assert _quantities(text) == []


def test_dotted_year_label_is_a_name() -> None:
    text = "服务“30・60”目标。"
    assert _at(text, "30・60").cls == "name"
    assert _quantities(text) == []


@pytest.mark.parametrize(
    ("text", "span", "unit"),
    [
        ("方案共分四部分。", "四部分", "部分"),
        ("重点抓好八方面工作。", "八方面", "方面"),
        ("悬挂六面国旗。", "六面", "面"),
        ("应对“三大挑战”。", "三大挑战", "挑战"),
        ("实施五大提升工程。", "五大提升工程", "提升工程"),
        ("用好两大国家战略。", "两大国家战略", "国家战略"),
    ],
)
def test_counters_and_da_nouns_from_real_reports(text: str, span: str, unit: str) -> None:
    m = _at(text, span)
    assert (m.cls, m.text, m.unit) == ("quantity", span, unit)


def test_other_data_words() -> None:
    assert _at("改造209国道东段。", "209国道").cls == "name"
    m = _at("实现医护零感染。", "零")
    assert (m.cls, m.unit, m.value) == ("quantity", "人", 0.0)
    assert _at("每区至少打造3座书院。", "3座").comparator == "ge"
    assert _quantities("人才来自四面八方。") == []


def test_shapes_data_is_validated() -> None:
    raw = read_yaml("numbers", "shapes.yaml")
    load_rules(ShapeRules, "numbers", "shapes.yaml", raw=raw)
    with pytest.raises(ValueError, match=r"shapes\.yaml: person_nouns"):
        load_rules(ShapeRules, "numbers", "shapes.yaml", raw=raw | {"person_nouns": []})
    with pytest.raises(ValueError, match=r"shapes\.yaml: streak"):
        load_rules(ShapeRules, "numbers", "shapes.yaml", raw=raw | {"streak": "(unclosed"})


def test_first_of_its_kind_is_a_rank() -> None:
    text = "建成全省第二家数据交易所，成为全国第一个试点城市。"
    m = _at(text, "第二家")
    assert (m.cls, m.unit, m.value, m.is_ordinal) == ("quantity", "家", 2.0, True)
    roles = {f.mention.text: f.role for f in _facts(text)}
    assert roles == {"第二家": "rank", "第一个": "rank"}


def test_count_of_tiers() -> None:
    text = "建立市、县、乡三级应急指挥网络，五级书记抓落实，新建三级医院两所。"
    assert _at(text, "三级").unit == "级"
    assert _at(text, "五级").value == 5.0
    grade = text.index("三级医院")
    assert not [m for m in find_mentions(text) if m.start == grade]  # a grade, not tiers


def test_magnitude_list_shares_its_head_noun() -> None:
    text = "建成3个百亿级、8个十亿级产业园区。"
    assert {m.text for m in find_mentions(text) if m.note == "size class"} == {"百亿级", "十亿级"}


def test_session_names_and_fixed_words_are_not_counts() -> None:
    text = "贯彻省委八届九次、十次全会精神，县委五届二次全会部署，参加铁人三项，推进二次创业。"
    assert _quantities(text) == []
    assert _at("每季度开展一次专项检查。", "一次").cls == "quantity"


def test_time_before_nei_is_an_upper_bound() -> None:
    text = "三年内建成新城，审批30日内办结，重点做好5项内容。"
    m = _at(text, "三年")
    assert (m.cls, m.unit, m.value, m.comparator) == ("quantity", "年", 3.0, "le")
    assert _at(text, "30日").comparator == "le"
    assert _at(text, "5项").comparator == "eq"  # 内容 is a word, not a bound


def test_years_and_more_is_a_duration() -> None:
    m = _at("两年多的棚户区改造，让老城换了新颜。", "两年")
    assert (m.cls, m.unit, m.value, m.comparator) == ("quantity", "年", 2.0, "gt")
