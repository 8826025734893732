"""The indicator registry, and the link from numeric facts to the indicators they measure.

Why: analysts compare the same indicator across places and years; a free-text ``metric``
(135 spellings of a handful of indicators in four reports) cannot be joined. The registry
(``schemas/indicators.yaml``, validated here) names each indicator once with the phrases
reports use; a fact whose metric holds such a phrase, with a compatible unit and measure,
becomes an ``indicator_values`` row that says which phrase and rule linked it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal, NamedTuple

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from heping_data.text.ruledata import schema_file
from heping_data.text.yamlio import load_path

Measure = Literal["level", "growth", "share", "rate", "count", "intensity"]


class Indicator(BaseModel):
    """One registry entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    units: list[str] = Field(min_length=1)
    measure: Measure
    definition: str
    phrases: list[str] = Field(default_factory=list)
    phrases_from: str | None = None
    flagged: dict[str, list[str]] = Field(default_factory=dict)
    convert: dict[str, float] = Field(default_factory=dict)
    better: Literal["higher", "lower"] = "higher"

    @property
    def unit(self) -> str:
        return self.units[0]


class Registry(BaseModel):
    """The whole registry; ids unique, ``phrases_from`` pointing at an existing id."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    other_measure_after: list[str] = Field(default_factory=list)
    subgroup_before: list[str] = Field(default_factory=list)
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _check(self) -> Registry:
        ids = [i.id for i in self.indicators]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate indicator ids: {sorted(dup)}")
        for i in self.indicators:
            if i.phrases_from is not None and i.phrases_from not in ids:
                raise ValueError(f"{i.id}: phrases_from {i.phrases_from!r} is not an indicator id")
            if not (i.phrases or i.phrases_from or i.flagged):
                raise ValueError(f"{i.id}: no phrase names it")
            if set(i.convert) - set(i.units[1:]):
                raise ValueError(f"{i.id}: convert names a unit not among its other units")
        return self


@cache
def registry() -> Registry:
    """The registry from ``schemas/indicators.yaml``, validated once per process."""
    return Registry.model_validate(load_path(schema_file("indicators.yaml")))


# ---------------------------------------------------------------- matching
_GROWTH = re.compile(r"增长|增速|增幅|增加|提高|上涨|涨幅|上升|下降|降低|减少|回落|下滑|降幅|减|增")
_FALL = frozenset(("下降", "降低", "减少", "回落", "下滑", "降幅", "减"))
_BASIS = re.compile(r"按可比价格计算|可比价|按可比口径|可比口径|同口径|同比|现价|不变价")
_QUALIFIER = re.compile(
    r"力争|争取|确保|预计|扣除[^，。；,;]{0,16}?后|剔除[^，。；,;]{0,16}?后|以上|以内|左右"
)
_AVERAGE = re.compile(r"年均|年平均|平均每年")
#: Any word that sets the kind, basis, qualifier or span: most facts have none, and one
#: search settles them.
_CUES = re.compile("|".join(p.pattern for p in (_BASIS, _QUALIFIER, _AVERAGE)))
_PLAN = re.compile(r"十([一二三四五六])五")
_PLAN_NO = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15, "六": 16}
_CLAUSE_BREAKS = "，,；;：:。！？"
#: Everything up to the last clause break (greedy, so one C-level match finds the last).
_TO_LAST_BREAK = re.compile(f".*[{_CLAUSE_BREAKS}]", re.S)
_FLIP = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt"}


@dataclass(frozen=True)
class _Phrase:
    indicator: Indicator
    flag: str | None


@cache
def _matcher() -> tuple[dict[str, tuple[int, ...]], Mapping[str, tuple[_Phrase, ...]]]:
    """Phrase lengths by first character (longest first) and what each phrase names.

    Why not one regex alternation: with some 400 phrases it tries every alternative at
    every character (about half the cost of building a document's rows); a first-character
    index tries only the few phrases that can start there.
    """
    reg = registry()
    by_id = {i.id: i for i in reg.indicators}
    names: dict[str, list[_Phrase]] = {}
    for ind in reg.indicators:
        own = [(p, None) for p in ind.phrases]
        if ind.phrases_from:
            src = by_id[ind.phrases_from]
            own += [(p, None) for p in src.phrases]
            own += [(p, f) for f, ps in src.flagged.items() for p in ps]
        own += [(p, f) for f, ps in ind.flagged.items() for p in ps]
        for p, flag in own:
            if all(x.indicator.id != ind.id for x in names.get(p, [])):
                names.setdefault(p, []).append(_Phrase(ind, flag))
    starts: dict[str, set[int]] = {}
    for p in names:
        starts.setdefault(p[0], set()).add(len(p))
    index = {c: tuple(sorted(ls, reverse=True)) for c, ls in starts.items()}
    return index, {k: tuple(v) for k, v in names.items()}


@cache
def _guards() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Words after a phrase that make it another measure, and subgroup words before it."""
    reg = registry()

    def alt(words: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, words)) or r"(?!)")

    return alt(reg.other_measure_after), alt(reg.subgroup_before)


@lru_cache(maxsize=8192)
def phrases_in(text: str) -> tuple[tuple[int, int, str], ...]:
    """Registry phrases in ``text``, left to right, the longest at each place, not overlapping."""
    index, names = _matcher()
    out = []
    i, n = 0, len(text)
    while i < n:
        lengths = index.get(text[i])
        if lengths:
            for L in lengths:
                if i + L <= n and text[i : i + L] in names:
                    out.append((i, i + L, text[i : i + L]))
                    i += L
                    break
            else:
                i += 1
            continue
        i += 1
    return tuple(out)


@dataclass(frozen=True)
class Link:
    """A fact linked to one indicator: which phrase, how, and whether it is a fall."""

    indicator: Indicator
    phrase: str
    flag: str | None
    fall: bool
    rule: str


def _last_verb(s: str) -> str | None:
    found = _GROWTH.findall(s)
    return found[-1] if found else None


def _fits(ind: Indicator, unit: str | None, verb: str | None) -> str | None:
    """The rule by which a fact of ``unit`` with growth ``verb`` measures ``ind`` (None: not)."""
    if unit not in ind.units:
        return None
    if ind.measure == "growth":
        return "growth" if verb is not None else None
    if ind.measure in ("level", "count") and verb is not None and unit == "%":
        return None
    return ind.measure


def link(metric: str, unit: str | None, clause: str) -> list[Link]:
    """See :func:`_link` (cached on the metric, unit and the clause's last characters)."""
    return list(_link(metric, unit, clause[-6:]))


@lru_cache(maxsize=8192)
def _link(metric: str, unit: str | None, clause: str) -> tuple[Link, ...]:
    """The indicators a fact measures (two for a joint subject such as 城乡居民收入).

    ``clause`` is the text of the fact's clause before the number (where 增长 / 下降 may
    stand when the metric lacks it). The first phrase in the metric (longest at its
    place) that fits the unit and measure wins; a phrase that names several indicators
    (城乡居民…) links to each that fits.
    """
    names = _matcher()[1]
    other, subgroup = _guards()
    for start, end, phrase in phrases_in(metric):
        tail = metric[end:]
        if other.search(tail) or subgroup.search(metric, 0, start):
            continue
        # 增加值 is a noun (value added), not a verb of growth
        verb = _last_verb(phrase.replace("增加值", "") + tail) or _last_verb(clause[-6:])
        out = []
        for ph in names[phrase]:
            rule = _fits(ph.indicator, unit, verb)
            if rule is not None:
                fall = ph.indicator.measure == "growth" and verb in _FALL
                out.append(Link(ph.indicator, phrase, ph.flag, fall, rule))
        if out:
            return tuple(out)
    return ()


# ---------------------------------------------------------------- rows
def _plan_span(year: int) -> tuple[int, int]:
    start = 2006 + 5 * ((year - 2006) // 5)
    return start, start + 4


def _period(kind: str, year: int | None, sentence: str, clause: str, metric: str):
    """(start, end, rule): one year, or a five-year span for 年均 / 十四五 figures."""
    if year is None:
        return None, None, None
    if not (_AVERAGE.search(clause) or _AVERAGE.search(metric)):
        return year, year, None
    plan = _PLAN.search(sentence)
    if plan is not None:
        start = 2006 + 5 * (_PLAN_NO[plan.group(1)] - 11)
        return start, start + 4, "five_year_plan"
    if kind == "target":
        s, e = _plan_span(year)
        return s, e, "five_year_average"
    return year - 4, year, "five_year_average"


#: Characters before a number read as its sentence context (预计, 十四五, 扣除…后, 分别).
CONTEXT_CHARS = 80


class FactContext(NamedTuple):
    """What a fact's link reads around it: its sentence before the number, its part.

    A named tuple, not a frozen dataclass: one is built per candidate fact.
    """

    sentence: str  # from the sentence start to the number
    clause: str  # from the last clause break to the number
    after: str  # the next two characters after the number
    part: str | None  # review / plan / None


def context_of(text: str, start: int, end: int, sent_start: int, part: str | None) -> FactContext:
    """The fact's context: sentence prefix, clause prefix and what follows the number.

    The sentence prefix is cut to :data:`CONTEXT_CHARS` before the number: a run-on
    "sentence" of a whole paragraph must not cost (or say) more than its near words.
    """
    sentence = text[max(sent_start, start - CONTEXT_CHARS) : start]
    head = _TO_LAST_BREAK.match(sentence)
    clause = sentence[head.end() :] if head is not None else sentence
    return FactContext(sentence, clause, text[end : end + 2], part)


def _joint(ctx: FactContext) -> bool:
    """A single number after 分别 (not one of a list of numbers) applies to every subject."""
    return "分别" in ctx.clause and not ctx.after.startswith("、") and not ctx.clause.endswith("、")


def _signed(fact: Mapping[str, Any], fall: bool, factor: float = 1.0) -> tuple[Any, Any, Any]:
    lo, hi, comp = fact["value_min"], fact["value_max"], fact["comparator"]
    if factor != 1.0:
        lo = lo * factor if lo is not None else None
        hi = hi * factor if hi is not None else None
    if not fall:
        return lo, hi, comp
    neg = (-hi if hi is not None else None), (-lo if lo is not None else None)
    return neg[0], neg[1], _FLIP.get(comp, comp)


def _year_of(fact: Mapping[str, Any], kind: str, ctx: FactContext, years: tuple) -> int | None:
    reviewed, planned = years
    if kind == "estimate" and ctx.part == "review" and reviewed is not None:
        return reviewed
    if fact.get("period_year") is not None:
        return int(fact["period_year"])
    return planned if fact["kind"] == "target" else reviewed


def _joined(pat: re.Pattern[str], text: str) -> str | None:
    """Every distinct match of ``pat`` in ``text``, in order, joined (None when none)."""
    if pat.search(text) is None:
        return None
    return "；".join(dict.fromkeys(pat.findall(text)))


def carried(metric: str, unit: str | None, clause: str, previous: Iterable[str]) -> list[Link]:
    """A bare growth figure (按可比口径增长13%) measures the growth of the level just named.

    Why: reports name a level and its growth in one breath (收入X亿元，增长Y%); when the
    metric holds no phrase, the subject carries over from the sentence's previous fact.
    """
    verb = _last_verb(metric) or _last_verb(clause[-6:])
    if unit != "%" or verb is None:
        return []
    prev = set(previous)
    return [
        Link(i, "", None, verb in _FALL, "growth+carried")
        for i in registry().indicators
        if i.measure == "growth" and i.phrases_from in prev
    ]


def indicator_rows(
    fact: Mapping[str, Any],
    ctx: FactContext,
    region_code: str | None,
    years: tuple[int | None, int | None],
    previous: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The ``indicator_values`` rows of one numeric fact (none when it measures none).

    ``previous``: the indicators of the sentence's previous fact, for a bare growth figure.
    """
    if fact["role"] != "measure":
        return []
    metric = fact["metric"] or ""
    joint = _joint(ctx)
    links = link(metric, fact["unit"], ctx.clause)
    if joint and links:
        links = _widen(links, fact["unit"], ctx)
    if not links and not phrases_in(metric):
        links = carried(metric, fact["unit"], ctx.clause, previous)
    if not links:
        return []
    cued = _CUES.search(ctx.sentence + "|" + metric) is not None
    kind = "estimate" if cued and ("预计" in ctx.sentence or "预计" in metric) else fact["kind"]
    year = _year_of(fact, kind, ctx, years)
    if cued:
        start, end, span_rule = _period(kind, year, ctx.sentence, ctx.clause, metric)
        basis = _joined(_BASIS, ctx.clause + "|" + metric)
        qual = _joined(_QUALIFIER, ctx.sentence + "|" + metric)
    else:
        start, end, span_rule, basis, qual = year, year, None, None, None
    rows = []
    for lk in links:
        ind, unit = lk.indicator, fact["unit"]
        factor = ind.convert.get(unit, 1.0)
        lo, hi, comp = _signed(fact, lk.fall, factor)
        rule = "+".join(x for x in (lk.rule, "fall" if lk.fall else None, span_rule) if x)
        flag = f"; flag={lk.flag}" if lk.flag else ""
        rows.append(
            {
                "fact_id": fact["fact_id"],
                "doc_id": fact["doc_id"],
                "region_code": region_code,
                "indicator_id": lk.indicator.id,
                "kind": kind,
                "period_start": start,
                "period_end": end,
                "value_min": lo,
                "value_max": hi,
                "comparator": comp,
                "unit": ind.unit if unit == ind.unit or unit in ind.convert else unit,
                "basis": basis,
                "qualifier": qual,
                "match": f"phrase={lk.phrase}; rule={rule}{flag}",
                "doc_year_planned": years[1],
            }
        )
    return rows


def _widen(links: list[Link], unit: str | None, ctx: FactContext) -> list[Link]:
    """A joint subject earlier in the sentence (城镇和农村居民…分别增长7.8%) links to each."""
    names = _matcher()[1]
    ids = {lk.indicator.id for lk in links}
    for _, _, phrase in phrases_in(ctx.sentence):
        phs = names[phrase]
        if len(phs) > 1 and ids & {p.indicator.id for p in phs}:
            verb = "增长" if links[0].rule == "growth" else ""
            return link(phrase + verb, unit, ctx.clause) or links
    return links


# ---------------------------------------------------------------- panel
#: Columns of ``indicator_values`` the panel reads (all it needs: the panel is built from
#: these compact rows only, never from the facts or the texts).
PANEL_INPUT = [
    "fact_id",
    "region_code",
    "indicator_id",
    "kind",
    "period_start",
    "period_end",
    "value_min",
    "value_max",
    "comparator",
    "unit",
    "doc_year_planned",
]


def _met(target: Mapping[str, Any], actual: Mapping[str, Any], better: str) -> bool | None:
    """Whether the actual reached the target; None when the bounds cannot tell.

    A target stated plainly (增长8%) is reached from the better side (``better`` in the
    registry: higher, or lower for rates such as unemployment). An actual stated as a
    bound (突破370万) is open on that side.
    """
    tlo, thi, comp = target["value_min"], target["value_max"], target["comparator"]
    alo, ahi, acomp = actual["value_min"], actual["value_max"], actual["comparator"]
    if any(_missing(v) for v in (tlo, thi, alo, ahi)):
        return None
    if acomp in ("gt", "ge"):
        ahi = float("inf")
    elif acomp in ("lt", "le"):
        alo = float("-inf")
    if comp in ("eq", "approx"):
        comp = "ge" if better == "higher" else "le"
    if comp in ("ge", "gt"):
        strict = comp == "gt" and acomp not in ("gt",)
        ok = alo > tlo or (alo == tlo and not strict)
        bad = ahi < tlo or (ahi == tlo and strict and acomp != "ge")
    else:
        strict = comp == "lt" and acomp not in ("lt",)
        ok = ahi < thi or (ahi == thi and not strict)
        bad = alo > thi or (alo == thi and strict and acomp != "le")
    return True if ok else False if bad else None


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _better(ind_id: str) -> str:
    return _betters().get(ind_id, "higher")


@cache
def _betters() -> dict[str, str]:
    return {i.id: i.better for i in registry().indicators}


KEY = ["region_code", "indicator_id", "year"]


def _sides(v: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The target and the actual of each key, and whether the actual was revised.

    The target comes from the report that planned the year (else the first that states
    one); the actual from the latest report that reviewed it, its first statement there.
    A revision: the reports' first statements of the year's actual differ.
    """
    t = v[v["kind"] == "target"].assign(_other=lambda d: d["doc_year_planned"] != d["year"])
    t = t.sort_values([*KEY, "_other", "fact_id"]).drop_duplicates(KEY)
    a = v[v["kind"] == "actual"].assign(_doc=lambda d: d["doc_year_planned"].fillna(0))
    a = a.sort_values([*KEY, "_doc", "fact_id"], ascending=[True] * 3 + [False, True])
    firsts = a.drop_duplicates([*KEY, "_doc"])
    n = firsts.groupby(KEY)[["value_min", "value_max"]].nunique(dropna=False).max(axis=1)
    revised = (n > 1).rename("actual_revised").reset_index()
    a = a.drop_duplicates(KEY).merge(revised, on=KEY, how="left")
    return t, a


def panel_frame(values: pd.DataFrame) -> pd.DataFrame:
    """The ``indicator_panel`` frame from ``indicator_values`` (its :data:`PANEL_INPUT` columns).

    Vectorised, and on the compact columns only: at 10,000 reports indicator_values holds
    about a million rows, which Python dicts per row would not fit in the memory budget.
    Five-year figures and estimates stay in ``indicator_values`` only; rows without a
    region cannot be joined across reports and are left out.
    """
    from heping_data.tables.frames import frame
    from heping_data.tables.schema import tables

    t = tables()["indicator_panel"]
    v = values[PANEL_INPUT]
    v = v[
        v["region_code"].notna()
        & v["period_start"].notna()
        & (v["period_start"] == v["period_end"])
        & (v["kind"] != "estimate")
    ].rename(columns={"period_start": "year"})
    if not len(v):
        return frame(t, [])
    tgt, act = _sides(v)
    cols = ["value_min", "value_max", "comparator", "fact_id", "unit"]
    m = tgt[[*KEY, *cols]].merge(
        act[[*KEY, *cols, "actual_revised"]], on=KEY, how="outer", suffixes=("_t", "_a")
    )
    m = m.sort_values(KEY, kind="stable").reset_index(drop=True)
    has_t, has_a = m["fact_id_t"].notna(), m["fact_id_a"].notna()
    data = {
        "region_code": m["region_code"],
        "indicator_id": m["indicator_id"],
        "year": m["year"],
        "unit": m["unit_t"].where(has_t, m["unit_a"]),
        "target_min": m["value_min_t"],
        "target_max": m["value_max_t"],
        "target_comparator": m["comparator_t"],
        "target_fact_id": m["fact_id_t"],
        "actual_min": m["value_min_a"],
        "actual_max": m["value_max_a"],
        "actual_comparator": m["comparator_a"],
        "actual_fact_id": m["fact_id_a"],
        "actual_revised": m["actual_revised"].where(has_a, False).fillna(False).astype(bool),
        "met": _met_column(m, has_t & has_a & (m["unit_t"] == m["unit_a"]).fillna(False)),
    }
    out = {}
    for c in t.columns:
        col = data[c.name]
        out[c.name] = (
            pd.array(col, dtype=c.pandas_dtype)
            if isinstance(col, list)
            else col.astype(c.pandas_dtype).array
        )
    return pd.DataFrame(out, columns=t.column_names)


def _met_column(m: pd.DataFrame, both: pd.Series) -> list[bool | None]:
    """``met`` of each merged row where both sides exist in one unit (None elsewhere)."""
    out: list[bool | None] = [None] * len(m)
    sides = ("value_min", "value_max", "comparator")
    sub = m[both]
    cols = [sub[f"{k}_t"].tolist() for k in sides] + [sub[f"{k}_a"].tolist() for k in sides]
    for pos, ind, *vals in zip(
        sub.index.tolist(), sub["indicator_id"].tolist(), *cols, strict=True
    ):
        t = dict(zip(sides, vals[:3], strict=True))
        a = dict(zip(sides, vals[3:], strict=True))
        out[pos] = _met(t, a, _better(ind))
    return out


def panel_rows(values: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """:func:`panel_frame` of plain rows, as rows (for tests and small callers)."""
    df = pd.DataFrame(list(values), columns=PANEL_INPUT)
    out = panel_frame(df)
    return out.astype(object).where(out.notna(), None).to_dict("records")
