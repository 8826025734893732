"""Tests for heping_data.outline: headings, levels, parts, partition and sentences."""

from __future__ import annotations

import csv
import importlib.util
import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from heping_data.extract.outline import outline, plan_start, sentences
from heping_data.records import Document, Section
from heping_data.sources.ingest import ingest

from .conftest import SEED, SHARED

REPORTS = Path(__file__).parent / "data" / "reports"

SEED_GOLD = SHARED / "eval" / "gold" / "000_696758e3d0fa223f.sections.csv"
ALL_REPORTS = sorted(REPORTS.glob("*.txt")) + ([SEED] if SEED.exists() else [])


def _doc(text: str, *, year: int | None = None, body_start: int = 0) -> Document:
    """A Document built directly from text (the outline only reads text and body bounds)."""
    return Document(
        doc_id="t", source_path="t.txt", file_name="t.txt", sha256="0" * 64,
        byte_count=len(text.encode()), encoding="utf-8", text=text,
        body_start=body_start, body_end=len(text), report_year=year,
    )  # fmt: skip


def _heads(secs: tuple[Section, ...]) -> list[tuple[str | None, int, str | None]]:
    return [(s.heading, s.level, s.part) for s in secs if s.heading is not None]


def _frame(secs: tuple[Section, ...]) -> pd.DataFrame:
    rows = [
        {"char_start": s.char_start, "char_end": s.char_end, "heading": s.heading,
         "level": s.level, "part": s.part}
        for s in secs
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _scorer():
    spec = importlib.util.spec_from_file_location("heping_score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _check_partition(doc: Document, secs: tuple[Section, ...]) -> None:
    assert secs, "a non-empty body has at least one section"
    assert secs[0].span_start == doc.body_start
    assert secs[-1].span_end == doc.body_end
    for a, b in itertools.pairwise(secs):
        assert a.span_end == b.span_start and a.span_start < a.span_end
    for i, s in enumerate(secs):
        assert s.index == i
        if s.heading is None:
            assert s.level == 0 and i == 0
            continue
        assert doc.text[s.char_start : s.char_end] == s.heading
        assert s.span_start <= s.char_start < s.char_end <= s.span_end
        if s.parent_index is not None:
            parent = secs[s.parent_index]
            assert parent.index < s.index and parent.level < s.level
            assert parent.part == s.part


# ---------------------------------------------------------------- gold scores


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="shared gold not present")
def test_seed_headings_against_gold() -> None:
    doc = ingest(SEED)
    res = _scorer().score_sections(pd.read_csv(SEED_GOLD), _frame(outline(doc)))
    assert res["f1"] >= 0.95
    assert res["main_sections_found"] == "10/10"
    assert res["level_accuracy"] >= 0.95 and res["part_accuracy"] >= 0.95


@pytest.mark.parametrize("stem", ["full_report_digits", "news_summary_digits"])
def test_own_reports_against_gold(stem: str) -> None:
    doc = ingest(REPORTS / f"{stem}.txt")
    gold = list(csv.DictReader((REPORTS / f"{stem}.sections.csv").open(encoding="utf-8")))
    for g in gold:  # the gold itself is consistent with the text
        assert doc.text[int(g["char_start"]) : int(g["char_end"])] == g["heading"]
    gold_set = {
        (int(g["char_start"]), int(g["char_end"]), int(g["level"]), g["part"]) for g in gold
    }
    pred = {(s.char_start, s.char_end, s.level, s.part) for s in outline(doc) if s.heading}
    tp = len(gold_set & pred)  # strict: exact span, level and part
    f1 = 2 * tp / (len(gold_set) + len(pred))
    assert f1 >= 0.95, sorted(gold_set ^ pred)


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="shared scorer not present")
@pytest.mark.parametrize("stem", ["full_report_digits", "news_summary_digits"])
def test_own_reports_with_scorer(stem: str) -> None:
    res = _scorer().score_sections(
        pd.read_csv(REPORTS / f"{stem}.sections.csv"),
        _frame(outline(ingest(REPORTS / f"{stem}.txt"))),
    )
    assert res["f1"] >= 0.95 and res["level_accuracy"] >= 0.95


# ---------------------------------------------------------------- invariants


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.name)
def test_partition_and_sentences_cover_body(path: Path) -> None:
    doc = ingest(path)
    secs = outline(doc)
    _check_partition(doc, secs)
    sents = sentences(doc, secs)
    assert sents[0].start == doc.body_start and sents[-1].end == doc.body_end
    for a, b in itertools.pairwise(sents):
        assert a.end == b.start and a.start < a.end
    for s in sents:
        sec = secs[s.section_index]
        assert sec.span_start <= s.start < s.end <= sec.span_end
        assert doc.text[s.start : s.end].strip()


def test_heading_is_its_own_sentence() -> None:
    doc = ingest(REPORTS / "full_report_digits.txt")
    secs = outline(doc)
    sents = sentences(doc, secs)
    sec = next(s for s in secs if s.heading == "坚持稳中求进，经济运行持续向好")
    first = next(s for s in sents if s.section_index == sec.index)
    assert doc.text[first.start : first.end] == "（一）坚持稳中求进，经济运行持续向好。"


# ---------------------------------------------------------------- full-report rules


def test_full_report_levels_parents_numbering() -> None:
    doc = ingest(REPORTS / "full_report_digits.txt")
    secs = outline(doc)
    assert secs[0].level == 0 and doc.text[secs[0].span_start :].startswith("各位代表")
    by = {s.heading: s for s in secs}
    part1 = by["2023年工作回顾"]
    assert (part1.level, part1.numbering, part1.parent_index, part1.part) == (
        1,
        "一、",
        None,
        "review",
    )
    sub = by["要素市场化配置改革"]
    assert (sub.level, sub.numbering) == (4, "（2）")
    assert secs[sub.parent_index].heading == "重点改革纵深推进"
    assert secs[secs[sub.parent_index].parent_index].heading == "深化改革开放，发展活力持续释放"
    assert by["数字经济蓬勃发展"].numbering == "4．"
    assert by["开放合作不断拓展"].numbering == "3、"
    last = by["坚持廉洁从政"]
    assert (last.level, last.part) == (2, "plan")
    assert secs[last.parent_index].heading == "全面加强政府自身建设"


def test_false_positive_markers_are_body() -> None:
    text = (
        "一、过去一年工作回顾\n"
        "（一）经济平稳增长。全年增长5%。\n"
        "一、二季度增速回升，三季度略有放缓。\n"
        "1.5亿元专项资金全部拨付到位。\n"
        "第一，稳住工业基本盘；第二，扩大消费。\n"
        "全年完成（1）项改革。\n"
        "（二）民生持续改善。新增就业1万人。\n"
        "二、今年主要目标\n"
        "（一）稳增长。力争增长6%。\n"
    )
    secs = outline(_doc(text))
    assert _heads(secs) == [
        ("过去一年工作回顾", 1, "review"),
        ("经济平稳增长", 2, "review"),
        ("民生持续改善", 2, "review"),
        ("今年主要目标", 1, "plan"),
        ("稳增长", 2, "plan"),
    ]


def test_out_of_sequence_marker_is_not_a_heading() -> None:
    text = "（一）甲项工作。正文。\n（二）乙项工作。正文。\n（七）这一行编号跳号。\n（三）丙项工作。正文。\n"
    assert [h for h, _, _ in _heads(outline(_doc(text)))] == ["甲项工作", "乙项工作", "丙项工作"]


def test_indented_own_line_headings_and_long_first_sentence() -> None:
    text = (
        "\u3000\u3000一、2023年工作\n\u3000\u3000（一）产业发展\n\u3000\u3000全年工业增长8%。\n"
        "\u3000\u3000二、2024年工作\n\u3000\u3000（一）"
        + "全面落实各项部署要求并持续推动全区经济社会发展各项事业取得新的更大成效，"
        + "确保各项目标任务圆满完成。\n"
    )
    secs = outline(_doc(text, year=2023))
    heads = _heads(secs)
    assert heads[:3] == [
        ("2023年工作", 1, "review"),
        ("产业发展", 2, "review"),
        ("2024年工作", 1, "plan"),
    ]
    long_head = heads[3][0]
    assert long_head.startswith("全面落实") and len(long_head) <= 50 and "，" not in long_head


def test_top_style_without_part_cues_numbers_main_sections() -> None:
    text = "一、经济运行稳中向好\n全年增长5%。\n1.工业。增长6%。\n二、民生事业全面进步\n新增就业1万人。\n"
    secs = outline(_doc(text))
    assert [(h, lv) for h, lv, _ in _heads(secs)] == [
        ("经济运行稳中向好", 2), ("工业", 3), ("民生事业全面进步", 2)
    ]  # fmt: skip


def test_plan_start_full_report_is_plan_part_heading() -> None:
    doc = ingest(REPORTS / "full_report_digits.txt")
    ps = plan_start(doc, outline(doc))
    assert ps is not None and doc.text[ps:].startswith("二、2024年主要目标和重点工作")


def test_no_plan_gives_none() -> None:
    doc = _doc("一、2023年工作回顾\n（一）工业。增长5%。\n（二）民生。就业稳定。\n", year=2023)
    assert plan_start(doc, outline(doc)) is None


# ---------------------------------------------------------------- newspaper rules


def test_news_layout_pairs_singles_and_sub_subs() -> None:
    text = (
        "2023 回眸 "
        "项目建设 成效明显 新开工项目12个,完成投资30亿元。 "
        "民生保障 持续加强 教育更加均衡 新建学校3所。 医疗更加便捷 新建社区医院2个。 "
        "2月3日,某区召开全区经济工作会议,部署今年工作,努力实现开门红。 "
        "聚焦产业升级主线 打造现代产业体系 "
        "壮大先进制造业 新增规上企业20家。 "
        "培育消费增长“新引擎” 打造特色商圈 新建商圈2个。 发展夜间经济 举办活动30场。"
    )
    doc = _doc(text)
    secs = outline(doc)
    assert _heads(secs) == [
        ("2023 回眸", 1, "review"),
        ("项目建设 成效明显", 2, "review"),
        ("民生保障 持续加强", 2, "review"),
        ("教育更加均衡", 3, "review"),
        ("医疗更加便捷", 3, "review"),
        ("聚焦产业升级主线 打造现代产业体系", 2, "plan"),
        ("壮大先进制造业", 3, "plan"),
        ("培育消费增长“新引擎”", 3, "plan"),
        ("打造特色商圈", 4, "plan"),
        ("发展夜间经济", 4, "plan"),
    ]
    _check_partition(doc, secs)
    ps = plan_start(doc, secs)
    assert ps is not None and text[ps:].startswith("2月3日,某区召开全区经济工作会议")
    assert secs[5].parent_index is None  # a plan main section has no review parent


def test_glued_heading_is_split_from_its_body() -> None:
    text = "经济运行 稳步恢复 项目建设实现新突破全年开工项目52个。 招商引资取得新成效签约项目31个。"
    assert _heads(outline(_doc(text))) == [
        ("经济运行 稳步恢复", 2, None),
        ("项目建设实现新突破", 3, None),
        ("招商引资取得新成效", 3, None),
    ]


def test_sentence_with_inner_space_is_not_a_heading_pair() -> None:
    text = "产业发展 提质增效 全区引进了 Apple Store 等品牌门店12家,带动消费增长8%。"
    heads = _heads(outline(_doc(text)))
    assert heads[0] == ("产业发展 提质增效", 2, None)
    assert all(h[0] and "Apple" not in h[0] for h in heads)


def test_empty_body_gives_no_sections() -> None:
    assert outline(_doc("")) == ()


def test_full_report_that_lost_its_line_breaks() -> None:
    text = (
        "一、2023年工作回顾 全年增长5%。 （一）工业稳步增长。规上工业增长7%。 "
        "（二）消费持续回暖。社零增长6%。 二、2024年工作安排 （一）扩大投资。力争增长8%。"
    )
    assert _heads(outline(_doc(text, year=2023))) == [
        ("2023年工作回顾", 1, "review"),
        ("工业稳步增长", 2, "review"),
        ("消费持续回暖", 2, "review"),
        ("2024年工作安排", 1, "plan"),
        ("扩大投资", 2, "plan"),
    ]


# ---------------------------------------------------------------- round 2: parts, nesting, news parts


def test_reviewed_year_beats_plan_cue_and_problems_are_review() -> None:
    text = (
        "一、2022年重点工作推进情况\n（一）项目建设。完成投资80亿元。\n"
        "二、存在的主要问题\n经济下行压力较大。\n"
        "三、2023年工作打算\n（一）重点工作。力争增长6%。\n"
    )
    heads = _heads(outline(_doc(text, year=2022)))
    assert [(h, p) for h, _, p in heads] == [
        ("2022年重点工作推进情况", "review"),
        ("项目建设", "review"),
        ("存在的主要问题", "review"),
        ("2023年工作打算", "plan"),
        ("重点工作", "plan"),
    ]


def test_completion_cue_without_year_stays_review() -> None:
    text = "一、重点工作推进情况\n（一）工业。增长5%。\n二、下一步工作安排\n（一）扩大投资。\n"
    assert [p for _, _, p in _heads(outline(_doc(text)))] == ["review", "review", "plan", "plan"]


def test_plan_part_returns_to_review_only_on_clear_evidence() -> None:
    text = (
        "一、2023年工作回顾\n（一）工业。增长5%。\n"
        "二、2024年工作安排\n（一）扩大投资。力争增长8%。\n"
        "三、全面加强政府自身建设\n（一）依法行政。\n"
        "四、2023年民生实事完成情况\n（一）新建学校3所。\n"
    )
    heads = _heads(outline(_doc(text, year=2023)))
    assert [p for _, lv, p in heads if lv == 1] == ["review", "plan", "plan", "review"]
    secs = outline(_doc(text, year=2023))
    _check_partition(_doc(text, year=2023), secs)


def test_levels_follow_nesting_depth_of_styles_in_use() -> None:
    text = (
        "一、2023年工作回顾\n"
        "（一）项目建设提速\n（1）重点项目加快推进。实施项目52个。\n（2）招商引资成效明显。签约31个。\n"
        "（二）改革创新深入\n1.营商环境优化。\n（1）放管服改革。精简事项20项。\n"
        "二、2024年工作打算\n（一）抓项目。\n①重大项目。开工10个。\n"
    )
    doc = _doc(text, year=2023)
    secs = outline(doc)
    assert [(h, lv) for h, lv, _ in _heads(secs)] == [
        ("2023年工作回顾", 1),
        ("项目建设提速", 2),
        ("重点项目加快推进", 3),  # （1） directly under （一）
        ("招商引资成效明显", 3),
        ("改革创新深入", 2),
        ("营商环境优化", 3),
        ("放管服改革", 4),  # （1） under 1.
        ("2024年工作打算", 1),
        ("抓项目", 2),
        ("重大项目", 3),  # ① directly under （一）
    ]
    _check_partition(doc, secs)
    by = {s.heading: s for s in secs}
    assert secs[by["重点项目加快推进"].parent_index].heading == "项目建设提速"
    assert secs[by["放管服改革"].parent_index].heading == "营商环境优化"


def test_numbered_sentence_of_figures_is_a_list_item_not_a_heading() -> None:
    text = (
        "一、2023年工作回顾\n（一）项目建设\n"
        "1.全年实施重点项目152个，完成投资186.2亿元；其中省重点项目9个。\n"
        "2.全面落实各项部署要求并持续推动全区经济社会发展各项事业取得新的更大成效确保完成任务。\n"
        "（二）民生改善\n1.教育优先。新建学校3所。\n2.建设5G基站。新建基站300座。\n"
        "二、2024年工作安排\n（一）稳增长。力争增长6%。\n"
    )
    assert [(h, lv) for h, lv, _ in _heads(outline(_doc(text, year=2023)))] == [
        ("2023年工作回顾", 1),
        ("项目建设", 2),
        ("民生改善", 2),
        ("教育优先", 3),
        ("建设5G基站", 3),
        ("2024年工作安排", 1),
        ("稳增长", 2),
    ]


def test_news_year_marker_inside_body_opens_a_part() -> None:
    text = (
        "2023 回眸 "
        "项目建设 成效明显 新开工项目12个,完成投资30亿元。 "
        "民生保障 持续加强 新建学校3所。 "
        "2024 蓝图 "
        "以产业升级为主线 打造现代产业体系 壮大先进制造业 新增规上企业20家。 "
        "培育消费新动能 新建商圈2个。 "
        "以民生改善为根本 办好群众身边实事 新增学位3000个。"
    )
    doc = _doc(text, year=2023)
    secs = outline(doc)
    assert _heads(secs) == [
        ("2023 回眸", 1, "review"),
        ("项目建设 成效明显", 2, "review"),
        ("民生保障 持续加强", 2, "review"),
        ("2024 蓝图", 1, "plan"),
        ("以产业升级为主线 打造现代产业体系", 2, "plan"),
        ("壮大先进制造业", 3, "plan"),
        ("培育消费新动能", 3, "plan"),
        ("以民生改善为根本 办好群众身边实事", 2, "plan"),  # a pair with no sub-subs after it
    ]
    _check_partition(doc, secs)
    ps = plan_start(doc, secs)
    assert ps is not None and text[ps:].startswith("2024 蓝图")


def test_news_masked_year_marker_uses_cue_words() -> None:
    text = (
        "**** 交卷 项目建设 成效明显 完成投资**亿元。 "
        "**** 蓝图 聚焦产业升级 打造产业体系 新增企业**家。"
    )
    heads = _heads(outline(_doc(text)))
    assert [(h, lv, p) for h, lv, p in heads if lv == 1] == [
        ("**** 交卷", 1, "review"),
        ("**** 蓝图", 1, "plan"),
    ]


def test_glued_heading_with_result_state_tail() -> None:
    text = (
        "经济运行 稳步恢复 工业经济稳中有进规上工业增加值增长9%。 "
        "文旅产业取得新成果接待游客800万人次。 持续优化营商环境的做法得到推广。"
    )
    assert [h for h, _, _ in _heads(outline(_doc(text)))] == [
        "经济运行 稳步恢复",
        "工业经济稳中有进",
        "文旅产业取得新成果",
    ]


def test_glued_subhead_after_pair_found_by_its_siblings_shape() -> None:
    """No listed tail: the family's single sub-headings give the length, 全年/2023年 the cut."""
    text = (
        "**** 答卷 某区交出好成绩 全区经济平稳运行。 "
        "产业升级 步伐加快 工业园区多点发力全年新落地项目46个,完成投资52亿元。 "
        "服务业态亮点纷呈 新开商业综合体3个。 "
        "城市建设 品质提升 老旧街巷焕然一新2023年改造背街小巷31条。 "
        "公园绿地扩容增量 新增口袋公园12个。"
    )
    heads = [(h, lv) for h, lv, _ in _heads(outline(_doc(text)))]
    assert ("工业园区多点发力", 3) in heads
    assert ("老旧街巷焕然一新", 3) in heads
    assert ("产业升级 步伐加快", 2) in heads and ("服务业态亮点纷呈", 3) in heads


@pytest.mark.parametrize(
    "intro",
    [
        "全年新落地项目46个,完成投资52亿元。",  # opens like a sentence itself
        "规上工业企业全年实现产值增长8%。",  # head far shorter than the siblings
        "园区建设多点发力,全年新落地项目46个。",  # the comma comes before any opener
    ],
)
def test_intro_paragraph_after_pair_is_not_split(intro: str) -> None:
    text = (
        "**** 答卷 某区交出好成绩 全区经济平稳运行。 "
        f"产业升级 步伐加快 {intro} 服务业态亮点纷呈 新开商业综合体3个。 "
        "现代物流提质扩容 新增物流企业9家。"
    )
    heads = [h for h, _, _ in _heads(outline(_doc(text)))]
    assert heads[-3:] == ["产业升级 步伐加快", "服务业态亮点纷呈", "现代物流提质扩容"]


def test_no_glued_split_without_sibling_sub_headings() -> None:
    """A main section followed by another pair has no sub-headings to compare with."""
    text = (
        "**** 答卷 某区交出好成绩 全区经济平稳运行。 "
        "文旅消费 人气回升 夜间消费街区全年接待游客300万人次。 "
        "城市建设 品质提升 改造背街小巷31条。"
    )
    heads = [h for h, _, _ in _heads(outline(_doc(text)))]
    assert heads[-2:] == ["文旅消费 人气回升", "城市建设 品质提升"]


def test_kicker_subtitle_pair_is_one_heading() -> None:
    text = "2023 答卷 踔厉奋发谱新篇 某区跑出加速度 全区经济平稳运行。 产业发展 动能强劲 增长7%。"
    assert _heads(outline(_doc(text, year=2023)))[:3] == [
        ("2023 答卷", 1, "review"),
        ("踔厉奋发谱新篇 某区跑出加速度", 1, "review"),
        ("产业发展 动能强劲", 2, "review"),
    ]


# ---------------------------------------------------------------- run-in subheads (news layout)


_RUN_IN_NEWS = (
    "**** 答卷 某县交出好成绩 全县经济平稳运行。 "
    "工业经济 稳中求进 园区经济势头强劲开发区新落户企业**家,完成产值**亿元。 "
    "外贸进出口平稳运行出口总额增长*.*%,跨境电商交易额**亿元。 "
    "乡村产业提档升级 新建高标准农田**万亩。 "
    "社会事业 亮点纷呈 全民健身走深走实扎实开展“村超”联赛,参赛队伍**支。 "
    "城乡教育提质扩面 新建学校*所。 "
    "*月*日,某县召开全县经济工作会议,明确今年主要预期目标。 "
    "以开放合作为引领 增强县域发展动能 提升园区承载能力推动新区标准厂房二期建设,新增用地***亩。 "
    "培育外贸新业态 新增外贸实绩企业**家。 "
    "以城乡融合为路径 建设和美乡村 做优县域文旅产业依托古镇资源打造精品线路*条。 "
    "守护碧水蓝天 完成河道整治**公里。"
)


def test_run_in_subheads_found_by_tail_and_by_directive_shape() -> None:
    """Subheads glued to a body that starts with a subject, a verb or a number are cut off."""
    heads = [(h, lv) for h, lv, _ in _heads(outline(_doc(_RUN_IN_NEWS)))]
    assert heads[2:] == [
        ("工业经济 稳中求进", 2),
        ("园区经济势头强劲", 3),
        ("外贸进出口平稳运行", 3),
        ("乡村产业提档升级", 3),
        ("社会事业 亮点纷呈", 2),
        ("全民健身走深走实", 3),
        ("城乡教育提质扩面", 3),
        ("以开放合作为引领 增强县域发展动能", 2),
        ("提升园区承载能力", 3),
        ("培育外贸新业态", 3),
        ("以城乡融合为路径 建设和美乡村", 2),
        ("做优县域文旅产业", 3),
        ("守护碧水蓝天", 3),
    ]


def test_run_in_subheads_with_a_state_predicate_or_a_list_body_and_a_byline() -> None:
    """`noun + 持续优化` heads, a body opening with a list or 推进, and no credit-line head."""
    text = (
        "**** 答卷 某县交出好成绩 全县经济平稳运行。 "
        "改革开放 活力增强 政务服务持续优化深化“一件事一次办”改革,办理时限压缩一半。 "
        "招商引资成效明显 赴杭州、宁波招商**次,签约项目**个。 "
        "民生事业 稳步提升 就业保障落地见效全年新增城镇就业****人。 "
        "党的建设 全面加强 主题教育扎实开展深入开展“下基层”调研活动**次。 "
        "*月*日,某县召开县委经济工作会议,明确今年主要预期目标。 "
        "以产业振兴为核心 夯实县域经济根基 做强特色产业围绕茶叶、竹木、中药材三条产业链,新增企业**家。 "
        "深化国企改革推进县属企业整合重组,组建县交通投资集团。 "
        "守牢安全底线 完成燃气管道改造**公里。 "
        "某某日报记者 陈青禾 通讯员 林远/文"
    )
    heads = [(h, lv) for h, lv, _ in _heads(outline(_doc(text)))]
    assert heads[2:] == [
        ("改革开放 活力增强", 2),
        ("政务服务持续优化", 3),
        ("招商引资成效明显", 3),
        ("民生事业 稳步提升", 2),
        ("就业保障落地见效", 3),
        ("党的建设 全面加强", 2),
        ("主题教育扎实开展", 3),
        ("以产业振兴为核心 夯实县域经济根基", 2),
        ("做强特色产业", 3),
        ("深化国企改革", 3),
        ("守牢安全底线", 3),
    ]


def test_yi_wei_pair_stays_one_main_heading() -> None:
    """以X为Y + phrase is one main heading even when its first subhead is not found."""
    text = (
        "**** 答卷 某区交出好成绩 全区经济平稳运行。 "
        "产业升级 步伐加快 服务业态亮点纷呈 新开商业综合体3个。 "
        "现代物流提质扩容 新增物流企业9家。 "
        "2月3日,某区召开全区经济工作会议,明确今年主要预期目标。 "
        "以科技创新为引擎 培育发展新动能 新认定高新技术企业20家以上。 "
        "建设科创走廊 引进研发机构5家。 "
        "以民生改善为根本 增进群众福祉 新增城镇就业5000人。 "
        "办好民生实事 新建社区食堂8个。"
    )
    heads = [(h, lv) for h, lv, _ in _heads(outline(_doc(text)))]
    assert heads[-4:] == [
        ("以科技创新为引擎 培育发展新动能", 2),
        ("建设科创走廊", 3),
        ("以民生改善为根本 增进群众福祉", 2),
        ("办好民生实事", 3),
    ]


@pytest.mark.parametrize(
    "para",
    [
        "推进老旧小区改造提升,完成改造**个。",  # a directive sentence, comma before the opener
        "区人民医院新院区投入使用,新增床位***张。",  # subject + verb: no heading shape
        "科技金融广场引进金融企业**家。",  # a bare noun subject before 引进
        "建设口袋公园**个,新增绿地**万平方米。",  # directive + object + number: a sentence
        "实施工业企业技术改造项目**个,完成投资**亿元。",  # 改造 ends the object's noun phrase
        "持续做大做强数字经济,引进企业**家。",  # a transitive pair takes its object
        "全区经济稳健运行态势不断巩固。",  # a scope word opens a sentence
    ],
)
def test_ordinary_paragraph_is_not_cut_as_run_in(para: str) -> None:
    text = (
        "**** 答卷 某区交出好成绩 全区经济平稳运行。 "
        f"产业升级 步伐加快 服务业态亮点纷呈 新开商业综合体**个。 {para} "
        "现代物流提质扩容 新增物流企业*家。 城市建设 品质提升 公园绿地扩容增量 新增口袋公园**个。"
    )
    heads = [h for h, _, _ in _heads(outline(_doc(text)))]
    assert heads[2:] == [
        "产业升级 步伐加快",
        "服务业态亮点纷呈",
        "现代物流提质扩容",
        "城市建设 品质提升",
        "公园绿地扩容增量",
    ]


# ---------------------------------------------------------------- line layout


_CITY_LINES = (
    "过去一年工作回顾\n"
    "2023年，全市经济稳中有进，地区生产总值增长5.6%。\n\n"
    "【工业经济提质增效】\n"
    "装备制造\n"
    "规上工业增加值增长7.1%，新增规上企业86家。\n\n"
    "数字经济\n"
    "数字经济核心产业增加值增长12%。\n\n"
    "【社会事业全面进步】\n"
    "新建学校9所，确保今年秋季全部投用，力争明年再建5所。\n\n"
    "今年工作安排\n"
    "全市经济社会发展的主要预期目标是：\n"
    "地区生产总值 增长6%左右\n\n"
    "【扩大有效投资】\n"
    "完成固定资产投资增长8%以上。\n"
)


def test_line_layout_brackets_bare_lines_and_part_lines() -> None:
    doc = _doc(_CITY_LINES, year=2023)
    secs = outline(doc)
    assert _heads(secs) == [
        ("过去一年工作回顾", 1, "review"),
        ("工业经济提质增效", 2, "review"),  # brackets stay outside the heading
        ("装备制造", 3, "review"),  # not joined to the 【】 line above it
        ("数字经济", 3, "review"),
        ("社会事业全面进步", 2, "review"),
        ("今年工作安排", 1, "plan"),  # a line of figures and a lead-in are body
        ("扩大有效投资", 2, "plan"),
    ]
    _check_partition(doc, secs)
    assert secs[1].span_start == _CITY_LINES.index("【工业经济")
    assert secs[2].parent_index == secs[1].index
    # the review paragraph with 确保/力争/明年 does not start the plan: the part line does
    ps = plan_start(doc, secs)
    assert ps is not None and _CITY_LINES[ps:].startswith("今年工作安排")


def test_line_layout_news_subheads_open_parts() -> None:
    text = (
        "1月9日，某区第三届人民代表大会第二次会议开幕。\n"
        "过去一年 交出发展新答卷\n"
        "报告显示，全区地区生产总值增长6.1%。\n"
        "“今年我们确保企业产值再增两成，力争目标全部完成。”一位代表说。\n"
        "新的一年 奋力跑出加速度\n"
        "报告提出，今年地区生产总值增长6%左右。\n"
        "新建学校5所，新增学位4,000个。\n"
    )
    doc = _doc(text, year=2023)
    secs = outline(doc)
    assert _heads(secs) == [
        ("过去一年 交出发展新答卷", 1, "review"),
        ("新的一年 奋力跑出加速度", 1, "plan"),
    ]
    assert secs[0].heading is None  # the dateline paragraph is an untitled preamble
    _check_partition(doc, secs)
    ps = plan_start(doc, secs)
    assert ps is not None and text[ps:].startswith("新的一年")


def test_line_layout_plan_transition_paragraph_without_plan_heading() -> None:
    text = (
        "产业发展 提质增效\n"
        "全年新增规上工业企业46家，工业投资增长14%。\n"
        "民生保障 持续加强\n"
        "新建公办幼儿园4所。\n"
        "今年工作安排已经明确，全区将抓好以下重点。\n"
        "扩大有效投资 增强发展后劲\n"
        "全年实施重点项目120个。\n"
    )
    doc = _doc(text)
    secs = outline(doc)
    assert _heads(secs) == [
        ("产业发展 提质增效", 2, "review"),
        ("民生保障 持续加强", 2, "review"),
        ("扩大有效投资 增强发展后劲", 2, "plan"),
    ]
    ps = plan_start(doc, secs)
    assert ps is not None and text[ps:].startswith("今年工作安排已经明确")


def test_line_layout_needs_heading_lines() -> None:
    """Prose with line breaks and no heading lines keeps the newspaper reading (no headings)."""
    text = "全区经济平稳运行。\n地区生产总值增长5%。\n新增就业1.2万人。\n城乡居民收入稳步增长。\n"
    secs = outline(_doc(text))
    assert _heads(secs) == []
    assert len(secs) == 1 and secs[0].level == 0


def test_line_layout_subhead_ending_in_a_particle_and_second_half_plan() -> None:
    """A subhead may end in 了 (腰包鼓起来了); 下半年 in a mid-year piece opens the plan."""
    text = (
        "上半年 经济答卷亮眼\n"
        "全区地区生产总值增长5.8%，增速居全市第二。\n"
        "工业 动能更足\n"
        "规上工业增加值增长百分之九。\n"
        "就业 腰包鼓起来了\n"
        "城镇新增就业*千人，居民收入增长*.*%。\n"
        "下半年 全力以赴抓落实\n"
        "全区将确保全年生产总值增长百分之六，新开工项目三十个。\n"
    )
    doc = _doc(text, year=2023)
    secs = outline(doc)
    assert _heads(secs) == [
        ("上半年 经济答卷亮眼", 1, "review"),
        ("工业 动能更足", 2, "review"),
        ("就业 腰包鼓起来了", 2, "review"),
        ("下半年 全力以赴抓落实", 1, "plan"),
    ]
    _check_partition(doc, secs)


def test_line_layout_line_cut_after_a_particle_is_still_body() -> None:
    """A short line ending in 的 is a sentence cut by a line break, not a subhead."""
    text = (
        "产业发展 提质增效\n"
        "全年新增规上工业企业46家。\n"
        "民生保障 持续加强\n"
        "新建公办幼儿园4所。\n"
        "全力办好群众满意的\n"
        "教育事业。\n"
    )
    assert [h for h, _, _ in _heads(outline(_doc(text)))] == [
        "产业发展 提质增效",
        "民生保障 持续加强",
    ]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda d: {**d, "max_levle": 4}, "max_levle"),
        (lambda d: {**d, "line_layout": {**d["line_layout"], "brackets": ["【"]}}, "bracket"),
        (lambda d: {**d, "segment": {**d["segment"], "max_heading_chars": "many"}}, "segment"),
    ],
)
def test_a_bad_outline_rule_file_fails_on_load_naming_the_file(
    monkeypatch: pytest.MonkeyPatch, edit: Any, problem: str
) -> None:
    from heping_data.extract.outline.rules import _rules
    from heping_data.text import ruledata

    real = ruledata.read_yaml
    monkeypatch.setattr(ruledata, "read_yaml", lambda *parts: edit(real(*parts)))
    _rules.cache_clear()
    try:
        with pytest.raises(ValueError, match=rf"data/outline/outline\.yaml: .*{problem}"):
            _rules()
    finally:
        monkeypatch.undo()
        _rules.cache_clear()


def test_body_lines_drop_indentation_trailing_space_and_blank_lines() -> None:
    from heping_data.extract.outline.lines import _body_lines

    text = "\u3000\u3000一、总体 \r\n \n\ufeff正文。\u00a0\n\t \n末行"
    got = [text[s:e] for s, e in _body_lines(text, 0, len(text))]
    assert got == ["一、总体", "正文。", "末行"]
    # a window cutting a line counts only its part inside [start, end)
    assert [text[s:e] for s, e in _body_lines(text, 4, 13)] == ["总体", "正"]


def test_joined_marker_pattern_matches_where_some_marker_does() -> None:
    import re

    from heping_data.extract.outline.rules import _any_of, _rules

    joined = _any_of([re.compile("(?P<num>[一二])、"), re.compile("[（(](?P<num>[0-9])[）)]")])
    assert joined is not None
    assert joined.match("二、") and joined.match("（3）") and not joined.match("三、")
    assert _any_of([re.compile("(?P<a>x)(?P=a)")]) is None  # a back-reference: not joined
    assert _rules().any_marker is not None


def test_sentences_are_plain_records_tiling_each_section() -> None:
    import dataclasses

    from heping_data.records import Sentence

    text = "一、总体要求\n坚持稳中求进。推动高质量发展！\n\n二、重点任务\n抓好落实；见到实效。"
    doc = _doc(text)
    secs = outline(doc)
    sents = sentences(doc, secs)
    for k, s in enumerate(sents):
        assert s.index == k
        assert list(vars(s)) == [f.name for f in dataclasses.fields(Sentence)]
        assert Sentence(**vars(s)) == s
    for sec in secs:
        mine = [s for s in sents if s.section_index == sec.index]
        assert mine[0].start == sec.span_start and mine[-1].end == sec.span_end
        assert all(a.end == b.start for a, b in itertools.pairwise(mine))
