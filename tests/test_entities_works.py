"""Lines, plenums and meetings in real reports' shapes (issue 14): sentences of our own."""

from __future__ import annotations

import pytest

from heping_data.extract.entities import extract_entities, listed
from heping_data.records import Document


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Works the text builds typed as projects, as ENTITY_GUIDE and the revised real golds
    type them (``built_works_are_projects`` in project_lists.yaml; on by default)."""
    monkeypatch.setattr(listed, "built_as_projects", lambda: True)


def _doc(text: str) -> Document:
    return Document(
        "t", "t.txt", "t.txt", "0" * 64, len(text.encode()), "utf-8", text, body_end=len(text)
    )


def _ents(text: str) -> dict[str, str]:
    return {e.text: e.entity_type for e in extract_entities(_doc(text), ())}


def test_lines_are_places_unless_built_works_are_projects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(listed, "built_as_projects", lambda: False)
    got = _ents("青江、白鹭山、东港、江禾高速建成通车。")
    for name in ("青江", "白鹭山", "东港", "江禾高速"):
        assert got[name] == "place", name


def test_items_sharing_a_line_head_are_lines_of_their_own(built: None) -> None:
    got = _ents("青江、白鹭山、东港、江禾高速建成通车。")
    for name in ("青江", "白鹭山", "东港", "江禾高速"):
        assert got[name] == "project", name


def test_lines_named_by_abbreviations_and_their_sections(built: None) -> None:
    got = _ents("推动江禾商高铁、禾江城际、江禾青城际青禾段开工，谋划市郊铁路。")
    assert got["江禾商高铁"] == "project"
    assert got["禾江城际"] == "project"
    assert got["江禾青城际青禾段"] == "project"
    assert got["市郊铁路"] == "project"
    assert "谋划市郊铁路" not in got


def test_a_line_mentioned_as_a_site_stays_a_place() -> None:
    got = _ents("经济保持高速增长。新建江禾高速青禾出入口，紧邻江禾高速。")
    assert got.get("江禾高速") == "place"
    assert "保持高速" not in got


def test_coded_lines_in_a_road_clause(built: None) -> None:
    got = _ents("青白线、江禾线和禾丰线等配套路网加快推进。低保线与扶贫线两线合一。")
    for name in ("青白线", "江禾线", "禾丰线"):
        assert got[name] == "project", name
    assert "低保线" not in got and "扶贫线" not in got


def test_plenum_names_with_their_committee_and_shared_head() -> None:
    got = _ents("贯彻十九届二中、三中全会和省委九届十一次全会精神，落实市委全会部署。")
    assert got["十九届二中、三中全会"] == "event"
    assert got["省委九届十一次全会"] == "event"
    assert got["市委全会"] == "event"
    assert "省委" not in got


def test_meeting_named_for_its_business_and_edition_counts() -> None:
    got = _ents("青禾扶贫基地建设现场推进会在我区召开。成功举办首届区旅发大会和3届市旅发大会。")
    assert got["青禾扶贫基地建设现场推进会"] == "event"
    assert got["首届区旅发大会"] == "event"
    assert got["市旅发大会"] == "event"  # a count of editions held is no part of the name


def test_firms_named_by_their_list_frame() -> None:
    got = _ents(
        "加强与青禾启航、江源优数、禾丰U谷等园区运营企业合作。依托白鹭保变、江州三伊等"
        "龙头企业开发新能源板块。深化与中铁、深圳禾强等战略合作。引进广东、山东等头部企业。"
        "与京津80余家院校和机构深度合作。"
    )
    for name in ("青禾启航", "江源优数", "禾丰U谷", "白鹭保变", "江州三伊", "中铁", "深圳禾强"):
        assert got[name] == "company", name
    assert got["广东"] == "place" and "深圳" not in got and "机构" not in got


def test_a_known_place_opens_the_name_after_it() -> None:
    got = _ents("力争天津东站综合交通枢纽与高铁同步实施，建设天津工匠学院。临川区东湖街道。")
    assert "天津" not in got
    assert got["天津东站综合交通枢纽"] == "place"
    assert got["天津工匠学院"] == "organization"
    # a unit inside a jurisdiction named in full stays two places
    assert got["临川区"] == got["东湖街道"] == "place"


def test_sites_the_words_after_them_build_are_projects(built: None) -> None:
    got = _ents(
        "完成人民广场提升改造。同步推进青禾南站和白鹭公园、东湖公园建设。市民在人民公园休闲。"
    )
    assert got["人民广场"] == "project"
    assert got["青禾南站"] == "project"
    assert got["白鹭公园"] == got["东湖公园"] == "project"  # the list's last item's verb
    assert got["人民公园"] == "place"  # a site the text only locates something at


def test_a_bracket_with_the_names_alias_or_place_is_part_of_it() -> None:
    got = _ents("青禾古生物博物馆（白鹭自然博物馆）持续火爆，跳台滑雪训练基地（涞源）投入使用。")
    assert "青禾古生物博物馆（白鹭自然博物馆）" in got
    assert "白鹭" not in got and "涞源" not in got


def test_items_of_a_counted_project_list_are_projects() -> None:
    got = _ents(
        "确保青禾重工智能装备、白鹭锂电新能源等140项重点项目开工，全面推进北三环东延等项目。"
    )
    assert got["青禾重工智能装备"] == "project"
    assert got["白鹭锂电新能源"] == "project"
    assert got["北三环东延"] == "project"
    assert "全面推进北三环东延" not in got


def test_a_place_with_its_bracketed_seat_opens_the_zone_after_it() -> None:
    got = _ents("全力争创南京（上海）国家农业高新技术产业示范区。")
    assert got["南京（上海）国家农业高新技术产业示范区"] == "program"


def test_a_firm_opening_a_listed_project_stays_a_mention_inside_it() -> None:
    got = [
        (e.text, e.entity_type)
        for e in extract_entities(_doc("加快青禾商贸城升级改造、白鹭公司新型线缆等项目建设。"), ())
    ]
    assert ("白鹭公司新型线缆", "project") in got
    assert ("白鹭公司", "company") in got


def test_sites_a_clause_builds_as_its_whole_object_are_projects(built: None) -> None:
    got = _ents("建设青枫湿地公园、白鹭体育公园等城市公园，完成松涛路、鹤鸣路等主干道路微改造。")
    for name in ("青枫湿地公园", "白鹭体育公园", "松涛路", "鹤鸣路"):
        assert got[name] == "project", name


def test_a_site_where_other_works_happen_stays_a_place(built: None) -> None:
    got = _ents("加快青枫片区景观及配套设施建设，在松涛路、鹤鸣路等主要道路安装路灯。")
    for name in ("青枫片区", "松涛路", "鹤鸣路"):
        assert got[name] == "place", name


def test_dead_end_roads_and_dated_openings_are_works(built: None) -> None:
    got = _ents(
        "打通主城区槐安街、榆林路等6条断头路，栖霞广场9月建成运营，柳溪大街北延、"
        "桃源路等新建道路加快建设。"
    )
    # the stretch a road is extended by stays in its name (柳溪大街北延, extend.py)
    for name in ("槐安街", "榆林路", "栖霞广场", "柳溪大街北延", "桃源路"):
        assert got[name] == "project", name


def test_a_line_opened_after_an_adverb_or_phase_is_a_project(built: None) -> None:
    got = _ents("江禾高速全线贯通，青鹭高铁正式开工。")
    assert got["江禾高速"] == "project"
    assert got["青鹭高铁"] == "project"


def test_bodies_sharing_a_meeting_head_are_meetings() -> None:
    text = "认真落实中央、省委、市委经济工作会议精神。市委、市政府高度重视。"
    got = [(e.text, e.entity_type) for e in extract_entities(_doc(text), ())]
    assert ("中央", "event") in got
    assert ("省委", "event") in got
    assert ("市委经济工作会议", "event") in got
    assert ("市委", "organization") in got  # the committee acting, not a meeting
    assert ("市政府", "organization") in got


def test_national_banks_are_companies_by_short_names() -> None:
    got = _ents("与国开行、农发行、工行、建行等金融机构签订协议，开展集中行动。")
    for name in ("国开行", "农发行", "工行", "建行"):
        assert got[name] == "company", name
    assert "中行" not in got  # 集中|行动: words run across the short name


def test_quoted_names_typed_by_the_words_after_them() -> None:
    got = _ents(
        "构建“青红蓝绿金”五大优势产业集群，举办“绿色能源之都”论坛，“双翼教育学院”揭牌成立，"
        "实施“先锋者”企业培育行动，培育“雏鹰”企业12家，创建“平安校园”。"
    )
    assert got["青红蓝绿金"] == "industry"
    assert got["绿色能源之都"] == "event"
    assert got["双翼教育学院"] == "organization"
    assert got["先锋者"] == "program"  # the campaign, not a title firms win
    assert got["雏鹰"] == "honor"
    assert got.get("平安校园") != "organization"


def test_counties_sharing_the_works_after_them_are_projects(built: None) -> None:
    text = "保定市工作报告。推进易县、高碑店垃圾焚烧发电项目建设，推动阜平、涞水等通用机场建设。抓好定兴、涿州等城市建设。"
    got = [(e.start, e.text, e.entity_type) for e in extract_entities(_doc(text), ())]
    typed = {(t, s > text.index("抓好")): ty for s, t, ty in got}
    assert typed[("易县", False)] == "project"
    assert typed[("阜平", False)] == "project"
    assert typed[("涞水", False)] == "project"
    assert typed[("定兴", True)] == "place"  # cities whose building the clause speaks of


def test_hospitals_and_schools_whose_building_starts_are_projects(built: None) -> None:
    got = _ents("青禾人民医院、白鹭儿童医院如期开工，翠湖实验学校启动实施。松涛医院正式运营。")
    assert got["白鹭儿童医院"] == "project"
    assert got["翠湖实验学校"] == "project"
    assert got["松涛医院"] == "organization"  # the body opening: an organisation


def test_a_phase_of_a_listed_line_keeps_the_list_together(built: None) -> None:
    got = _ents("推动青禾南站、江禾高速二期、白鹭高速等工程实施。")
    assert got["青禾南站"] == "project"
