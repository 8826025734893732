"""The indicator panel on the landing page and in the release README.

Why a module of its own: the panel's chart and table only appear when a release spans two
or more years of one region, and the DuckDB query that rebuilds the panel from
``indicator_values`` is documentation that must match :func:`indicators.panel_rows`
(a test runs it against the published panel).
"""

from __future__ import annotations

import html
import math

import pandas as pd

#: Indicators charted target against actual (those reports state most often).
MAIN = (
    "gdp_growth",
    "general_budget_revenue_growth",
    "fixed_asset_investment_growth",
    "retail_sales_growth",
    "industrial_value_added_growth",
    "urban_disposable_income_per_capita_growth",
    "rural_disposable_income_per_capita_growth",
    "disposable_income_per_capita_growth",
)
MAX_REGIONS = 3
MAX_TABLE_ROWS = 400

#: The panel from indicator_values in DuckDB: the same pairing as the published table.
PANEL_QUERY = """\
WITH v AS (
  SELECT * FROM 'indicator_values.parquet'
  WHERE region_code IS NOT NULL AND period_start = period_end AND kind <> 'estimate'
),
t AS (  -- the target from the report that planned the year (its first statement)
  SELECT region_code, indicator_id, period_start AS year,
         value_min AS target_min, value_max AS target_max,
         comparator AS target_comparator, fact_id AS target_fact_id
  FROM v WHERE kind = 'target'
  QUALIFY row_number() OVER (PARTITION BY region_code, indicator_id, period_start
          ORDER BY doc_year_planned IS DISTINCT FROM period_start, fact_id) = 1
),
a AS (  -- the actual from the latest report that reviewed it
  SELECT region_code, indicator_id, period_start AS year,
         value_min AS actual_min, value_max AS actual_max, fact_id AS actual_fact_id
  FROM v WHERE kind = 'actual'
  QUALIFY row_number() OVER (PARTITION BY region_code, indicator_id, period_start
          ORDER BY doc_year_planned DESC NULLS LAST, fact_id) = 1
)
SELECT * FROM t FULL JOIN a USING (region_code, indicator_id, year)
ORDER BY region_code, indicator_id, year;"""


def _e(v: object) -> str:
    return html.escape("" if v is None or v is pd.NA else str(v), quote=True)


def panel_regions(docs: pd.DataFrame) -> list[str]:
    """Regions with reports planning two or more distinct years (the panel has a story)."""
    if not len(docs) or "region_code" not in docs:
        return []
    d = docs[docs["region_code"].notna() & docs["year_planned"].notna()]
    years = d.groupby("region_code")["year_planned"].nunique()
    keep = sorted(years[years >= 2].index, key=lambda r: (-int(years[r]), str(r)))
    return [str(r) for r in keep[:MAX_REGIONS]]


def _value(v: object) -> float | None:
    if v is None or v is pd.NA:
        return None
    f = float(v)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


def _mid(lo: object, hi: object) -> float | None:
    a, b = _value(lo), _value(hi)
    return None if a is None or b is None else (a + b) / 2


def _points(rows: pd.DataFrame, lo: str, hi: str) -> list[tuple[int, float]]:
    out = []
    for y, a, b in zip(rows["year"], rows[lo], rows[hi], strict=True):
        m = _mid(a, b)
        if m is not None:
            out.append((int(y), m))
    return out


def line_chart(title: str, rows: pd.DataFrame) -> str:
    """Target (dashed, hollow) against actual (solid, filled) by year, as inline SVG."""
    tgt = _points(rows, "target_min", "target_max")
    act = _points(rows, "actual_min", "actual_max")
    years = sorted({y for y, _ in tgt + act})
    vals = [v for _, v in tgt + act]
    w, h, left, top, bottom = 440, 180, 44, 12, 28
    lo, hi = min([*vals, 0.0]), max([*vals, 1.0])
    span = (hi - lo) or 1.0

    first, last = years[0], years[-1]

    def xy(y: int, v: float) -> tuple[float, float]:
        x = left + (w - left - 28) * ((y - first) / max(1, last - first))
        return x, top + (h - top - bottom) * (1 - (v - lo) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}" role="img" aria-label="{_e(title)}" font-size="11">',
        f"<title>{_e(title)}</title>",
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - 8}" y2="{h - bottom}" stroke="#d8dee6"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" fill="#5b6673">{hi:g}</text>',
        f'<text x="{left - 4}" y="{h - bottom}" text-anchor="end" fill="#5b6673">{lo:g}</text>',
    ]
    for y in years:
        x, _ = xy(y, lo)
        parts.append(
            f'<text x="{x:.1f}" y="{h - 10}" text-anchor="middle" fill="#5b6673">{y}</text>'
        )
    for pts, color, dash, fill in (
        (tgt, "#d9822b", ' stroke-dasharray="4 3"', "#fff"),
        (act, "#2f6fae", "", "#2f6fae"),
    ):
        coords = [xy(y, v) for y, v in pts]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}"{dash}/>')
        for (y, v), (x, yy) in zip(pts, coords, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3.5" fill="{fill}" stroke="{color}">'
                f"<title>{y}: {v:g}</title></circle>"
            )
    parts.append("</svg>")
    legend = (
        '<p class="muted"><span style="color:#d9822b">◯ target 目标</span> · '
        '<span style="color:#2f6fae">● actual 实际</span></p>'
    )
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}{legend}</figure>"


def _cell(v: object) -> str:
    f = _value(v) if isinstance(v, (int, float)) else None
    return f'<td class="n">{f:g}</td>' if f is not None else f"<td>{_e(v)}</td>"


def panel_table(panel: pd.DataFrame) -> str:
    """The panel rows of the charted regions as an HTML table (first rows only)."""
    cols = [
        "region_code",
        "indicator_id",
        "year",
        "unit",
        "target_comparator",
        "target_min",
        "target_max",
        "actual_min",
        "actual_max",
        "actual_revised",
        "met",
    ]
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = []
    for r in panel[cols].head(MAX_TABLE_ROWS).itertuples(index=False):
        body.append("<tr>" + "".join(_cell(v) for v in r) + "</tr>")
    more = len(panel) - MAX_TABLE_ROWS
    note = f'<p class="muted">… and {more} more rows in indicator_panel.</p>' if more > 0 else ""
    return f"<table><tr>{head}</tr>{''.join(body)}</table>{note}"


def panel_section(frames: dict[str, pd.DataFrame], names: dict[str, str]) -> str:
    """Landing-page section: charts of the main indicators and the panel, or nothing."""
    panel = frames.get("indicator_panel")
    regions = panel_regions(frames["documents"])
    if panel is None or not len(panel) or not regions:
        return ""
    out = [
        "<h2 id=panel>Targets and actuals 目标与实际</h2>",
        "<p>For each region with reports of two or more years: the target a report set for "
        "its year beside the actual the next report gave (<code>indicator_panel</code>). "
        "The README holds the DuckDB query that rebuilds it from "
        "<code>indicator_values</code>.</p>",
    ]
    for region in regions:
        rows = panel[panel["region_code"] == region]
        charts = []
        for ind in MAIN:
            sub = rows[rows["indicator_id"] == ind].sort_values("year")
            if (
                len(_points(sub, "target_min", "target_max"))
                + len(_points(sub, "actual_min", "actual_max"))
                >= 2
            ):
                charts.append(line_chart(f"{names.get(region, region)} {region} · {ind}", sub))
        out.append(f"<h3>{_e(names.get(region, region))} ({_e(region)})</h3>")
        out.append(f'<div class="charts">{"".join(charts)}</div>')
    shown = panel[panel["region_code"].isin(regions)]
    out.append(panel_table(shown))
    return "\n".join(out)


def readme_lines() -> list[str]:
    """README section: what the panel is and the query that reproduces it."""
    return [
        "## Indicator panel",
        "",
        "`indicator_values` links each fact that measures a registry indicator "
        "(`schemas/indicators.yaml`) to its indicator, kind (actual, target, estimate) and "
        "period; `indicator_panel` puts, for each region, indicator and year, the target of the "
        "report that planned the year beside the actual of the latest report that reviewed it "
        "(`actual_revised` when reports disagree). The panel's pairing in DuckDB:",
        "",
        "```sql",
        PANEL_QUERY,
        "```",
        "",
    ]
