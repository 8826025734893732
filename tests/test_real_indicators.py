"""Acceptance on real reports: region codes, indicator ids and periods, and the panel.

Reads ../shared/corpus (skips when it is absent). The hailar gold is hand-written
(gold_indicators.csv); its short ids stand for the registry's as the issue states.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from heping_data.run.sequence import publish_corpus

from .conftest import SHARED

HAILAR = SHARED / "corpus" / "hailar"
REAL = SHARED / "corpus" / "real"
ALIAS = {
    "urban_income": "urban_disposable_income_per_capita",
    "rural_income": "rural_disposable_income_per_capita",
    "unemployment_rate": "urban_registered_unemployment_rate",
    "cpi": "cpi_growth",
}
PANEL_IDS = [
    "gdp_growth",
    "fixed_asset_investment_growth",
    "retail_sales_growth",
    "urban_disposable_income_per_capita_growth",
    "rural_disposable_income_per_capita_growth",
]


def registry_ids(gold_id: str) -> set[str]:
    """The registry ids a gold id stands for (fiscal_revenue: either revenue the text names)."""
    base = gold_id.removesuffix("_5y_avg")
    growth = base.endswith("_growth")
    stem = ALIAS.get(base.removesuffix("_growth"), base.removesuffix("_growth"))
    suffix = "_growth" if growth else ""
    if stem == "fiscal_revenue":
        return {"fiscal_revenue" + suffix, "general_budget_revenue" + suffix}
    return {stem + suffix}


def _release(src: Path, out: Path) -> Path:
    if not src.is_dir():
        pytest.skip(f"{src} is not present (../shared/corpus)")
    folder, _ = publish_corpus([src], out, release_date="2026-01-01")
    return folder


@pytest.fixture(scope="module")
def hailar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _release(HAILAR, tmp_path_factory.mktemp("hailar"))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _release(REAL, tmp_path_factory.mktemp("real"))


def _read(release: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(release / f"{name}.parquet")


def test_hailar_gold_maps_to_indicator_and_period(hailar: Path) -> None:
    docs = _read(hailar, "documents")
    facts = _read(hailar, "numeric_facts").merge(docs[["doc_id", "file_name"]], on="doc_id")
    values = _read(hailar, "indicator_values")
    gold = list(csv.DictReader((HAILAR / "gold_indicators.csv").open(encoding="utf-8")))
    right = 0
    for g in gold:
        lo, hi, year = int(g["char_start"]), int(g["char_end"]), int(g["period_year"])
        f = facts[(facts.file_name == g["file"]) & (facts.char_start < hi) & (facts.char_end > lo)]
        v = values[values.fact_id.isin(f.fact_id)]
        span = (year - 4, year) if g["indicator"].endswith("_5y_avg") else (year, year)
        ok = v[
            v.indicator_id.isin(registry_ids(g["indicator"]))
            & (v.period_start == span[0])
            & (v.period_end == span[1])
        ]
        right += len(ok) > 0
    assert right / len(gold) >= 0.97, f"{right} of {len(gold)}"


def test_hailar_region_and_years(hailar: Path) -> None:
    docs = _read(hailar, "documents").sort_values("file_name")
    assert set(docs.region_code) == {"150702"} and len(docs) == 6
    years = {f: y for f, y in zip(docs.file_name, docs.year_planned, strict=True)}
    assert years == {f"hailar_{y}.txt": y for y in (2012, 2013, 2014, 2015, 2017, 2018)}
    assert (docs.year_reviewed == docs.year_planned - 1).all()


def test_hailar_panel_has_both_sides_wherever_the_gold_has(hailar: Path) -> None:
    gold = list(csv.DictReader((HAILAR / "gold_indicators.csv").open(encoding="utf-8")))
    sides: dict[tuple[str, int], set[str]] = {}
    for g in gold:
        for rid in registry_ids(g["indicator"]):
            sides.setdefault((rid, int(g["period_year"])), set()).add(g["kind"])
    want = sorted(k for k, v in sides.items() if k[0] in PANEL_IDS and v == {"actual", "target"})
    assert len(want) >= 10
    panel = _read(hailar, "indicator_panel").set_index(["indicator_id", "year"])
    for ind, year in want:
        row = panel.loc[(ind, year)]
        assert row.region_code == "150702"
        assert pd.notna(row.target_fact_id) and pd.notna(row.actual_fact_id), (ind, year)
        assert pd.notna(row.target_min) and pd.notna(row.actual_min), (ind, year)


def test_real_region_codes(real: Path) -> None:
    docs = _read(real, "documents")
    want = {"province_hebei": "130000", "city_baoding": "130600", "news_baoding": "130600"}
    want |= {"county_gaoyang": "130628", "news_gaoyang": "130628"}
    assert len(docs) == 8
    for name, code in zip(docs.file_name, docs.region_code, strict=True):
        stem = name.rsplit("_", 1)[0]
        assert code == want[stem], name


def test_real_city_panel_across_its_years(real: Path) -> None:
    panel = _read(real, "indicator_panel")
    city = panel[(panel.region_code == "130600") & (panel.indicator_id == "gdp_growth")]
    both = city[city.target_fact_id.notna() & city.actual_fact_id.notna()]
    assert len(set(city.year)) >= 4 and len(both) >= 2
    # every fact the panel names exists and is of its region
    values = _read(real, "indicator_values")
    ids = set(values[values.region_code == "130600"].fact_id)
    assert set(both.target_fact_id) | set(both.actual_fact_id) <= ids


def test_duckdb_query_in_the_readme_rebuilds_the_panel(hailar: Path, monkeypatch) -> None:
    duckdb = pytest.importorskip("duckdb")
    from heping_data.release.panel_view import PANEL_QUERY

    assert PANEL_QUERY in (hailar / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(hailar)
    got = duckdb.sql(PANEL_QUERY).df()
    cols = ["region_code", "indicator_id", "year", "target_fact_id", "actual_fact_id"]
    panel = _read(hailar, "indicator_panel")

    def norm(df: pd.DataFrame) -> list[tuple]:
        return [tuple(None if pd.isna(x) else str(x) for x in r) for r in df[cols].values]

    assert norm(got) == norm(panel)


def test_landing_page_charts_the_panel(hailar: Path) -> None:
    page = (hailar / "index.html").read_text(encoding="utf-8")
    assert "id=panel" in page
    assert "150702 · gdp_growth" in page
