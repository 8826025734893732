"""Where and when a report is: region codes from the division package, years from headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from heping_data.extract.docmeta import find_region, find_years, resolve
from heping_data.sources.ingest import ingest

from .runs import extracted


def test_header_date_line_gives_both_years() -> None:
    text = "政府工作报告\n——2021年1月31日在某市第十五届人民代表大会第六次会议上\n各位代表：\n"
    y = find_years(text, "政府工作报告", 7)
    assert (y.reviewed, y.planned, y.source) == (2020, 2021, "header_date")


def test_newspaper_header_date_is_evidence() -> None:
    y = find_years("标题\n时间：2026-02-01\n正文。", "标题", 3)
    assert (y.reviewed, y.planned) == (2025, 2026)


def test_review_heading_with_five_year_plan() -> None:
    text = "标题\n一、2025年和“十四五”时期工作回顾\n过去一年。\n"
    assert find_years(text, "标题", 3).reviewed == 2025


def test_a_sentence_inside_a_paragraph_is_never_a_year_heading() -> None:
    text = "标题\n一、工作回顾\n2025年主要目标任务如期完成，经济运行稳中有进。\n"
    assert find_years(text, "标题", 3).reviewed is None
    # the plan heading further down settles it
    text += "二、2026年工作安排\n"
    y = find_years(text, "标题", 3)
    assert (y.reviewed, y.planned, y.source) == (2025, 2026, "plan_heading")


def test_header_outranks_a_heading_and_a_given_year_outranks_all() -> None:
    text = "标题\n——2023年1月11日在某省第十四届人民代表大会上\n一、2021年工作回顾\n"
    assert find_years(text, "标题", 3).planned == 2023
    assert find_years(text, "标题", 3, reviewed=2019).planned == 2020


def test_region_from_the_congress_line_with_level_and_parent() -> None:
    text = "政府工作报告\n——2014年2月19日在海拉尔区第十四届人民代表大会第三次会议上\n"
    w = find_region(text, "政府工作报告", 7)
    assert (w.region_code, w.admin_level, w.parent_code, w.source) == (
        "150702",
        "district",
        "150700",
        "header",
    )


def test_a_shared_name_needs_its_parent() -> None:
    code, why = resolve("和平区")
    assert code is None and why.startswith("ambiguous")
    assert resolve("沈阳市和平区")[0] == "210102"
    assert resolve("和平区", context="天津市")[0] == "120101"
    w = find_region("无名。", None, 0, {"district": "和平区"})
    assert w.region_code is None and "ambiguous" in (w.note or "")


def test_manifest_outranks_the_text() -> None:
    text = "——2021年1月31日在保定市第十五届人民代表大会第六次会议上\n"
    w = find_region(text, None, 0, {"district": "沈阳市和平区", "province": "辽宁省"})
    assert (w.region_name, w.region_code, w.source) == ("沈阳市和平区", "210102", "manifest")
    assert find_region(text, None, 0).region_code == "130600"


def test_levels() -> None:
    assert find_region("河北省第十四届人民代表大会", None, 0).admin_level == "province"
    assert find_region("高阳县人民政府县长", None, 0).admin_level == "county"


def test_manifest_fields_reach_the_document(tmp_path: Path) -> None:

    (tmp_path / "r.txt").write_text("某报告\n正文一句。\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - path: r.txt\n    district: 沈阳市和平区\n    province: 辽宁省\n"
        "    report_year: 2020\n    publisher: 某日报\n",
        encoding="utf-8",
    )
    res = extracted([tmp_path])
    doc = res.rows[0]["documents"][0]
    assert (doc["region_code"], doc["region_source"], doc["publisher"]) == (
        "210102",
        "manifest",
        "某日报",
    )
    assert (doc["year_reviewed"], doc["year_planned"], doc["year_source"]) == (2020, 2021, "given")


def test_no_region_keeps_nulls_and_a_reason(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("标题\n经济运行稳中有进。\n", encoding="utf-8")
    doc = ingest(p)
    assert doc.region_code is None and doc.region_note


@pytest.mark.parametrize("bad", ["years:\n  nope: 1\n"])
def test_rules_are_validated(bad: str) -> None:
    import yaml
    from pydantic import ValidationError

    from heping_data.extract.docmeta import _Rules

    with pytest.raises(ValidationError):
        _Rules.model_validate(yaml.safe_load(bad))


def test_a_parent_named_by_its_short_form() -> None:
    assert resolve("辽宁沈阳和平区")[0] == "210102"
