"""Every mention, every time (propagate.py) and the short forms the entity guideline marks:
sentences of our own."""

from __future__ import annotations

from heping_data.extract.entities import extract_entities
from heping_data.records import Document


def _doc(text: str) -> Document:
    return Document(
        "t", "t.txt", "t.txt", "0" * 64, len(text.encode()), "utf-8", text, body_end=len(text)
    )


def _mentions(text: str) -> list[tuple[int, str, str]]:
    return [(e.start, e.text, e.entity_type) for e in extract_entities(_doc(text), ())]


def test_a_listed_name_is_marked_at_its_repeats() -> None:
    text = "壮大都市农业、节能环保等产业。推动都市农业提质增效，都市农业收入增长。"
    got = _mentions(text)
    starts = [s for s, w, t in got if w == "都市农业" and t == "industry"]
    assert starts == [2, text.index("都市农业", 10), text.rindex("都市农业")]


def test_a_repeat_never_cuts_into_a_longer_found_name() -> None:
    text = "壮大都市农业、节能环保等产业。建设都市农业产业园。"
    got = _mentions(text)
    assert [w for s, w, _ in got if s > 15 and w == "都市农业"] == []


def test_names_the_dictionary_scans_are_not_repeated_where_it_left_them_out() -> None:
    """The gazetteer saw every 中央; 中央八项规定 is not the body, so no repeat adds it."""
    text = "在中央的坚强领导下，严格落实中央八项规定精神。"
    got = _mentions(text)
    assert (1, "中央", "organization") in got
    assert (text.index("中央八项"), "中央", "organization") not in got


def test_a_name_found_with_two_types_is_not_repeated() -> None:
    from heping_data.extract.entities.base import _Cand
    from heping_data.extract.entities.propagate import _propagate

    text = "甲乙丙丁，甲乙丙丁，甲乙丙丁。"
    found = [_Cand(0, 4, "program", "甲乙丙丁", "enum"), _Cand(5, 9, "honor", "甲乙丙丁", "enum")]
    assert _propagate(text, found) == found
    one = [_Cand(0, 4, "program", "甲乙丙丁", "enum")]
    assert [c.start for c in _propagate(text, one)] == [0, 5, 10]


def test_forces_capital_and_region_compounds() -> None:
    text = "向驻保部队、武警官兵致敬。聚焦京雄创新资源，服务首都，承接北京非首都功能疏解。"
    got = _mentions(text)
    assert (1, "驻保部队", "organization") in got
    assert (6, "武警", "organization") in got
    assert (text.index("京雄"), "京雄", "place") in got
    assert (text.index("首都"), "首都", "place") in got
    assert all(w != "首都" or s == text.index("首都") for s, w, _ in got)


def test_region_compound_opening_a_line_is_not_the_region() -> None:
    got = _mentions("加快京雄保城际建设。")
    assert all(w != "京雄保" for _, w, _ in got)


def test_scenic_grade_put_forward_is_an_honour() -> None:
    text = "古城创建5A景区，太行水镇创建4A、红色文化创建5A。"
    got = _mentions(text)
    assert (4, "5A景区", "honor") in got
    assert (text.index("4A"), "4A", "honor") in got
    assert (text.rindex("5A"), "5A", "honor") in got


def test_a_person_before_a_speech_verb_stops_before_it() -> None:
    assert (2, "李明", "person") in _mentions("市长李明说，今年要办好实事。")


def test_national_titles_are_honours() -> None:
    text = (
        "培育国家制造业单项冠军17家，国家科技型中小企业达到3000家，全面推进国家职业教育改革试点。"
    )
    got = _mentions(text)
    assert (2, "国家制造业单项冠军", "honor") in got
    assert (text.index("国家科技"), "国家科技型中小企业", "honor") in got
    assert (text.index("国家职业"), "国家职业教育改革试点", "honor") in got


def test_officials_listed_after_a_title_and_a_meeting_never_holds_them() -> None:
    text = "副县长杨进忠、杜然出席。常委会主任续金明作甲县人民代表大会常务委员会工作报告。"
    got = _mentions(text)
    assert (3, "杨进忠", "person") in got
    assert (7, "杜然", "person") in got
    assert (text.index("续金明"), "续金明", "person") in got
    assert all(not (w.startswith("常委会主任") and t == "event") for _, w, t in got)


def test_central_enterprises_are_a_kind_of_firm_not_a_body() -> None:
    assert all(w != "央企" for _, w, _ in _mentions("对接一家央企，落地更多央企子公司。"))


def test_national_bodies_and_media() -> None:
    text = (
        "工作受到国务院办公厅表彰，被人民网等媒体报道，今年将在央视播出。庆祝中华人民共和国成立。"
    )
    got = _mentions(text)
    assert (4, "国务院办公厅", "organization") in got
    assert (text.index("人民网"), "人民网", "organization") in got
    assert (text.index("央视"), "央视", "organization") in got
    assert (text.index("中华人民共和国"), "中华人民共和国", "place") in got
