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


def test_kind_modifier_before_a_place_or_body_head_is_a_description() -> None:
    """Generic modifier + generic head names a kind, not one place or body (ENTITY_GUIDE 3)."""
    got = _ents(
        "城区主要街道绿化改造完成，贫困地区人均收入增长，积极开拓国际市场。"
        "建设郊野公园、社区公园，推进中试基地建设，新改扩建中小学幼儿园59所。"
        "建成盛兴中路。"
    )
    for desc in ("主要街道", "贫困地区", "国际市场", "郊野公园", "社区公园", "中试基地"):
        assert desc not in got, desc
    assert not any("幼儿园" in w for w in got), got
    assert got["盛兴中路"] == "place"  # a street's own name stays


def test_clause_words_and_counts_before_a_head_open_no_name() -> None:
    got = _ents(
        "必须走创新驱动发展之路，畅其路、美其颜，推进乡改镇工作，大力提振市场信心。"
        "积极繁荣古城文化。新增高速公路1794公里。与京津80多家医院开展合作。"
    )
    for desc in ("走创新驱动发展之路", "畅其路", "乡改镇", "提振市场", "繁荣古城", "高速公路"):
        assert desc not in got, desc
    assert not any(w.endswith("医院") for w in got), got
    assert got["京津"] == "place"


def test_a_programme_goal_keeps_its_domain_word() -> None:
    """Kind modifiers refuse places and bodies only: 体育强市 stays a programme."""
    assert _ents("加快建设体育强市和物流强省。") == {"体育强市": "program", "物流强省": "program"}


def test_qualities_before_de_are_no_sectors() -> None:
    """A 、-list of qualities before 的 qualifies the noun after it: no item is a sector."""
    got = _ents(
        "构建一批各具特色、优势互补、结构合理的战略性新兴产业增长极。"
        "做强一批主业突出、品牌鲜明、市场认可度高的县域特色产业。"
        "建设多元支撑、动能澎湃、开放包容的现代产业强县。"
    )
    for q in (
        "各具特色",
        "优势互补",
        "主业突出",
        "品牌鲜明",
        "市场认可度高",
        "县域特色",
        "动能澎湃",
    ):
        assert q not in got, q
    assert "现代" not in got


def test_a_cue_word_that_heads_the_last_item_types_no_list() -> None:
    got = _ents("把新颜值、新消费、新产业贯穿始终。")
    assert "新颜值" not in got and "新消费" not in got


def test_qualified_list_cues_type_their_items() -> None:
    got = _ents(
        "大力发展现代商贸物流、工业设计、金融服务等生产性服务业。"
        "聚焦钢铁、装备、石化、食品等传统优势产业。"
        "打造物流、建筑业4个两千亿级产业集群。发展果品、蔬菜特色产业。"
    )
    for w in (
        "现代商贸物流",
        "工业设计",
        "金融服务",
        "钢铁",
        "石化",
        "食品",
        "建筑业",
        "果品",
        "蔬菜",
    ):
        assert got.get(w) == "industry", (w, got)
    assert "两千亿级" not in got and "蔬菜特色" not in got


def test_sector_names_are_whole_and_not_cut_from_words() -> None:
    got = _ents(
        "新能源及智能电网增长较快。发展生命医药健康产业。四是数据服务产业。五是文化旅游产业。"
        "培育健康养老等服务业。加强社会治安防控体系建设。加快电力及新能源高端装备发展。"
        "大力发展生物经济。"
    )
    for w in (
        "新能源及智能电网",
        "生命医药健康产业",
        "数据服务产业",
        "文化旅游产业",
        "电力及新能源高端装备",
        "生物经济",
    ):
        assert got.get(w) == "industry", (w, got)
    assert "康养" not in got and "安防" not in got


def test_honour_phrases_that_are_ranks_approvals_or_lists() -> None:
    got = _ents(
        "中国奥委会授予我市全国首个称号。我市获批全省首家试点。力争年内获得工可批复。"
        "对已争创的示范试点加快推进。阜平入选首批国家乡村振兴示范县创建名单。"
        "创建省级和美乡村247个。"
    )
    assert got.get("国家乡村振兴示范县") == "honor", got
    for w in ("我市全国首个", "全省首家试点", "工可批复", "的示范试点", "省级和美乡"):
        assert w not in got, w


def test_a_report_delivered_by_an_official_names_the_body() -> None:
    got = _ents("检察院检察长安通作高阳县人民检察院工作报告。")
    assert got.get("高阳县人民检察院") == "organization", got


def test_a_joiner_inside_a_middle_item_keeps_the_item_whole() -> None:
    got = _ents("积极谋划集成电路、拓展现实和超高清显示、区块链、元宇宙等未来产业。")
    assert got.get("拓展现实和超高清显示") == "industry", got
    assert got.get("区块链") == "industry" and got.get("元宇宙") == "industry"


def test_one_item_before_an_industry_cue_is_a_sector() -> None:
    got = _ents("培育健康养老等生活性服务业。")
    assert got.get("健康养老") == "industry", got


def test_sector_phrases_of_national_plans() -> None:
    got = _ents(
        "壮大中医药产业集群。发展文化产业集群。推广被动式超低能耗建筑。大力发展都市农业、"
        "节能环保。冰雪产业与文化旅游产业加快融合。发展夜经济和后奥运经济。"
    )
    for w in (
        "中医药产业",
        "文化产业",
        "被动式超低能耗建筑",
        "都市农业",
        "节能环保",
        "冰雪产业",
        "文化旅游产业",
        "夜经济",
        "后奥运经济",
    ):
        assert got.get(w) == "industry", (w, got)


def test_kind_words_in_a_list_are_no_sectors() -> None:
    got = _ents("打造陆港型、商贸型国家物流枢纽和快递物流、特色产业物流等产业集群。")
    assert "陆港型" not in got and "商贸型" not in got


def test_kinds_of_firms_and_meetings_are_no_names() -> None:
    got = _ents(
        "10家平台公司达到2A以上。组建了新的投融资公司。举办资本大会等高端峰会。"
        "请列席会议的同志提出意见。坚持和完善人民代表大会制度。"
    )
    for w in ("平台公司", "投融资公司", "高端峰会", "列席会议", "人民代表大会"):
        assert w not in got, w


def test_a_gazetteer_name_cut_out_of_two_words_is_none() -> None:
    got = _ents("我们隆重庆祝中国共产党成立100周年。支持重庆发展。")
    assert [w for w in got if w == "重庆"] == ["重庆"]  # once: the second, not 隆重|庆祝
    assert len([e for e in extract_entities(_doc("我们隆重庆祝。"), ()) if e.text == "重庆"]) == 0


def test_a_joiner_inside_an_uncued_middle_item() -> None:
    """Without a cue word, 和 in a middle item ends the list (碳中和绿色 are qualities); after
    a known name it splits two items and the list goes on (中科协以及清华)."""
    got = _ents("做大做强创新引领、碳中和绿色、消费需求聚人气产业。")
    assert not any(t == "industry" for t in got.values()), got
    got = _ents("与中国工程院、中科协以及清华、北大、信通院等开展合作。")
    assert got.get("清华") == "organization" and got.get("北大") == "organization", got


def test_a_certified_firm_title_counts_only_when_counted() -> None:
    """高新技术企业 counted is a title firms won (as in the seed); uncounted, a kind of firm."""
    got = _ents("新增高新技术企业60家。支持中创燕园等高新技术企业开发新材料。")
    spans = [e.start for e in extract_entities(_doc("新增高新技术企业60家。"), ())]
    assert got.get("高新技术企业") == "honor" and spans == [2]
    text = "支持中创燕园等高新技术企业开发新材料。高新技术和科技型中小企业增速较快。"
    assert not [e for e in extract_entities(_doc(text), ()) if e.entity_type == "honor"]


def test_graded_titles_and_two_sectors_joined_by_yu() -> None:
    got = _ents("4家公司晋升国家级高新技术企业。推进旅游与文化产业融合发展。")
    assert got.get("国家级高新技术企业") == "honor", got
    assert got.get("文化产业") == "industry" and "旅游与文化产业" not in got


def test_no_name_starts_inside_a_number() -> None:
    text = "完成东外环7.6公里大修工程，实施南湖公园改造工程。"
    got = _ents(text)
    assert not any(name.startswith("6公里") for name in got)  # 7.|6公里…: inside a number
    assert any("南湖公园" in name for name in got)  # a name after no number is still found


def test_national_events_and_congresses_by_short_name() -> None:
    got = _ents(
        "面对新冠肺炎疫情冲击，我们贯彻省两会和市第九次党代会精神，"
        "备战省运会，组团参加进博会，办好全国青少年射箭冠军赛，运动员出征东京奥运会。"
    )
    for name in ("新冠肺炎", "省两会", "市第九次党代会", "省运会", "进博会", "东京奥运会"):
        assert got.get(name) == "event", name
    assert got.get("全国青少年射箭冠军赛") == "event"


def test_jurisdiction_opens_a_contest_name() -> None:
    got = _ents("召开全县农业发展大会，承办全省第五届农民运动会。")
    assert got.get("全县农业发展大会") == "event"
    assert got.get("全省第五届农民运动会") == "event"


def test_sector_terms_qualifying_things_are_not_sectors() -> None:
    got = _ents("推广氢能车辆200台，建成政务大数据体系和农业大数据中心，打造临空经济区。")
    assert "氢能" not in got
    assert "大数据" not in got
    assert got.get("临空经济") is None
    got = _ents("发展氢能、大数据等产业，壮大临空经济。")
    assert got["氢能"] == "industry" and got["大数据"] == "industry"
    assert got["临空经济"] == "industry"


def test_broad_and_future_industries_are_not_sectors() -> None:
    got = _ents("推进农业产业结构调整，培育未来产业，发展文化产业。")
    assert "农业产业" not in got and "未来产业" not in got
    assert got["文化产业"] == "industry"


def test_city_titles_without_a_grade_and_awards() -> None:
    got = _ents("加快建设全民阅读示范市，支撑体育旅游试点市建设，勇夺国家科学技术进步奖二等奖。")
    assert got.get("全民阅读示范市") == "honor"
    assert got.get("体育旅游试点市") == "honor"
    assert got.get("国家科学技术进步奖二等奖") == "honor"
    assert not any("奖" in w for w in _ents("兑现奖补资金3亿元，发放奖金。"))


def test_created_title_is_cut_at_its_head() -> None:
    got = _ents("推动甲湖创建国家旅游度假区。以创建省级园林县城为载体，改善人居环境。")
    assert got.get("国家旅游度假区") == "honor"
    assert got.get("省级园林县城") == "honor"
    assert not any(w.endswith("载体") for w in got)
    got = _ents("创建“平安医院”，创建一流营商环境。")
    assert got.get("平安医院") != "honor"  # a campaign the verb runs, not a title
    assert not any("营商环境" in w for w in got)


def test_bare_national_city_titles_in_a_list() -> None:
    got = _ents("统筹文明城市、卫生城市、森林城市创建。")
    for w in ("文明城市", "卫生城市", "森林城市"):
        assert got.get(w) == "honor", w


def test_logistics_hub_designation_needs_its_kind() -> None:
    got = _ents("建成空港型国家物流枢纽，推进5个国家物流枢纽承载城市建设。")
    assert got.get("空港型国家物流枢纽") == "honor"
    assert "国家物流枢纽" not in got
