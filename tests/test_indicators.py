"""Indicator registry, the link from facts to indicators, and the panel across reports."""

from __future__ import annotations

from typing import Any

import pytest

from heping_data.extract.indicators import (
    Registry,
    carried,
    context_of,
    indicator_rows,
    link,
    panel_rows,
    registry,
)

REQUIRED = [
    "gdp",
    "gdp_growth",
    "gdp_per_capita",
    "general_budget_revenue",
    "general_budget_revenue_growth",
    "fiscal_revenue",
    "fiscal_revenue_growth",
    "fixed_asset_investment",
    "fixed_asset_investment_growth",
    "retail_sales",
    "retail_sales_growth",
    "industrial_value_added_growth",
    "foreign_trade",
    "foreign_trade_growth",
    "foreign_investment_actual",
    "disposable_income_per_capita",
    "disposable_income_per_capita_growth",
    "urban_disposable_income_per_capita",
    "urban_disposable_income_per_capita_growth",
    "rural_disposable_income_per_capita",
    "rural_disposable_income_per_capita_growth",
    "cpi_growth",
    "urban_surveyed_unemployment_rate",
    "urban_registered_unemployment_rate",
    "new_urban_jobs",
    "grain_output",
    "energy_intensity_reduction",
    "rd_intensity",
    "resident_population",
]


def test_registry_holds_the_required_ids_and_more() -> None:
    ids = {i.id for i in registry().indicators}
    assert set(REQUIRED) <= ids
    assert len(ids) >= 60
    rural = next(i for i in registry().indicators if i.id == "rural_disposable_income_per_capita")
    assert "农民人均纯收入" in rural.flagged["net_income_before_2014"]


def test_registry_is_validated_on_load() -> None:
    from pydantic import ValidationError

    one = {
        "id": "x",
        "zh": "x",
        "en": "x",
        "units": ["元"],
        "measure": "level",
        "definition": "x",
        "phrases": ["某"],
    }
    with pytest.raises(ValidationError):
        Registry.model_validate({"version": 1, "indicators": [one, one]})
    with pytest.raises(ValidationError):
        Registry.model_validate({"version": 1, "indicators": [{**one, "measure": "size"}]})
    with pytest.raises(ValidationError):
        Registry.model_validate({"version": 1, "indicators": [{**one, "phrases_from": "y"}]})


@pytest.mark.parametrize(
    ("metric", "unit", "want"),
    [
        ("全县地区生产总值增长", "%", ["gdp_growth"]),
        ("全市生产总值增长", "%", ["gdp_growth"]),
        ("GDP增长", "%", ["gdp_growth"]),
        ("地区生产总值", "元", ["gdp"]),
        ("城镇居民人均可支配收入增长", "%", ["urban_disposable_income_per_capita_growth"]),
        ("农民人均纯收入", "元", ["rural_disposable_income_per_capita"]),
        ("规模以上工业增加值增长", "%", ["industrial_value_added_growth"]),
        ("单位地区生产总值能耗降低", "%", ["energy_intensity_reduction"]),
        ("城镇登记失业率", "%", ["urban_registered_unemployment_rate"]),
        ("地区生产总值占全省比重", "%", []),
        ("现代服务业对经济增长贡献率", "%", []),
        ("贫困地区人均可支配收入", "元", []),
        ("乡村居民人均可支配收入", "元", ["rural_disposable_income_per_capita"]),
        ("第三产业增加值占", "%", ["tertiary_industry_share"]),
    ],
)
def test_link_by_phrase_unit_and_measure(metric: str, unit: str, want: list[str]) -> None:
    assert [lk.indicator.id for lk in link(metric, unit, "")] == want


def test_a_joint_subject_links_to_both() -> None:
    ids = sorted(lk.indicator.id for lk in link("城乡居民人均可支配收入增长", "%", ""))
    assert ids == [
        "rural_disposable_income_per_capita_growth",
        "urban_disposable_income_per_capita_growth",
    ]


def _fact(**kw: Any) -> dict[str, Any]:
    base = {
        "fact_id": "d-f00001",
        "doc_id": "d",
        "role": "measure",
        "metric": "地区生产总值增长",
        "unit": "%",
        "value_min": 2.3,
        "value_max": 2.3,
        "comparator": "eq",
        "kind": "actual",
        "period_year": 2023,
    }
    return {**base, **kw}


def _rows(text: str, mention: str, part: str | None = "review", **kw: Any) -> list[dict]:
    start = text.index(mention)
    ctx = context_of(text, start, start + len(mention), 0, part)
    return indicator_rows(_fact(**kw), ctx, "130600", (2023, 2024))


def test_a_fall_is_negative_and_flips_the_comparator() -> None:
    (row,) = _rows("地区生产总值下降2.3%。", "2.3%", metric="地区生产总值下降")
    assert (row["value_min"], row["value_max"], row["comparator"]) == (-2.3, -2.3, "eq")
    assert "fall" in row["match"]
    (row,) = _rows(
        "地区生产总值下降3%以上。",
        "3%以上",
        metric="地区生产总值下降",
        value_min=3.0,
        value_max=3.0,
        comparator="ge",
    )
    assert (row["value_max"], row["comparator"]) == (-3.0, "le")


def test_an_estimate_in_the_review_is_for_the_year_reviewed() -> None:
    (row,) = _rows(
        "预计全年地区生产总值增长4.8%左右。",
        "4.8%左右",
        kind="target",
        period_year=2024,
        comparator="approx",
    )
    assert (row["kind"], row["period_start"], row["period_end"]) == ("estimate", 2023, 2023)
    assert "预计" in row["qualifier"]


def test_five_year_figures_carry_their_span() -> None:
    (row,) = _rows("“十四五”时期，地区生产总值年均增长6%。", "6%", metric="地区生产总值年均增长")
    assert (row["period_start"], row["period_end"]) == (2021, 2025)
    (row,) = _rows("过去五年，地区生产总值年均增长6%。", "6%", metric="地区生产总值年均增长")
    assert (row["period_start"], row["period_end"]) == (2019, 2023)


def test_basis_and_qualifier() -> None:
    (row,) = _rows(
        "扣除留抵退税因素后按可比口径增长3.1%。",
        "3.1%",
        metric="一般公共预算收入扣除留抵退税因素后按可比口径增长",
    )
    assert row["indicator_id"] == "general_budget_revenue_growth"
    assert "可比口径" in row["basis"] and "扣除留抵退税因素后" in row["qualifier"]


def test_a_single_figure_after_fenbie_measures_both_subjects() -> None:
    text = "城镇和农村居民人均可支配收入分别达3万元、2万元，分别同比增长7.8%。"
    rows = _rows(text, "7.8%", metric="农村居民人均可支配收入增长")
    assert sorted(r["indicator_id"] for r in rows) == [
        "rural_disposable_income_per_capita_growth",
        "urban_disposable_income_per_capita_growth",
    ]
    rows = _rows(text, "2万元", metric="农村居民人均可支配收入", unit="元")
    assert [r["indicator_id"] for r in rows] == ["rural_disposable_income_per_capita"]


def test_a_bare_growth_figure_carries_the_subject() -> None:
    (lk,) = carried("按可比口径增长", "%", "", ["general_budget_revenue"])
    assert lk.indicator.id == "general_budget_revenue_growth"
    assert carried("按可比口径增长", "元", "", ["general_budget_revenue"]) == []


def _v(fid: str, kind: str, year: int, lo: float, doc_year: int, comp: str = "eq") -> dict:
    return {
        "fact_id": fid,
        "region_code": "150702",
        "indicator_id": "gdp_growth",
        "kind": kind,
        "period_start": year,
        "period_end": year,
        "value_min": lo,
        "value_max": lo,
        "comparator": comp,
        "unit": "%",
        "doc_year_planned": doc_year,
    }


def test_panel_pairs_target_and_actual_and_flags_revisions() -> None:
    rows = panel_rows(
        [
            _v("a-f1", "target", 2022, 8.0, 2022, "ge"),
            _v("b-f1", "actual", 2022, 7.2, 2023),
            _v("c-f1", "actual", 2022, 7.4, 2024),  # a later report revises it
            _v("b-f2", "target", 2023, 6.0, 2023, "approx"),
            _v("c-f2", "actual", 2023, 6.1, 2024),
        ]
    )
    by_year = {r["year"]: r for r in rows}
    r22 = by_year[2022]
    assert (r22["target_fact_id"], r22["actual_fact_id"]) == ("a-f1", "c-f1")
    assert r22["actual_revised"] is True and r22["met"] is False
    assert by_year[2023]["met"] is True and by_year[2023]["actual_revised"] is False


def test_panel_met_is_null_when_masked_bounds_cannot_tell() -> None:
    t = _v("a-f1", "target", 2022, 8.0, 2022)
    a = {**_v("b-f1", "actual", 2022, 0.0, 2023), "value_min": 0.0, "value_max": 9.9}
    (row,) = panel_rows([t, a])
    assert row["met"] is None
    (row,) = panel_rows([t])
    assert row["met"] is None and row["actual_fact_id"] is None
