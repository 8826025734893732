"""Names nothing else finds: ring roads, listed leaders, officials' departments, level-prefixed
bodies, big banks' short forms, counted lists of districts and platform firms (sentences
written for these tests)."""

from __future__ import annotations

from heping_data.extract.entities import extract_entities

from .test_entities import _doc


def _typed(text: str) -> dict[str, str]:
    return {e.text: e.entity_type for e in extract_entities(_doc(text), ())}


def test_ring_roads_built_are_projects_else_places() -> None:
    got = _typed("全面完成东二环南延、北四环西延，启动西一环规划建设。沿南三环向东行驶即到。")
    assert got["东二环南延"] == "project"
    assert got["北四环西延"] == "project"
    assert got["西一环"] == "project"
    assert got["南三环"] == "place"


def test_city_water_ring_and_its_phase() -> None:
    got = _typed("推进环城绿道二期，环城水系年底贯通。")
    assert got["环城绿道二期"] == "project"
    assert got["环城水系"] == "project"


def test_listed_leaders_and_comrade_title() -> None:
    got = _typed("去年，赵立群、钱卫东、胡春华等领导同志来我县考察，周明远同志多次到基层调研。")
    for name in ("赵立群", "钱卫东", "胡春华", "周明远"):
        assert got[name] == "person"
    # a common noun before 同志 names nobody
    assert _typed("全体同志要担当作为，广大同志踊跃参与。") == {}


def test_department_short_forms_before_officers_titles() -> None:
    got = _typed("区委常委、宣传部长吴思远，区委常委、政法委书记、公安局局长郑海波，在主席台就座。")
    assert got["宣传部"] == "organization"
    assert got["政法委"] == "organization"
    assert got["公安局"] == "organization"
    assert got["吴思远"] == "person"
    assert "宣传部" not in _typed("一定要长期坚持宣传部长期规划。")


def test_level_prefixed_bodies() -> None:
    got = _typed(
        "被省教育厅评为示范校，与省体育局建立会商机制，并在县政府网站公开，我代表省人民政府致谢。"
    )
    assert got["省教育厅"] == "organization"
    assert got["省体育局"] == "organization"
    assert got["县政府"] == "organization"
    assert got["省人民政府"] == "organization"


def test_bank_short_forms_and_platform_firms() -> None:
    got = _typed("与农行、中行等金融机构签订协议。整合形成城发、水投、文旅投等3家平台公司。")
    assert got["农行"] == "company"
    assert got["中行"] == "company"
    for firm in ("城发", "水投", "文旅投"):
        assert got[firm] == "company"


def test_counted_districts_and_regions() -> None:
    got = _typed("东湖、南苑等六大片区完成改造，主动对接成渝，欢迎港澳台同胞。")
    assert got["东湖"] == "place"
    assert got["南苑"] == "place"
    assert got["成渝"] == "place"
    assert got["港澳台"] == "place"


def test_photo_credit_names_the_photographer() -> None:
    got = _typed("代表们认真审议报告。本报记者柳晓峰摄\n各位代表：")
    assert got["柳晓峰"] == "person"


def test_bare_district_stems_in_lists() -> None:
    # 保定's districts (GB/T 2260) written bare as list items; not a stem opening a longer name
    got = _typed(
        "保定市召开会议。支持徐水、清苑创建示范区，新建迎宾园、竞秀园等游园。竞秀人才辈出。"
    )
    assert got["徐水"] == "place"
    assert got["清苑"] == "place"
    assert "竞秀" not in got


def test_seaports_by_name() -> None:
    got = _typed("推动青岛港、日照港错位发展。")
    assert got["青岛港"] == "place"
    assert got["日照港"] == "place"
