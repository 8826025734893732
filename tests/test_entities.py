"""Entities: rule units, the seed's gold and a report of another district."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd
import pytest

from heping_data.entities import extract_entities
from heping_data.records import Document

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_696758e3d0fa223f.txt"
SEED_GOLD = SHARED / "eval" / "gold" / "000_696758e3d0fa223f.entities.csv"
OTHER = HERE / "data" / "reports" / "entities_other_district.txt"
OTHER_GOLD = HERE / "data" / "reports" / "entities_other_district.entities.csv"


def _doc(text: str) -> Document:
    return Document(
        "t", "t.txt", "t.txt", "0" * 64, len(text.encode()), "utf-8", text, body_end=len(text)
    )


def _ents(text: str) -> dict[str, tuple[str, str]]:
    return {e.text: (e.entity_type, e.canonical) for e in extract_entities(_doc(text), ())}


def _pred_df(text: str) -> pd.DataFrame:
    rows = [
        dict(
            char_start=e.start,
            char_end=e.end,
            mention=e.text,
            entity_type=e.entity_type,
            canonical=e.canonical,
        )
        for e in extract_entities(_doc(text), ())
    ]
    return pd.DataFrame(rows)


def test_offsets_match_text_and_do_not_overlap() -> None:
    text = OTHER.read_text(encoding="utf-8")
    ents = extract_entities(_doc(text), ())
    assert ents
    last = 0
    for e in ents:
        assert text[e.start : e.end] == e.text
        assert e.start >= last
        last = e.end


def test_quoted_programme_without_quotes_and_cue_after() -> None:
    got = _ents("深化“放管服”改革，推行“好差评”制度，开展“三送”活动。")
    assert got["放管服"][0] == "program"
    assert got["好差评"][0] == "program"
    assert got["三送"][0] == "program"
    assert "“放管服”" not in got


def test_quoted_slogan_without_cue_is_not_a_name() -> None:
    got = _ents("形成“人人参与，个个尽责”的良好氛围。")
    assert not any(t == "program" for t, _ in got.values())


def test_quoted_event_and_honour() -> None:
    got = _ents("举办“银杏杯”少儿书法大赛，培育“雏鹰”企业12家。")
    assert got["银杏杯"][0] == "event"
    assert got["银杏杯"][1] == "银杏杯少儿书法大赛"
    assert got["雏鹰"] == ("honor", "雏鹰企业")


def test_suffix_names_stop_at_verbs() -> None:
    got = _ents("启动青石街道翠湖社区改造，建设枫林体育公园。")
    assert got["青石街道"][0] == "place"
    assert got["翠湖社区"][0] == "place"
    assert got["枫林体育公园"][0] == "place"


def test_suffix_inside_a_longer_word_is_ignored() -> None:
    got = _ents("抓好五个环节，完善道路设施，组织中学生参观。")
    assert got == {}


def test_enumeration_passes_type_from_cue() -> None:
    got = _ents("依托云帆科技、青橙数据等企业发展软件业。")
    assert got["云帆科技"][0] == "organization"
    assert got["青橙数据"][0] == "organization"
    assert got["软件业"][0] == "industry"


def test_enumeration_passes_type_from_typed_items() -> None:
    got = _ents("改造松江路、桃源街、石门、柳湾路。")
    assert {k: v[0] for k, v in got.items()} == {
        "松江路": "place",
        "桃源街": "place",
        "石门": "place",
        "柳湾路": "place",
    }


def test_gazetteer_canonical_and_scoped_abbreviation() -> None:
    got = _ents("辽宁省沈阳市与东大合作。")
    assert got["东大"] == ("organization", "东北大学")
    assert "东大" not in _ents("本市与东大合作。")  # no 辽宁 in the text: no expansion


def test_party_committee_canonical_from_document_places() -> None:
    got = _ents("辽宁沈阳和平区：在市委、区委的领导下，和平发展稳中有进。")
    assert got["区委"] == ("organization", "中共沈阳市和平区委员会")
    assert got["和平"] == ("place", "和平区")


def test_industries_keep_or_drop_the_industry_word() -> None:
    got = _ents("发展大数据产业、文化产业和夜间经济，推动数字产业化。")
    assert got["大数据"][0] == "industry"
    assert got["文化产业"][0] == "industry"
    assert got["夜间经济"][0] == "industry"
    assert "数字产业" not in got


def test_honour_after_verb_and_abbreviated_places() -> None:
    got = _ents("获评全国科普示范区等称号。深化京津合作，加强与日、韩交流。")
    assert got["全国科普示范区"][0] == "honor"
    assert got["京津"] == ("place", "北京市、天津市")
    assert got["日"] == ("place", "日本")
    assert got["韩"] == ("place", "韩国")


def test_byline_persons() -> None:
    got = _ents("松原日报记者刘青/文 王岩/摄")
    assert got["刘青"][0] == "person"
    assert got["王岩"][0] == "person"


def _scorer():
    sys.path.insert(0, str(SHARED / "eval"))
    try:
        import score
    finally:
        sys.path.pop(0)
    return score


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="shared eval folder not present")
def test_seed_scores_meet_acceptance() -> None:
    res = _scorer().score_entities(
        pd.read_csv(SEED_GOLD), _pred_df(SEED.read_text(encoding="utf-8"))
    )
    assert res["strict"]["f1"] >= 0.80
    assert res["overlap_span"]["f1"] >= 0.90
    assert res["type_accuracy"] >= 0.90


def test_other_district_report_gold() -> None:
    text = OTHER.read_text(encoding="utf-8")
    with open(OTHER_GOLD, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:  # the gold itself is consistent with the text
        assert text[int(r["char_start"]) : int(r["char_end"])] == r["mention"]
    gold = {(int(r["char_start"]), int(r["char_end"]), r["entity_type"]) for r in rows}
    pred = {(e.start, e.end, e.entity_type) for e in extract_entities(_doc(text), ())}
    tp = len(gold & pred)
    f1 = 2 * tp / (len(gold) + len(pred))
    assert f1 >= 0.80
