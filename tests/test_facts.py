"""Unit tests for heping_data.facts: metric, kind, role, period_year and inferred values.

Mentions are built by hand here so these tests pin the facts rules alone, whatever the
number finder does; every sentence is written for these tests.
"""

from __future__ import annotations

import re

import pytest

from heping_data.facts import extract_facts
from heping_data.records import Document, NumberMention, Section, Sentence

_NUM = re.compile(
    r"第?[0-9*][0-9*,.]*(?:万亿|亿|万)?(?:个百分点|大[\u4e00-\u9fff]{2}|[%个家项人户所座名位亿元万次场处条张轮分天件亩]+)?"
)


def make_doc(text: str, report_year: int | None = None) -> Document:
    return Document(
        doc_id="t",
        source_path="t.txt",
        file_name="t.txt",
        sha256="0" * 64,
        byte_count=len(text.encode()),
        encoding="utf-8",
        text=text,
        body_start=0,
        body_end=len(text),
        report_year=report_year,
    )


def split_sentences(text: str, sections: tuple[Section, ...]) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for sec in sections:
        start = sec.span_start
        for m in re.finditer(r"[。；\n]", text[sec.span_start : sec.span_end]):
            end = sec.span_start + m.end()
            out.append(Sentence(len(out), start, end, sec.index))
            start = end
        if start < sec.span_end:
            out.append(Sentence(len(out), start, sec.span_end, sec.index))
    return tuple(out)


def quantity(text: str, start: int, end: int) -> NumberMention:
    """A quantity mention for text[start:end] with a plausible unit and comparator."""
    t = text[start:end]
    unit = re.sub(r"^第?[0-9*,.]+(万亿|亿|万)?", "", t) or None
    after = text[end : end + 2]
    cmp = "ge" if after in ("以上",) else "le" if after in ("以下", "以内") else "eq"
    masked = "*" in t
    return NumberMention(
        start,
        end,
        t,
        "quantity",
        unit=unit,
        comparator=cmp,
        is_masked=masked,
        value_min=1.0 if masked else None,
        value_max=9.0 if masked else None,
        is_ordinal=t.startswith("第"),
    )


def facts_of(
    text: str,
    *,
    sections: tuple[Section, ...] | None = None,
    report_year: int | None = None,
    mentions: list[NumberMention] | None = None,
):
    doc = make_doc(text, report_year)
    secs = sections or (Section(0, None, 0, None, None, None, 0, len(text)),)
    sents = split_sentences(text, secs)
    if mentions is None:
        mentions = []
        for m in _NUM.finditer(text):
            if text[m.end() : m.end() + 1] in ("年", "月", "日"):
                mentions.append(NumberMention(m.start(), m.end() + 1, m.group() + "年", "date"))
            else:
                mentions.append(quantity(text, m.start(), m.end()))
    return extract_facts(doc, secs, sents, mentions)


def by_mention(facts) -> dict[str, object]:
    return {f.mention.text: f for f in facts}


# ---------------------------------------------------------------- metric


@pytest.mark.parametrize(
    ("text", "mention", "metric"),
    [
        # verb + number + noun
        ("今年累计筹集3200万元救助资金。", "3200万元", "筹集救助资金"),
        # subject + linking verb + number
        ("全区常住人口达到56.2万人。", "56.2万人", "常住人口"),
        ("城镇登记失业率控制在3.5%以内。", "3.5%", "城镇登记失业率"),
        # number before noun, predicate kept
        ("全年共有12家外资银行落户本区。", "12家", "外资银行落户本区"),
        # `等` names examples: the category after it is the metric
        ("获得文明城区、卫生城区等省级荣誉14项。", "14项", "省级荣誉"),
        ("滨江路、文化路等8条道路完成改造。", "8条", "道路完成改造"),
    ],
)
def test_metric_simple_shapes(text: str, mention: str, metric: str) -> None:
    f = by_mention(facts_of(text))[mention]
    assert f.metric == metric


def test_shared_subjects_in_a_list_get_their_own_metric() -> None:
    text = "新签约重点项目36个、储备项目52个、谋划项目18个。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["新签约重点项目", "储备项目", "谋划项目"]


def test_fenbie_list_distributes_subjects() -> None:
    text = "全区城镇、农村居民人均可支配收入分别增长5.2%、6.7%。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["城镇居民人均可支配收入增长", "农村居民人均可支配收入增长"]
    text = "辖区银行机构存、贷款余额分别占全市31.2%、28.4%。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["辖区银行机构存款余额占全市", "辖区银行机构贷款余额占全市"]


def test_number_list_joined_by_he_shares_the_subject() -> None:
    text = "全市居民收入分别增长5.1%和6.3%。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["全市居民收入增长", "全市居民收入增长"]


def test_fenbie_pair_joined_by_he() -> None:
    text = "城镇和农村居民人均可支配收入分别达到52380元和30150元。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    text = "交通事故起数和死亡人数分别下降12.5%和9.8%。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["交通事故起数下降", "死亡人数下降"]


def test_change_word_takes_the_previous_subject() -> None:
    text = "全年完成固定资产投资410亿元，增长8.2%。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["完成固定资产投资", "固定资产投资增长"]
    text = "全年固定资产投资完成410亿元，增长8.2%。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["固定资产投资", "固定资产投资增长"]


def test_generic_head_takes_the_previous_subject() -> None:
    text = "新增科技型中小企业120家，总数达到860家。"
    got = [f.metric for f in facts_of(text)]
    assert got[1] == "新增科技型中小企业总数"


def test_numbers_in_a_row_share_nouns_and_predicates() -> None:
    text = "完成3轮12万人次走访；28个部门560个事项接入平台。"
    f = facts_of(text)
    assert f[1].metric == "走访"
    assert "走访" in f[0].metric
    assert f[2].metric == "部门接入平台"
    assert f[3].metric == "事项接入平台"


def test_count_with_da_takes_the_noun_and_counts_the_list() -> None:
    text = "印发实施方案，明确“产业升级、城市更新、民生改善”*大领域**项重点工作。"
    f = facts_of(text)
    da = f[0]
    assert da.mention.text == "*大领域"
    assert "领域" in da.metric
    assert da.inferred_value == 3.0
    assert da.inferred_how and "count" in da.inferred_how
    assert da.mention.value_min == 1.0  # bounds are never touched
    assert f[1].metric == "重点工作"


def test_count_confirmed_by_list_after_ji() -> None:
    text = "全面推行*项机制，即首问负责、限时办结、责任追究。"
    (f,) = facts_of(text)
    assert f.inferred_value == 3.0


def test_count_not_inferred_when_out_of_bounds_or_open_list() -> None:
    text = "重点推进**项工程，即东湖、西湖、南湖等。"
    (f,) = facts_of(text)
    assert f.inferred_value is None


def test_metric_is_short_and_clean() -> None:
    text = "围绕产业链供应链创新链深度融合推动全区经济社会高质量发展新增“专精特新”企业15家。"
    (f,) = facts_of(text)
    assert len(f.metric) <= 20
    assert "“" not in f.metric and "15" not in f.metric
    assert f.metric.endswith("专精特新企业")


# ---------------------------------------------------------------- role


@pytest.mark.parametrize(
    ("text", "mention", "role"),
    [
        ("全区综合实力位居全省第5名。", "第5名", "rank"),
        ("营商环境评价保持全市前3名。", "3名", "rank"),
        ("新开工10亿元以上产业项目12个。", "10亿元", "qualifier"),
        ("新开工10亿元以上产业项目12个。", "12个", "measure"),
        ("中考600分以上达到420人。", "600分", "qualifier"),
        ("固定资产投资增长10%以上。", "10%", "measure"),
        ("城镇登记失业率控制在4%以下，", "4%", "measure"),
        ("新增就业2万人左右，", "2万人", "measure"),
        ("28名社区书记全部实现一肩挑。", "28名", "measure"),
    ],
)
def test_role(text: str, mention: str, role: str) -> None:
    assert by_mention(facts_of(text))[mention].role == role


def test_qualifier_lends_its_words_to_the_counted_noun() -> None:
    f = by_mention(facts_of("新开工10亿元以上产业项目12个。"))
    assert f["10亿元"].metric == "新开工亿元" or "产业项目" in f["10亿元"].metric
    assert "亿元以上产业项目" in f["12个"].metric


# ---------------------------------------------------------------- kind and year


def two_part_doc() -> tuple[str, tuple[Section, ...]]:
    review = "一、2023年工作回顾\n全年新增城镇就业1.2万人，改造道路15条。\n"
    plan = "二、2024年工作安排\n新增城镇就业1.1万人。去年完成投资300亿元。\n"
    text = review + plan
    secs = (
        Section(0, None, 2, "一、2023年工作回顾", 0, 10, 0, len(review), part="review"),
        Section(
            1,
            None,
            2,
            "二、2024年工作安排",
            len(review),
            len(review) + 10,
            len(review),
            len(text),
            part="plan",
        ),
    )
    return text, secs


def test_kind_follows_the_part_and_past_cues_in_the_plan() -> None:
    text, secs = two_part_doc()
    f = facts_of(text, sections=secs, report_year=2023)
    kinds = {x.mention.text: (x.kind, x.period_year, x.section_index) for x in f}
    assert kinds["1.2万人"] == ("actual", 2023, 0)
    assert kinds["1.1万人"] == ("target", 2024, 1)
    assert kinds["300亿元"][0] == "actual"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("年内力争新增市场主体5000户。", "target"),
        ("预计全年完成投资120亿元。", "target"),
        ("圆满完成目标任务，新增就业8000人。", "actual"),
        ("全年完成年度计划的112%。", "actual"),
        ("改造老旧小区40个。", "actual"),
    ],
)
def test_kind_from_cue_words_in_the_review(text: str, kind: str) -> None:
    secs = (Section(0, None, 2, None, None, None, 0, len(text), part="review"),)
    (f,) = facts_of(text, sections=secs)
    assert f.kind == kind


def test_plan_start_fallback_without_parts() -> None:
    review = "全年新增就业3000人，改造道路12条。" * 3
    plan = "12月20日，全区召开经济工作会议。新建学校4所。"
    text = review + plan
    f = facts_of(text, report_year=2020)
    assert [x.kind for x in f] == ["actual"] * 6 + ["target"]
    assert f[-1].period_year == 2021


def test_explicit_year_in_sentence_wins() -> None:
    text = "2019年全区地区生产总值达到500亿元。"
    doc_mentions = [
        NumberMention(0, 5, "2019年", "year", value=2019.0),
        quantity(text, text.index("500"), text.index("500") + 5),
    ]
    (f,) = facts_of(text, report_year=2021, mentions=doc_mentions)
    assert f.period_year == 2019


def test_explicit_year_decides_kind_against_the_report_year() -> None:
    text = "到2025年，全区地区生产总值突破2000亿元。"
    i = text.index("2000")
    ms = [NumberMention(1, 6, "2025年", "year", value=2025.0), quantity(text, i, i + 6)]
    secs = (Section(0, None, 2, None, None, None, 0, len(text), part="review"),)
    (f,) = facts_of(text, sections=secs, report_year=2023, mentions=ms)
    assert (f.kind, f.period_year) == ("target", 2025)


def test_masked_year_gives_no_year() -> None:
    text = "****年新增就业3000人。"
    ms = [NumberMention(0, 5, "****年", "year"), quantity(text, 9, 14)]
    (f,) = facts_of(text, mentions=ms)
    assert f.period_year is None


# ---------------------------------------------------------------- bookkeeping


def test_one_fact_per_quantity_in_order_and_nothing_else() -> None:
    text = "5G基站新建300个，“1+N”机制覆盖12个街道。"
    ms = [
        NumberMention(0, 2, "5G", "name"),
        quantity(text, 6, 10),
        NumberMention(12, 15, "1+N", "pattern"),
        quantity(text, 20, 23),
    ]
    f = facts_of(text, mentions=list(reversed(ms)))
    assert [x.mention.text for x in f] == ["300个", "12个"]
    assert all(x.sentence_index == 0 for x in f)


# ---------------------------------------------------------------- real digits (round 2)


@pytest.mark.parametrize(
    ("text", "mention", "metric"),
    [
        # growth after a level: the change word takes the subject of the level
        ("全区地区生产总值完成386.5亿元，增长5.4%。", "386.5亿元", "地区生产总值"),
        ("全区地区生产总值完成386.5亿元，增长5.4%。", "5.4%", "地区生产总值增长"),
        ("一般公共预算收入42.3亿元，同比下降3.1%。", "3.1%", "一般公共预算收入下降"),
        (
            "研发经费投入强度达到2.8%，比上年提高0.3个百分点。",
            "0.3个百分点",
            "研发经费投入强度提高",
        ),
        # a share names its whole after `占`: the part is the previous fact's subject
        (
            "全年民生支出55.2亿元，占一般公共预算支出的比重达78%。",
            "78%",
            "民生支出占一般公共预算支出的比重",
        ),
        # comparators and linking verbs are not part of the metric
        ("新增城镇就业1.3万人，城镇调查失业率控制在5.5%以内。", "5.5%", "城镇调查失业率"),
        ("新增城镇就业1.3万人，城镇调查失业率控制在5.5%以内。", "1.3万人", "新增城镇就业"),
        ("社会消费品零售总额突破300亿元。", "300亿元", "社会消费品零售总额"),
        ("建成区绿化覆盖率提高到42.5%。", "42.5%", "建成区绿化覆盖率"),
        ("义务教育巩固率保持在100%。", "100%", "义务教育巩固率"),
        ("全区空气质量优良天数达到296天。", "296天", "空气质量优良天数"),
        # verb + noun before the number
        ("累计发放创业担保贷款2.6亿元，扶持创业1200人。", "1200人", "扶持创业"),
        ("全年接待游客1680万人次，实现旅游收入152亿元。", "152亿元", "旅游收入"),
        ("开展各类文化惠民演出320场。", "320场", "开展各类文化惠民演出"),
        ("化解信访积案160件。", "160件", "化解信访积案"),
        ("完成造林绿化1.5万亩。", "1.5万亩", "完成造林绿化"),
        ("招录社区工作者300名，充实基层力量。", "300名", "招录社区工作者"),
        ("培育省级专精特新企业35家。", "35家", "培育省级专精特新企业"),
        ("新开工亿元以上项目52个，完成投资214亿元。", "214亿元", "完成投资"),
        ("规模以上工业增加值增长7.6%。", "7.6%", "规模以上工业增加值增长"),
        # generic heads borrow the previous subject
        ("新认定高新技术企业128家，总数达到946家。", "946家", "新认定高新技术企业总数"),
        ("实施城市更新项目26个，总投资达到180亿元。", "180亿元", "实施城市更新项目总投资"),
        # lists: each item its own noun
        ("改造提升农贸市场12个、城市公厕40座。", "40座", "城市公厕"),
        ("城乡居民人均可支配收入分别增长5.6%和7.1%。", "7.1%", "农村居民人均可支配收入增长"),
        # a threshold qualifies the noun after it
        ("引进5亿元以上产业项目18个。", "18个", "引进亿元以上产业项目"),
    ],
)
def test_metric_real_digit_sentences(text: str, mention: str, metric: str) -> None:
    assert by_mention(facts_of(text))[mention].metric == metric


@pytest.mark.parametrize(
    ("text", "mention", "role"),
    [
        ("在全省县域经济考核中位居第2名，较上年前移4位。", "第2名", "rank"),
        # a change of places is a measure in places (unit 位), not a place itself
        ("在全省县域经济考核中位居第2名，较上年前移4位。", "4位", "measure"),
        ("引进5亿元以上产业项目18个。", "5亿元", "qualifier"),
        ("引进5亿元以上产业项目18个。", "18个", "measure"),
        ("全年办理群众来电来信8600件，办结率99.2%。", "99.2%", "measure"),
        ("年内新增就业岗位2万个以上。", "2万个", "measure"),
    ],
)
def test_role_real_digit_sentences(text: str, mention: str, role: str) -> None:
    assert by_mention(facts_of(text))[mention].role == role


def test_rank_change_keeps_the_ranking_subject() -> None:
    f = by_mention(facts_of("在全省县域经济考核中位居第2名，较上年前移4位。"))
    assert f["4位"].metric == "在全省县域经济考核中前移"


def plan_doc(review: str, plan: str) -> tuple[str, tuple[Section, ...]]:
    text = review + plan
    secs = (
        Section(0, None, 2, None, None, None, 0, len(review), part="review"),
        Section(1, None, 2, None, None, None, len(review), len(text), part="plan"),
    )
    return text, secs


def test_expected_targets_list_is_all_target() -> None:
    review = "全年地区生产总值增长5.1%。\n"
    plan = "主要预期目标是：地区生产总值增长6%左右；城镇调查失业率控制在5.5%以内；新增城镇就业1.2万人。\n"
    text, secs = plan_doc(review, plan)
    f = facts_of(text, sections=secs, report_year=2023)
    got = {x.mention.text: (x.kind, x.period_year) for x in f}
    assert got["5.1%"] == ("actual", 2023)
    assert got["6%"] == ("target", 2024)
    assert got["5.5%"] == ("target", 2024)
    assert got["1.2万人"] == ("target", 2024)


def test_past_cue_in_the_plan_part_is_actual() -> None:
    review = "新建学校6所。\n"
    plan = "今年要新建学校8所。上年已完成投资320亿元。\n"
    text, secs = plan_doc(review, plan)
    got = {x.mention.text: x.kind for x in facts_of(text, sections=secs, report_year=2023)}
    assert got == {"6所": "actual", "8所": "target", "320亿元": "actual"}


def test_multi_year_span_gives_no_period_year() -> None:
    text = "“十四五”期间，全区累计完成固定资产投资1860亿元。全年新增就业1.1万人。"
    f = by_mention(facts_of(text, report_year=2023))
    assert f["1860亿元"].period_year is None
    assert f["1.1万人"].period_year == 2023


def test_explicit_year_after_a_multi_year_cue_wins() -> None:
    text = "五年来，全区地区生产总值由2018年的320亿元增加到2023年的452亿元。"
    i, j = text.index("320"), text.index("452")
    ms = [
        NumberMention(text.index("2018"), text.index("2018") + 5, "2018年", "year", value=2018.0),
        quantity(text, i, i + 5),
        NumberMention(text.index("2023"), text.index("2023") + 5, "2023年", "year", value=2023.0),
        quantity(text, j, j + 5),
    ]
    f = by_mention(facts_of(text, report_year=2023, mentions=ms))
    assert f["320亿元"].period_year == 2018
    assert f["452亿元"].period_year == 2023


# ---------------------------------------------------------------- round 3: tables, changes


def spans(text: str, *parts: str, ordinal: tuple[str, ...] = ()) -> list[NumberMention]:
    """Quantity mentions for the given substrings (each found after the previous one)."""
    out, pos = [], 0
    for p in parts:
        i = text.index(p, pos)
        q = quantity(text, i, i + len(p))
        if p in ordinal:
            q = NumberMention(i, i + len(p), p, "quantity", is_ordinal=True)
        out.append(q)
        pos = i + len(p)
    return out


def test_table_line_label_heads_every_number_on_its_line() -> None:
    text = (
        "地区生产总值：412.6亿元，增长7.8%，完成年度目标的100.4%\n"
        "城镇新增就业：8650人，城镇登记失业率：3.1%\n"
        "新增公共停车位：计划1000个，完成1080个\n"
    )
    got = [(f.mention.text, f.metric, f.kind) for f in facts_of(text, report_year=2019)]
    assert got == [
        ("412.6亿元", "地区生产总值", "actual"),
        ("7.8%", "地区生产总值增长", "actual"),
        ("100.4%", "地区生产总值完成年度目标", "actual"),
        ("8650人", "城镇新增就业", "actual"),
        ("3.1%", "城镇登记失业率", "actual"),
        ("1000个", "新增公共停车位计划", "target"),
        # the cue 计划 belongs to the number before, not to this one
        ("1080个", "新增公共停车位完成", "actual"),
    ]


def test_colon_that_opens_a_sentence_is_no_table_label() -> None:
    text = "会议明确：增长6%。\n全区主要指标：规模以上工业增加值增长8.1%\n"
    got = [f.metric for f in facts_of(text)]
    # `会议明确` introduces a sentence; a long own metric needs no label
    assert got == ["增长", "规模以上工业增加值增长"]


def test_from_to_gives_both_numbers_the_subject_and_no_year_fragments() -> None:
    text = "全区地区生产总值由2018年的320亿元增加到2023年的452亿元，年均增长7.1%。"
    got = [f.metric for f in facts_of(text, report_year=2023)]
    assert got == ["2018年地区生产总值", "2023年地区生产总值", "地区生产总值年均增长"]
    text = "区级行政许可事项由286项精简到132项。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["区级行政许可事项", "区级行政许可事项"]


def test_numbers_never_leave_fragments_but_names_stay() -> None:
    text = "新建5G基站1200个。"
    ms = [NumberMention(2, 4, "5G", "name"), *spans(text, "1200个")]
    assert [f.metric for f in facts_of(text, mentions=ms)] == ["新建5G基站"]
    # `11户…整合为3户…`: each number its own words, no digits carried over
    text = "11户区属国有企业整合为3户集团公司。"
    got = [f.metric for f in facts_of(text)]
    assert got == ["区属国有企业整合", "区属国有企业整合集团公司"]


@pytest.mark.parametrize(
    ("text", "mention", "role"),
    [
        # the unit counts the noun: a plain measure of it
        ("举办200场以上促消费活动。", "200场", "measure"),
        ("推动100家以上规上工业企业上云。", "100家", "measure"),
        ("推动90%以上政务服务事项网上办理。", "90%", "measure"),
        # the unit is an amount the noun has: a threshold that defines it
        ("实施10亿元以上项目30个。", "10亿元", "qualifier"),
        ("高考600分以上考生1200人。", "600分", "qualifier"),
        # a comparator before the amount and the noun right after it
        ("产值超10亿元企业87家。", "10亿元", "qualifier"),
        ("产值超10亿元，增长5%。", "10亿元", "measure"),
    ],
)
def test_threshold_only_when_the_unit_is_an_amount_of_the_noun(
    text: str, mention: str, role: str
) -> None:
    assert by_mention(facts_of(text))[mention].role == role


def test_threshold_metric_names_the_noun_and_what_is_bounded() -> None:
    f = by_mention(facts_of("实施10亿元以上项目30个。"))
    assert f["10亿元"].metric == "项目投资额门槛"
    assert f["30个"].metric == "实施亿元以上项目"
    f = by_mention(facts_of("产值超10亿元企业87家。"))
    assert f["10亿元"].metric == "企业产值门槛"
    assert f["87家"].metric == "产值超亿元企业"


def test_base_year_after_bi_does_not_make_a_target_actual() -> None:
    review = "全年地区生产总值增长5.1%。\n"
    plan = "到2025年，单位地区生产总值能耗比2020年下降14.5%。\n"
    text, secs = plan_doc(review, plan)
    ms = spans(text, "5.1%", "14.5%")
    for y in ("2025年", "2020年"):
        i = text.index(y)
        ms.append(NumberMention(i, i + 5, y, "year", value=float(y[:4])))
    f = by_mention(facts_of(text, sections=secs, report_year=2020, mentions=ms))
    assert (f["14.5%"].kind, f["14.5%"].period_year) == ("target", 2025)


def test_funding_secured_and_planned_investment_in_review_are_actual() -> None:
    text = "争取专项债券资金58.6亿元。全年引进项目312个，计划总投资1460亿元。"
    f = by_mention(facts_of(text))
    assert f["58.6亿元"].kind == "actual"
    assert f["1460亿元"].kind == "actual"


def test_rank_metric_names_what_is_ranked() -> None:
    text = "全区地区生产总值达到2175亿元，总量稳居全市第二。营商环境评价位居全省第2名。"
    ms = spans(text, "2175亿元", "第二", "第2名", ordinal=("第二", "第2名"))
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got == ["地区生产总值", "地区生产总值全市排名", "营商环境评价全省排名"]
    # a place after another place names only where it ranks
    text = "获评全国百强区第9名，位列东北第一。"
    ms = spans(text, "第9名", "第一", ordinal=("第9名", "第一"))
    assert [f.metric for f in facts_of(text, mentions=ms)][1] == "东北排名"


def test_ratio_and_share_take_the_previous_subject() -> None:
    text = "争取专项债券资金58.6亿元，是上年的1.8倍。工业机器人产量2.8万台，约占全国的7%。"
    ms = spans(text, "58.6亿元", "1.8倍", "2.8万台", "7%")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[1] == "专项债券资金与上年之比"
    assert got[3] == "工业机器人产量占全国"


def test_verb_object_metric_does_not_borrow_the_clause_before() -> None:
    text = "区人民医院新院区投入使用，新增床位600张。"
    assert [f.metric for f in facts_of(text)] == ["新增床位"]


def test_a_number_alone_on_its_line_still_gets_a_metric() -> None:
    text = "城乡新增就业，\n1200人。"
    assert [f.metric for f in facts_of(text)] == ["城乡新增就业"]
    text = "　\n1200人\n新增就业岗位"
    assert [f.metric for f in facts_of(text)] == ["新增就业岗位"]


# ---------------------------------------------------------------- round 4: second eval set


def test_comparison_with_last_year_in_the_plan_stays_a_target() -> None:
    review = "全年新增就业1.3万人。\n"
    plan = "火灾事故起数较上年下降8%以上；去年完成造林2万亩。\n"
    text, secs = plan_doc(review, plan)
    got = {x.mention.text: x.kind for x in facts_of(text, sections=secs, report_year=2023)}
    assert got == {"1.3万人": "actual", "8%": "target", "2万亩": "actual"}


def test_colon_after_a_counted_list_is_no_label() -> None:
    text = "政府确定了八项惠民工程：新建公园5个，新增停车位3000个。"
    ms = spans(text, "八项", "5个", "3000个")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[1:] == ["新建公园", "新增停车位"]


def test_short_later_list_item_shares_the_first_items_words() -> None:
    text = "新增省级专精特新企业3家、市级17家。"
    assert [f.metric for f in facts_of(text)] == ["新增省级专精特新企业", "新增市级专精特新企业"]
    text = "全区建筑企业实现产值86亿元、利税5.2亿元。"
    assert [f.metric for f in facts_of(text)] == ["建筑企业实现产值", "建筑企业利税"]
    # a later item with its own head noun stays as written
    text = "签约亿元以上项目12个、储备项目30个。"
    assert facts_of(text)[-1].metric == "储备项目"


def test_adverb_or_comparison_alone_takes_the_previous_subject() -> None:
    text = "全县棉花总产量3.1万吨，首次突破3万吨。"
    ms = spans(text, "3.1万吨", "3万吨")
    assert facts_of(text, mentions=ms)[-1].metric == "全县棉花总产量"
    text = "服务业增加值增长6.2%，高于全省平均0.8个百分点。"
    assert facts_of(text)[-1].metric == "服务业增加值高于全省平均"
    text = "外贸进出口总额增长9%，增速比全市平均高2个百分点。"
    assert facts_of(text)[-1].metric == "外贸进出口总额增速比全市平均高"


def test_ratio_against_a_base_year_names_the_previous_subject() -> None:
    text = "高新技术企业达到420家，比2018年翻一番。"
    i, y = text.index("翻一番"), text.index("2018")
    ms = [
        *spans(text, "420家"),
        NumberMention(y, y + 5, "2018年", "year"),
        NumberMention(i, i + 3, "翻一番", "quantity", unit="倍"),
    ]
    assert facts_of(text, mentions=ms)[-1].metric == "高新技术企业与2018年之比"


def test_pair_word_splits_over_two_numbers() -> None:
    text = "城乡居民医保财政补助标准分别提高到每人640元和610元。"
    got = [f.metric for f in facts_of(text)]
    assert got[0].startswith("城镇居民医保") and got[1].startswith("农村居民医保")


def test_ratio_parts_are_named_by_the_structure() -> None:
    text = "全市三次产业结构调整为9.4∶35.1∶55.5。"
    ms = spans(text, "9.4", "35.1", "55.5")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got == ["第一产业占比", "第二产业占比", "第三产业占比"]


@pytest.mark.parametrize(
    ("text", "mention", "role"),
    [
        # people and animals counting a holder of them: a size threshold
        ("改造存栏300头以上奶牛场12个。", "300头", "qualifier"),
        ("基本消除66人以上超大班额。", "66人", "qualifier"),
        # ...but counting people themselves: a measure
        ("培训500人以上新型职业农民。", "500人", "measure"),
        # a 的 may join the threshold to its noun
        ("培育营业收入超亿元的企业9家。", "亿元", "qualifier"),
        ("营业收入超亿元的增长目标。", "亿元", "measure"),
        # a fraction before its noun is a share of it
        ("推动四分之一以上中小企业上云。", "四分之一", "measure"),
    ],
)
def test_threshold_round4(text: str, mention: str, role: str) -> None:
    i = text.index(mention)
    ms = [quantity(text, i, i + len(mention))]
    if mention in ("亿元",):
        ms = [NumberMention(i, i + 2, "亿元", "quantity", unit="元")]
    if mention == "四分之一":
        ms = [NumberMention(i, i + 4, "四分之一", "quantity")]
    assert facts_of(text, mentions=ms)[0].role == role


def test_pingjun_is_not_cut_at_jun() -> None:
    text = "人均公园绿地面积高于全国平均2.1平方米。"
    ms = spans(text, "2.1平方米")
    assert facts_of(text, mentions=ms)[0].metric == "人均公园绿地面积高于全国平均"


def test_round5_milestone_takes_previous_subject() -> None:
    text = "确保全区生产总值增长6%左右，力争迈上800亿元新台阶。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "6%", "800亿元"))]
    assert got[1] == "生产总值"  # 全区 is a scope word, stripped from every metric


def test_round5_respectively_distributes_over_previous_facts() -> None:
    text = "全年接待游客920万人次，实现旅游收入88亿元，分别恢复到2019年的108%和97%。"
    ms = spans(text, "920万人次", "88亿元", "108%", "97%")
    y = text.index("2019年")
    ms.append(NumberMention(y, y + 5, "2019年", "year", value=2019.0))
    got = [f.metric for f in facts_of(text, mentions=sorted(ms, key=lambda m: m.start))]
    assert got[2:] == ["接待游客恢复", "旅游收入恢复"]


def test_round5_amount_item_replaces_head_noun() -> None:
    text = "农博会期间签约项目37个、金额96亿元。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "37个", "96亿元"))]
    assert got[1].endswith("签约金额")


def test_round5_announcing_colon_is_no_table_label() -> None:
    text = "明年着重做好以下几项工作：全年完成税收8亿元，增长6.5%；"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "8亿元", "6.5%"))]
    assert "以下" not in got[1] and got[1].endswith("增长")
