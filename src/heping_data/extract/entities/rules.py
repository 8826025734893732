"""The entity rule data (``data/entities/``), validated on load and compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any, TypeVar

from heping_data.extract.entities.base import (
    _BODIES,
    _HARD,
    _MAX_NAME,
    _alternation,
    _Gaz,
    _opening_check,
    _Scan,
    _Words,
)
from heping_data.extract.entities.rulefiles import (
    Abbreviations,
    Boundaries,
    CompanyRules,
    DivisionRules,
    EnumerationRules,
    GazetteerFile,
    GazRow,
    IndustryRules,
    PersonRules,
    ProjectFile,
    QuoteCues,
    ScanSpec,
    SuffixFile,
    SuffixRow,
    load_csv,
)
from heping_data.text.regexcache import compile as _compile
from heping_data.text.ruledata import RuleModel, load_rules

M = TypeVar("M", bound=RuleModel)


@dataclass(frozen=True)
class _Rules:
    """The rule files compiled for the scans: tries, patterns, sets and tuples.

    Why not the pydantic models themselves: the rules read these fields thousands of
    times per report, in the shapes the scans need (a frozenset for a membership test, a
    tuple for ``str.startswith``); the models of :mod:`.rulefiles` validate the files as
    written, this holds what is built from them, once per process.
    """

    gaz: dict[str, _Gaz]
    gaz_re: re.Pattern[str]
    suffix: dict[str, tuple[str, int, int]]
    suffix_re: re.Pattern[str]
    quote_re: re.Pattern[str]
    q: QuoteCues
    industry_terms: dict[str, str]
    broad_sectors: frozenset[str]
    sector_domains: tuple[frozenset[str], tuple[int, ...], frozenset[str]]
    industry_words: _Words
    generation_re: _Scan
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
    honor_skip: tuple[str, ...]
    counted_titles: frozenset[str]
    ranking_re: re.Pattern[str]
    byline_res: tuple[_Scan, ...]
    enum: EnumerationRules
    enum_cue_re: re.Pattern[str]
    enum_cue_at_re: re.Pattern[str]
    bare_cue_modifiers: tuple[str, ...]
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
    kind_re: re.Pattern[str]
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
    official_re: _Scan
    program_before: tuple[str, ...]
    honor_prefixes: tuple[str, ...]
    honor_heads: tuple[str, ...]
    counting_re: re.Pattern[str]
    program_openers_re: re.Pattern[str]
    program_opener_heads: frozenset[str]
    verb_heads: frozenset[str]
    opened_heads: frozenset[str]
    name_openers: frozenset[str]
    goal_heads: frozenset[str]
    list_heads: frozenset[str]
    meeting_openers_re: re.Pattern[str]
    clause_meeting_heads: frozenset[str]
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
    brand_re: _Scan
    listed_name_re: re.Pattern[str]
    group_cue_re: re.Pattern[str]
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
    def build(cls, raw: ProjectFile) -> _ProjectRules:
        return cls(
            head_re=_compile(f"(?:{_alternation(raw.heads)})(?!{_alternation(raw.not_before)})"),
            openers=tuple(sorted(raw.openers, key=len, reverse=True)),
            class_cut=_compile(raw.class_cut),
            class_re=_compile(f"(?:{_alternation(raw.class_words)})*"),
            capacity=_compile(raw.capacity),
            min_stem=raw.min_stem,
            max_stem=raw.max_stem,
            anchor_types=frozenset(raw.anchor_types),
        )


def _scan(spec: str | ScanSpec) -> _Scan:
    """A pattern from rule data: a string, or ``{pattern, anchor, back}`` (see _Scan)."""
    if isinstance(spec, str):
        return _Scan(_compile(spec))
    if spec.anchor is None:
        return _Scan(_compile(spec.pattern))
    return _Scan(_compile(spec.pattern), _compile(spec.anchor), spec.back)


def _gaz_fields(rows: Iterable[GazRow]) -> dict[str, Any]:
    """The gazetteer (places first, so a curated entry wins) and the lists built on it."""
    gaz = {r.name: _Gaz(r.entity_type, r.canonical, r.scope) for r in rows}
    return {
        "gaz": gaz,
        "gaz_re": _compile(_alternation(gaz, grouped=True)),
        "org_names": tuple(sorted(n for n, g in gaz.items() if g.type in _BODIES and len(n) >= 2)),
        "company_names": tuple(sorted(n for n, g in gaz.items() if g.type == "company")),
        "scopes": frozenset(g.scope for g in gaz.values() if g.scope),
    }


def _suffix_fields(rows: Iterable[SuffixRow]) -> dict[str, Any]:
    suffix = {r.suffix: (r.entity_type, r.min_stem, r.max_stem or _MAX_NAME) for r in rows}
    return {"suffix": suffix, "suffix_re": _compile(_alternation(suffix, grouped=True))}


def _quote_fields(q: QuoteCues) -> dict[str, Any]:
    """Quotes, honour verbs, rankings and bylines (``quote_cues.yaml``)."""
    ranking = _alternation(q.ranking_words)
    after = _alternation(q.byline_after)
    return {
        "quote_re": _compile(f"“([^“”\\s]{{1,{q.long_max_len}}})(”?)"),
        "q": q,
        "honor_re": _compile(f"(?:{_alternation(q.honor_verbs)})"),
        # before a quote only the verbs that take nothing but a title (创建“平安校园” is a campaign)
        "honor_verbs": tuple(v for v in q.honor_verbs if v not in q.weak_honor_verbs),
        "honor_count_re": _compile(q.honor_count),
        "honor_end": q.honor_end,
        "honor_skip": q.honor_skip,
        "counted_titles": frozenset(q.counted_titles),
        "ranking_re": _compile(f"最[^\\s，。；：、“”]{{0,10}}?(?:{ranking})[\u4e00-\u9fff]{{2,5}}"),
        "byline_res": (
            _Scan(
                _compile(
                    f"{_alternation(q.byline_before)}[ \u3000]?([\u4e00-\u9fff]{{2,3}})"
                    # a photo credit closes the name (记者甲乙摄 at a line's end)
                    "(?=[/／\\s）)]|摄(?:\\s|$))"
                )
            ),
            _Scan(_compile(f"[\\s/／]([\u4e00-\u9fff]{{2,3}})(?={after})"), _compile(after), 4),
        ),
        "program_before": q.program_before,
        "honor_prefixes": q.honor_prefixes,
        "honor_heads": q.honor_heads,
        "counting_re": _compile(q.counting_slogan),
        "honor_not_after": q.honor_not_after,
        "honor_reject": q.honor_reject,
        "grade_qualifier_re": _compile(_alternation(q.grade_qualifiers)),
        "grade_re": _scan(q.grade_pattern),
        "name_shapes": tuple(_compile(p) for p in q.name_shapes),
    }


def _industry_words(ind: IndustryRules) -> tuple[dict[str, str], dict[str, str]]:
    """Sector terms with their modified and headed forms, and each word's condition after."""
    terms = dict(ind.terms)
    # a sector name takes a modifier in front and a head word after (海洋生物医药, 新能源装备)
    for t in list(terms):
        for h in ind.heads:
            terms.setdefault(t + h, t + h)
        for mod in ind.modifiers:
            for w in (t, *(t + h for h in ind.heads)):
                terms.setdefault(mod + w, mod + w)
    not_before = "(?!" + _alternation(ind.not_before) + ")"
    trade = "(?!" + _alternation(ind.not_before + ind.trade_not_before) + ")"
    # a trade (…业) before a cluster word names a kind of cluster; a product's cluster
    # (…装备集群) is the sector's own name
    words = {t: trade if t.endswith("业") else not_before for t in terms}
    zone = "(?!" + _alternation(ind.economy_not_before) + ")"  # 临空经济区 is a zone
    for p in ind.economy_prefixes:
        words[p + "经济"] = zone
    for p in ind.sector_prefixes:  # 数字产业 but not 数字产业化
        # 文化产业集群 names the cluster of 文化产业 (a sector term's chain or cluster is
        # named for the term alone: 光伏产业链 → 光伏)
        words[p + "产业"] = words[p + "服务业"] = "(?!化|链)"
    return terms, words


def _industry_fields(ind: IndustryRules) -> dict[str, Any]:
    terms, words = _industry_words(ind)
    metrics = _alternation(ind.product_metrics)
    return {
        "industry_terms": terms,
        "broad_sectors": frozenset(ind.broad_sectors),
        # the words, their lengths longest first (生命医药 before 医药), their last characters
        "sector_domains": (
            frozenset(ind.sector_domains),
            tuple(sorted({len(d) for d in ind.sector_domains}, reverse=True)),
            frozenset(d[-1] for d in ind.sector_domains),
        ),
        "industry_words": _Words.build(words),
        "generation_re": _Scan(_compile(ind.generation_pattern)),
        "material_re": _Scan(_compile(ind.material_sector), _compile("新材料"), 4),
        "product_re": _Scan(
            _compile(
                f"(?:^|(?<=[{re.escape(''.join(sorted(_HARD)))}]))([\u4e00-\u9fff]{{2,3}})"
                f"(?={metrics})",
                re.M,
            ),
            _compile(metrics),
            3,
        ),
        "not_products": frozenset(ind.not_products),
    }


def _abbrev_fields(ab: Abbreviations) -> dict[str, Any]:
    chars = "".join(ab.chars)
    after = _alternation(ab.after)
    return {
        "abbrev": dict(ab.chars),
        "abbrev_re": _Scan(_compile(f"([{chars}]{{2,3}})(?=(?:{after}))"), _compile(after), 3),
        "abbrev_enum_re": _compile(f"与([{chars}](?:、[{chars}])+)(?=(?:{after}))"),
    }


def _enum_fields(en: EnumerationRules) -> dict[str, Any]:
    cue_types = _alternation(en.cue_types)

    def cue(count: str) -> str:
        return (
            _opening_check(en.cue_openers, count) + f"(?:{_alternation(en.cue_openers)}|{count})"
            r"(?:[*0-9一二三四五六七八九十多]+[个家所条处座项大])?(?:多条|多个|多家)?"
            # a sector word may qualify a company cue (等物流企业, 等科技公司)
            f"(?:(?:{_alternation(en.cue_modifiers)})(?={_alternation(en.modified_cues)}))?"
            f"(?:{en.cue_qualifiers})*({cue_types})"
        )

    counts = f"(?:{en.count_cue}|{en.digit_count})"
    return {
        "enum": en,
        # scanned over whole reports: a count written in digits opens no cue there (digits
        # are everywhere, and the scan would try each); read where an item ends, it does
        "enum_cue_re": _compile(cue(en.count_cue)),
        "enum_cue_at_re": _compile(cue(counts)),
        "item_end_re": _compile(_alternation(en.item_end)),
        "count_cue_re": _compile(f"{counts}(?=(?:{en.cue_qualifiers})*{cue_types})"),
        "bare_cue_re": _compile(en.bare_cue),
        "bare_cue_modifiers": en.bare_cue_modifiers,
        "item_openers": en.item_openers,
    }


def _boundary_words(b: Boundaries) -> dict[str, Any]:
    """The word lists of ``boundaries.yaml`` as the rules test them (sets or tuples)."""
    return {
        "stop_tags": frozenset(b.stop_tags),
        "stop_words": frozenset(b.stop_words),
        "stop_chars": frozenset(b.stop_chars),
        "district_not_last": frozenset(b.district_not_last),
        "name_verbs": frozenset(b.name_verbs),
        "generic": frozenset(b.generic_stems),
        "person_titles": b.person_titles,
        "district_head_words": frozenset(b.district_head_words),
        "street_heads": b.street_heads,
        "admin_heads": b.admin_heads,
        "carrier_words": frozenset(b.carrier_words),
        "landmark_heads": frozenset(b.landmark_heads),
        "head_blockers": dict(b.head_blockers),
        "subunit_heads": frozenset(b.subunit_heads),
        "meeting_heads": frozenset(b.meeting_heads),
        "meeting_scopes": b.meeting_scopes,
        "mall_context": b.mall_context,
        "place_not_before": b.place_not_before,
        "program_opener_heads": frozenset(b.program_opener_heads),
        "verb_heads": frozenset(b.verb_heads),
        "opened_heads": frozenset(b.opened_heads),
        "name_openers": frozenset(b.name_openers),
        "goal_heads": frozenset(b.goal_heads),
        "list_heads": frozenset(b.list_heads),
        "clause_meeting_heads": frozenset(b.clause_meeting_heads),
        "stem_programs": b.stem_programs,
        "feature_not": frozenset(b.feature_not),
        "route_joiners": b.route_joiners,
        "area_words": frozenset(b.area_words),
        "official_after": b.official_after,
        "elliptic_after": b.elliptic_after,
        "elliptic_bodies": b.elliptic_bodies,
        "elliptic_next": b.elliptic_next,
        "district_bodies": b.district_bodies,
        "routine_meetings": b.routine_meetings,
        "gaz_not_before": dict(b.gaz_not_before),
        "gaz_not_after": dict(b.gaz_not_after),
        "branch_heads": b.branch_heads,
        "brand_prefixes": frozenset(b.brand_prefixes),
        "brand_heads": b.brand_heads,
    }


def _boundary_patterns(b: Boundaries) -> dict[str, Any]:
    """The patterns of ``boundaries.yaml``, compiled."""
    titles = _alternation(b.official_titles)
    return {
        "generic_re": _compile(f"(?:{_alternation(b.generic_stems)})+"),
        "kind_re": _compile(f"(?:{_alternation((*b.generic_stems, *b.kind_modifiers))})+"),
        # the head character first, so that re skips to it; two more before it
        "district_re": _compile(r"[区县市](?<=[\u4e00-\u9fff]{3})"),
        "host_re": _compile(_alternation(b.host_heads)),
        "official_re": _Scan(  # _Scan: skipped where the text holds no space
            _compile(f"{titles}[ \\t\u3000]+([\u4e00-\u9fff]{{2,3}})(?=[ \\t\u3000]*(?:\\r?\\n|$))")
        ),
        "program_openers_re": _compile(_alternation(b.program_openers)),
        "meeting_openers_re": _compile(_alternation(b.meeting_openers)),
        "phase_re": _compile(b.phase_suffix),
        "route_res": tuple(_scan(p) for p in b.route_patterns),
        "bracket_site_re": _compile(b.bracket_sites),
        "typed_res": tuple((p.type, _scan(p)) for p in b.typed_patterns),
        "feature_re": _compile(f"[{b.feature_heads}]"),
        "feature_cue_re": _compile(
            f"(?:、[\u4e00-\u9fff]{{1,3}}[{b.feature_heads}])*"
            # a count starts only where a numeral run starts: linear time on long runs
            "(?:(?<![0-9一二三四五六七八九十两])[0-9一二三四五六七八九十两]+[个条处座])?"
            f"{_alternation(b.feature_cues)}"
        ),
        "session_abbrev_re": _compile(b.session_abbrev),
        "stem_count_re": _compile(b.stem_count),
        "speech_re": _compile(
            f"{titles}([\u4e00-\u9fff]{{2,3}}?)(?={_alternation(b.speech_verbs)})"
        ),
    }


def _person_fields(per: PersonRules, co: CompanyRules) -> dict[str, Any]:
    """Titled and listed names, honour titles, and brands before a company cue."""
    surname = f"(?:[{per.surnames}]|{_alternation(per.compound_surnames)})"
    followers = _alternation(per.followers)
    openers = _alternation(co.openers)
    heads = _alternation(co.heads)
    return {
        "titled_re": _compile(
            f"({_alternation(per.titles)})"
            f"({surname}[\u4e00-\u9fff]{{1,2}}?|{_alternation(per.minority_openers)}"
            f"[\u4e00-\u9fff]{{0,2}}?)(?={followers})"
        ),
        "listed_name_re": _compile(f"({surname}[\u4e00-\u9fff]{{1,2}}?)(?={followers})"),
        "group_cue_re": _compile(_alternation(per.group_cues)),
        # every match holds a trade head 2-5 characters after its start: re skips to the
        # heads instead of trying the opening look-behinds at every position
        "brand_re": _Scan(
            _compile(
                f"(?:(?<![\u4e00-\u9fff])|(?<={openers}))"
                f"(?!{openers})([\u4e00-\u9fff]{{2,5}}?{heads})"
                f"(?=(?:、[^，。；：\\s]{{2,24}}?)?{_alternation(co.cues)})"
            ),
            _compile(heads),
            5,
        ),
        "honor_title_re": _compile(
            f"(?:{_alternation(per.honor_scopes)})[\u4e00-\u9fff]{{0,10}}?"
            f"(?:{_alternation(per.honor_titles)})$"
        ),
    }


def _load(model: type[M], name: str) -> M:
    return load_rules(model, "entities", name)


@cache
def _rules() -> _Rules:
    """Load, validate and compile every rule file once per process."""
    places = load_csv(GazetteerFile, "places.csv").rows
    bnd = _load(Boundaries, "boundaries.yaml")
    return _Rules(
        **_gaz_fields(chain(places, load_csv(GazetteerFile, "gazetteer.csv").rows)),
        **_suffix_fields(load_csv(SuffixFile, "suffixes.csv").rows),
        **_quote_fields(_load(QuoteCues, "quote_cues.yaml")),
        **_industry_fields(_load(IndustryRules, "industry.yaml")),
        **_abbrev_fields(_load(Abbreviations, "abbreviations.yaml")),
        **_enum_fields(_load(EnumerationRules, "enumeration.yaml")),
        **_boundary_words(bnd),
        **_boundary_patterns(bnd),
        **_person_fields(_load(PersonRules, "persons.yaml"), _load(CompanyRules, "companies.yaml")),
        projects=_ProjectRules.build(_load(ProjectFile, "projects.yaml")),
    )


@cache
def _divisions_cfg() -> tuple[tuple[str, ...], int, frozenset[str]]:
    """``divisions.yaml``: short-form suffixes (longest first), minimum length, stop list."""
    raw = _load(DivisionRules, "divisions.yaml")
    sfx = tuple(sorted(raw.short_form_suffixes, key=len, reverse=True))
    return sfx, raw.min_short, frozenset(raw.not_short)
