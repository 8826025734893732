"""The panel section appears only for a region with reports of two or more years."""

from __future__ import annotations

import pandas as pd

from heping_data.release.panel_view import line_chart, panel_regions, panel_section


def _docs(years: list[int | None], code: str | None = "130600") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_code": pd.array([code] * len(years), dtype="string"),
            "year_planned": pd.array(years, dtype="Int64"),
        }
    )


def _panel() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_code": ["130600", "130600"],
            "indicator_id": ["gdp_growth", "gdp_growth"],
            "year": [2021, 2022],
            "unit": ["%", "%"],
            "target_comparator": ["ge", "approx"],
            "target_min": [8.0, 6.5],
            "target_max": [8.0, 6.5],
            "actual_min": [7.2, None],
            "actual_max": [7.2, None],
            "actual_revised": [False, False],
            "met": [False, None],
        }
    )


def test_regions_need_two_years() -> None:
    assert panel_regions(_docs([2021, 2022])) == ["130600"]
    assert panel_regions(_docs([2021, 2021])) == []
    assert panel_regions(_docs([2021, 2022], code=None)) == []


def test_section_with_chart_and_table() -> None:
    frames = {"documents": _docs([2021, 2022]), "indicator_panel": _panel()}
    html = panel_section(frames, {"130600": "保定市"})
    assert "保定市 130600 · gdp_growth" in html and "<table>" in html
    assert panel_section({"documents": _docs([2021]), "indicator_panel": _panel()}, {}) == ""


def test_chart_escapes_its_title() -> None:
    assert "<b>" not in line_chart("<b>x</b>", _panel())
