"""Programme names (ENTITY_GUIDE: strategies, doctrines, named goals, zones, actions, laws):
one sentence of our own per rule."""

from __future__ import annotations

from heping_data.extract.entities import extract_entities
from heping_data.records import Document


def _doc(text: str) -> Document:
    return Document(
        "t", "t.txt", "t.txt", "0" * 64, len(text.encode()), "utf-8", text, body_end=len(text)
    )


def _ents(text: str) -> dict[str, str]:
    return {e.text: e.entity_type for e in extract_entities(_doc(text), ())}


def test_national_doctrines_and_formulas_are_programmes() -> None:
    got = _ents(
        "坚持以习近平新时代中国特色社会主义思想为指导，全面落实习近平法治思想，"
        "严格落实中央八项规定精神，坚决做到“两个维护”，坚持“房住不炒”，纠治“四风”。"
    )
    for name in ("习近平新时代中国特色社会主义思想", "习近平法治思想", "中央八项规定"):
        assert got[name] == "program", name
    for name in ("两个维护", "房住不炒", "四风"):
        assert got[name] == "program", name
    assert "近平法治思想" not in got  # the leader's name stays in the doctrine's name


def test_programme_keeps_its_level() -> None:
    got = _ents("推进国家儿童友好城市、全国青年发展型城市建设。")
    assert got["国家儿童友好城市"] == "program"
    assert got["全国青年发展型城市"] == "program"


def test_named_strategies_and_goals() -> None:
    got = _ents(
        "深入实施创新驱动发展战略，落实就业优先战略，加快建设经济强省、美丽浙江，"
        "打造现代化品质生活之城，建成一刻钟便民生活圈，抓好丙丁体育文化旅游带建设。"
    )
    for name in (
        "创新驱动发展战略",
        "就业优先战略",
        "经济强省",
        "美丽浙江",
        "现代化品质生活之城",
        "一刻钟便民生活圈",
        "丙丁体育文化旅游带",
    ):
        assert got.get(name) == "program", name


def test_strategy_word_qualifying_another_word_names_nothing() -> None:
    got = _ents("深入实施重大国家战略，深化与某集团战略合作，建设颜值更靓丽的宜居之城。")
    assert not any(t.endswith(("战略", "战略合作", "之城")) for t in got)


def test_quoted_name_typed_by_its_programme_head() -> None:
    got = _ents("突出打造“产业转型升级高地”，构筑营商环境“新高地”。")
    assert got["产业转型升级高地"] == "program"
    assert "新高地" not in got  # a head with one word in front names nothing


def test_straight_double_quotes_are_quotes() -> None:
    got = _ents('大力实施"走出去"战略，开展"利剑斩污"环保专项行动。')
    assert got["走出去"] == "program"
    assert got["利剑斩污"] == "program"


def test_designated_zone_name_holds_verbs() -> None:
    got = _ents("用好甲乙科技成果转移转化示范区政策，推进丙市国家可持续发展议程创新示范区建设。")
    assert got["甲乙科技成果转移转化示范区"] == "program"
    assert got["丙市国家可持续发展议程创新示范区"] == "program"


def test_named_actions_run_back_to_the_opening_verb() -> None:
    got = _ents(
        "实施主导产业壮大行动，深入推进乡村建设行动，实施物流强市建设行动计划，"
        "开展钢铁等7个专项行动，以实际行动迎接大会。"
    )
    assert got["主导产业壮大行动"] == "program"
    assert got["乡村建设行动"] == "program"
    assert got["物流强市建设行动计划"] == "program"
    assert not any(t.endswith(("专项行动", "实际行动")) for t in got)


def test_laws_are_programmes() -> None:
    got = _ents("弘扬宪法精神，加大《中华人民共和国监察法》贯彻实施的检查力度。")
    assert got["宪法"] == "program"
    assert got["中华人民共和国监察法"] == "program"


def test_sector_goal_and_listed_action() -> None:
    got = _ents("加快建设教育强省，深入实施种业振兴、粮食单产提升行动。")
    assert got["教育强省"] == "program"  # a sector word names the goal
    assert got["粮食单产提升行动"] == "program"  # a list item runs back to the separator


def test_quoted_formula_typed_by_the_requirement_it_names() -> None:
    got = _ents(
        "贯彻“稳中求进、守正出新”总要求，坚持“少折腾、多办事”原则，落实“五早”要求，"
        "兜牢“三保”底线，加强“五史”宣传教育，树立“创新、协调、绿色”发展理念。"
    )
    for name in ("稳中求进、守正出新", "少折腾、多办事", "五早", "三保", "五史"):
        assert got.get(name) == "program", name
    assert got.get("创新、协调、绿色") == "program"


def test_long_quote_needs_a_programme_cue() -> None:
    got = _ents(
        "实施“规模以上工业企业和专精特新企业双倍增计划”，推行“区域评估＋标准地＋承诺制＋"
        "代办制”改革，坚持“人人都是营商环境、事事都是营商环境”，"
        "推行“早上办、网上办、就近办、一次办、预约办”。"
    )
    assert got.get("规模以上工业企业和专精特新企业双倍增计划") == "program"
    assert got.get("区域评估＋标准地＋承诺制＋代办制") == "program"
    assert "人人都是营商环境、事事都是营商环境" not in got  # a long saying, no cue
    assert "早上办、网上办、就近办、一次办、预约办" not in got  # a list of phrases


def test_endnote_marker_does_not_hide_the_cue_after_a_quote() -> None:
    got = _ents("推进“六水”[3]共治，开展“清三乱”[4]专项行动。")
    assert got.get("六水") == "program"
    assert got.get("清三乱") == "program"


def test_quoted_list_goes_on_in_the_kind_of_its_first_item() -> None:
    got = _ents("开通“容缺办”“帮到底”“不打烊”，建成“半小时生活圈”和“家门口服务”。")
    for name in ("容缺办", "帮到底", "不打烊", "半小时生活圈", "家门口服务"):
        assert got.get(name) == "program", name
    assert "家门口服务" not in _ents("建成“家门口服务”。")  # alone, nothing types it


def test_programme_takes_its_document_or_scene_tail() -> None:
    got = _ents(
        "编制现代化品质生活之城五年建设规划，深入贯彻新型城镇化战略规划纲要，"
        "推进现代化品质生活之城规划建设。一是现代农业强市场景。二是数字经济强县场景，"
    )
    for name in (
        "现代化品质生活之城五年建设规划",
        "新型城镇化战略规划纲要",
        "现代农业强市场景",
        "数字经济强县场景",
    ):
        assert got.get(name) == "program", name
    assert got.get("现代化品质生活之城") == "program"  # 规划建设 is a verb phrase
    assert "现代化品质生活之城规划" not in got


def test_descriptive_strategy_tail_is_left_out() -> None:
    got = _ents("深入落实长江经济带发展重大国家战略，实施乡村振兴战略，服务重大国家战略。")
    assert got.get("长江经济带发展") == "program"
    assert got.get("乡村振兴战略") == "program"
    assert not any(t.endswith("重大国家战略") for t in got)


def test_designated_belts_and_clusters_are_programmes() -> None:
    got = _ents("建设丙丁运河文化带，建设甲乙创新发展引领带、戊己康养休闲带，融入甲乙机场群。")
    for name in ("丙丁运河文化带", "甲乙创新发展引领带", "戊己康养休闲带", "甲乙机场群"):
        assert got.get(name) == "program", name


def test_upgrading_programme_is_named_by_what_it_upgrades() -> None:
    got = _ents("（二）深入推进营商环境提升工程。（三）深入推进品质服务提升工程。")
    assert got.get("营商环境提升工程") == "program"
    assert got.get("品质服务提升工程") == "program"
