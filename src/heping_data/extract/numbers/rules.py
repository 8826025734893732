"""The rule data of the number grammar, validated on load and compiled once per process.

Why one module: every word list, unit and comparator the grammar reads lives in
``data/numbers/`` (units.csv, multipliers.csv, comparators.csv, rules.yaml,
bounds.yaml). Each file is described here by a frozen pydantic model, so a typo in a
rule file fails at start-up naming the file; the compiled form (:class:`_Rules`) holds
the patterns and lookup tables the scan uses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import Field, PositiveInt, field_validator

from heping_data.extract.numbers.grammar import (
    _ARABIC,
    _CN_NUM,
    _CORE,
    _FAST_PREV_BLOCK,
    _PUNCT_END,
    _RANGE_SEP,
    _RANGE_SEP_HALF,
)
from heping_data.extract.numbers.shapes import _regex
from heping_data.text.chars import alternation as _alt
from heping_data.text.chars import char_class as _cls
from heping_data.text.regexcache import compile as _compile
from heping_data.text.ruledata import RuleModel, load_rules, read_csv

Word = Annotated[str, Field(min_length=1)]
Words = list[Word]


class UnitRow(RuleModel):
    """One row of ``units.csv``: a written unit, the unit it reads as, and its type."""

    written: Word
    unit: Word
    type: Word


class MultiplierRow(RuleModel):
    """One row of ``multipliers.csv``: a written multiplier (万, 亿) and its factor."""

    written: Word
    factor: Annotated[float, Field(gt=0)]


class ComparatorRow(RuleModel):
    """One row of ``comparators.csv``: a cue word, where it stands and what it means."""

    word: Word
    position: Literal["before", "after", "inside", "after_end"]
    comparator: Literal["eq", "approx", "gt", "ge", "lt", "le"]


class UnitTable(RuleModel):
    rows: Annotated[list[UnitRow], Field(min_length=1)]


class MultiplierTable(RuleModel):
    rows: Annotated[list[MultiplierRow], Field(min_length=1)]


class ComparatorTable(RuleModel):
    rows: Annotated[list[ComparatorRow], Field(min_length=1)]


class Bounds(RuleModel):
    """``bounds.yaml``: the plausibility bound of a quantity, by unit type."""

    default: float
    no_unit: float
    by_type: dict[Word, float]

    @field_validator("default", "no_unit")
    @classmethod
    def _positive(cls, v: float) -> float:
        if not 0 < v < math.inf:
            raise ValueError("a bound must be a positive finite number")
        return v

    @field_validator("by_type")
    @classmethod
    def _all_positive(cls, v: dict[str, float]) -> dict[str, float]:
        if not all(0 < b < math.inf for b in v.values()):
            raise ValueError("a bound must be a positive finite number")
        return v


class NumberWords(RuleModel):
    """``rules.yaml``: the cue words and limits of the grammar (see the file's comments)."""

    name_suffixes: Words
    si_prefixes: Words
    si_bases: dict[Word, Word]
    ascii_units: Words
    cn_counter_exclude: Words
    cn_duration_after: Words
    da_nouns: Words
    da_modifiers: Words
    da_title_cues: Words
    slogan_negations: Words
    slogan_max_len: PositiveInt
    bare_place_not_after_unit: Words
    quoted_label_min_rest: PositiveInt
    quoted_label_suffixes: Words
    quoted_label_max: PositiveInt
    category_counters: Words
    rank_cues: Words
    cn_stop_phrases: Words  # regular expressions, joined as alternatives
    five_year_plan: Word  # a regular expression
    redacted_min_len: PositiveInt
    redacted_follow_cues: Words
    redacted_precede_cues: Words
    boilerplate_cues: Words
    year_words: Words
    day_duration_after: Words
    comparator_gap_words: Words
    ordinal_counters: Words
    one_count_verbs: Words
    one_vague_counters: Words
    one_idioms: Words
    duration_cues: Words
    duration_after: Words
    top_cues: Words
    service_numbers: Words
    cheng_exclude: Words
    shared_comparator_links: Words
    from_marks: Words
    from_to_verbs: Words
    approx_clause_cues: Words
    zero_nouns: dict[Word, Word]  # noun after 零 → the unit of the quantity 0
    size_class_counters: Words
    size_class_heads: Words
    size_class_reach: PositiveInt
    fall_cues: Words
    fall_reach: PositiveInt
    address_after: Words
    version_after: Words
    score_after: Words
    score_before: Words
    list_max_items: PositiveInt
    quoted_slogan_max: PositiveInt
    quoted_count_heads: Words
    quoted_title_reach: PositiveInt
    session_after: Words
    day_parts: Words

    @field_validator("five_year_plan")
    @classmethod
    def _regex(cls, v: str) -> str:
        return _regex(v)

    @field_validator("cn_stop_phrases")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        _regex("|".join(v))
        return v


@dataclass(frozen=True)
class _Files:
    """The five rule files of ``data/numbers``, validated."""

    units: list[UnitRow]
    mult: dict[str, float]
    cmps: list[ComparatorRow]
    words: NumberWords
    bounds: Bounds


def _read_files() -> _Files:
    """Read and validate every rule file (each error names its file)."""
    units = load_rules(
        UnitTable, "numbers", "units.csv", raw={"rows": read_csv("numbers", "units.csv")}
    )
    mult = load_rules(
        MultiplierTable,
        "numbers",
        "multipliers.csv",
        raw={"rows": read_csv("numbers", "multipliers.csv")},
    )
    cmps = load_rules(
        ComparatorTable,
        "numbers",
        "comparators.csv",
        raw={"rows": read_csv("numbers", "comparators.csv")},
    )
    return _Files(
        units=units.rows,
        mult={m.written: m.factor for m in mult.rows},
        cmps=cmps.rows,
        words=load_rules(NumberWords, "numbers", "rules.yaml"),
        bounds=load_rules(Bounds, "numbers", "bounds.yaml"),
    )


_LenTable = tuple[tuple[int, frozenset[str]], ...]


@dataclass(frozen=True)
class _Rules:
    """Compiled rule data, loaded once per process."""

    unit_norm: dict[str, str]
    unit_type: dict[str, str]
    mult: dict[str, float]
    cmp_before: dict[str, str]
    cmp_after: dict[str, str]
    cmp_inside: dict[str, str]
    tail: re.Pattern[str]
    after: re.Pattern[str]
    before: re.Pattern[str]
    name_suffix: re.Pattern[str]
    ascii_unit: re.Pattern[str]
    da_noun: re.Pattern[str]
    stop: re.Pattern[str]
    five_year: re.Pattern[str]
    cn_next: frozenset[str]
    name_first: frozenset[str]
    fast_next: frozenset[str]
    after_first: frozenset[str]
    before_last: frozenset[str]
    before_word_last: frozenset[str]  # last characters of the comparator words before
    before_gaps: dict[str, tuple[str, ...]]  # gap words (了, 达到) by their last character
    one_idiom: re.Pattern[str]
    from_marks: frozenset[str]
    one_vague: frozenset[str]
    from_to: re.Pattern[str]
    scan: re.Pattern[str]
    by_len: dict[str, _LenTable]  # every word list of rules.yaml, grouped by length
    words: NumberWords  # rules.yaml as validated
    label_units: frozenset[str]  # units of type `label` (周年): the span is a name
    zero: _LenTable  # words after 零 that make it the quantity 0 (zero_nouns)
    bound: dict[str | None, float]  # plausibility bound per unit (bounds.yaml)
    bound_default: float
    # record fields of fast cores by (core, multiplier, unit), filled by the scan (mentions.py)
    fast_memo: dict[tuple[str, str | None, str], dict[str, Any]] = field(
        default_factory=dict, compare=False, repr=False
    )


def _len_table(words: list[Any]) -> _LenTable:
    """Words grouped by length, longest first: one slice and set lookup per length
    replaces one ``endswith``/``startswith`` per word."""
    by_len: dict[int, set[str]] = {}
    for w in words:
        by_len.setdefault(len(str(w)), set()).add(str(w))
    return tuple((n, frozenset(ws)) for n, ws in sorted(by_len.items(), reverse=True))


def _unit_tables(f: _Files) -> tuple[dict[str, str], dict[str, str]]:
    """(written → unit, unit → type): units.csv plus every SI prefix on every SI base
    and the ASCII units of rules.yaml."""
    unit_norm = {u.written: u.unit for u in f.units}
    unit_type = {u.unit: u.type for u in f.units}
    for pre in f.words.si_prefixes:
        for base, typ in f.words.si_bases.items():
            unit_norm.setdefault(pre + base, pre + base)
            unit_type.setdefault(pre + base, typ)
    for w in f.words.ascii_units:
        unit_norm.setdefault(w, w)
    return unit_norm, unit_type


def _by_last(words: list[str]) -> dict[str, tuple[str, ...]]:
    """Words by their last character (each group in a fixed order)."""
    out: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        out.setdefault(w[-1], []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


def _by_position(cmps: list[ComparatorRow]) -> dict[str, dict[str, str]]:
    """Comparator words by where they stand: before, after, inside, after_end."""
    by_pos: dict[str, dict[str, str]] = {"before": {}, "after": {}, "inside": {}, "after_end": {}}
    for c in cmps:
        by_pos[c.position][c.word] = c.comparator
    return by_pos


def _mult_alt(mult: dict[str, float], unit_norm: dict[str, str]) -> str:
    """Alternation of the multipliers; a multiplier must not eat the first character of a
    unit (5千米 is 5 km)."""
    parts = []
    for m in sorted(mult, key=len, reverse=True):
        rests = [u[len(m) :] for u in unit_norm if u.startswith(m) and len(u) > len(m)]
        look = f"(?!{_alt(rests)})" if rests else ""
        parts.append(re.escape(m) + look)
    return "|".join(parts)


def _fast_next(
    unit_norm: dict[str, str],
    mult: dict[str, float],
    name_first: frozenset[str],
    label_units: frozenset[str],
) -> frozenset[str]:
    """Next characters for which a digit run needs no special handling (the fast path)."""
    return (
        frozenset(w[0] for w in list(unit_norm) + list(mult))
        - name_first
        - frozenset("月日号年大季·")
        - frozenset(w[0] for w in label_units)
    )


def _scan(
    fast_next: frozenset[str], inside: str, mult_alt: str, unit_alt: str, counters: list[str]
) -> re.Pattern[str]:
    """The scan regex: ``_CORE`` plus the fast quantity shape and the bare size class."""
    # The commonest core, digits + optional multiplier + unit, in the scan itself: the
    # same spans and groups ``tail`` would give, but atomic so a failed unit never makes
    # the digits or the multiplier give back characters (``_fast_quantity``).
    fast = (
        rf"(?P<fast>(?<=[^{_cls(_FAST_PREV_BLOCK)}])(?>(?P<fcore>{_ARABIC}))"
        rf"(?=[{_cls(fast_next)}])(?!{inside})(?P<fmult>{mult_alt})?+(?!{inside})"
        rf"(?P<funit>(?>(?:{unit_alt})(?:/(?:{unit_alt}))?))(?![{_cls(_RANGE_SEP_HALF | {'半'})}]))"
    )
    # 千头肉牛养殖场: a bare 百/千/万 before a size-class counter (checked in ``_size_class``)
    bare = rf"|(?P<bare>[百千万](?=[{_cls(frozenset(counters))}]))"
    return _compile(
        _CORE.pattern.replace("|(?P<ar>", f"|{fast}|(?P<ar>", 1).replace(
            "|(?P<cnfrac>", f"{bare}|(?P<cnfrac>", 1
        )
    )


@lru_cache(maxsize=1)
def number_rules() -> _Rules:
    """Load and compile the rule data files (cached: done once per process)."""
    f = _read_files()
    raw, mult = f.words, f.mult
    unit_norm, unit_type = _unit_tables(f)
    by_pos = _by_position(f.cmps)
    # 翻一番还多, 3倍多: words that compare only where the clause ends after them (3个多功能
    # 站 is not 3 or more); the lookahead keeps them out of a following word.
    after_end = f"(?:{_alt(list(by_pos['after_end']))})(?=[{_cls(_PUNCT_END)}]|的|$)"
    unit_alt = _alt(list(unit_norm))
    inside = _alt(list(by_pos["inside"]))
    mult_alt = _mult_alt(mult, unit_norm)
    tail = _compile(
        rf"(?P<yu1>{inside})?(?P<mult>{mult_alt})?(?P<yu2>{inside})?"
        rf"(?P<unit>(?:{unit_alt})(?:/(?:{unit_alt}))?)?"
    )
    name_first = frozenset(w[0] for w in raw.name_suffixes)
    # 75周年 is an anniversary (a label), not a span of time: such units leave the fast path
    label_units = frozenset(u for u, t in unit_type.items() if t == "label")
    fast_next = _fast_next(unit_norm, mult, name_first, label_units)
    return _Rules(
        unit_norm=unit_norm,
        unit_type=unit_type,
        mult=mult,
        cmp_before=by_pos["before"],
        cmp_after=by_pos["after"] | by_pos["after_end"],
        cmp_inside=by_pos["inside"],
        tail=tail,
        after=_compile(f"{_alt(list(by_pos['after']))}|{after_end}"),
        before=_compile(
            rf"(?P<w>{_alt(list(by_pos['before']))})(?:{_alt(raw.comparator_gap_words)})?$"
        ),
        name_suffix=_compile(_alt(raw.name_suffixes)),
        ascii_unit=_compile(rf"(?:{_alt(raw.ascii_units)})(?![A-Za-z])"),
        da_noun=_compile(rf"大(?:{_alt(raw.da_modifiers)})?(?:{_alt(raw.da_nouns)})"),
        stop=_compile("|".join(raw.cn_stop_phrases)),
        five_year=_compile(raw.five_year_plan),
        # characters that may follow a Chinese numeral that is a mention at all
        cn_next=frozenset(
            [w[0] for w in list(unit_norm) + list(mult) + list(by_pos["inside"])]
            + list("大月日号季成番半" + _RANGE_SEP)
        ),
        name_first=name_first,
        # next characters for which a digit run needs no special handling
        fast_next=fast_next,
        after_first=frozenset(w[0] for w in list(by_pos["after"]) + list(by_pos["after_end"])),
        before_last=frozenset(w[-1] for w in list(by_pos["before"]) + raw.comparator_gap_words),
        before_word_last=frozenset(w[-1] for w in by_pos["before"]),
        before_gaps=_by_last(raw.comparator_gap_words),
        one_idiom=_compile(_alt(raw.one_idioms)),
        from_marks=frozenset(raw.from_marks),
        one_vague=frozenset(raw.one_vague_counters),
        from_to=_compile(
            rf"(?:{_alt(raw.from_to_verbs)})?[到至]"
            rf"(?:(?P<pct>百分之)|[0-9０-９]+(?:[.．][0-9０-９]+)?|{_CN_NUM})"
        ),
        scan=_scan(fast_next, inside, mult_alt, unit_alt, raw.size_class_counters),
        by_len={k: _len_table(v) for k, v in raw.model_dump().items() if isinstance(v, list)},
        words=raw,
        label_units=label_units,
        zero=_len_table(list(raw.zero_nouns)),
        bound=_unit_bounds(f.bounds, unit_norm, unit_type),
        bound_default=f.bounds.default,
    )


def _unit_bounds(
    bounds: Bounds, unit_norm: dict[str, str], unit_type: dict[str, str]
) -> dict[str | None, float]:
    """Plausibility bound of every known unit (by its type), and of no unit.

    Checked on load (with the model's checks that every bound is a positive finite
    number): every type one units.csv uses.
    """
    unknown = set(bounds.by_type) - set(unit_type.values())
    if unknown:
        raise ValueError(f"data/numbers/bounds.yaml: unknown unit types {sorted(unknown)}")
    out: dict[str | None, float] = {None: bounds.no_unit}
    for u in set(unit_norm.values()):
        out[u] = bounds.by_type.get(unit_type.get(u, ""), bounds.default)
    return out
