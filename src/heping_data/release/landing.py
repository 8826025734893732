"""The release's ``index.html``: one static, self-contained page a portal can post unchanged.

Everything is inline (CSS, SVG charts drawn here), so the page works offline, from a file
or behind any portal, and the same release always gives the same bytes. All data is
HTML-escaped: headings and names come from the reports and must never become markup.
"""

from __future__ import annotations

import functools
import html
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any

import pandas as pd

from heping_data.release.datasheet import figures
from heping_data.release.dictionary import rows as dictionary_rows
from heping_data.tables.schema import package_meta, tables
from heping_data.text.ruledata import data_file
from heping_data.text.yamlio import load_path

if TYPE_CHECKING:
    from heping_data.release.model import ReleaseInfo

#: Bars shown per chart; the rest is summed into one "other" bar so totals stay honest.
TOP = 12
_LABEL_W = 200  # px kept for a bar's label
_BAR_W = 220  # px for the longest bar
_ROW_H = 22
_PALETTE = ("#2f6fae", "#d9822b", "#3a9a5b", "#a64ca6", "#c23b3b", "#6b6b6b")

_CSS = """
:root{--fg:#1d2733;--muted:#5b6673;--line:#d8dee6;--bg:#f6f8fa;--acc:#2f6fae}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC",
"Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;
color:var(--fg);background:#fff}
header{background:var(--bg);border-bottom:1px solid var(--line);padding:24px 0}
main,header>div{max-width:1040px;margin:0 auto;padding:0 20px}
h1{font-size:1.6em;margin:0 0 4px}h2{margin:36px 0 12px;font-size:1.3em;
border-bottom:1px solid var(--line);padding-bottom:4px}h3{margin:20px 0 6px;font-size:1.05em}
.sub{color:var(--muted);margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:#fff}
.card b{display:block;font-size:1.5em}.card span{color:var(--muted);font-size:.85em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(470px,1fr));gap:18px}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:10px}
figcaption{font-weight:600;margin-bottom:6px}
svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:6px 0 14px}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--bg)}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:var(--bg);border:1px solid var(--line);padding:10px;overflow-x:auto}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
a{color:var(--acc)}.muted{color:var(--muted)}
.gloss{display:grid;grid-template-columns:max-content 1fr;gap:0 10px;margin:8px 0 0;
font-size:.82em;color:var(--muted)}.gloss dt{color:var(--fg)}.gloss dd{margin:0}
.caveat{background:#fff8e6;border:1px solid #f0d9a0;border-radius:6px;padding:8px 12px}
footer{margin:40px auto;max-width:1040px;padding:0 20px;color:var(--muted);font-size:.85em}
"""


def _e(v: object) -> str:
    """Escape any value for text or attribute context."""
    return html.escape("" if v is None or v is pd.NA else str(v), quote=True)


def _width(s: str) -> int:
    """Rough rendered width in px at 12px: wide (CJK) characters count double."""
    return sum(12 if unicodedata.east_asian_width(ch) in "WF" else 7 for ch in s)


def _clip(s: str, px: int) -> str:
    """Shorten a label to fit ``px`` so bars never overlap their text."""
    if _width(s) <= px:
        return s
    out = ""
    for ch in s:
        if _width(out + ch + "…") > px:
            break
        out += ch
    return out + "…"


def _num(v: int | float) -> str:
    return f"{v:,}" if isinstance(v, int) else f"{v:,.4g}"


def _pct(part: int, whole: int) -> str:
    """A share, rounded once from the counts: the card, the text and the chart agree."""
    return f"{part / whole:.1%}" if whole else "0.0%"


@functools.cache
def glossary() -> dict[str, dict[str, str]]:
    """English glosses of units and of terms in headings and metrics (``data/landing``)."""
    data = load_path(data_file("landing", "glossary.yaml")) or {}
    out: dict[str, dict[str, str]] = {}
    for part in ("units", "terms"):
        table = data.get(part)
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and k and isinstance(v, str) and v.strip() for k, v in table.items()
        ):
            raise ValueError(
                f"data/landing/glossary.yaml: '{part}' must map non-empty strings to English glosses"
            )
        out[part] = dict(table)
    return out


def gloss(label: str, unit: bool = False) -> str:
    """The English gloss of a Chinese label ("" when the glossary has none).

    A unit is looked up whole; a heading or metric by the terms it contains, longest
    first, left to right, each gloss once.
    """
    g = glossary()
    if unit:
        return g["units"].get(label, "")
    terms = g["terms"]
    longest = max((len(t) for t in terms), default=0)
    found: list[str] = []
    i = 0
    while i < len(label):
        for n in range(min(longest, len(label) - i), 0, -1):
            en = terms.get(label[i : i + n])
            if en:
                if en not in found:
                    found.append(en)
                i += n
                break
        else:
            i += 1
    return "; ".join(found)


def _glosses(items: list[tuple[str, Any]], unit: bool = False) -> str:
    """The chart's labels with their English gloss, below the chart (those that have one)."""
    rows = [(label, gloss(label, unit)) for label, _ in items]
    rows = [(zh, en) for zh, en in rows if en]
    if not rows:
        return ""
    body = "".join(f"<dt>{_e(zh)}</dt><dd>{_e(en)}</dd>" for zh, en in rows)
    return f'<dl class="gloss" lang="en">{body}</dl>'


def _ranked(counts: dict[str, int], top: int = TOP) -> list[tuple[str, int]]:
    """Largest first, ties by label (deterministic); the tail summed as one bar."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(items) > top:
        rest = sum(v for _, v in items[top - 1 :])
        items = [*items[: top - 1], (f"other ({len(items) - top + 1})", rest)]
    return items


def bar_chart(
    title: str, items: list[tuple[str, int]], color: str = _PALETTE[0], unit: bool = False
) -> str:
    """A horizontal bar chart as inline SVG (labels left, value at the bar's end), with the
    English glosses of its labels below it (``unit``: the labels are units)."""
    if not items:
        return f'<figure><figcaption>{_e(title)}</figcaption><p class="muted">No rows.</p></figure>'
    peak = max(v for _, v in items) or 1
    h = _ROW_H * len(items) + 8
    w = _LABEL_W + _BAR_W + 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}" role="img" aria-label="{_e(title)}" font-size="12">',
        f"<title>{_e(title)}</title>",
    ]
    for i, (label, v) in enumerate(items):
        y = 4 + i * _ROW_H
        bw = max(1, round(_BAR_W * v / peak)) if v else 0
        en = gloss(label, unit)
        tip = f"{label} — {en}" if en else label
        parts.append(
            f'<text x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end" fill="#1d2733">'
            f"<title>{_e(tip)}</title>{_e(_clip(label, _LABEL_W - 10))}</text>"
            f'<rect x="{_LABEL_W}" y="{y + 3}" width="{bw}" height="{_ROW_H - 6}" fill="{color}"/>'
            f'<text x="{_LABEL_W + bw + 5}" y="{y + 15}" fill="#5b6673">{_num(v)}</text>'
        )
    parts.append("</svg>")
    return (
        f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}"
        f"{_glosses(items, unit)}</figure>"
    )


def stacked_chart(
    title: str, rows: list[tuple[str, dict[str, int]]], series: list[str], colors: list[str]
) -> str:
    """Horizontal 100 % stacked bars (one per row) with a legend: shares, not sizes."""
    h = _ROW_H * len(rows) + 34
    w = _LABEL_W + _BAR_W + 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}" role="img" aria-label="{_e(title)}" font-size="12">',
        f"<title>{_e(title)}</title>",
    ]
    for i, (label, parts_of) in enumerate(rows):
        y = 4 + i * _ROW_H
        total = sum(parts_of.values())
        parts.append(
            f'<text x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end" fill="#1d2733">'
            f"{_e(_clip(f'{label} ({total:,})', _LABEL_W - 10))}</text>"
        )
        x = float(_LABEL_W)
        for s, c in zip(series, colors, strict=True):
            v = parts_of.get(s, 0)
            if not v or not total:
                continue
            bw = _BAR_W * v / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{bw:.1f}" height="{_ROW_H - 6}" '
                f'fill="{c}"><title>{_e(s)}: {v:,} ({_pct(v, total)})</title></rect>'
            )
            if bw >= 34:
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y + 15}" fill="#fff">{v / total:.0%}</text>'
                )
            x += bw
    ly = 4 + len(rows) * _ROW_H + 10
    lx = _LABEL_W
    for s, c in zip(series, colors, strict=True):
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{c}"/>'
            f'<text x="{lx + 16}" y="{ly + 11}" fill="#1d2733">{_e(s)}</text>'
        )
        lx += 28 + _width(s)
    parts.append("</svg>")
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}</figure>"


def _section_counts(frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Facts per section, labelled by heading (and document when there are several)."""
    facts, secs = frames["numeric_facts"], frames["sections"]
    if not len(facts):
        return {}
    many_docs = secs["doc_id"].nunique() > 1
    label = {}
    for r in secs.itertuples(index=False):
        head = r.heading if isinstance(r.heading, str) and r.heading.strip() else r.section_id
        num = r.numbering if isinstance(r.numbering, str) else ""
        text = f"{num}{head}".strip()
        label[r.section_id] = f"{text} [{r.doc_id[:6]}]" if many_docs else text
    counts: Counter[str] = Counter()
    for sid in facts["section_id"].tolist():
        counts[label.get(sid, str(sid))] += 1
    return dict(counts)


def _masked_rows(facts: pd.DataFrame) -> list[tuple[str, dict[str, int]]]:
    """Masked vs unmasked facts, overall and per kind (actual, target …)."""
    if not len(facts):
        return []
    masked = facts["is_masked"].fillna(False).astype(bool).tolist()
    kinds = facts["kind"].fillna("(none)").astype(str).tolist()
    per: dict[str, Counter[str]] = {}
    for k, m in zip(kinds, masked, strict=True):
        per.setdefault(k, Counter())["masked" if m else "unmasked"] += 1
    total = Counter({"masked": sum(masked), "unmasked": len(masked) - sum(masked)})
    return [("all facts", dict(total))] + [(k, dict(per[k])) for k in sorted(per)]


def _cards(f: dict[str, Any]) -> str:
    items = [
        ("documents", "文档 documents"),
        ("sections", "章节 sections"),
        ("number_mentions", "数字 number mentions"),
        ("numeric_facts", "数值事实 numeric facts"),
        ("targets", "目标 targets"),
        ("entities", "实体提及 entity mentions"),
        ("distinct_entities", "不同实体 distinct entities"),
        ("rejected", "未收录 rejected inputs"),
    ]
    cards = [
        f"<div class=card><b>{_num(int(f[k]))}</b><span>{_e(t)}</span></div>" for k, t in items
    ]
    masked, total = int(f["masked_facts"]), int(f["numeric_facts"])
    cards.insert(
        5,
        f"<div class=card><b>{_pct(masked, total)}</b><span>打码 facts with masked digits "
        f"({_num(masked)} of {_num(total)})</span></div>",
    )
    return f'<div class="cards">{"".join(cards)}</div>{_masked_caveat(masked, total)}'


def _masked_caveat(masked: int, total: int) -> str:
    """What a masked digit means, in plain words, when the release has any."""
    if not masked:
        return ""
    return (
        '<p class="caveat" id="masked-caveat" lang="en"><b>About masked digits.</b> Some '
        "source websites replace every Arabic digit with <code>*</code> (for example "
        "<code>****万元</code>). Such a figure is kept with its unit and the smallest and "
        "largest value its number of stars allows, but its exact value is unknown and never "
        f"guessed: {_num(masked)} of {_num(total)} numeric facts ({_pct(masked, total)}) "
        "are masked. Use <code>value_min</code> and <code>value_max</code> for them, and "
        "filter on <code>is_masked</code>.</p>"
    )


def _size(n: object) -> str:
    if not isinstance(n, int):
        return ""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return ""


def _file_row(res: dict[str, Any], what: str) -> str:
    path = str(res.get("path", ""))
    digest = str(res.get("hash", "")).removeprefix("sha256:")
    return (
        f'<tr><td><a href="{_e(path)}" download>{_e(path)}</a></td><td>{_e(what)}</td>'
        f'<td class="n">{_e(_size(res.get("bytes")))}</td>'
        f'<td><code title="{_e(digest)}">{_e(digest[:12])}</code></td></tr>'
    )


def _downloads(pkg: dict[str, Any], frames: dict[str, pd.DataFrame]) -> str:
    head = "<tr><th>file</th><th>content</th><th>size</th><th>sha256</th></tr>"
    tabs, texts, docs = [], [], []
    for r in pkg.get("resources", []):
        if r.get("type") == "table":
            n = len(frames[r["name"]]) if r.get("name") in frames else 0
            what = f"{r.get('x-title-zh', '')} / {r.get('title', '')} — {n:,} rows"
            tabs.append(_file_row(r, f"{what} (CSV, UTF-8 with BOM)"))
        elif r.get("format") == "parquet":
            n = len(frames[r["x-table"]]) if r.get("x-table") in frames else 0
            what = f"{r.get('x-title-zh', '')} / {r.get('title', '')} — {n:,} rows"
            tabs.append(_file_row(r, f"{what}, zstd"))
        elif str(r.get("path", "")).startswith("texts/"):
            texts.append(_file_row(r, "decoded report text (offsets point here)"))
        else:
            docs.append(_file_row(r, str(r.get("mediatype", ""))))
    docs += [
        '<tr><td><a href="datapackage.json" download>datapackage.json</a></td>'
        "<td>Frictionless Data Package v2 descriptor</td><td></td><td></td></tr>",
        '<tr><td><a href="SHA256SUMS" download>SHA256SUMS</a></td>'
        "<td>checksums of every file (<code>sha256sum -c SHA256SUMS</code>)</td>"
        "<td></td><td></td></tr>",
    ]
    out = [f"<h3>Tables 数据表</h3><table>{head}{''.join(tabs)}</table>"]
    if texts:
        out.append(
            f"<details><summary>Decoded texts 报告文本 ({len(texts)})</summary>"
            f"<table>{head}{''.join(texts)}</table></details>"
        )
    out.append(f"<h3>Documentation 文档</h3><table>{head}{''.join(docs)}</table>")
    return "".join(out)


def _dictionary(frames: dict[str, pd.DataFrame]) -> str:
    by_table: dict[str, list[dict[str, str]]] = {}
    for r in dictionary_rows(frames):
        by_table.setdefault(r["table"], []).append(r)
    out = []
    head = (
        "<tr><th>column</th><th>type</th><th>unit</th><th>nullable</th><th>allowed values</th>"
        "<th>title</th><th>description</th><th>example</th></tr>"
    )
    for name, t in tables().items():
        body = []
        for r in by_table.get(name, []):
            col = f"<code>{_e(r['column'])}</code>" + (
                ' <abbr title="primary key">PK</abbr>' if r["primary_key"] == "yes" else ""
            )
            allowed = ", ".join(
                f"<code>{_e(v)}</code>" for v in r["allowed_values"].split(" | ") if v
            )
            body.append(
                f"<tr><td>{col}</td><td>{_e(r['type'])}</td><td>{_e(r['unit'])}</td>"
                f"<td>{_e(r['nullable'])}</td><td>{allowed}</td>"
                f"<td>{_e(r['title_zh'])}<br>{_e(r['title_en'])}</td>"
                f"<td>{_e(r['description_en'])}<br><span class=muted>{_e(r['description_zh'])}</span></td>"
                f"<td><code>{_e(r['example'])}</code></td></tr>"
            )
        fks = "".join(
            f"<br>Foreign key <code>{_e(', '.join(fk.fields))}</code> → "
            f"<code>{_e(fk.resource)}.{_e(', '.join(fk.ref_fields))}</code>"
            for fk in t.foreign_keys
        )
        rows_n = len(frames[name]) if name in frames else 0
        out.append(
            f'<details id="t-{_e(name)}"><summary><code>{_e(name)}</code> — {_e(t.title_zh)} / '
            f"{_e(t.title_en)} ({rows_n:,} rows)</summary>"
            f"<p>{_e(t.description_en)}<br><span class=muted>{_e(t.description_zh)}</span><br>"
            f"Primary key <code>{_e(', '.join(t.primary_key))}</code>{fks}</p>"
            f"<table>{head}{''.join(body)}</table></details>"
        )
    return "".join(out)


def _sources(info: ReleaseInfo) -> str:
    if not info.sources:
        return ""
    rows = []
    for s in info.sources:
        bits = [
            f"<b>{_e(s.get('title', ''))}</b>",
            *(
                f"{k}: {_e(s[k])}"
                for k in ("district", "publisher", "report_year", "retrieved")
                if s.get(k) is not None
            ),
        ]
        if s.get("path"):
            bits.append(f"URL: <code>{_e(s['path'])}</code>")
        if s.get("sha256"):
            bits.append(f"sha256 of the raw file: <code>{_e(s['sha256'])}</code>")
        if s.get("licence"):
            bits.append(f"source status: {_e(s['licence'])}")
        rows.append("<li>" + "<br>".join(bits) + "</li>")
    return f"<h2 id=sources>Sources 来源</h2><ul>{''.join(rows)}</ul>"


def _panel(frames: dict[str, pd.DataFrame]) -> str:
    """Targets against actuals when the release spans two or more years of one region."""
    from heping_data.release.panel_view import panel_section

    docs = frames["documents"]
    names: dict[str, str] = {}
    if "region_code" in docs:
        for code, name in zip(docs["region_code"], docs["region_name"], strict=True):
            if isinstance(code, str) and isinstance(name, str):
                names.setdefault(code, name)
    return panel_section(frames, names)


def _charts(frames: dict[str, pd.DataFrame], f: dict[str, Any]) -> list[str]:
    """The page's four charts: facts per section, masking, units, mention classes."""
    facts = frames["numeric_facts"]
    units = Counter(facts["unit"].fillna("(none)").astype(str).tolist()) if len(facts) else {}
    return [
        bar_chart(
            "Numeric facts per section (top sections) 各章节数值事实数",
            _ranked(_section_counts(frames)),
        ),
        stacked_chart(
            "Masked vs unmasked facts 打码与未打码",
            _masked_rows(facts),
            ["unmasked", "masked"],
            [_PALETTE[0], _PALETTE[1]],
        ),
        bar_chart("Units of numeric facts 数值单位", _ranked(dict(units)), _PALETTE[2], unit=True),
        bar_chart("Number mentions by class 数字类别", _ranked(f["mention_classes"]), _PALETTE[3]),
    ]


def landing_page(frames: dict[str, pd.DataFrame], info: ReleaseInfo, pkg: dict[str, Any]) -> str:
    """index.html of a release: figures, charts, downloads, dictionary; no network needed."""
    meta = package_meta()
    f = figures(frames)
    charts = _charts(frames, f)
    lic = meta["licenses"][0]
    created = f" · created {_e(info.created)}" if info.created else ""
    first = next(iter(tables()))
    load = (
        "import pandas as pd\n"
        'facts = pd.read_parquet("numeric_facts.parquet")\n\n'
        "# or, in DuckDB\n"
        "SELECT * FROM 'numeric_facts.parquet' WHERE kind = 'target';"
    )
    body = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(meta['title']['zh'])} — {_e(info.version)}</title>",
        f'<meta name="description" content="{_e(meta["description"]["en"])}">',
        '<link rel="icon" href="data:,">',
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header><div>",
        f"<h1>{_e(meta['title']['zh'])}</h1>",
        f'<p class="sub" lang="en">{_e(meta["title"]["en"])}</p>',
        f'<p class="sub">Release <code>{_e(info.version)}</code>{created} · licence '
        f'<a href="{_e(lic.get("path", ""))}">{_e(lic["name"])}</a> (derived data)</p>',
        "</div></header>",
        "<main>",
        f"<p>{_e(meta['description']['zh'])}<br><span lang=en>"
        f"{_e(meta['description']['en'])}</span></p>",
        "<h2 id=figures>Figures 概况</h2>",
        _cards(f),
        "<h2 id=charts>Charts 图表</h2>",
        f'<div class="charts">{"".join(charts)}</div>',
        _panel(frames),
        "<h2 id=downloads>Downloads 下载</h2>",
        "<p>Every file is listed with its size and sha256 (also in <code>SHA256SUMS</code> and "
        "<code>datapackage.json</code>). Load a table in one line:</p>",
        f"<pre><code>{_e(load)}</code></pre>",
        _downloads(pkg, frames),
        "<h2 id=dictionary>Data dictionary 数据字典</h2>",
        '<p>Generated from the schemas; also as <a href="DATA_DICTIONARY.md">DATA_DICTIONARY.md'
        '</a> and <a href="data_dictionary.csv">data_dictionary.csv</a>. Offsets are '
        "string indices into <code>texts/&lt;doc_id&gt;.txt</code>, end exclusive. In the CSV "
        "files a text cell starting with <code>=</code>, <code>+</code>, <code>-</code>, "
        "<code>@</code>, tab or CR gets a leading apostrophe so spreadsheets do not run it as "
        f'a formula; Parquet holds the text unchanged. Start with <a href="#t-{_e(first)}">'
        f"<code>{_e(first)}</code></a>.</p>",
        _dictionary(frames),
        _sources(info),
        "<h2 id=licence>Licence 许可</h2>",
        f"<p>{_e(lic.get('title', lic['name']))}.<br>{_e(meta['source_licence_note']['en'])}"
        f"<br><span class=muted>{_e(meta['source_licence_note']['zh'])}</span></p>",
        "</main>",
        f"<footer>Generated by heping-data {_e(pkg.get('x-code-version', ''))}, schema "
        f"{_e(pkg.get('x-schema-version', ''))}. Same inputs and code give the same bytes.</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(body)
