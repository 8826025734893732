"""Unit tests for heping_data.extract.facts: metric, kind, role, period_year and inferred values.

Mentions are built by hand here so these tests pin the facts rules alone, whatever the
number finder does; every sentence is written for these tests.
"""

from __future__ import annotations

import re

import pytest

from heping_data.extract.facts import extract_facts
from heping_data.extract.numbers import find_mentions
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


def test_run_in_heading_glued_to_the_body_is_no_part_of_the_metric() -> None:
    head = "园区建设提速增效"
    text = head + "全年新落户企业46家。"
    secs = (Section(0, None, 3, head, 0, len(head), 0, len(text), part="review"),)
    (f,) = facts_of(text, sections=secs)
    assert f.metric == "新落户企业"


def test_cause_phrase_is_dropped_and_the_change_takes_the_subject() -> None:
    f = by_mention(facts_of("外贸进出口总额86.5亿元，受汇率波动影响下降3.1%。"))
    assert f["3.1%"].metric == "外贸进出口总额下降"


def test_event_list_with_an_edition_keeps_only_the_verb_and_category() -> None:
    text = "成功举办第7届中国(云溪)茶文化节、采茶大赛等活动15场。"
    (f,) = facts_of(text, mentions=list(find_mentions(text)))
    assert (f.mention.text, f.metric) == ("15场", "成功举办活动")


def test_goal_list_in_the_review_part_gives_targets_across_semicolons() -> None:
    # a targets paragraph placed before the plan heading: every goal is a target, up to `。`
    text = (
        "全年新增就业4200人。"
        "全县今年发展的主要预期目标是：生产总值增长7%左右；财政收入增长4.5%；"
        "社会消费品零售总额增长9%；城镇调查失业率控制在5%以内。"
        "去年建成道路23条。"
    )
    secs = (Section(0, None, 2, None, None, None, 0, len(text), part="review"),)
    kinds = {
        x.mention.text: (x.kind, x.period_year)
        for x in facts_of(text, sections=secs, report_year=2021)
    }
    assert kinds["4200人"] == ("actual", 2021)
    for goal in ("7%", "4.5%", "9%", "5%"):
        assert kinds[goal] == ("target", 2022), goal
    assert kinds["23条"][0] == "actual"


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
        # the investment is of the projects just counted (the eval golds' convention)
        ("新开工亿元以上项目52个，完成投资214亿元。", "214亿元", "亿元以上项目完成投资"),
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
    assert f["4位"].metric == "全省县域经济考核前移"  # the frame 在…中 is dropped


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


# ---------------------------------------------------------------- round 6


def test_round6_adverb_ends_the_noun_a_threshold_defines() -> None:
    text = "改造农村公路85公里，50户以上村庄全部通客车。"
    f = by_mention(facts_of(text, mentions=spans(text, "85公里", "50户")))["50户"]
    assert (f.role, f.metric) == ("qualifier", "村庄户数门槛")
    # people counted, not a holder of them: still a measure
    text = "招募800人以上志愿者全部上岗。"
    assert by_mention(facts_of(text, mentions=spans(text, "800人")))["800人"].role == "measure"


def test_round6_da_noun_names_the_subject_of_the_next_figure() -> None:
    text = "纺织、化工、食品三大支柱产业实现营业收入520亿元。"
    i = text.index("三大")
    da = NumberMention(i, i + 6, "三大支柱产业", "quantity", unit="支柱产业", value=3.0)
    got = by_mention(facts_of(text, mentions=[da, *spans(text, "520亿元")]))
    assert got["520亿元"].metric == "三大支柱产业营业收入"


def test_round6_base_period_in_words_stays_in_the_metric() -> None:
    text = "社会消费品零售总额增长9%，比三季度加快1.5个百分点。"
    ms = spans(text, "9%", "1.5个百分点")
    i = text.index("三季度")
    ms.insert(1, NumberMention(i, i + 3, "三季度", "date"))
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[1] == "社会消费品零售总额比三季度加快"


def test_round6_same_basis_growth_takes_the_subject() -> None:
    text = "税务部门组织收入42亿元，同口径增长6.1%。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "42亿元", "6.1%"))]
    assert got[1] == "税务部门组织收入增长"


@pytest.mark.parametrize(
    ("text", "parts", "metric"),
    [
        # the amount named earlier in the sentence is the whole
        (
            "地方财政收入9.6亿元，增长4%，其中非税收入2.1亿元，非税收入占比21.9%。",
            ("9.6亿元", "4%", "2.1亿元", "21.9%"),
            "非税收入占地方财政收入比重",
        ),
        # no amount: the subject of the change
        ("工业投资增长12%，其中技改投资占比45%。", ("12%", "45%"), "技改投资占工业投资比重"),
        # an adverb before the linking verb goes
        (
            "社会保障支出18亿元，民生支出占比一直保持在75%以上。",
            ("18亿元", "75%"),
            "民生支出占社会保障支出比重",
        ),
        # counts name no whole
        ("新建项目30个，其中产业项目占比60%。", ("30个", "60%"), "产业项目占比"),
    ],
)
def test_round6_share_names_its_whole(text: str, parts: tuple[str, ...], metric: str) -> None:
    assert facts_of(text, mentions=spans(text, *parts))[-1].metric == metric


def test_round6_more_and_light_verb_alone_borrow_the_subject() -> None:
    text = "规模以上企业由2018年的120家增加到260家，实现翻一番还多。"
    ms = spans(text, "120家", "260家")
    i = text.index("翻一番")
    ms.append(NumberMention(i, i + 3, "翻一番", "quantity", unit="倍", value=2.0, comparator="gt"))
    y = text.index("2018年")
    ms.insert(0, NumberMention(y, y + 5, "2018年", "year", value=2018.0))
    assert facts_of(text, mentions=ms)[-1].metric == "规模以上企业"


def test_round6_short_aside_in_brackets_stays_in_the_metric() -> None:
    text = "社区卫生服务中心建成投用，每万人拥有全科（家庭）医生4.1人。"
    assert facts_of(text, mentions=spans(text, "4.1人"))[0].metric == "每万人拥有全科家庭医生"
    text = "全年细颗粒物（PM2.5）平均浓度降至29微克/立方米。"
    i = text.index("PM2.5")
    ms = [NumberMention(i, i + 5, "PM2.5", "name"), *spans(text, "29微克/立方米")]
    assert facts_of(text, mentions=ms)[0].metric == "细颗粒物PM2.5平均浓度"


def test_round6_fall_share_takes_the_subject_of_the_change() -> None:
    text = "单位产值能耗由2019年的0.8吨下降到0.6吨，降幅为25%。"
    y = text.index("2019年")
    ms = [
        NumberMention(y, y + 5, "2019年", "year", value=2019.0),
        *spans(text, "0.8吨", "0.6吨", "25%"),
    ]
    assert facts_of(text, mentions=ms)[-1].metric == "单位产值能耗降幅"


def test_round6_streak_measures_the_rest_of_its_clause() -> None:
    text = "全镇茶叶产量达到3.2万吨，连续8年保持在3万吨以上。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "3.2万吨", "8年", "3万吨"))]
    # the streak's count measures how long the rest of its clause held (gold convention of
    # the real reports: `…保持在50%以上连续月数`)
    assert got == ["全镇茶叶产量", "全镇茶叶产量保持在3万吨以上连续年数", "全镇茶叶产量"]


def test_round6_threshold_bounds_the_earlier_figure_of_its_unit() -> None:
    text = "社区集体经营收入全部超过20万元，其中超过100万元的社区有6个。"
    got = by_mention(facts_of(text, mentions=spans(text, "20万元", "100万元", "6个")))
    assert (got["100万元"].role, got["100万元"].metric) == ("qualifier", "社区集体经营收入门槛")
    # the dimension written before the threshold wins
    text = "扶持年交易额超500万元的直播企业12家。"
    got = by_mention(facts_of(text, mentions=spans(text, "500万元", "12家")))
    assert got["500万元"].metric == "直播企业交易额门槛"


def test_round6_generic_measure_noun_takes_the_previous_subject() -> None:
    text = "新建口袋公园12个，面积均超过2,000平方米。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "12个", "2,000平方米"))]
    assert got[1] == "新建口袋公园面积"


def test_round6_generic_head_before_respectively_is_shared() -> None:
    text = "受理群众来信310件、来访425件，办结率分别为96.5%和97.2%。"
    ms = spans(text, "310件", "425件", "96.5%", "97.2%")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[2:] == ["受理群众来信办结率", "来访办结率"]


def test_round6_short_category_after_a_list_keeps_the_verb_before_it() -> None:
    text = "上门走访商户800户，帮助解决停车、招工、物流等难题65个。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "800户", "65个"))]
    assert got[1] == "帮助解决难题"


def test_round6_listed_items_of_an_n_da_noun_get_one_metric_each() -> None:
    text = "纺织、化工、食品三大支柱产业营收分别增长5.2%、7.4%和3.9%。"
    i = text.index("三大")
    da = NumberMention(i, i + 6, "三大支柱产业", "quantity", unit="支柱产业", value=3.0)
    got = facts_of(text, mentions=[da, *spans(text, "5.2%", "7.4%", "3.9%")])
    assert [f.metric for f in got[1:]] == [
        "纺织支柱产业营收增长",
        "化工支柱产业营收增长",
        "食品支柱产业营收增长",
    ]


def test_round6_per_person_rate_words_leave_the_metric() -> None:
    text = "特困人员供养标准提高到每人每月860元。"
    assert facts_of(text, mentions=spans(text, "860元"))[0].metric == "特困人员供养标准"


def test_round6_beneficiaries_follow_the_action_before_them() -> None:
    text = "加装电梯72部，惠及群众3,600户；发放助农补贴800万元，带动农户增收1.2亿元。"
    ms = spans(text, "72部", "3,600户", "800万元", "1.2亿元")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[1] == "加装电梯惠及群众"
    assert got[3] == "发放助农补贴带动农户增收"


def test_round6_event_names_the_deals_made_at_it() -> None:
    text = "成功举办第七届湘莲文化节，签约项目26个，合同总金额88亿元。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "26个", "88亿元"))]
    assert got == ["湘莲文化节签约项目", "湘莲文化节合同总金额"]
    # no event in the sentence: unchanged
    text = "全年签约项目26个。"
    assert facts_of(text, mentions=spans(text, "26个"))[0].metric == "签约项目"


def test_round6_goal_cue_governs_the_goals_listed_after_it() -> None:
    text = "会上提出，全镇将力争税收收入增长8%，新建村级文化广场15个。"
    got = facts_of(text, mentions=spans(text, "8%", "15个"))
    assert [(f.metric, f.kind) for f in got] == [
        ("税收收入增长", "target"),
        ("新建村级文化广场", "target"),
    ]
    # a result reported after the goal stays actual
    text = "年初计划改造管网120公里，实际完成136公里。"
    got = facts_of(text, mentions=spans(text, "120公里", "136公里"))
    assert [f.kind for f in got] == ["target", "actual"]


def test_round6_service_line_number_stays_in_the_metric() -> None:
    text = "“12345”热线接听来电8.6万个，“12345”政务服务便民热线受理群众诉求9.2万件。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "8.6万个", "9.2万件"))]
    assert got[0] == "12345热线接听来电"
    assert not got[1][0].isdigit()  # cut to its cap, never to the tail of 12345


def test_round6_period_and_change_take_the_subject() -> None:
    text = "外贸进出口总额达到320亿元，是2019年的2.1倍，三年年均增长28%。"
    y = text.index("2019年")
    ms = spans(text, "320亿元", "2.1倍", "28%")
    ms.insert(1, NumberMention(y, y + 5, "2019年", "year", value=2019.0))
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[-1] == "外贸进出口总额三年年均增长"


def test_round6_investment_figure_is_of_the_projects_counted_before() -> None:
    text = "全年实施市级重点项目96个，完成投资215亿元。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "96个", "215亿元"))]
    assert got[1] == "市级重点项目完成投资"
    text = "谋划储备重大项目80个、总投资900亿元，年度计划投资160亿元。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "80个", "900亿元", "160亿元"))]
    assert got[2].endswith("重大项目年度计划投资")


def test_round6_bare_rate_is_of_what_the_previous_figure_counts() -> None:
    text = "中考普高录取1,860人，录取率62.5%，群众满意率达到97%。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "1,860人", "62.5%", "97%"))]
    assert got[1:] == ["中考普高录取率", "群众满意率"]  # a rate with its own subject stays


def test_round6_fall_compared_with_a_scope_takes_the_subject() -> None:
    text = "规上工业增加值下降2.1%，降幅比全省收窄1.2个百分点。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "2.1%", "1.2个百分点"))]
    assert got[1] == "规上工业增加值降幅比全省收窄"


def test_round6_share_keeps_its_part_and_its_whole() -> None:
    text = "全年新兴服务业营业收入占规模以上服务业比重达到38.5%。"
    got = facts_of(text, mentions=spans(text, "38.5%"))[0].metric
    assert got == "新兴服务业营业收入占规模以上服务业比重"


def test_round6_counting_condition_leaves_the_metric() -> None:
    text = "地方税收完成21.6亿元，扣除减税降费因素后增长9.3%。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "21.6亿元", "9.3%"))]
    assert got[1] == "地方税收增长"


# ---------------------------------------------------------------- round 7


@pytest.mark.parametrize(
    ("text", "parts", "metric"),
    [
        # a bare verb of change takes the subject of the previous figure
        (
            "光伏装机容量达到86万千瓦，较上年新增21万千瓦。",
            ("86万千瓦", "21万千瓦"),
            "光伏装机容量新增",
        ),
        ("高新技术企业达到412家，净增57家。", ("412家", "57家"), "高新技术企业净增"),
        ("港口货物吞吐量1.2亿吨，逆势增长6.4%。", ("1.2亿吨", "6.4%"), "港口货物吞吐量逆势增长"),
    ],
)
def test_round7_bare_verb_borrows_the_subject(
    text: str, parts: tuple[str, ...], metric: str
) -> None:
    assert facts_of(text, mentions=spans(text, *parts))[-1].metric == metric


def test_round7_listed_verbs_replace_each_other() -> None:
    text = "其中亿元以上项目86个，新开工31个、竣工24个。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "86个", "31个", "24个"))]
    assert got[1:] == ["亿元以上项目新开工", "亿元以上项目竣工"]


def test_round7_participation_verb_keeps_its_last_character() -> None:
    text = "举办全民健身赛事40场，吸引市民参与超过9万人次。"
    got = facts_of(text, mentions=spans(text, "40场", "9万人次"))[-1].metric
    assert got.endswith("参与")


def test_round7_listed_kinds_counted_together() -> None:
    text = "新建改扩建小学、初中9所，"
    assert facts_of(text, mentions=spans(text, "9所"))[0].metric == "新建改扩建小学初中"


@pytest.mark.parametrize(
    ("text", "part", "metric"),
    [
        # a short or level predicate after the counted noun is no part of it
        ("白河、青河3个省控断面水质稳定达到Ⅱ类。", "3个", "省控断面水质"),
        ("年初确定的12件民生实事全部办结。", "12件", "民生实事"),
        # a longer predicate defines what is counted and stays
        ("全市86个行政村全部完成污水治理。", "86个", "行政村全部完成污水治理"),
    ],
)
def test_round7_noun_ends_where_a_short_predicate_opens(text: str, part: str, metric: str) -> None:
    assert facts_of(text, mentions=spans(text, part))[0].metric.endswith(metric)


def test_round7_half_width_aside_stays_in_the_metric() -> None:
    text = "全镇8个村(社区)党组织书记参加轮训。"
    assert "村社区党组织书记" in facts_of(text, mentions=spans(text, "8个"))[0].metric


def test_round7_generic_head_takes_the_object_of_the_clause_before() -> None:
    text = "认真办理群众来信来访事项，全年办结率保持98%。"
    got = facts_of(text, mentions=spans(text, "98%"))[0].metric
    assert got == "群众来信来访事项办结率"


def test_round7_rank_drops_its_frame_and_the_own_place() -> None:
    text = "在全市综合绩效考核中，我区位列第6名，较上年提升2个位次。"
    ms = spans(text, "第6名", "2个位次", ordinal=("第6名",))
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[0] == "全市综合绩效考核排名"
    assert got[1] == "全市综合绩效考核提升"


def test_round7_size_class_is_a_qualifier() -> None:
    text = "建成万头生猪养殖场4个。"
    i = text.index("万头")
    ms = [
        NumberMention(i, i + 2, "万头", "quantity", unit="头", value=1e4, note="size class"),
        *spans(text, "4个"),
    ]
    f = facts_of(text, mentions=ms)
    assert (f[0].role, f[1].role) == ("qualifier", "measure")
    assert f[0].metric == "生猪养殖场规模门槛"


def test_rank_with_a_scope_and_no_verb_names_what_is_ranked() -> None:
    """`…连续10年全省第一`, `…22.1%，全省第一`: the scope word splits subject and scope as a
    ranking verb would; with no subject before it, the figure before it is what is ranked."""
    text = "制造业质量竞争力指数连续10年全省第一。净菜进京产值占北京市场22.1%，全省第一。"
    ms = spans(text, "10年", "第一", "22.1%", "第一", ordinal=("第一",))
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[1] == "制造业质量竞争力指数全省排名"
    assert got[3].endswith("全省排名") and "净菜进京产值" in got[3]


def test_metric_drops_effort_clauses_and_continuation_adverbs() -> None:
    """A numberless clause of effort is no subject to borrow; `继续` before `稳定在` is no
    part of what is measured."""
    text = "主要预期目标是：在实际工作中争取更好结果，粮食产量稳定在80万吨以上。粮食产量继续稳定在80万吨。"
    ms = spans(text, "80万吨", "80万吨")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got == ["粮食产量", "粮食产量"]


def test_metric_cap_keeps_the_distinguishing_subject_whole() -> None:
    text = "全市城镇常住居民人均可支配收入增长5.1%，农村常住居民人均可支配收入增长7.2%。"
    ms = spans(text, "5.1%", "7.2%")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[0].startswith("全市城镇") and got[1].startswith("农村")


def test_bracketed_condition_does_not_end_the_clause() -> None:
    text = "全市生产总值增长3.8%，地方一般公共预算收入（扣除留抵退税因素）增长7.2%。"
    ms = spans(text, "3.8%", "7.2%")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[1] == "地方一般公共预算收入增长"


def test_a_due_year_makes_a_target_without_the_report_year() -> None:
    """`到2025年，…达N以上` in a news piece whose own year is unknown is still a goal."""
    text = "全市生产总值增长5%。到2025年，农林牧渔业总产值达1000亿元以上。"
    y = text.index("2025年")
    ms = [
        quantity(text, text.index("5%"), text.index("5%") + 2),
        NumberMention(y, y + 5, "2025年", "year", value=2025.0),
        quantity(text, text.index("1000亿元"), text.index("1000亿元") + 6),
    ]
    got = [(f.kind, f.period_year) for f in facts_of(text, mentions=ms)]
    assert got == [("actual", None), ("target", 2025)]


def test_funds_won_in_a_review_are_actual() -> None:
    text = "争取增发国债项目383个，力争实现增长10%。"
    ms = spans(text, "383个", "10%")
    assert [f.kind for f in facts_of(text, mentions=ms)] == ["actual", "target"]


def test_the_amount_a_years_plan_sets_is_a_target_and_keeps_its_head() -> None:
    text = (
        "重大项目共安排883个，年度计划投资1200亿元，完成年度计划投资的105%。全年计划投资800亿元。"
    )
    ms = spans(text, "883个", "1200亿元", "105%", "800亿元")
    got = [(f.metric, f.kind) for f in facts_of(text, mentions=ms)]
    assert got[1] == ("年度计划投资", "target")
    assert got[2][1] == "actual"  # the plan reported done
    assert got[3] == ("计划投资", "target")  # never the bare head 投资


def test_a_count_of_every_listed_kind_names_the_whole_list() -> None:
    text = "累计引育新品种、新技术2110项。"
    ms = spans(text, "2110项")
    (f,) = facts_of(text, mentions=ms)
    assert "新品种" in f.metric and "新技术" in f.metric


def test_a_borrowed_subject_gives_way_to_the_clauses_own_words() -> None:
    text = "工程建设项目从立项到施工审批平均耗时提速至3.8天，比法定审批时限压缩了63.2天。"
    ms = spans(text, "3.8天", "63.2天")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert "比法定审批时限压缩" in got[1], got


def test_an_estimate_of_the_year_reviewed_is_actual_and_no_part_of_the_metric() -> None:
    text = "社会消费品零售总额预计完成84亿元，预计同比增长19.2%。"
    ms = spans(text, "84亿元", "19.2%")
    got = [(f.metric, f.kind) for f in facts_of(text, mentions=ms)]
    assert got == [("社会消费品零售总额", "actual"), ("社会消费品零售总额增长", "actual")]


def test_from_to_with_cong_and_a_year_inside_a_change_is_no_due_year() -> None:
    """`从2017年的A增长到2022年的B`: both measure the subject, and `到2022年` inside the
    change is no goal's due year; `预计…增长` in a review estimates the year just ended."""
    text = "全省生产总值从2017年的3.06万亿元增长到2022年的4.2万亿元。预计全省生产总值增长3.8%左右。"
    y1, y2 = text.index("2017年"), text.index("2022年")
    ms = [
        NumberMention(y1, y1 + 5, "2017年", "year", value=2017.0),
        quantity(text, text.index("3.06万亿元"), text.index("3.06万亿元") + 7),
        NumberMention(y2, y2 + 5, "2022年", "year", value=2022.0),
        quantity(text, text.index("4.2万亿元"), text.index("4.2万亿元") + 6),
        quantity(text, text.index("3.8%"), text.index("3.8%") + 4),
    ]
    got = [(f.metric, f.kind) for f in facts_of(text, mentions=ms)]
    assert [k for _, k in got] == ["actual", "actual", "actual"]
    assert all("全省生产总值" in m and not m.endswith("从") for m, _ in got[:2]), got


def test_a_quoted_object_is_no_subject_to_borrow() -> None:
    text = "企业设立实现“一网通办、一窗受理”，市场主体从470万户增加到791万户。"
    ms = spans(text, "470万户", "791万户")
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got == ["市场主体", "市场主体"]


def test_an_effort_clause_lends_the_object_it_acts_on() -> None:
    """`持续推进X，投资N`: the adverb and verb come off; what they act on is the subject."""
    text = "持续推进南湖流域生态修复，投资56亿元。"
    (f,) = facts_of(text, mentions=spans(text, "56亿元"))
    assert f.metric == "南湖流域生态修复投资"


def test_a_section_between_review_and_plan_looks_ahead() -> None:
    """A top-level section of no part after the review (a vision) is planned, like the plan."""
    review = "一、2023年工作回顾\n全年改造道路15条。\n"
    vision = "二、奋力开创新局面\n着力打造6个示范片区。\n"
    plan = "三、2024年主要工作\n新建公园8座。\n"
    text = review + vision + plan
    a, b = len(review), len(review) + len(vision)
    secs = (
        Section(0, None, 1, "一、2023年工作回顾", 0, 10, 0, a, part="review"),
        Section(1, None, 1, "二、奋力开创新局面", a, a + 9, a, b),
        Section(2, None, 1, "三、2024年主要工作", b, b + 10, b, len(text), part="plan"),
    )
    kinds = {x.mention.text: x.kind for x in facts_of(text, sections=secs, report_year=2023)}
    assert kinds == {"15条": "actual", "6个": "target", "8座": "target"}


def test_a_count_of_a_places_people_is_its_population_and_actual() -> None:
    """`为120万南城人民办好实事` in the plan: the people counted are there now, not a goal."""
    text = "二、2024年工作安排\n要为120万南城人民办好实事，新建公园8座。\n"
    secs = (Section(0, None, 1, "二、2024年工作安排", 0, 10, 0, len(text), part="plan"),)
    got = facts_of(text, sections=secs, report_year=2023, mentions=spans(text, "120万", "8座"))
    assert (got[0].metric, got[0].kind) == ("南城人口", "actual")
    assert got[1].kind == "target"


def test_a_lent_subject_carries_to_the_next_bare_figure() -> None:
    """`持续推进X，投资N，实施项目M`: both figures are of X."""
    text = "持续推进南湖流域生态修复，投资56亿元，实施项目38个。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "56亿元", "38个"))]
    assert got == ["南湖流域生态修复投资", "南湖流域生态修复实施项目"]


def test_an_adverb_and_a_state_lend_no_subject() -> None:
    """`…持续火爆，接待游客N`: once the adverb is off, `火爆` names nothing."""
    text = "古镇景区持续火爆，接待游客120万人次。"
    (f,) = facts_of(text, mentions=spans(text, "120万人次"))
    assert "火爆" not in f.metric


def test_levels_listed_before_one_noun_count_that_noun() -> None:
    """`3个国家级、5个省级农业产业园`, `推进40个省、市级特色小镇建设`: each level's noun."""
    text = "建成3个国家级、5个省级农业产业园。推进40个省、市级特色小镇建设。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "3个", "5个", "40个"))]
    assert got[0] == "国家级农业产业园", got
    assert got[2] == "省市级特色小镇建设", got


def test_a_threshold_before_a_list_is_no_level() -> None:
    text = "培育科技型企业100家以上、市级以上创新平台20个。"
    got = [f.metric for f in facts_of(text, mentions=spans(text, "100家", "20个"))]
    assert not got[0].startswith("以上"), got


def test_a_long_relative_clause_before_a_count_is_no_part_of_its_metric() -> None:
    """`矗立在广场两侧的八座石狮`: the description goes; `市委确定的N项改革` keeps whose."""
    text = "矗立在广场两侧的八座石狮庄严肃穆。市委确定的60项改革全面推进。"
    ms = [quantity(text, text.index("八座"), text.index("八座") + 2), *spans(text, "60项")]
    got = [f.metric for f in facts_of(text, mentions=ms)]
    assert got[0].startswith("石狮"), got
    assert got[1].startswith("市委确定"), got


# ---------------------------------------------------------------- rule file


def _raw_rules() -> dict:
    from heping_data.text.ruledata import read_yaml

    return read_yaml("facts", "rules.yaml")


def test_rules_file_loads_and_strips_target_cues_from_metric_fronts() -> None:
    from heping_data.extract.facts.rules import load_model

    model = load_model()
    lead = model.kind.target_cues.metric_lead
    assert lead and set(lead) <= set(model.lead_strip)
    assert set(lead) <= set(model.kind.target_cues.all)


def test_rules_file_with_unknown_key_fails_naming_the_file() -> None:
    from heping_data.extract.facts.rules import load_model

    raw = _raw_rules()
    raw["metric"]["lead_stirp"] = ["约"]  # a typo must not be silently ignored
    with pytest.raises(ValueError, match=r"data/facts/rules\.yaml: metric\.lead_stirp"):
        load_model(raw)


def test_rules_file_repeating_a_target_cue_in_lead_strip_fails() -> None:
    from heping_data.extract.facts.rules import load_model

    raw = _raw_rules()
    raw["metric"]["lead_strip"] = [*raw["metric"]["lead_strip"], "力争"]
    with pytest.raises(ValueError, match=r"data/facts/rules\.yaml: .*lead_strip.*力争"):
        load_model(raw)


# ---------------------------------------------------------------- real-report rules (issue 14)


def _real(text: str):
    return by_mention(facts_of(text, mentions=find_mentions(text)))


def test_a_goal_cue_after_a_counted_noun_opens_its_predicate():
    assert _real("两座跨河新桥确保年内建成通车。")["两座"].metric == "跨河新桥"


def test_over_an_amount_of_a_measure_noun_is_a_measure_not_a_threshold():
    f = _real("形成了超千亿元的经济总量。")["千亿元"]
    assert f.role == "measure"
    assert f.metric.endswith("经济总量")


def test_a_metric_repeating_the_subject_of_the_clause_before_borrows_nothing():
    assert _real("开展“人均绩效”考核，确保人均产值达到20万元。")["20万元"].metric == "人均产值"


def test_a_bare_verb_before_the_first_figure_borrows_the_plan_named_before():
    f = _real("实施“专精特新企业培育计划”，新增25家。")["25家"]
    assert f.metric == "专精特新企业培育计划新增"
    # a quoted list lends no subject
    g = _real("企业设立实现“一网通办、一窗受理”，新增1200户。")["1200户"]
    assert g.metric == "新增"


def test_adverbs_of_schedule_and_obtaining_leave_the_metric():
    assert _real("如期实现收入倍增两个目标。")["两个"].metric == "收入倍增目标"
    assert _real("取得了优良率98%，安全生产零事故。")["98%"].metric == "优良率"


def test_a_milestone_passed_names_the_subject_of_the_figure_before():
    f = _real("全县财政收入达到8.2亿元，突破了8亿元大关。")["8亿元"]
    assert f.metric == "全县财政收入"


def test_planned_investment_of_the_year_is_of_the_projects_counted_before():
    f = _real("安排重点项目120项，总投资560亿元，当年计划投资150亿元。")["150亿元"]
    assert f.metric == "安排重点项目计划投资"


def test_endnote_brackets_leave_no_trace_in_a_metric():
    assert _real("[9]“四大挑战”：市委全会提出，要积极应对。")["四大挑战"].metric == "挑战"


def test_scan_offsets_equal_a_plain_scan_of_the_text() -> None:
    """The clause ends found by splitting equal a match-by-match scan: every hard delimiter
    less the separators inside numbers (`1,026`, `10:30`) and the brackets of a short aside
    inside a noun (`执业（助理）医师`); a character's offsets equal a `str.find` walk."""
    from heping_data.extract.facts.patterns import HARD
    from heping_data.extract.facts.rules import rules
    from heping_data.extract.facts.scan import Scan, positions

    text = " 全市执业（助理）医师1,026人，10:30开会；村(社区)党组织、“一网通办、一次办好”\n完成。、"
    joined = {i for i, c in enumerate(text) if c in ",:" and text[i - 1 : i + 2 : 2].isdigit()}
    for a in rules().aside_re.finditer(text):
        joined |= {a.start(), a.end() - 1}
    want = [m.start() for m in HARD.finditer(text) if m.start() not in joined]
    assert Scan.of(text).hard == want
    for ch in ("、", "，", "”", "x", " "):
        assert positions(text, ch) == [i for i, c in enumerate(text) if c == ch]


def test_cut_word_drops_the_longest_word_and_keeps_some_text() -> None:
    """A change word comes off the end, longest first, only when words are left."""
    from heping_data.extract.facts.clean import cut_word
    from heping_data.extract.facts.rules import rules

    ru = rules()
    assert cut_word("地区生产总值比上年增长", ru.change_by_last) == "地区生产总值"
    assert cut_word("出口增长", ru.change_by_last) == "出口"
    assert cut_word("增长", ru.change_by_last) == "增长"
    assert cut_word("", ru.change_by_last) == ""
    assert cut_word("项目新开工", ru.bare_by_last, 2) == "项目"
    assert cut_word("再新增", ru.bare_by_last, 2) == "再新增"


def test_a_start_year_in_the_plan_part_leaves_the_figure_a_target() -> None:
    """`2020年起，连续五年每年…`: a programme that runs on past the report is planned."""
    text = "“双千工程”：2020年起，连续五年每年引进资金1000亿元。"
    secs = (Section(0, None, 2, None, None, None, 0, len(text), part="plan"),)
    f = by_mention(facts_of(text, sections=secs, report_year=2021, mentions=find_mentions(text)))
    assert f["1000亿元"].kind == "target"
    # a past year alone in the plan part still looks back
    text = "2020年引进资金1000亿元。"
    (g,) = facts_of(text, sections=secs, report_year=2021, mentions=find_mentions(text))
    assert g.kind == "actual"


def test_a_rate_per_year_between_two_numbers_leads_the_second() -> None:
    f = _real("连续五年每年招商引资入库1000个以上项目、引进资金1000亿元。")
    assert f["1000个"].metric == "每年招商引资入库项目"


def test_a_number_right_after_another_shares_its_subject() -> None:
    f = _real("落实疫情防控常态化十项30条措施，坚决维护群众健康。")
    assert "疫情防控常态化" in f["30条"].metric
    assert f["30条"].metric.endswith("措施")


def test_planned_total_investment_names_the_projects_counted_before() -> None:
    f = _real("累计入库项目1290个、拟定总投资4126亿元，超额完成年度目标。")
    assert f["4126亿元"].metric == "项目拟定总投资"


def test_a_later_list_item_opening_with_its_number_shares_the_first_subject() -> None:
    f = _real("党的十八大以来，习近平总书记9次考察河北、3次踏上保定这片热土，给予我们关怀。")
    assert f["3次"].metric.startswith("习近平总书记踏上保定")
    g = _real("全年开展培训12期、2000人次参训。")  # the first item has no subject to lend
    assert g["2000人次"].metric == "参训"


def test_a_one_counter_article_before_a_number_is_no_part_of_the_metric() -> None:
    f = _real("组成一支11人的微团队；")
    assert "一支" not in f["11人"].metric
    assert "微团队" in f["11人"].metric


def test_a_list_right_after_the_last_number_is_part_of_its_metric() -> None:
    f = _real("350多批次央企、京企来保深度对接，京津保合作项目增多。")
    assert f["350多批次"].metric == "央企京企来保深度对接"
    g = _real("引进企业12家、项目5个。")  # later items with their own numbers
    assert g["12家"].metric == "引进企业"


def test_a_pronoun_subject_leaves_the_metric() -> None:
    f = _real("具体工作中，我们要聚焦市委全会打好“十个主动仗”要求，推进建设。")
    assert f["十个"].metric.startswith("聚焦市委全会打好主动仗")
    assert _real("我们新建学校3所。")["3所"].metric == "新建学校"


def test_words_closing_a_quote_between_two_numbers_name_what_the_second_counts() -> None:
    f = _real("抓细抓实“十个常态化”30项措施，提高疫情应急处置能力。")
    assert f["30项"].metric == "常态化措施"


# ---------------------------------------------------------------- news summaries (issue 14)


def test_count_of_a_reports_own_parts_is_actual_and_names_the_parts() -> None:
    # a structural sentence describes the report as it stands, even inside the plan part
    text = "会上听取了区人大常委会工作报告。报告分为两部分：一年来的主要工作、今年的主要任务。"
    secs = (Section(0, None, 2, None, None, None, 0, len(text), part="plan"),)
    (f,) = facts_of(text, sections=secs, mentions=list(find_mentions(text)))
    assert (f.mention.text, f.metric, f.kind) == ("两部分", "报告组成部分", "actual")


def test_news_summary_plan_opens_at_the_attributed_plan_marker() -> None:
    # no parts known: `报告指出` + a plan marker opens the plan even in the first third, and
    # a later sentence listing the report's parts (`…的主要任务`) does not move it
    text = (
        "区长王某作政府工作报告。报告指出，今年政府工作的总体要求是：稳中求进。"
        "坚持目标年度化，实施“八大提升行动”。"
        + "坚持项目为王，扎实推进各项工作，全力建设现代化新城区。" * 6
        + "区人大常委会主任作工作报告。报告共分两部分：一年来的工作、今年的主要任务。"
    )
    facts = facts_of(text, mentions=list(find_mentions(text)))
    got = {f.mention.text: (f.metric, f.kind) for f in facts}
    assert got["八大提升"][1] == "target", got
    assert got["两部分"] == ("报告组成部分", "actual")


def test_a_deal_with_listed_partners_lends_their_category() -> None:
    text = "与工行、农行、中行等国有银行签订合作协议，授信总额300亿元。"
    (f,) = facts_of(text)
    assert f.metric == "国有银行签订合作协议授信总额"
    # a list of examples that is no deal's partners lends no bare category
    text = "启动物流交易中心、二手车交易市场、畜产品市场搬迁等项目，入园企业达到7家。"
    (f,) = facts_of(text)
    assert f.metric == "入园企业"


def test_items_counted_after_a_plan_are_that_plans_items() -> None:
    text = "推进乡村道路五年提升计划，落实8项重点任务、40项具体措施。"
    got = {f.mention.text: f.metric for f in facts_of(text)}
    assert got == {"8项": "乡村道路五年提升计划重点任务", "40项": "乡村道路五年提升计划具体措施"}


def test_a_frame_closing_after_a_counted_noun_ends_it() -> None:
    text = "组建以5家骨干企业为主体的产业联盟。"
    (f,) = facts_of(text)
    assert f.metric.endswith("骨干企业"), f.metric  # not `…为主体的产业联盟`


@pytest.mark.parametrize(
    ("text", "mention", "metric"),
    [
        ("全市科技投入强度连续6年居全省前列。", "6年", "全市科技投入强度居全省前列连续年数"),
        ("我们连续52周开展环境整治观摩活动。", "52周", "开展环境整治观摩活动连续周数"),
    ],
)
def test_a_streaks_count_measures_how_long_it_kept_up(text: str, mention: str, metric: str) -> None:
    got = {f.mention.text: f.metric for f in facts_of(text, mentions=list(find_mentions(text)))}
    assert got[mention] == metric, got
