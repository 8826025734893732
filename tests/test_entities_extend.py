"""Names a known place opens, events with their jurisdiction, works with their phase
(``extract/entities/extend.py``, ``data/entities/extensions.yaml``): sentences of our own."""

from __future__ import annotations

from heping_data.extract.entities import extract_entities
from heping_data.records import Document


def _doc(text: str) -> Document:
    return Document(
        "t", "t.txt", "t.txt", "0" * 64, len(text.encode()), "utf-8", text, body_end=len(text)
    )


def _ents(text: str) -> dict[str, str]:
    return {e.text: e.entity_type for e in extract_entities(_doc(text), ())}


def test_a_place_opens_the_name_of_a_site_body_or_bank() -> None:
    got = _ents("推进杭州智能传感检测园区建设。参观上海古船馆。南京农商银行增资。")
    assert got.get("杭州智能传感检测园区") == "place"
    assert got.get("上海古船馆") == "organization"
    assert got.get("南京农商银行") == "company"
    assert "杭州" not in got and "上海" not in got and "南京" not in got


def test_a_firm_with_its_site_in_brackets_opens_a_park() -> None:
    got = _ents("阿里巴巴（杭州）云计算产业园开园。")
    assert got.get("阿里巴巴（杭州）云计算产业园") == "place"


def test_a_university_opens_only_a_part_of_itself() -> None:
    got = _ents("浙江大学新校区投用，浙江大学图书馆开放。")
    assert got.get("浙江大学新校区") == "organization"
    assert "浙江大学图书馆" not in got


def test_no_name_across_a_stop_a_word_or_a_description() -> None:
    # a clause verb, a function word, a kind of place and a head inside a longer word
    got = _ents("杭州建设科创中心。上海的会展中心很多。南京市中心城区改造。天津港口繁忙。")
    assert "杭州建设科创中心" not in got
    assert not any(k.startswith("上海的") for k in got)
    assert not any("中心城" in k for k in got)
    assert "天津港" not in got
    # attributive uses keep the bare place (ENTITY_GUIDE rule 1)
    got = _ents("杭州人民团结奋斗，建设新杭州。")
    assert got.get("杭州") == "place"


def test_an_event_keeps_the_jurisdiction_that_holds_it() -> None:
    got = _ents("成功承办全省第九届农民运动会。召开全市科技创新大会。")
    assert got.get("全省第九届农民运动会") == "event"
    assert got.get("全市科技创新大会") == "event"
    got = _ents("筹备浙江省第十五次党代会。")
    assert got.get("浙江省第十五次党代会") == "event"


def test_a_later_phase_or_a_stretch_continues_a_works_name() -> None:
    got = _ents("推进沪杭高速二期建设，完成中山大街东延。")
    assert got.get("沪杭高速二期") == "project"
    assert got.get("中山大街东延") == "project"
    # a first phase is the work itself at its start
    got = _ents("加快萧山科创园区一期建设。")
    assert not any(k.endswith("一期") for k in got)


def test_a_sector_keeps_the_cluster_word_it_is_named_with() -> None:
    got = _ents("壮大新能源及智能电网装备集群，发展中医药产业集群。")
    assert any(k.endswith("装备集群") and t == "industry" for k, t in got.items()), got
    assert "中医药产业集群" not in got  # a kind's cluster, described
