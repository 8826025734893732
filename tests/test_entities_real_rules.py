"""Entity rules added for real published reports (issue 14): one sentence of our own each."""

from __future__ import annotations

from heping_data.extract.entities import extract_entities
from heping_data.records import Document


def _doc(text: str) -> Document:
    return Document(
        "t", "t.txt", "t.txt", "0" * 64, len(text.encode()), "utf-8", text, body_end=len(text)
    )


def _ents(text: str) -> dict[str, str]:
    return {e.text: e.entity_type for e in extract_entities(_doc(text), ())}


def test_quoted_counted_formula_is_a_programme() -> None:
    got = _ents("全体干部牢记“三个务必”，落实“五个坚持”，压减“三项”支出。")
    assert got["三个务必"] == "program"
    assert got["五个坚持"] == "program"
    assert "三项" not in got  # a numeral and one character stays a count


def test_quoted_slogan_before_a_concept_word_is_a_programme() -> None:
    got = _ents("牢固树立“两路”理念，落实“两补”政策。")
    assert got["两路"] == "program"
    assert got["两补"] == "program"


def test_strong_province_goals() -> None:
    got = _ents("加快建设文化强省，建设体育强市。")
    assert got["文化强省"] == "program"
    assert got["体育强市"] == "program"


def test_doctrine_is_a_programme_but_not_inside_a_campaign_name() -> None:
    text = "深入贯彻习近平强军思想。开展习近平强军思想主题教育。"
    got = [(e.start, e.text, e.entity_type) for e in extract_entities(_doc(text), ())]
    assert (4, "习近平强军思想", "program") in got
    assert not any(t == "program" and s > 10 for s, _, t in got)


def test_upgrading_programme_and_security_doctrine() -> None:
    got = _ents("深入推进城乡环境提升工程。坚持总体国家安全观。")
    assert got["城乡环境提升工程"] == "program"
    assert got["总体国家安全观"] == "program"


def test_sectors_joined_by_and_are_one_cluster() -> None:
    got = _ents("大力发展生物医药及新材料、氢能等产业。")
    assert got["生物医药及新材料"] == "industry"
    assert "生物医药" not in got


def test_modified_sector_names() -> None:
    got = _ents("培育新型储能、第三代半导体、高端装备制造等产业。")
    assert got["新型储能"] == "industry"
    assert got["第三代半导体"] == "industry"
    assert got["高端装备制造"] == "industry"


def test_short_quoted_names_have_no_unquoted_echo() -> None:
    text = "推行“好帮手”服务模式，好帮手覆盖全区。"
    got = {(e.start, e.text) for e in extract_entities(_doc(text), ())}
    assert (3, "好帮手") in got
    assert not any(s > 8 for s, _ in got)


def test_items_of_a_list_closed_by_projects_are_projects() -> None:
    got = _ents("加快北湖产业园、南山物流基地等重点项目建设。")
    assert got["北湖产业园"] == "project"
    assert got["南山物流基地"] == "project"


def test_national_titles_sought_are_honours() -> None:
    got = _ents("创建国家园林城市和全国双拥模范城，争创省级卫生县城。")
    assert got["国家园林城市"] == "honor"
    assert got["全国双拥模范城"] == "honor"
    assert got["省级卫生县城"] == "honor"


def test_quoted_city_title_is_an_honour() -> None:
    got = _ents("擦亮“马拉松之城”金字招牌。")
    assert got["马拉松之城"] == "honor"


def test_policy_document_titles_are_programmes() -> None:
    got = _ents(
        "印发《关于支持青年人才在本地创业的若干措施》，编制《某市国土空间总体规划（2021—2035年）》，"
        "阅读《平凡的世界》。"
    )
    assert got["关于支持青年人才在本地创业的若干措施"] == "program"
    assert got["某市国土空间总体规划（2021—2035年）"] == "program"
    assert "平凡的世界" not in got
