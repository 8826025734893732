"""Quantities to numeric facts: what each number measures (metric), whether it was done or
planned (kind), whether it measures, ranks or defines a category (role), the year it refers
to, and a value the text itself pins when the digits are masked.

Everything here is local: each quantity looks only at its own clause and sentence, found by
bisect on offsets precomputed in one pass over the text, so the step stays linear. Cue words
live in ``data/facts/rules.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, fields, replace
from functools import cache
from importlib import resources
from operator import attrgetter

import yaml

from heping_data.extract import outline as _outline
from heping_data.records import Document, NumberMention, NumericFact, Section, Sentence

# Clause ends: full- and half-width punctuation and whitespace (news summaries glue
# headlines to the body with spaces).
_HARD = re.compile(r"[，,；;。！？!?：:\s（）()]")
_DUN = "、"
_QUOTES = re.compile(r"“[^“”]{0,80}”|「[^「」]{0,80}」|《[^《》]{0,60}》")
# Quotes, masks, list marks and digit runs; a digit run touching a Latin letter is part of
# a name (`5G基站`, `4A级景区`) and stays. `\x00` marks blanked year/date mentions.
_NOISE_CHARS = re.compile(r"[“”「」《》‘’\"'*＊+＋·•\s、,，%％.．\x00（）()]")
# a short aside in brackets (`执业（助理）医师`, `细颗粒物（PM2.5）浓度`); the character before
# it is checked in code: a leading literal lets the scan skip ahead
_ASIDE = re.compile(r"[（(](?:[\u4e00-\u9fff]{1,4}|[A-Za-z]+[0-9.]*)[）)](?=[\u4e00-\u9fff])")
_DIGIT = re.compile(r"[0-9０-９]")
_NOISE_SPACE = re.compile(r"\s+")
_CODE = re.compile(r"[A-Za-z]+[0-9]+[.．][0-9]+")
# either of the two above: a piece with none of these characters is left as it is
_NOISE_OR_DIGIT = re.compile(r"[“”「」《》‘’\"'*＊+＋·•\s、,，%％.．\x00０-９0-9（）()]")
_DIGIT_RUN = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])[0-9０-９]+(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])")


class _Noise:
    """`re.sub`-like: noise characters, then digit runs (only when there is a digit: most
    pieces have none, and the run pattern with its look-arounds is the slow part)."""

    @staticmethod
    def sub(repl: str, s: str) -> str:
        if not _NOISE_OR_DIGIT.search(s):
            return s
        s = _NOISE_CHARS.sub(repl, s)
        return _DIGIT_RUN.sub(repl, s) if _DIGIT.search(s) else s


_NOISE = _Noise()
# Mention classes that never belong in a metric: blanked whole (with a trailing 的), so no
# fragment such as `增加到年` is left where their digits were.
_BLANK_CLASSES = frozenset({"year", "date"})
_NUM_OR_DUN = re.compile(r"[0-9０-９*＊、]")
_LINE_END = re.compile(r"[\n。！？!?]")
_HAS_NUM = re.compile(r"[0-9０-９*＊]")
_PAIR_SPLIT = re.compile("[和及与]")
_LIST_INTRO = re.compile(r"[^，,。；;]{0,8}[，,：:]\s*即?")
_LIST_END = re.compile(r"[。；;]")
_LEAD_YEAR = re.compile(r"^(?:19|20)\d{2}年")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


@dataclass(frozen=True)
class _Rules:
    target_cues: tuple[str, ...]
    target_blockers: tuple[str, ...]
    actual_cues: tuple[str, ...]
    plan_markers: re.Pattern[str]
    plan_marker_window: int
    rank_before: re.Pattern[str]
    rank_units: frozenset[str]
    rank_prefix: frozenset[str]
    rank_words: tuple[str, ...]
    threshold_after: tuple[str, ...]
    threshold_clause_end: tuple[str, ...]
    max_len: int
    left_cap: int
    left_cap_combined: int
    right_cap: int
    lead_strip: tuple[str, ...]
    tail_strip: tuple[str, ...]
    left_tail_strip: tuple[str, ...]
    light_verbs: tuple[str, ...]
    generic_heads: frozenset[str]
    list_joiners: frozenset[str]
    left_tail_alone: tuple[str, ...]
    empty_words: frozenset[str]
    change_words: tuple[str, ...]
    borrow_across: str
    list_count_units: frozenset[str]
    predicate_verbs: re.Pattern[str]
    short_len: int
    share_lead: tuple[str, ...]
    share_suffix: str
    share_whole: str
    share_whole_units: frozenset[str]
    streak_cues: tuple[str, ...]
    deng_lead_category: int
    deng_item_start: re.Pattern[str]
    consequence_verbs: tuple[str, ...]
    project_actions: tuple[str, ...]
    rate_mark: str
    rate_max: int
    project_count_units: frozenset[str]
    project_verb_re: re.Pattern[str]
    event_outcomes: tuple[str, ...]
    event_verb_re: re.Pattern[str]
    event_suffixes: tuple[str, ...]
    streak_units: frozenset[str]
    share_change_units: frozenset[str]
    rank_before_tail: re.Pattern[str]
    multi_year_rx: re.Pattern[str]
    borrow_clause_max: int
    target_re: re.Pattern[str]
    rank_words_rx: re.Pattern[str]
    threshold_by_first_last: tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]
    lead_by_first: dict[str, tuple[str, ...]]
    tail_by_last: dict[str, tuple[str, ...]]
    left_tail_by_last: dict[str, tuple[str, ...]]
    blocker_re: re.Pattern[str]
    actual_re: re.Pattern[str]
    carry_block_re: re.Pattern[str]
    goal_mid_re: re.Pattern[str]
    goal_list_re: re.Pattern[str]
    digit_run: re.Pattern[str]
    period_change_rx: re.Pattern[str]
    condition_re: re.Pattern[str]
    condition_first: tuple[str, ...]
    ratio_suffix: str
    threshold_counters: frozenset[str]
    threshold_counter_tails: tuple[str, ...]
    threshold_before: tuple[str, ...]
    threshold_not_noun: tuple[str, ...]
    threshold_before_last: frozenset[str]
    threshold_dims: tuple[str, ...]
    threshold_elided: tuple[str, ...]
    threshold_unit_dim: dict[str, str]
    threshold_suffix: str
    base_year_before: tuple[str, ...]
    rank_scope_rx: re.Pattern[str]
    rank_adverbs: tuple[str, ...]
    rank_suffix: str
    ratio_units: frozenset[str]
    ratio_lead: tuple[str, ...]
    complete_verbs: tuple[str, ...]
    label_max: int
    label_weak_len: int
    label_reject_tail: tuple[str, ...]
    actual_blocker_re: re.Pattern[str]
    threshold_de_not_noun: tuple[str, ...]
    animate_counters: frozenset[str]
    holder_heads: tuple[str, ...]
    noun_end_adverbs: re.Pattern[str]
    share_marks: tuple[str, ...]
    tail_keep: tuple[str, ...]
    empty_alone: frozenset[str]
    compare_lead: tuple[str, ...]
    ratio_alone: frozenset[str]
    list_split_verbs: re.Pattern[str]
    pair_words: dict[str, tuple[str, ...]]
    ratio_part_marks: str
    ratio_parts: dict[str, tuple[str, ...]]
    ratio_part_suffix: str
    label_reject_inside: tuple[str, ...] = ()
    milestone_rx: re.Pattern[str] | None = None
    list_amount_items: frozenset[str] = frozenset()
    respectively: str = "分别"
    bare_verb_rx: re.Pattern[str] | None = None  # adverb? + verb: a metric naming no subject
    bare_verbs: tuple[str, ...] = ()
    predicate_adverbs: re.Pattern[str] | None = None
    level_verbs: tuple[str, ...] = ()
    predicate_short: int = 4
    clause_lead_verbs: tuple[str, ...] = ()
    self_refs: tuple[str, ...] = ()
    rank_frame: re.Pattern[str] | None = None
    rank_scopes: tuple[str, ...] = ()
    rank_fillers: tuple[str, ...] = ()
    aside_re: re.Pattern[str] = _ASIDE
    borrow_not_from: tuple[str, ...] = ()
    cap_keep_words: tuple[str, ...] = ()
    future_year_before: tuple[str, ...] = ()
    future_year_clause_start: str = ""
    from_marks: tuple[str, ...] = ("由",)
    plan_amount_re: re.Pattern[str] | None = None
    plan_amount_blockers: tuple[str, ...] = ()
    lead_bare_heads: frozenset[str] = frozenset()
    cap_reach: int = 0
    borrow_not_opening: tuple[str, ...] = ()
    population_re: re.Pattern[str] | None = None
    lent_object_min: int = 4
    relative_min: int = 5
    level_mark: str = ""
    level_pair_rx: re.Pattern[str] | None = None
    level_one_rx: re.Pattern[str] | None = None
    level_head_rx: re.Pattern[str] | None = None
    population_suffix: str = ""


def _level_rules(raw: dict) -> dict:
    """Patterns of a list of levels sharing one noun (`4个国家级、8个省级示范基地`)."""
    mark, n, h = re.escape(str(raw["mark"])), int(raw["item_max"]), int(raw["head_max"])
    cjk = "[\u4e00-\u9fff]"
    return {
        "level_mark": str(raw["mark"]),
        "level_pair_rx": re.compile(f"({cjk}{{1,{n}}}?{mark})、"),
        "level_one_rx": re.compile(f"({cjk}{{1,{n}}})、({cjk}{{1,{n}}}?{mark})({cjk}{{2,{h}}})"),
        "level_head_rx": re.compile(f"{cjk}{{1,{n}}}?{mark}"),
    }


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _index(words: list[str], at: int) -> dict[str, tuple[str, ...]]:
    """Words keyed by their first (at=0) or last (at=-1) character, longest first: one dict
    lookup rules out most strings, where a regex alternation would try every word."""
    out: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        out.setdefault(w[at], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _rules() -> _Rules:
    """Load the rule data once per process."""
    raw = yaml.load(
        resources.files("heping_data").joinpath("data/facts/rules.yaml").read_text("utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    k, r, m = raw["kind"], raw["role"], raw["metric"]
    by_len = lambda xs: tuple(sorted(xs, key=len, reverse=True))  # noqa: E731
    return _Rules(
        target_cues=tuple(k["target_cues"]),
        target_blockers=tuple(k["target_blockers"]),
        actual_cues=tuple(k["actual_cues"]),
        plan_markers=re.compile(_alt(k["plan_markers"])),
        plan_marker_window=int(k["plan_marker_window"]),
        rank_before=re.compile(f"(?:{_alt(r['rank_before'])})$"),
        rank_units=frozenset(r["rank_units"]),
        rank_prefix=frozenset(r["rank_prefix"]),
        rank_words=tuple(r["rank_words"]),
        threshold_after=by_len(r["threshold_after"]),
        threshold_clause_end=by_len(r["threshold_clause_end"]),
        max_len=int(m["max_len"]),
        left_cap=int(m["left_cap"]),
        left_cap_combined=int(m["left_cap_combined"]),
        right_cap=int(m["right_cap"]),
        lead_strip=by_len(m["lead_strip"]),
        tail_strip=by_len(m["tail_strip"]),
        left_tail_strip=by_len(m["left_tail_strip"]),
        light_verbs=by_len(m["light_verbs"]),
        generic_heads=frozenset(m["generic_heads"]),
        list_joiners=frozenset(m["list_joiners"]),
        left_tail_alone=by_len(m["left_tail_alone"]),
        empty_words=frozenset(m["left_tail_strip"] + m["tail_strip"] + r["threshold_after"]),
        change_words=by_len(m["change_words"]),
        borrow_across=str(m["borrow_across"]),
        list_count_units=frozenset(m["list_count_units"]),
        predicate_verbs=re.compile(_alt(m["predicate_verbs"])),
        short_len=int(m["short_len"]),
        share_lead=tuple(m["share_lead"]),
        share_suffix=str(m["share_of"]["suffix"]),
        share_whole=str(m["share_of"]["whole"]),
        share_whole_units=frozenset(m["share_of"]["amount_units"] + m["share_of"]["change_units"]),
        share_change_units=frozenset(m["share_of"]["change_units"]),
        streak_cues=tuple(m["streak"]["cues"]),
        deng_lead_category=int(m["deng_lead_category"]),
        deng_item_start=re.compile(str(m["deng_item_start"])),
        consequence_verbs=tuple(m["consequence_verbs"]),
        project_actions=by_len(m["projects"]["actions"]),
        rate_mark=str(m["bare_rate"]["mark"]),
        rate_max=int(m["bare_rate"]["max_len"]),
        project_count_units=frozenset(m["projects"]["count_units"]),
        project_verb_re=re.compile(_alt(m["projects"]["verbs"])),
        event_outcomes=tuple(m["event"]["outcomes"]),
        event_verb_re=re.compile(_alt(m["event"]["verbs"])),
        event_suffixes=tuple(m["event"]["suffixes"]),
        streak_units=frozenset(m["streak"]["units"]),
        rank_before_tail=re.compile(f"(?:{_alt(r['rank_before'])})$"),
        multi_year_rx=re.compile(_alt(k["multi_year_cues"])),
        borrow_clause_max=int(m["borrow_clause_max"]),
        target_re=re.compile(_alt(k["target_cues"])),
        rank_words_rx=re.compile(_alt(r["rank_words"])),
        threshold_by_first_last=(_index(r["threshold_after"], 0), _index(r["threshold_after"], -1)),
        lead_by_first=_index(m["lead_strip"], 0),
        tail_by_last=_index(m["tail_strip"], -1),
        left_tail_by_last=_index(m["left_tail_strip"], -1),
        blocker_re=re.compile(
            "|".join([_alt(k["target_blockers"]), *k["target_blocker_patterns"]])
        ),
        actual_re=re.compile(_alt(k["actual_cues"])),
        carry_block_re=re.compile(_alt(k["actual_cues"] + k["carry_blockers"])),
        goal_mid_re=re.compile(_alt(m["goal_mid_cues"])),
        goal_list_re=re.compile(f"(?:{_alt(k['goal_list_cues'])})[是为]?[:：][^。\n]*"),
        period_change_rx=re.compile(
            f"(?:{m['period_lead']})(?:{_alt(m['change_words'] + m['period_change_words'])})"
        ),
        ratio_suffix=str(m["ratio_suffix"]),
        condition_re=re.compile("|".join(m["condition_phrases"])),
        condition_first=tuple(p[0] for p in m["condition_phrases"]),
        # a digit run is dropped from a metric unless it names a line (“12345”热线)
        digit_run=re.compile(
            _DIGIT_RUN.pattern[:-1]
            + f"|[\u4e00-\u9fff”]{{0,8}}(?:{_alt(m['name_digit_suffixes'])}))"
        ),
        threshold_counters=frozenset(r["threshold_counters"]),
        threshold_counter_tails=tuple(u for u in r["threshold_counters"] if not u.isalnum()),
        threshold_before=by_len(r["threshold_before"]),
        threshold_not_noun=by_len(r["threshold_not_noun"]),
        threshold_before_last=frozenset(w[-1] for w in r["threshold_before"]),
        threshold_dims=by_len(m["threshold"]["dimensions"]),
        threshold_elided=by_len(m["threshold"]["elided_dimensions"]),
        threshold_unit_dim={str(k2): str(v) for k2, v in m["threshold"]["unit_dimension"].items()},
        threshold_suffix=str(m["threshold"]["suffix"]),
        base_year_before=by_len(k["base_year_before"]),
        rank_scope_rx=re.compile(_alt(r["rank_scope_verbs"])),
        rank_adverbs=by_len(r["rank_adverbs"]),
        rank_suffix=str(r["rank_suffix"]),
        ratio_units=frozenset(m["ratio_units"]),
        ratio_lead=by_len(m["ratio_lead"]),
        complete_verbs=by_len(m["complete_verbs"]),
        label_max=int(m["table_label"]["max_len"]),
        label_weak_len=int(m["table_label"]["weak_len"]),
        label_reject_tail=by_len(m["table_label"]["reject_tail"]),
        actual_blocker_re=re.compile(_alt(k["actual_blockers"])),
        threshold_de_not_noun=by_len(r["threshold_de_not_noun"]),
        animate_counters=frozenset(r["animate_counters"]),
        holder_heads=by_len(r["holder_heads"]),
        noun_end_adverbs=re.compile(_alt(r["noun_end_adverbs"])),
        share_marks=tuple(r["share_marks"]),
        tail_keep=by_len(m["tail_keep"]),
        empty_alone=frozenset(m["empty_alone"]),
        compare_lead=by_len(m["compare_lead"]),
        ratio_alone=frozenset(m["ratio_alone"]),
        list_split_verbs=re.compile(_alt(m["list_split_verbs"])),
        pair_words={str(k2): tuple(v) for k2, v in m["pair_words"].items()},
        ratio_part_marks=str(m["ratio_part_marks"]),
        ratio_parts={str(k2): tuple(v) for k2, v in m["ratio_parts"].items()},
        ratio_part_suffix=str(m["ratio_part_suffix"]),
        label_reject_inside=tuple(m["table_label"]["reject_inside"]),
        milestone_rx=re.compile(
            f"(?:{_alt(m['milestone_verbs'])})?(?:{_alt(m['milestone_nouns'])})"
        ),
        list_amount_items=frozenset(m["list_amount_items"]),
        respectively=str(m["respectively"]),
        bare_verb_rx=re.compile(f"(?:{_alt(m['bare_verb_adverbs'])})?(?:{_alt(m['bare_verbs'])})"),
        bare_verbs=by_len(m["bare_verbs"]),
        predicate_adverbs=re.compile(_alt(m["predicate_adverbs"])),
        level_verbs=by_len(m["level_verbs"]),
        predicate_short=int(m["predicate_short"]),
        clause_lead_verbs=by_len(m["clause_lead_verbs"]),
        self_refs=by_len(r["self_refs"]),
        rank_frame=re.compile(str(r["rank_frame"])),
        rank_scopes=by_len(r["rank_scopes"]),
        rank_fillers=by_len(r["rank_fillers"]),
        borrow_not_from=by_len(m["borrow_not_from"]),
        cap_keep_words=by_len(m["cap_keep_words"]),
        future_year_before=by_len(k["future_year_before"]),
        future_year_clause_start=str(k["future_year_clause_start"]),
        from_marks=tuple(m["from_marks"]),
        plan_amount_re=re.compile("|".join(k["plan_amount_cues"])),
        plan_amount_blockers=tuple(k["plan_amount_blockers"]),
        lead_bare_heads=frozenset(m["lead_bare_heads"]),
        cap_reach=int(m["cap_reach"]),
        borrow_not_opening=by_len(m["borrow_not_opening"]),
        population_re=re.compile(
            f"[\u4e00-\u9fff]{{0,{int(m['population']['place_max'])}}}?"
            f"(?=(?:{_alt(m['population']['nouns'])}))"
        ),
        population_suffix=str(m["population"]["suffix"]),
        lent_object_min=int(m["lent_object_min"]),
        relative_min=int(m["relative_min"]),
        **_level_rules(m["level_lists"]),
        aside_re=re.compile(
            _ASIDE.pattern.replace(
                "(?:", f"(?:(?:{_alt(m['aside_openers'])})[\u4e00-\u9fff]{{1,12}}|", 1
            )
        ),
    )


# ---------------------------------------------------------------- text helpers


# Per-document memo of `_clean`: a clause's pieces are cleaned several times over while its
# metrics are built. Cleared at the start of every `extract_facts` call, so it stays small.
_CLEAN_MEMO: dict[str, str] = {}
_CLEAN_LEFT_MEMO: dict[str, str] = {}  # the same for ``left=True`` (no tuple key per call)


def _clean(s: str, *, left: bool = False) -> str:
    """Drop quotes, masks, digits and list marks; strip cue words at both ends (and, for
    the words before a number, the comparator or linking verb that joins them to it)."""
    if not s:
        return ""
    memo = _CLEAN_LEFT_MEMO if left else _CLEAN_MEMO
    got = memo.get(s)
    if got is None:
        got = memo[s] = _clean_uncached(s, left)
    return got


def _clean_uncached(s: str, left: bool) -> str:
    ru = _rules()
    if _NOISE_OR_DIGIT.search(s):  # one scan passes the clean majority of pieces
        codes = _CODE.findall(s) if ("." in s or "．" in s) else None
        if codes:  # `PM2.5` is a name: keep its decimal point and digits
            s = _CODE.sub("\x01", s)
        s = _NOISE_CHARS.sub("", s)
        if _DIGIT.search(s):
            s = ru.digit_run.sub("", s)
        if codes:
            for c in codes:
                s = s.replace("\x01", c, 1)
    if "分别" in s:
        s = s.replace("分别", "")
    if any(c in s for c in ru.condition_first):
        s = ru.condition_re.sub("", s)  # `扣除留抵退税因素后同口径增长` → 同口径增长
    if not s or s in ru.empty_words:
        return ""
    # Longest cue word first, looked up by the piece's first or last character (this runs
    # for every cleaned piece, so inline); a tuple `startswith`/`endswith` rules a piece
    # out in one C call before any loop
    if left:
        # a run of linking verbs and comparators at the end (`分别达到`, `不低于`)
        by_last = ru.left_tail_by_last
        while s:
            cands = by_last.get(s[-1])
            if not cands or not s.endswith(cands):
                break
            for w in cands:  # longest first
                if s.endswith(w):
                    s = s[: -len(w)]
                    break
        g = ru.goal_mid_re.search(s, 1) if len(s) > 4 else None
        if g is not None:
            # `全区将力争全年地区生产总值增长`: the goal cue parts the actor from the
            # metric; a bare change word after it keeps the subject (`产值力争增长`)
            rest = s[g.end() :]
            s = (
                rest
                if len(rest) > 2 and not rest.startswith(ru.change_words)
                else s[: g.start()] + rest
            )
    lead, tail = ru.lead_by_first, ru.tail_by_last
    while s:
        cands = lead.get(s[0])
        if cands and s.startswith(cands):
            for w in cands:
                if s.startswith(w):
                    break
            if len(w) < len(s) and s[len(w) :] not in ru.lead_bare_heads:
                s = s[len(w) :]
                continue
            # the longest match is the whole piece (or leaves a bare head): try the tail
        cands = tail.get(s[-1])
        if cands and s.endswith(cands):
            for w in cands:
                if s.endswith(w):
                    break
            if len(w) < len(s) and not s.endswith(ru.tail_keep):
                s = s[: -len(w)]
                continue
        break
    return "" if s in ru.empty_alone else s


def _drop_lists(s: str) -> str:
    """Remove quoted lists (“A、B、C”): they name the items, not what is counted."""
    if _DUN not in s:
        return s
    return _QUOTES.sub(lambda q: "" if _DUN in q.group() else q.group(), s)


def _strip_tail(s: str, words: tuple[str, ...]) -> str:
    if not s.endswith(words):
        return s
    for w in words:
        if s.endswith(w) and len(s) > len(w) + 1:
            return s[: -len(w)]
    return s


def _strip_light(s: str) -> str:
    for w in _rules().light_verbs:
        if s.startswith(w) and len(s) > len(w) + 1:
            return s[len(w) :]
    return s


_LEAD_NUMERAL = re.compile(r"^[第约近超逾]?[0-9０-９*＊.．,，/零〇一二两三四五六七八九十百]+")


def _numeral_free(mention: NumberMention) -> str:
    """The unit words of a mention without its digits (`**亿元` → `亿元`, `九大主题` → `大主题`)."""
    t = mention.text
    if mention.numeral and mention.numeral in t:
        t = t.replace(mention.numeral, "", 1)
    return _NOISE.sub("", _LEAD_NUMERAL.sub("", t))


def _positions(text: str, ch: str) -> list[int]:
    """Offsets of one character: `str.find` skips ahead far faster than a regex scans."""
    out = []
    i = text.find(ch)
    while i >= 0:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


@dataclass
class _Scan:
    """Offsets precomputed once per document for bisect lookups."""

    text: str
    hard: list[int]
    dun: list[int]
    quotes: list[tuple[int, int]]
    quote_starts: list[int]
    colons: list[int]
    colon_reach: list[int]  # the line end or full stop after each colon: labels stop there
    # starts of the quantities: a label that holds one (`列出了十件实事：`) is a sentence
    quant_starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> _Scan:
        quotes = [(q.start(), q.end()) for q in _QUOTES.finditer(text)]
        qs = [a for a, _ in quotes]
        dun = _positions(text, _DUN)
        if quotes and dun:
            kept = []
            for i in dun:
                j = bisect_right(qs, i) - 1
                if j >= 0 and quotes[j][0] < i < quotes[j][1]:
                    continue
                kept.append(i)
            dun = kept
        hard = [m.start() for m in _HARD.finditer(text)]
        n = len(text)
        # `1,026` and `10:30` keep their separators inside the number. Half-width `,` and
        # `:` are rare in this genre: find them alone rather than test every delimiter.
        inner = [
            i
            for i in sorted(_positions(text, ",") + _positions(text, ":"))
            if 0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        ]
        for i in inner:
            del hard[bisect_left(hard, i)]
        if "（" in text or "(" in text:
            # `执业（助理）医师`, `村(社区)党组织`: a short aside inside a noun joins the clause around it
            for a in _rules().aside_re.finditer(text):
                if not a.start() or not "\u4e00" <= text[a.start() - 1] <= "\u9fff":
                    continue
                del hard[bisect_left(hard, a.start())]
                del hard[bisect_left(hard, a.end() - 1)]
        colons = sorted(_positions(text, "：") + _positions(text, ":"))
        if colons and inner:
            gone = set(inner)
            colons = [i for i in colons if i not in gone]
        reach = []
        for c in colons:
            le = _LINE_END.search(text, c)
            reach.append(le.start() if le else n)
        return cls(text, hard, dun, quotes, qs, colons, reach)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around [start, end): between the nearest hard delimiters."""
        i = bisect_left(self.hard, start)
        cs = self.hard[i - 1] + 1 if i > 0 else 0
        j = bisect_left(self.hard, end)
        ce = self.hard[j] if j < len(self.hard) else len(self.text)
        return cs, ce

    def label(self, start: int, max_len: int) -> str:
        """The label of a table line (`地区生产总值：412.6亿元，增长7.8%`) a number at
        ``start`` stands under: the words between the nearest colon on its line and the
        delimiter before that colon, when short and free of numbers."""
        i = bisect_left(self.colons, start) - 1
        if i < 0 or self.colon_reach[i] < start:
            return ""  # a line end or full stop between the colon and the number
        c = self.colons[i]
        k = bisect_left(self.hard, c)
        ls = self.hard[k - 1] + 1 if k > 0 else 0
        if c - ls > max_len or c - ls < 2:
            return ""
        lab = self.text[ls:c]
        if _HAS_NUM.search(lab):
            return ""
        qs = self.quant_starts
        if qs and bisect_left(qs, ls) < bisect_left(qs, c):
            return ""
        return lab

    def duns(self, cs: int, ce: int) -> list[int]:
        return self.dun[bisect_left(self.dun, cs) : bisect_left(self.dun, ce)]


# ---------------------------------------------------------------- role


def _after(text: str, end: int, words: tuple[str, ...]) -> str | None:
    for w in words:
        if text.startswith(w, end):
            return w
    return None


# note of a bare 百/千/万 size class from the numbers layer (千头肉牛养殖场)
_SIZE_CLASS = "size class"


def _role(text: str, m: NumberMention, clause_end: int) -> str:
    """rank for ordinal places, qualifier for a threshold followed by the noun it defines."""
    ru = _rules()
    t = m.text
    if t[0] == "第" or m.is_ordinal:
        return "rank"
    if m.note == _SIZE_CLASS:
        return "qualifier"  # 千头肉牛养殖场: the numbers layer found the holder noun
    if m.unit in ru.rank_units or t[-1] in ru.rank_units:
        before = text[max(0, m.start - 4) : m.start]
        if before[-1:] in ru.rank_prefix or ru.rank_before.search(before):
            return "rank"
    elif ru.rank_words_rx.search(t) and ru.rank_before.search(text[max(0, m.start - 4) : m.start]):
        return "rank"
    # threshold: 以上/以下 right after the number (inside or outside the span) and a noun next
    end = m.end
    # the longest threshold word ending the mention, else starting right after it
    n = 0
    for w in ru.threshold_by_first_last[1].get(t[-1], ()):
        if t.endswith(w):
            n = len(w)
            break
    if n:
        thr = t[-n:]
    else:
        if end >= len(text):
            return "measure"
        for w in ru.threshold_by_first_last[0].get(text[end], ()):
            if text.startswith(w, end, end + 8):
                n = len(w)
                break
        if not n:
            # `超10亿元企业87家`, `超千万元的网店`: a comparator before, the noun it defines
            # right after
            if not (
                m.start > 0
                and text[m.start - 1] in ru.threshold_before_last
                and text.endswith(ru.threshold_before, max(0, m.start - 2), m.start)
            ):
                return "measure"
            pos = m.end
            if text.startswith("的", pos):
                pos += 1
                if text.startswith(ru.threshold_de_not_noun, pos):
                    return "measure"
            if (
                pos < clause_end
                and "\u4e00" <= text[pos] <= "\u9fff"
                and not text.startswith(ru.threshold_not_noun, pos)
                and not text.startswith(ru.threshold_clause_end, pos)
                and not _counts_noun(m, ru, text, pos, clause_end)
            ):
                return "qualifier"
            return "measure"
        thr = text[end : end + n]
        end += n
    if thr == "左右" or end >= clause_end or text.startswith(ru.threshold_clause_end, end):
        return "measure"
    return "measure" if _counts_noun(m, ru, text, end, clause_end) else "qualifier"


def _counts_noun(m: NumberMention, ru: _Rules, text: str, pos: int, clause_end: int) -> bool:
    """A threshold is an amount the noun has (亿元 per project, 分 per student); a number
    that counts the noun (`200场以上促消费活动`, `90%以上政务服务事项`) measures it.
    People and animals count a noun that is a person or an animal, never a holder of
    them (`500头以上养殖场` is a size threshold)."""
    t = m.text
    if "分" in t and any(w in t for w in ru.share_marks):
        return True
    if not (m.unit in ru.threshold_counters or t.endswith(ru.threshold_counter_tails)):
        return False
    if (m.unit or t[-1]) not in ru.animate_counters:
        return True
    noun = _NUM_OR_DUN.split(text[pos : min(clause_end, pos + 12)], maxsplit=1)[0]
    noun = noun.removeprefix("的")
    pv = ru.predicate_verbs.search(noun)
    if pv and pv.start() >= 1:
        noun = noun[: pv.start()]
    adv = ru.noun_end_adverbs.search(noun, 1)  # `30户以上自然村全部通硬化路`
    if adv:
        noun = noun[: adv.start()]
    return not noun.endswith(ru.holder_heads)


# ---------------------------------------------------------------- metric


@dataclass
class _Num:
    """One quantity inside a clause, with offsets relative to the clause."""

    idx: int  # index into the fact list
    s: int
    e: int
    qualifier: bool
    unit_words: str


def _split_chunks(clause: str, cs: int, duns: list[int]) -> list[tuple[int, int]]:
    bounds = [cs, *[d + 1 for d in duns]]
    ends = [*duns, cs + len(clause)]
    return [(a - cs, b - cs) for a, b in zip(bounds, ends, strict=True)]


def _cap_left(s: str, n: int) -> str:
    """The last ``n`` characters of ``s``, moved left to keep a subject word whole."""
    if len(s) <= n:
        return s
    ru = _rules()
    cut = len(s) - n
    for k in range(max(0, cut - ru.cap_reach), cut + 1):
        # the leftmost subject word that the cut would split or that ends right at it
        w = next((w for w in ru.cap_keep_words if s.startswith(w, k)), "")
        if w and k < cut <= k + len(w):
            return s[k:]
    t = s[-n:]
    # never keep the tail of a cut number (`12345热线` cut to `45热线`)
    return t.lstrip("0123456789") if t[0].isdigit() and s[-n - 1].isdigit() else t


def _cap_right(s: str, n: int) -> str:
    return s[:n] if len(s) > n else s


def _noun_first(right: str) -> str:
    """`2个国控断面水质全面达到Ⅲ类`: words after a number name the counted noun up to where
    a short or level predicate opens (see ``predicate_adverbs`` in the rule data); a long
    predicate defines the noun and stays."""
    ru = _rules()
    adv = ru.predicate_adverbs.search(right, 2)
    if adv is not None:
        rest = right[adv.end() :]
        if len(rest) <= ru.predicate_short or rest.startswith(ru.level_verbs):
            return right[: adv.start()]
    return right


def _after_deng(s: str, has_noun: bool) -> tuple[str, bool]:
    """`A、B等C` names examples then the category: keep C, or nothing when the category
    follows the number (`A等*个项目`); keep the examples only when no noun is left."""
    k = s.rfind("等")
    if k < 0:
        return s, False
    tail = s[k + 1 :]
    if _clean(tail):
        return tail, True
    return ("", True) if has_noun else (s[:k], True)


def _clause_metrics(
    clause: str, cs: int, duns: list[int], nums: list[_Num]
) -> tuple[dict[int, str], set[int]]:
    """Metric phrase for each quantity of one clause, and which of them name only a subject
    before the number (those may borrow context from the previous clause)."""
    ru = _rules()
    out: dict[int, str] = {}
    subject_only: set[int] = set()
    anchors = [n for n in nums if not n.qualifier]
    # Qualifier numbers read as words for their neighbours (`**个**亿元以上重点项目`):
    # build a view of the clause in which they become their unit words.
    pieces = [(n.s, n.e, n.unit_words) for n in nums if n.qualifier]
    if pieces:
        parts: list[str] = []
        pos = 0
        for a, b, rep in pieces:
            parts.append(clause[pos:a])
            parts.append(rep)
            pos = b
        parts.append(clause[pos:])
        view = "".join(parts)

        def to_view(x: int) -> int:
            return x + sum(len(rep) - (b - a) for a, b, rep in pieces if b <= x)

        duns = [to_view(d - cs) + cs for d in duns]
        spans = [(to_view(n.s), to_view(n.e), n.idx) for n in anchors]
    else:
        view = clause
        spans = [(n.s, n.e, n.idx) for n in anchors]
    chunks = _split_chunks(view, cs, duns)
    # Assign anchors to chunks (chunk ends are the 、 positions, in order).
    ends = [b for _, b in chunks]
    per_chunk: list[list[tuple[int, int, int]]] = [[] for _ in chunks]
    for s, e, idx in spans:
        per_chunk[min(bisect_right(ends, s), len(chunks) - 1)].append((s, e, idx))

    # Parallel list: trailing chunks that hold nothing but one number (`**.*%、**.*%`).
    def pure(ci: int) -> bool:
        a, b = chunks[ci]
        items = per_chunk[ci]
        if len(items) != 1:
            return False
        s, e, _ = items[0]
        return not _clean(view[a:s]) and not _clean(view[e:b])

    nouns = {n.idx: n.unit_words[1:] for n in anchors if n.unit_words.startswith("大")}
    ci_last = len(chunks) - 1
    k = ci_last
    while k > 0 and pure(k):
        k -= 1
    handled: set[int] = set()
    if k < ci_last and len(per_chunk[k]) >= 1:
        head_s, head_e, head_idx = per_chunk[k][-1]
        a, b = chunks[k]
        if not _clean(view[head_e:b]):
            group = [head_idx] + [per_chunk[c][0][2] for c in range(k + 1, ci_last + 1)]
            lead_chunks = [view[chunks[c][0] : chunks[c][1]] for c in range(k)]
            # subjects: numberless chunks before, then the text before the head number
            subj_start = k
            while subj_start > 0 and not per_chunk[subj_start - 1]:
                subj_start -= 1
            first_text = (
                view[a:head_s] if not per_chunk[k][:-1] else view[per_chunk[k][-2][1] : head_s]
            )
            subjects = [lead_chunks[c] for c in range(subj_start, k)] + [first_text]
            pair = _split_pair(first_text) if len(subjects) == 1 and len(group) == 2 else None
            da_prev = per_chunk[k][-2] if len(per_chunk[k]) >= 2 else None
            da_noun = nouns.get(da_prev[2], "") if da_prev else ""
            if da_noun and len(subjects) == len(group):
                # `家电、机器人、汽车零部件三大产业产值分别增长a、b和c`: item + the N大
                # noun + the predicate after it, one per listed item
                ps, pe, _ = da_prev
                pred = _clean(view[pe:head_s])
                items = [_clean(lead_chunks[c]) for c in range(subj_start, k)]
                items.append(_clean(view[a:ps]))
                metrics = [(it + da_noun + pred)[: ru.max_len] for it in items]
            elif pair:
                metrics = pair
            elif len(subjects) == len(group) and len(group) > 1:
                metrics = _distribute(subjects)
            else:
                shared = _cap_left(_clean(_drop_lists(first_text), left=True), ru.left_cap)
                metrics = [shared] * len(group)
            same = len(set(metrics)) == 1
            for idx, met in zip(group, metrics, strict=True):
                out[idx] = met
                handled.add(idx)
                if same:
                    subject_only.add(idx)

    n_units = {n.idx: ("大" if n.idx in nouns else n.unit_words) for n in anchors}
    for ci, items in enumerate(per_chunk):
        a, b = chunks[ci]
        # earlier chunks without numbers: a list whose items this number may count
        list_before = ci > 0 and all(not per_chunk[c] for c in range(ci))
        for j, (s, e, idx) in enumerate(items):
            if idx in handled:
                continue
            noun = nouns.get(idx, "")
            prev_e = items[j - 1][1] if j > 0 else a
            next_s = items[j + 1][0] if j + 1 < len(items) else b
            left_raw = _drop_lists(view[prev_e:s])
            right_raw = _drop_lists(view[e:next_s])
            keep = ""
            linked_right = ""
            if j + 1 < len(items) and _links(right_raw):
                # `A达到N` after this number: the words go to the next one
                linked_right, right_raw = right_raw, ""
            if j > 0 and _clean(left_raw):
                if items[j - 1][2] in nouns:
                    # `三大产业集群营业收入达到N`, `三大主导产业实现产值N`: an N大 noun is
                    # whole by itself, so it names the subject of the words after it
                    ps, pe, _ = items[j - 1]
                    keep = view[ps:pe]
                elif not _links(left_raw):
                    # text between two numbers belongs to the first (number before noun)
                    left_raw = ""
            right = _clean(right_raw)
            if j + 1 < len(items) and not right:
                right_raw = ""
            has_noun = bool(right or noun)
            item = left_raw[: left_raw.rfind("等")] if "等" in left_raw else ""
            left_raw, deng = _after_deng(left_raw, has_noun)
            if deng and list_before and j == 0 and not has_noun and item:
                # `协调解决用工、用地、融资等问题N个`: a bare category takes the verb
                # phrase before the list (the first chunk less an item as long as the last)
                cat = _clean(left_raw)
                if 0 < len(cat) <= ru.deng_lead_category:
                    f0, f1 = chunks[0]
                    cut = max(f0, f1 - len(item.strip()))
                    ed = ru.deng_item_start.search(view, f0, f1)
                    if ed and ed.start() < cut:
                        cut = ed.start()
                    lead = _clean(view[f0:cut], left=True)
                    if len(lead) >= 2:
                        left_raw = lead + cat
            counter = n_units.get(idx, "")
            if list_before and not deng and has_noun and j == 0 and counter in ru.list_count_units:
                left_raw = ""  # the last item of the counted list is not the metric
            elif list_before and not deng and not has_noun and j == 0:
                # `新建中小学、幼儿园17所`, `引育新品种、新技术2110项`: one count or amount of
                # every listed kind, not of the last (when the whole list fits in a metric)
                whole = "".join(view[chunks[c][0] : chunks[c][1]] for c in range(ci)) + left_raw
                # (never a list inside quotes or across a comma: those name, not count)
                if len(_clean(whole, left=True)) <= ru.max_len and not _LIST_STOP.search(whole):
                    left_raw = whole
            left = _clean(left_raw, left=True)
            if keep and left:
                left = keep + left
            if noun:
                right = _clean(noun + right)
            elif len(right) > 3:
                right = _noun_first(right)
            if left and right:
                met = left + right if deng else _cap_left(left, ru.left_cap_combined) + right
                met = _clean(met[: ru.left_cap_combined + ru.right_cap])
            elif left:
                if not _clean(right_raw):
                    left = _strip_tail(left, ru.left_tail_alone)
                met = _cap_left(left, ru.left_cap)
                if j + 1 < len(items):
                    # `完成**轮***万人次排查`: the noun comes after the next number
                    ne = items[j + 1][1]
                    nxt_end = items[j + 2][0] if j + 2 < len(items) else b
                    nxt = _clean(_drop_lists(view[ne:nxt_end]))
                    if nxt:
                        met = _strip_light(left) + _cap_right(nxt, ru.right_cap)
            elif right:
                met = _cap_right(right, ru.right_cap + 4)
                if j + 1 < len(items):
                    # `**个部门****个事项录入平台`: share the last number's predicate
                    last = view[items[-1][1] : b]
                    pv = ru.predicate_verbs.search(last)
                    if pv and not ru.predicate_verbs.search(right):
                        met = right + _cap_right(_clean(last[pv.start() :]), 8)
            else:
                met = ""
                if j > 0:
                    # `***户上市挂牌企业募集资金***亿元`: the words between name it
                    met = _clean(view[items[j - 1][1] : s], left=True)
                elif linked_right:
                    # `11户国有企业整合为3户`: the words after it, short of the link
                    met = _clean(linked_right, left=True)
            out[idx] = (met if keep else _clean(met))[: ru.max_len] if met else ""
            if left and not _clean(right_raw):
                subject_only.add(idx)
    if len(chunks) > 1 and per_chunk[0]:
        first = out.get(per_chunk[0][0][2], "")
        for ci in range(1, len(chunks)):
            items = per_chunk[ci]
            if len(items) == 1 and items[0][2] in subject_only and items[0][2] not in handled:
                idx = items[0][2]
                out[idx] = _share_list_subject(first, out[idx], ru)
    return out, subject_only


def _share_list_subject(first: str, item: str, ru: _Rules) -> str:
    """A short later item of a 、-list names only what differs from the first item:
    `新增省级企业4家、市级11家` (same-length word with the same last character swapped in),
    `企业实现产值N、利润N` (the first item's subject before its verb leads it)."""
    n = len(item)
    if item in ru.list_amount_items and len(first) >= 4:
        return first[:-2] + item  # 签约项目N个、金额N亿元 → 签约金额
    if not 2 <= n <= 4 or len(first) <= n + 1 or item in first or first[-1] == item[-1]:
        return item  # same head noun as the first item (`项目N个、储备项目N个`): complete
    for k in range(len(first) - n - 1, -1, -1):
        if first[k + n - 1] == item[-1]:
            return (first[:k] + item + first[k + n :])[: ru.max_len]
    cut = max((v.start() for v in ru.list_split_verbs.finditer(first)), default=-1)
    if cut >= 2:
        return (first[:cut] + item)[: ru.max_len]
    return item


def _single_metric(text: str, cs: int, ce: int, m: NumberMention) -> tuple[str, bool]:
    """`_clause_metrics` for a clause holding one non-qualifier number and no `、` list: the
    same rules without the list bookkeeping (the common case, so it must be cheap).
    Returns the metric and whether it names only a subject before the number."""
    ru = _rules()
    s = m.start if m.start > cs else cs
    e = m.end if m.end < ce else ce
    noun = ""
    if "大" in m.text:
        uw = _numeral_free(m)
        if uw.startswith("大"):
            noun = uw[1:]
    # helpers' no-op cases tested inline: this runs once per quantity
    left_raw = text[cs:s]
    right_raw = text[e:ce]
    if _DUN in left_raw:
        left_raw = _drop_lists(left_raw)
    if _DUN in right_raw:
        right_raw = _drop_lists(right_raw)
    right = _clean(right_raw) if right_raw else ""
    right_empty = not right
    deng = False
    if "等" in left_raw:
        left_raw, deng = _after_deng(left_raw, bool(right or noun))
    left = _clean(left_raw, left=True) if left_raw else ""
    if noun:
        right = _clean(noun + right)
    elif len(right) > 3:
        right = _noun_first(right)
    # `_clean` output is stable under `_clean` except that a bare cue word becomes empty,
    # so only a phrase that was cut (or had a verb stripped) is cleaned again
    if left and right:
        met = left + right if deng else _cap_left(left, ru.left_cap_combined) + right
        met = _clean(met[: ru.left_cap_combined + ru.right_cap])
    elif left:
        met = _strip_tail(left, ru.left_tail_alone) if right_empty else left
        if len(met) > ru.left_cap or met is not left:
            # a share names its part and its whole (`数字经济核心产业增加值占地区生产总值比重`)
            share = ru.share_lead[0] in met and met.endswith(ru.share_whole)
            met = _clean(_cap_left(met, ru.max_len if share else ru.left_cap))
    elif right:
        met = right
        if len(met) > ru.right_cap + 4:
            met = _clean(met[: ru.right_cap + 4])
    else:
        return "", False
    if met in ru.empty_words:
        met = ""
    return met[: ru.max_len], bool(left) and right_empty


def _links(s: str) -> bool:
    """Whether words end with a linking verb or comparator (`…达到`), i.e. they are the
    subject of the number that follows them."""
    s = _NOISE.sub("", s)
    return len(s) > 2 and s.endswith(_rules().left_tail_strip)


def _split_pair(s: str) -> list[str] | None:
    """`起数和死亡人数分别下降` + two numbers → `起数下降`, `死亡人数下降`."""
    s = _NOISE.sub("", _drop_lists(s))
    k = s.find("分别")
    if k < 0:
        return None
    subj, pred = s[:k], _clean(s[k + 2 :], left=True)
    parts = _PAIR_SPLIT.split(subj)
    if len(parts) == 1:
        # `城乡低保标准分别提高到`: one word that names both (城镇, 农村)
        for w, pair in _rules().pair_words.items():
            at = subj.find(w)
            if at >= 0 and len(pair) == 2:
                rest = subj[at + len(w) :]
                return [_clean(subj[:at] + p + rest + pred) for p in pair]
    if len(parts) != 2 or not all(parts):
        return None
    one, two = parts
    if len(one) <= 4 and len(two) > len(one) + 1:
        one += two[len(one) :]  # `城镇和农村居民收入`: the short item shares the head
    return [_clean(one + pred), _clean(two + pred)]


def _distribute(subjects: list[str]) -> list[str]:
    """`存、贷款余额占全市` → `存款余额占全市`, `贷款余额占全市` (one per listed subject)."""
    first, last = _clean(subjects[0]), _drop_lists(subjects[-1])
    last = _NOISE.sub("", last).replace("分别", "")
    width = len(first) if len(first) <= 4 else 1
    tail = last[width:]
    prefix = first[:-width] if len(first) > width else ""
    out = []
    for i, s in enumerate(subjects):
        item = _clean(s)
        if i == 0:
            out.append(_clean(first + tail))
        elif i == len(subjects) - 1:
            out.append(_clean(prefix + last))
        else:
            out.append(_clean(prefix + item + tail))
    return out


# ---------------------------------------------------------------- kind, year, inference


def _plan_start(doc: Document, sections: tuple[Section, ...], sents: tuple[Sentence, ...]) -> int:
    """Offset where the plan part starts (len(text) when the report has no plan part).

    A top-level section of no known part that follows the review and comes before the plan
    (`阔步迈上新征程` between `2022年工作回顾` and `2023年主要工作`) looks ahead: it opens the
    plan part."""
    at = _plan_start_outline(doc, sections, sents)
    prev_part = None
    for s in sections:
        if s.level != 1 or s.span_start >= at:
            continue
        if s.part is None and prev_part == "review":
            return s.span_start
        prev_part = s.part
    return at


def _plan_start_outline(
    doc: Document, sections: tuple[Section, ...], sents: tuple[Sentence, ...]
) -> int:
    """Offset where the outline (or a plan marker) puts the start of the plan part."""
    fn = getattr(_outline, "plan_start", None)
    if fn is not None:
        try:
            got = fn(doc, sections)
        except Exception:  # an outline bug must not lose every fact
            got = None
        if got is not None:
            return int(got)
    for s in sections:
        if s.part == "plan":
            return s.span_start
    if any(s.part == "review" for s in sections):
        return len(doc.text)
    # No parts known: the first sentence that opens with a plan marker, past the first third.
    ru = _rules()
    body0 = doc.body_start
    body1 = doc.body_end or len(doc.text)
    floor = body0 + (body1 - body0) // 3
    for st in sents:
        if st.start < floor:
            continue
        lead = doc.text[st.start : min(st.end, st.start + ru.plan_marker_window)]
        if ru.plan_markers.search(lead):
            return st.start
    return len(doc.text)


def _due_year(text: str, ys: int, ru: _Rules) -> bool:
    """True when the year at ``ys`` is the year a goal is due (`到2025年，`, `力争2025年`):
    a cue right before it; a one-character cue only where it opens its clause."""
    for w in ru.future_year_before:
        if text.endswith(w, 0, ys):
            if len(w) > 1:
                return True
            at = ys - 1
            return at == 0 or text[at - 1] in ru.future_year_clause_start
    return False


def _plan_amount(text: str, cs: int, ms: int, ru: _Rules) -> bool:
    """True when the number is the amount a year's plan sets, not a report of it done."""
    if ru.plan_amount_re is None or not ru.plan_amount_re.search(text, cs, ms):
        return False
    return not any(w in text[cs:ms] for w in ru.plan_amount_blockers)


def _population(text: str, m: NumberMention, ru: _Rules) -> str:
    """`1000万保定人民`: a bare count before a place and its people states that place's
    population (保定人口), in the review and the plan alike; empty when it is not one."""
    if ru.population_re is None or m.unit not in (None, "", "人"):
        return ""
    got = ru.population_re.match(text, m.end)
    if got is None or (got.start() == got.end() and m.unit != "人"):
        return ""
    return got.group() + ru.population_suffix


def _cue_target(clause: str) -> bool:
    ru = _rules()
    if not ru.target_re.search(clause):
        return False
    return bool(ru.target_re.search(ru.blocker_re.sub("", clause)))


def _report_year(doc: Document) -> int | None:
    if doc.report_year:
        return doc.report_year
    if doc.title and "报告" in doc.title:
        m = _YEAR.search(doc.title)
        if m:
            return int(m.group(1)) - 1
    return None


_LIST_AFTER = re.compile(r"[，,：:]?即?[“「]?([^。；;“”]{2,200}?)[”」]?[。；;]")


def _count_items(s: str) -> int:
    return len([x for x in s.split(_DUN) if x.strip()])


def _infer(text: str, m: NumberMention, scan: _Scan) -> tuple[float | None, str | None]:
    """A masked count pinned by the list it counts (`“A、B、C”*大方面`)."""
    if not m.is_masked or m.value_min is None or m.value_max is None:
        return None, None
    if m.multiplier not in (1, 1.0) or "." in m.text:
        return None, None
    # a quoted list right before the number
    j = bisect_right(scan.quote_starts, m.start) - 1
    if j >= 0:
        qa, qb = scan.quotes[j]
        if qb <= m.start and not text[qb : m.start].strip("，, ") and _DUN in text[qa:qb]:
            n = _count_items(text[qa + 1 : qb - 1])
            if m.value_min <= n <= m.value_max:
                return float(n), "count of the listed items before it"
    # a list introduced by 即 or a colon right after (`N个方面，即A、B、C。`)
    after = text[m.end : m.end + 220]
    lm = _LIST_INTRO.match(after)
    if lm and (after[lm.end() - 1] == "即" or after[lm.end() - 1] in "：:"):
        em = _LIST_END.search(after[lm.end() :])
        body = after[lm.end() : lm.end() + em.start()] if em else ""
        if _DUN in body and "等" not in body:
            n = _count_items(body)
            if m.value_min <= n <= m.value_max:
                return float(n), "count of the listed items after it"
    return None, None


# ---------------------------------------------------------------- entry point

_START = attrgetter("start")
_FACT_FIELDS = (
    "mention",
    "metric",
    "kind",
    "role",
    "section_index",
    "sentence_index",
    "period_year",
    "inferred_value",
    "inferred_how",
)
# A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which is a
# tenth of the step's time at one fact per ~25 characters; filling `__dict__` in one go
# gives an equal object. Only while the record has exactly these fields and no hook.
_FAST_FACT = (
    tuple(f.name for f in fields(NumericFact)) == _FACT_FIELDS
    and not hasattr(NumericFact, "__post_init__")
    and not hasattr(NumericFact, "__slots__")
)
_new = object.__new__
_set = object.__setattr__


def _blank(
    text: str, mentions: list[NumberMention] | tuple[NumberMention, ...], base: tuple[str, ...] = ()
) -> str:
    """The text with year and date mentions (and a 的 right after them) replaced by
    ``\x00`` of the same length: offsets stay valid and `_clean` drops them whole.

    A period in words right after a base word (`比一季度加快`) stays: it is what the
    number is compared with, and unlike `比2020年` it survives `_clean`."""
    spans = [
        (m.start, m.end)
        for m in mentions
        if m.cls in _BLANK_CLASSES
        and not (
            base
            and m.cls == "date"
            and not _DIGIT.search(m.text)
            and "*" not in m.text
            and text.endswith(base, max(0, m.start - 2), m.start)
        )
    ]
    if not spans:
        return text
    spans.sort()
    parts: list[str] = []
    pos = 0
    for a, b in spans:
        if a < pos:
            continue
        if text.startswith("的", b):
            b += 1
        parts.append(text[pos:a])
        parts.append("\x00" * (b - a))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def extract_facts(
    doc: Document,
    sections: tuple[Section, ...],
    sentences: tuple[Sentence, ...],
    mentions: list[NumberMention] | tuple[NumberMention, ...],
) -> tuple[NumericFact, ...]:
    """One fact per quantity mention, in text order, with metric, kind, role and year."""
    text = doc.text
    quants = sorted([m for m in mentions if m.cls == "quantity"], key=_START)
    if not quants:
        return ()
    ru = _rules()
    _CLEAN_MEMO.clear()
    _CLEAN_LEFT_MEMO.clear()
    scan = _Scan.of(text)
    scan.quant_starts = [m.start for m in quants]
    mtext = _blank(text, mentions, ru.base_year_before)  # same offsets, years and dates blanked
    sec_sorted = sorted(sections, key=lambda s: s.span_start)
    sec_starts = [s.span_start for s in sec_sorted]
    sent_starts = [s.start for s in sentences]
    plan_at = _plan_start(doc, sections, sentences)
    ryear = _report_year(doc)
    # a base year (`比2020年下降14.5%`) is what the number is compared with, not its time
    year_mentions = sorted(
        (
            m
            for m in mentions
            if m.cls == "year"
            and not text.endswith(ru.base_year_before, max(0, m.start - 2), m.start)
        ),
        key=lambda m: m.start,
    )
    year_starts = [m.start for m in year_mentions]
    # goal lists (`主要预期目标是：…；…。`): spans whose figures are all targets
    goal_spans = [g.span() for g in ru.goal_list_re.finditer(text)] if plan_at > 0 else []
    goal_starts = [g[0] for g in goal_spans]

    # clause of each quantity, role, then metrics clause by clause
    hard, n_hard, n_text = scan.hard, len(scan.hard), len(text)
    clauses = []  # `_Scan.clause`, inlined: one per quantity
    for m in quants:
        hi = bisect_left(hard, m.start)
        hj = bisect_left(hard, m.end, hi)
        clauses.append((hard[hi - 1] + 1 if hi else 0, hard[hj] if hj < n_hard else n_text))
    # a run-in heading glued to its body (`项目建设提质提速全年实施…`) is no part of a clause
    head_ends = sorted(
        x.char_end for x in sections if x.char_end is not None and x.char_start is not None
    )
    if head_ends:
        for k, m in enumerate(quants):
            cs, ce = clauses[k]
            hk = bisect_right(head_ends, m.start) - 1
            if hk >= 0 and cs < head_ends[hk] <= m.start:
                clauses[k] = (head_ends[hk], ce)
    roles = [_role(text, m, ce) for m, (_, ce) in zip(quants, clauses, strict=True)]
    metrics: list[str] = [""] * len(quants)
    subject_only: set[int] = set()
    i = 0
    n_q = len(quants)
    while i < n_q:
        cl = clauses[i]
        cs, ce = cl
        if (i + 1 == n_q or clauses[i + 1] != cl) and text.find(_DUN, cs, ce) < 0:
            # most clauses hold one number and no list: skip the list machinery
            if roles[i] != "qualifier":
                m = quants[i]
                met, subj_only = _single_metric(mtext, cs, ce, m)
                metrics[i] = met
                if subj_only:
                    subject_only.add(i)
            i += 1
            continue
        j = i
        nums: list[_Num] = []
        while j < n_q and clauses[j] == cl:
            m = quants[j]
            s, e = max(m.start, cs), min(m.end, ce)
            nums.append(_Num(j, s - cs, e - cs, roles[j] == "qualifier", _numeral_free(m)))
            j += 1
        duns = scan.duns(cs, ce)
        for a, b in zip(quants[i:j], quants[i + 1 : j], strict=False):
            if text[a.end : b.start] in ru.list_joiners:
                duns.append(a.end)  # `增长5.3%和6.8%` lists numbers like `、`
        got, subj = _clause_metrics(mtext[cs:ce], cs, sorted(set(duns)), nums)
        subject_only |= subj
        for k, v in got.items():
            metrics[k] = v
        i = j

    _from_to(text, mtext, quants, clauses, roles, metrics, ru)

    facts: list[NumericFact] = []
    colons, colon_reach = scan.colons, scan.colon_reach
    # rule fields read once per fact, hoisted out of the loop
    part_marks, milestone_rx, short_len = ru.ratio_part_marks, ru.milestone_rx, ru.short_len
    bare_verb_rx = ru.bare_verb_rx
    share_lead, compare_lead, multi_year_rx = ru.share_lead, ru.compare_lead, ru.multi_year_rx
    ratio_units, target_re = ru.ratio_units, ru.target_re
    share_or_compare = share_lead + compare_lead
    share_suffix, streak_units = ru.share_suffix, ru.streak_units
    lead_first = frozenset(
        w[0] for w in ru.event_outcomes + ru.consequence_verbs + ru.project_actions
    )
    rate_mark = ru.rate_mark
    streaks: dict[int, str] = {}
    my_s0, my_hit = -1, None  # linear time: never rescan a sentence from its start per number
    for k, m in enumerate(quants):
        ms = m.start
        cs, ce = clauses[k]
        si = bisect_right(sent_starts, ms) - 1
        sent = sentences[si] if si >= 0 else None
        s0 = sent.start if sent else cs
        met = metrics[k]
        role = roles[k]
        lab = ""
        if colons:
            ci = bisect_left(colons, ms) - 1
            if ci >= 0 and colon_reach[ci] >= ms:  # else `label` would give ""
                lab = _table_label(scan, ms, ru)
        if role == "qualifier":
            # the threshold measures the noun it defines (`**亿元以上重点项目` → 重点项目)
            tail = mtext[m.end : ce]
            for w in ru.threshold_after:
                if tail.startswith(w):
                    tail = tail[len(w) :]
                    break
            tail = _NUM_OR_DUN.split(tail, maxsplit=1)[0].removeprefix("的")
            noun = "" if tail.startswith(ru.left_tail_strip) else _clean(_drop_lists(tail))
            pv = ru.predicate_verbs.search(noun)
            if pv and pv.start() >= 2:
                noun = noun[: pv.start()]
            adv = ru.noun_end_adverbs.search(noun, 2) if noun else None
            if adv:
                noun = noun[: adv.start()]  # `自然村全部通硬化路` → 自然村
            if noun:
                noun = _clean(noun, left=True)  # `企业增至` → 企业
            left_raw = mtext[max(cs, ms - ru.left_cap_combined) : ms]
            left = _clean(_drop_lists(left_raw), left=True)
            # what the threshold bounds: a dimension word just before it, else its unit's
            dim = next((d for d in ru.threshold_dims if left.endswith(d)), "")
            elided = ""
            if not dim and facts and facts[-1].mention.start >= s0:
                # `收入全部超过5万元，其中超过50万元的村`: the dimension is the earlier
                # figure's metric when that figure has the same unit
                pf = facts[-1]
                pm = pf.metric or ""
                if pf.mention.unit == m.unit and pm.endswith(ru.threshold_elided):
                    elided = pm
            if elided:
                lead = _cap_right(noun, 8) if noun and noun not in elided else ""
                met = lead + elided + ru.threshold_suffix
            elif noun:
                dim = dim or ru.threshold_unit_dim.get(m.unit or "", "")
                met = _cap_right(noun, 8) + dim + (ru.threshold_suffix if dim else "")
            elif dim:
                met = left + ru.threshold_suffix
            else:
                dim = ru.threshold_unit_dim.get(m.unit or "", "")
                met = left + (dim + ru.threshold_suffix if dim else _numeral_free(m)[-1:])
        elif lab:
            # a table line: its label heads every number on it unless the clause names more
            if len(met) <= ru.label_weak_len and lab not in met:
                met = lab + met
        elif met and milestone_rx.fullmatch(met):
            met = _borrow(mtext, scan, "", m, cs, s0, facts, ru)  # 迈上N亿元新台阶
        elif met and bare_verb_rx.fullmatch(met):
            met = _borrow(mtext, scan, met, m, cs, s0, facts, ru)  # 较上年新增N, 净增N
        elif (
            not met
            or (len(met) <= short_len and k in subject_only)
            or met.startswith(share_or_compare)
            or ru.period_change_rx.match(met)
        ):
            met = _borrow(mtext, scan, met, m, cs, s0, facts, ru)
        if not met:
            # never no metric: the nearest words before the number, else after it
            met = _cap_left(
                _clean(_drop_lists(mtext[max(0, ms - ru.left_cap_combined * 2) : ms])),
                ru.left_cap_combined,
            ) or _cap_right(_clean(_drop_lists(mtext[m.end : m.end + ru.right_cap])), 8)
        if (ms and text[ms - 1] in part_marks) or (m.end < n_text and text[m.end] in part_marks):
            met = _ratio_part(text, m, s0, quants, k, ru) or met
        if role == "rank":
            met = _rank_metric(met, s0, cs, facts, ru, mtext[cs:ms])
        elif m.unit in ratio_units and (
            met.startswith(ru.ratio_lead)
            or _NOISE.sub("", mtext[cs:ms]).startswith(ru.ratio_lead)
            or _NOISE.sub("", mtext[cs:ms]) in ru.ratio_alone
        ):
            met = _ratio_metric(text, met, m, cs, s0, facts, ru)
        if role == "measure" and (
            (met and (met[0] in lead_first or met[-1] == rate_mark or met.endswith(share_suffix)))
            or m.unit in streak_units
        ):
            met = _context_metric(text, met, m, k, quants, cs, ce, s0, facts, streaks, ru)
        # kind: the part of the report, overridden by cue words near the number
        if ms >= plan_at:
            clause_txt = text[cs:ce]
            actual = ru.actual_re.search(clause_txt) and not _cue_target(clause_txt)
            if actual and ru.actual_blocker_re.search(clause_txt):
                actual = ru.actual_re.search(ru.actual_blocker_re.sub("", clause_txt))
            kind = "actual" if actual else "target"
        else:
            # cues reach back over the clause, never past an earlier number
            # (`计划120公里，完成136公里`: 计划 belongs to the first)
            pre_from = max(s0, min(cs, ms - 12))
            if k and quants[k - 1].end > pre_from:
                pre_from = quants[k - 1].end
            # (the cue pattern is plain words: searching in place equals searching a slice)
            hit = target_re.search(text, pre_from, ms)
            kind = "target" if hit and _cue_target(text[pre_from:ms]) else "actual"
            if kind == "actual" and hit and _plan_amount(text, cs, ms, ru):
                kind = "target"  # `年度计划投资1200亿元`: the amount the plan sets
            if (
                kind == "actual"
                and facts
                and facts[-1].kind == "target"
                and facts[-1].mention.start >= s0
                and clauses[k - 1] != (cs, ce)
                and not ru.carry_block_re.search(text, cs, ce)
            ):
                # `力争增长6%，新开工项目20个`: the goal cue governs the list of goals
                # that follows it in its sentence (not `计划120公里，完成136公里`)
                kind = "target"
            if kind == "actual" and goal_spans:
                gi = bisect_right(goal_starts, ms) - 1
                if gi >= 0 and ms < goal_spans[gi][1] and not ru.actual_re.search(text, cs, ce):
                    kind = "target"  # inside a `主要预期目标是：…；…` list
        pop = _population(mtext, m, ru)
        if pop:
            met, kind = pop, "actual"  # `为1000万保定人民创造…`: a place's people, as they are
        # year: the sentence's own year before the number, else the report's (plan: +1)
        year = ryear + 1 if (ryear is not None and kind == "target") else ryear
        if s0 != my_s0:  # first multi-year cue of the sentence, found once per sentence
            my_s0, my_hit = s0, multi_year_rx.search(text, s0, sent.end if sent else ce)
        if my_hit is not None and my_hit.end() <= ms:
            year = None  # `“十四五”期间…`, `五年来…`: a span of years, not one year
        yi = bisect_right(year_starts, ms) - 1
        if yi >= 0 and year_mentions[yi].start >= s0:
            ym = year_mentions[yi]
            yv = ym.value
            if yv is None:
                g = _YEAR.match(ym.text)
                yv = int(g.group(1)) if g else None
            year = int(yv) if yv is not None else None
            if year is not None and ryear is not None:
                # `到2025年…` names a future year; `2022年…` in the plan looks back
                kind = "target" if year > ryear else "actual"
            elif year is not None and _due_year(text, ym.start, ru):
                kind = "target"  # `到2025年，…`: a year a goal is due, whatever the report's
        iv, how = _infer(text, m, scan) if m.is_masked else (None, None)
        sec_i = bisect_right(sec_starts, ms) - 1
        sec_index = (
            sec_sorted[sec_i].index if sec_i >= 0 else (sec_sorted[0].index if sec_sorted else 0)
        )
        if _FAST_FACT:
            f = _new(NumericFact)
            _set(
                f,
                "__dict__",
                {
                    "mention": m,
                    "metric": met or None,
                    "kind": kind,
                    "role": role,
                    "section_index": sec_index,
                    "sentence_index": sent.index if sent else None,
                    "period_year": year,
                    "inferred_value": iv,
                    "inferred_how": how,
                },
            )
        else:
            f = NumericFact(
                m, met or None, kind, role, sec_index, sent.index if sent else None, year, iv, how
            )
        facts.append(f)
    for k, met in streaks.items():
        facts[k] = replace(facts[k], metric=met)
    _respectively(text, mtext, clauses, sent_starts, facts, ru)
    _level_lists(mtext, facts, ru)
    _drop_relative(mtext, clauses, facts)
    return tuple(facts)


def _drop_relative(text: str, clauses: list[tuple[int, int]], facts: list[NumericFact]) -> None:
    """`分列在两旁的十面五星红旗`: a clause ending in 的 right before a count describes the
    things counted; the noun after the number names them (五星红旗). A short one names
    whose they are (`市委确定的230余项改革`) and stays."""
    least = _rules().relative_min
    for i, f in enumerate(facts):
        ms = f.mention.start
        met = f.metric or ""
        if f.role != "measure" or ms < 1 or text[ms - 1] != "的" or len(met) < 4:
            continue
        left = text[clauses[i][0] : ms - 1]
        for k in range(min(len(left), len(met) - 2), least - 1, -1):
            if met.startswith(left[-k:]):
                facts[i] = replace(f, metric=met[k:])
                break


def _level_lists(text: str, facts: list[NumericFact], ru: _Rules) -> None:
    """`推动4个国家级、8个省级外贸转型示范基地`, `推进588个省、市级美丽乡村建设`: levels
    listed before one noun count that noun, each at its level (国家级外贸转型示范基地)."""
    if not ru.level_mark or ru.level_mark not in text or ru.level_pair_rx is None:
        return
    one, pair, head = ru.level_one_rx, ru.level_pair_rx, ru.level_head_rx
    assert one is not None and head is not None
    for i, f in enumerate(facts):
        if f.role != "measure":
            continue
        e = f.mention.end
        g = one.match(text, e)
        if g and g.group(1) not in ru.threshold_after:  # `1000家以上、…`: no level
            facts[i] = replace(f, metric="".join(g.groups())[: ru.max_len])
            continue
        nxt = facts[i + 1] if i + 1 < len(facts) else None
        if nxt is None or not nxt.metric:
            continue
        g = pair.fullmatch(text, e, nxt.mention.start)
        h = head.match(nxt.metric)
        if g and h and len(nxt.metric) > h.end():
            facts[i] = replace(f, metric=(g.group(1) + nxt.metric[h.end() :])[: ru.max_len])


def _respectively(
    text: str,
    mtext: str,
    clauses: list[tuple[int, int]],
    sent_starts: list[int],
    facts: list[NumericFact],
    ru: _Rules,
) -> None:
    """`游客N人次，收入N亿元，分别恢复到…的X%和Y%`: a clause that opens with 分别 and has
    no subject of its own measures, in order, the subjects of the facts just before it."""
    word = ru.respectively
    if word not in text:
        return
    i, n = 0, len(facts)
    while i < n:
        cl = clauses[i]
        cs, ce = cl
        j = i + 1
        while j < n and clauses[j] == cl:
            j += 1
        k = j - i
        if k < 2 or i < k:
            i = j
            continue
        first = facts[i].mention
        at = text.find(word, cs, first.start)  # cheap necessary test first
        # the clause opens with 分别, or with a bare generic head and 分别 (满意率分别为)
        head = text[cs:at].lstrip() if at >= 0 else ""
        if at >= 0 and (not head or head in ru.generic_heads) and facts[i].role == "measure":
            s0 = sent_starts[bisect_right(sent_starts, first.start) - 1] if sent_starts else 0
            prev = facts[i - k : i]
            if all(
                p.mention.start >= s0 and clauses[i - k + q] != (cs, ce) and p.metric
                for q, p in enumerate(prev)
            ):
                words = head + mtext[at + len(word) : first.start]
                pred = _clean(_drop_lists(words), left=True)
                pred = _strip_tail(pred, ru.left_tail_strip)
                for q, p in enumerate(prev):
                    base = p.metric or ""
                    for w in ru.change_words:
                        if base.endswith(w) and len(base) > len(w):
                            base = base[: -len(w)]
                            break
                    facts[i + q] = replace(facts[i + q], metric=(base + pred)[: ru.max_len])
        i = j


_LAST_COMMA = re.compile("[，,；;：:]")
_LIST_STOP = re.compile("[“”「」《》，,；;：:]")
_CN_NUM_TAIL = re.compile("[一二三四五六七八九十两]+$")
_FROM_TO = re.compile("[\u4e00-\u9fff]{0,4}?(?:到|至|为|成)\x00*")
_FROM_BASE = re.compile("\x00*|[^\x00-\x7f，；。]{1,4}的")


def _from_to(
    text: str,
    mtext: str,
    quants: list[NumberMention],
    clauses: list[tuple[int, int]],
    roles: list[str],
    metrics: list[str],
    ru: _Rules,
) -> None:
    """`X由[2015年的]A增加到[2020年的]B`: both numbers measure X, each at its own time.

    The words between them are a change, not what B measures; the year or base written
    before each number (`2015年`, `上年`) leads its metric."""
    marks = [w for w in ru.from_marks if w in mtext]
    if not marks:
        return  # the pattern needs its 由 (or 从)
    for k in range(len(quants) - 1):
        cl = clauses[k]
        if clauses[k + 1] != cl or roles[k] == "qualifier" or roles[k + 1] == "qualifier":
            continue
        a, b = quants[k], quants[k + 1]
        cs = cl[0]
        u = max(mtext.rfind(w, cs, a.start) for w in marks)
        if u < 0 or not _FROM_TO.fullmatch(mtext, a.end, b.start):
            continue
        if not _FROM_BASE.fullmatch(mtext, u + 1, a.start):
            continue
        # the subject never reaches back over a comma (a quoted list can hide one)
        lead = _LAST_COMMA.split(mtext[cs:u])[-1]
        subject = _cap_left(_clean(_drop_lists(lead), left=True), ru.left_cap)
        if not subject:
            continue
        if subject.startswith(ru.share_lead):
            metrics[k] = metrics[k + 1] = subject  # a share: the subject is borrowed later
            continue
        to = _FROM_TO.match(mtext, a.end, b.start)
        to_base = to.group().rstrip("\x00") if to else ""
        base_b = text[a.end + len(to_base) : b.start]
        for i, base in ((k, text[u + 1 : a.start]), (k + 1, base_b)):
            base = base.removesuffix("的")
            metrics[i] = (base + subject)[: ru.max_len + 6]


def _prev_metric(
    facts: list[NumericFact], s0: int, cs: int, ru: _Rules, *, rank_ok: bool = False
) -> str | None:
    """The metric of the nearest earlier fact of the sentence outside this clause, without
    a trailing change word; None when that fact is a rank (a place names no subject, unless
    ``rank_ok``: `第9名，连续五年跻身前十` ranks the same thing again)."""
    for f in reversed(facts):
        if f.mention.start < s0:
            return ""
        if f.mention.start >= cs:
            continue
        if f.role == "rank" and not rank_ok:
            return None
        base = (f.metric or "").removesuffix(ru.rank_suffix)
        n = len(base)
        for w in ru.change_words:
            if base.endswith(w) and n > len(w):
                return base[: -len(w)]
        return base
    return ""


def _context_metric(
    text: str,
    met: str,
    m: NumberMention,
    k: int,
    quants: list[NumberMention],
    cs: int,
    ce: int,
    s0: int,
    facts: list[NumericFact],
    streaks: dict[int, str],
    ru: _Rules,
) -> str:
    """A measure's metric completed from its sentence: the whole of a share, the event
    of a deal, the action before its beneficiaries, what a streak kept up."""
    ms = m.start
    if met.endswith(ru.share_suffix):
        return _share_of(met, s0, facts, ru)
    if met.startswith(ru.event_outcomes) and ms - s0 > 6:
        ev = _event_name(text, s0, cs, ru)
        return (ev + met)[: ru.max_len + 4] if ev and not met.startswith(ev) else met
    if met[-1] == ru.rate_mark and len(met) <= ru.rate_max and facts:
        # `优良天数316天，优良率86.6%`: a bare rate is of the previous fact's subject
        pf = facts[-1]
        pm = pf.metric or ""
        if pf.mention.start < s0 or pf.role != "measure" or not pm or met in pm:
            return met
        at = pm.find(met[:-1])  # 空气质量优良天数 + 优良率: what is counted, as a rate
        return (pm[:at] + met)[: ru.max_len] if at > 0 and len(met) > 2 else met
    if met.startswith(ru.project_actions) and facts:
        noun = _project_noun(s0, facts, ru)
        return (noun + met)[: ru.max_len] if noun and not met.startswith(noun) else met
    if met.startswith(ru.consequence_verbs) and facts:
        # `改造老旧小区36个，惠及居民5120户`: who benefits from the action just reported
        pf = facts[-1]
        if (
            pf.mention.start >= s0
            and pf.role == "measure"
            and pf.metric
            and not pf.metric.startswith(ru.consequence_verbs)
        ):
            return (pf.metric + met)[: ru.max_len]
        return met
    if (
        m.unit in ru.streak_units
        and k + 1 < len(quants)
        and quants[k + 1].start < ce
        and text.endswith(ru.streak_cues, max(0, ms - 2), ms)
    ):
        # `连续19年稳定在8亿斤以上`: what lasted is the rest of the clause, figure and all
        # (set after the loop: the figure after it borrows the plain subject)
        rest = _NOISE_SPACE.sub("", text[m.end : ce])
        if rest and rest not in met:
            streaks[k] = (rest if met and met in rest else met + rest)[: ru.max_len]
    return met


def _project_noun(s0: int, facts: list[NumericFact], ru: _Rules) -> str:
    """`实施重点项目47个，完成投资312亿元`: the projects an investment figure is of, from
    the count before it (less its verb) or an earlier investment figure of its sentence."""
    for f in reversed(facts[-2:]):
        if f.mention.start < s0 or f.role != "measure" or not f.metric:
            return ""
        met = f.metric
        if f.mention.unit in ru.project_count_units:
            v = ru.project_verb_re.search(met)
            noun = met[v.end() :] if v else met
            return noun if len(noun) >= 2 else ""
        for a in ru.project_actions:
            if met.endswith(a) and len(met) > len(a) + 1:
                return met[: -len(a)]
    return ""


_EVENT_TRIM = re.compile(
    r"^(?:第[0-9一二三四五六七八九十]+[届次]|[0-9]{4}年?)|[（(][^）)]{1,6}[）)]"
)


def _event_name(text: str, s0: int, cs: int, ru: _Rules) -> str:
    """`成功举办第五届海洋经济博览会，签约项目57个`: the event whose outcome the figure
    reports, named earlier in its sentence (without its edition and bracketed host)."""
    before = text[s0:cs]
    hits = list(ru.event_verb_re.finditer(before))
    if not hits:
        return ""
    v = hits[-1]
    end = v.end()
    while end < len(before) and before[end] not in "，,；;。：:":
        end += 1
    name = _clean(_EVENT_TRIM.sub("", before[v.end() : end]))
    if not (2 <= len(name) <= 14 and name.endswith(ru.event_suffixes)):
        return ""
    return name


def _share_of(met: str, s0: int, facts: list[NumericFact], ru: _Rules) -> str:
    """`一般公共预算收入N亿元，其中税收收入N亿元，税收占比N%` → 税收占一般公共预算收入比重.

    Why: 占比 leaves the whole implicit; the sentence named it with an earlier figure.
    The whole is the nearest earlier fact of the sentence that is not the part itself,
    another share or a ratio, without its change word.
    """
    part = met[: -len(ru.share_suffix)]
    if len(part) < 2 or ru.share_lead[0] in part:
        return met
    found = ""
    for f in reversed(facts):
        if f.mention.start < s0:
            break
        whole = f.metric or ""
        unit = f.mention.unit or ""
        if f.role != "measure" or unit not in ru.share_whole_units:
            continue
        for w in ru.change_words:
            if whole.endswith(w) and len(whole) > len(w):
                whole = whole[: -len(w)]
                break
        if (
            len(whole) < 2
            or part[:2] in whole
            or whole.endswith((ru.share_suffix, ru.share_whole))
            or ru.share_lead[0] in whole
        ):
            continue
        found = found or whole
        if unit not in ru.share_change_units:
            found = whole  # an amount names the whole better than its change
            break
    if not found:
        return met
    return (part + ru.share_lead[0] + found + ru.share_whole)[: ru.max_len]


def _rank_metric(
    met: str, s0: int, cs: int, facts: list[NumericFact], ru: _Rules, before: str = ""
) -> str:
    """What is ranked and where: `总量稳居全市第二` after `地区生产总值达到N` →
    地区生产总值全市排名; `营商环境评价位居全省第2名` → 营商环境评价全省排名.

    ``before`` is the clause up to the number (years and dates blanked): with no ranking
    verb, a scope word in it splits subject and scope (`新开工面积连续三年全省第一`)."""
    v = ru.rank_scope_rx.search(met)
    if not v:
        return _scoped_rank(met, s0, cs, facts, ru, before)
    subject, scope = met[: v.start()], met[v.end() :]
    scope = scope.removesuffix("前")
    for w in ru.rank_adverbs:
        subject = subject.removesuffix(w)
    for w in ru.self_refs:
        subject = subject.removesuffix(w)  # `…中，我市位列第4名`: the report's own place
    frame = ru.rank_frame.fullmatch(subject)
    if frame:
        subject = frame.group(1)  # `在全省营商环境评价中` → 全省营商环境评价
    if not subject or subject in ru.generic_heads:
        prev = _prev_metric(facts, s0, cs, ru, rank_ok=not scope)
        if prev is None:
            subject = ""
        elif prev:
            subject = prev
    return (subject + scope)[: ru.max_len] + ru.rank_suffix


def _scoped_rank(
    met: str, s0: int, cs: int, facts: list[NumericFact], ru: _Rules, before: str
) -> str:
    """A place with a scope and no ranking verb: `制造业质量竞争力指数连续10年全省第一` →
    制造业质量竞争力指数全省排名; `…占北京市场22.1%，全省第一` ranks the figure before it."""
    raw = _NOISE.sub("", before)
    scope = next((w for w in ru.rank_scopes if raw.endswith(w)), "")
    if not scope:
        return met
    subject = _clean(raw[: -len(scope)], left=True)
    changed = True
    while changed and subject:
        # `连续三年`, `均为`: how long or how many, not what is ranked
        changed = False
        tail = _CN_NUM_TAIL.search(subject)
        if tail and tail.start() > 0:
            subject, changed = subject[: tail.start()], True
        for w in (*ru.rank_adverbs, *ru.streak_cues, *ru.streak_units, *ru.rank_fillers):
            if subject.endswith(w):
                subject, changed = subject[: -len(w)], True
    subject = _strip_leads(subject, ru.rank_adverbs)
    if len(subject) < 2 or subject in ru.generic_heads:
        # the figure just before it in the sentence is what is ranked
        prev = _prev_metric(facts, s0, cs + len(before), ru, rank_ok=True)
        if prev and not prev.endswith(ru.rank_suffix):
            subject = prev + (subject if len(subject) >= 2 and subject not in prev else "")
    return (subject + scope)[: ru.max_len] + ru.rank_suffix


def _ratio_metric(
    text: str, met: str, m: NumberMention, cs: int, s0: int, facts: list[NumericFact], ru: _Rules
) -> str:
    """`收入达到N，是上年的1.8倍` compares the previous fact with a base: 收入与上年之比."""
    prev = _prev_metric(facts, s0, cs, ru)
    if not prev:
        return met
    raw = text[cs : m.start]
    base = ""
    for w in (*ru.ratio_lead, *ru.ratio_alone):
        k = raw.rfind(w)
        if k >= 0:
            base = raw[k + len(w) :].removesuffix("的")
            break
    return prev + ("与" + base + ru.ratio_suffix if base else "")


def _ratio_part(
    text: str, m: NumberMention, s0: int, quants: list[NumberMention], k: int, ru: _Rules
) -> str:
    """`三次产业结构为18.6∶39.2∶42.2`: the i-th part of a named structure."""
    i = 0
    while k - i > 0:
        p = quants[k - i - 1]
        gap = text[p.end : quants[k - i].start]
        if len(gap) != 1 or gap not in ru.ratio_part_marks:
            break
        i += 1
    head = text[s0 : quants[k - i].start]
    best = -1
    names: tuple[str, ...] = ()
    for key, parts in ru.ratio_parts.items():
        at = head.rfind(key)
        if at > best:
            best, names = at, parts
    if best < 0 or i >= len(names):
        return ""
    return names[i] + ru.ratio_part_suffix


def _table_label(scan: _Scan, start: int, ru: _Rules) -> str:
    """The cleaned label of the table line a number stands on, or ""."""
    lab = scan.label(start, ru.label_max)
    if not lab or lab.endswith(ru.label_reject_tail):
        return ""
    if any(w in lab for w in ru.label_reject_inside):
        return ""
    lab = _clean(lab)
    return lab if len(lab) >= 2 else ""


def _borrow(
    text: str,
    scan: _Scan,
    met: str,
    m: NumberMention,
    cs: int,
    s0: int,
    facts: list[NumericFact],
    ru: _Rules,
) -> str:
    """Give a short metric the subject it leaves implicit.

    `总量达到N` takes the previous fact's metric; a short phrase after a short numberless
    clause of the same sentence (`华润万象汇开业当天，客销售额突破N`) takes that clause.
    """
    bare = bool(met) and ru.bare_verb_rx.fullmatch(met) is not None
    if (
        met in ru.generic_heads
        or not met
        or bare
        or met.startswith(ru.change_words + ru.share_lead + ru.compare_lead)
        or ru.period_change_rx.match(met)
    ):
        prev = facts[-1] if facts else None
        if prev and len(facts) > 1 and prev.metric and prev.metric.endswith(ru.ratio_suffix):
            prev = facts[-2]  # `是2017年的4.3倍，五年年均增长N%`: the change is of the subject
        if prev and prev.metric and prev.mention.start >= s0:
            base = _strip_light(prev.metric) if met.startswith(ru.change_words) else prev.metric
            base = _LEAD_YEAR.sub("", base)  # `2023年地区生产总值` → its change has no year
            if prev.role == "rank":
                # `位居全市第一，较上年前移4位`: the change is of the place, not of `位居`
                base = ru.rank_before_tail.sub("", base) or base
            for w in ru.change_words:
                if base.endswith(w) and len(base) > len(w):
                    base = base[: -len(w)]
                    break
            if bare:
                # `新开工N个、竣工N个`: the earlier figure's verb gives way to this one
                for w in ru.bare_verbs:
                    if base.endswith(w) and len(base) > len(w) + 1:
                        base = base[: -len(w)]
                        break
            if len(base) + len(met) > ru.max_len and len(met) < ru.max_len - 1:
                # too long for both: the clause's own words stay whole, the borrowed
                # subject loses its front (never `…提速比法定审` cut inside the comparison)
                return _cap_left(base, ru.max_len - len(met)) + met
            return (base + met)[: ru.max_len]
        if met not in ru.generic_heads:
            return met
        # `认真办理人大代表建议和政协提案，全年办结率保持100%`: with no earlier figure in
        # the sentence, a generic head is of what the clause before it acts on
        generic = True
    else:
        generic = False
    if cs - 1 <= s0 or met.startswith(ru.complete_verbs):
        return met
    subj = _clause_subject(text, scan, cs, s0, facts, ru, generic=generic)
    if subj:
        return (subj + met)[: ru.max_len]
    if generic or not facts or facts[-1].mention.start < s0:
        return met
    # `持续推进X，投资N，实施项目M`: the subject lent to the figure just before carries on
    pcs = max(scan.clause(cs - 2, cs - 1)[0], s0)
    prev = facts[-1]
    if pcs - 1 <= s0 or prev.mention.start < pcs or not prev.metric:
        return met
    lent = _clause_subject(text, scan, pcs, s0, facts[:-1], ru, generic=False)
    if lent and prev.metric.startswith(lent) and len(prev.metric) > len(lent):
        return (lent + met)[: ru.max_len]
    return met


def _clause_subject(
    text: str,
    scan: _Scan,
    cs: int,
    s0: int,
    facts: list[NumericFact],
    ru: _Rules,
    *,
    generic: bool,
) -> str:
    """The subject the numberless clause right before ``cs`` lends (empty when none)."""
    pcs, pce = scan.clause(cs - 2, cs - 1)
    pcs = max(pcs, s0)
    if pce != cs - 1 or text[pce] not in ru.borrow_across:
        return ""
    prev_clause = text[pcs:pce]
    if facts and facts[-1].mention.start >= pcs:
        return ""
    if _HAS_NUM.search(prev_clause):
        return ""
    # `持续推进白洋淀上游流域综合治理，投资N`: a clause opening with effort adverbs and a
    # verb of action names what it acts on once they are off its front
    # (what is left must name something: `持续火爆` leaves no object)
    bare = _strip_leads(prev_clause.lstrip(), ru.clause_lead_verbs)
    if len(bare) != len(prev_clause.lstrip()):
        if len(bare) < ru.lent_object_min:
            return ""
        prev_clause = bare
    if prev_clause.lstrip().startswith(ru.borrow_not_opening) or any(
        w in prev_clause for w in ru.borrow_not_from
    ):
        return ""  # `在实际工作中争取更好结果，…`: effort or manner, no subject
    if prev_clause.rstrip().endswith(("”", "」", "》")):
        return ""  # `企业设立实现“一网通办、…”，市场主体…`: a quoted object, no subject
    pc = _clean(_drop_lists(prev_clause))
    if generic:
        pc = _strip_leads(pc, ru.clause_lead_verbs)
        return pc if 2 <= len(pc) <= ru.borrow_clause_max + 4 else ""
    return pc if 0 < len(pc) <= ru.borrow_clause_max else ""


def _strip_leads(s: str, words: tuple[str, ...]) -> str:
    """`认真办理人大代表建议` → 人大代表建议: adverbs and verbs off the front of a clause."""
    while s.startswith(words):
        for w in words:
            if s.startswith(w):
                s = s[len(w) :]
                break
    return s
