"""The fact rules compiled once per process: word tuples longest first, sets, regexes.

Why a flat compiled object: the hot paths read a rule per quantity; one attribute of one
frozen object is the cheapest read. It is built from the validated
:class:`~heping_data.extract.facts.model.FactRules`, section by section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from heping_data.extract.facts.model import FactRules, KindRules, MetricRules, RoleRules
from heping_data.extract.facts.patterns import ASIDE, DIGIT_RUN
from heping_data.text.chars import alternation as _alt
from heping_data.text.ruledata import load_rules

RULES_FILE = ("facts", "rules.yaml")
_CJK = "[\u4e00-\u9fff]"
Words = tuple[str, ...]
Index = dict[str, Words]


@dataclass(frozen=True)
class Rules:
    """Every rule the fact layer reads, ready for use (see ``data/facts/rules.yaml``)."""

    # kind
    plan_markers: re.Pattern[str]
    plan_marker_window: int
    plan_leads: Words
    report_parts_re: re.Pattern[str]
    report_parts_sentence_re: re.Pattern[str]
    report_part_units: frozenset[str]
    report_parts_suffix: str
    multi_year_rx: re.Pattern[str]
    target_re: re.Pattern[str]
    blocker_re: re.Pattern[str]
    actual_re: re.Pattern[str]
    carry_block_re: re.Pattern[str]
    actual_blocker_re: re.Pattern[str]
    goal_list_re: re.Pattern[str]
    base_year_before: Words
    future_year_before: Words
    future_year_clause_start: str
    start_year_after: Words
    plan_amount_re: re.Pattern[str]
    plan_amount_blockers: Words
    # role
    rank_before: re.Pattern[str]
    rank_units: frozenset[str]
    rank_prefix: frozenset[str]
    rank_words_rx: re.Pattern[str]
    threshold_after: Words
    threshold_by_first_last: tuple[Index, Index]
    threshold_clause_end: Words
    threshold_counters: frozenset[str]
    threshold_counter_tails: Words
    threshold_before: Words
    threshold_before_last: frozenset[str]
    threshold_not_noun: Words
    threshold_de_not_noun: Words
    animate_counters: frozenset[str]
    holder_heads: Words
    noun_end_adverbs: re.Pattern[str]
    share_marks: Words
    # rank metric
    rank_scope_rx: re.Pattern[str]
    rank_adverbs: Words
    rank_suffix: str
    self_refs: Words
    rank_frame: re.Pattern[str]
    rank_scopes: Words
    rank_fillers: Words
    # metric phrase
    max_len: int
    left_cap: int
    left_cap_combined: int
    right_cap: int
    cap_keep_words: Words
    cap_reach: int
    lead_by_first: Index
    lead_bare_heads: frozenset[str]
    tail_by_last: Index
    tail_keep: Words
    left_tail_by_last: Index
    left_tail_strip: Words
    left_tail_alone: Words
    empty_words: frozenset[str]
    empty_alone: frozenset[str]
    goal_mid_re: re.Pattern[str]
    digit_run: re.Pattern[str]
    condition_re: re.Pattern[str]
    condition_first: Words
    aside_re: re.Pattern[str]
    predicate_adverbs: re.Pattern[str]
    level_verbs: Words
    predicate_short: int
    predicate_verbs: re.Pattern[str]
    light_verbs: Words
    list_count_units: frozenset[str]
    list_joiners: frozenset[str]
    deng_lead_category: int
    trailing_list: dict[str, int]
    deng_item_start: re.Pattern[str]
    list_amount_items: frozenset[str]
    list_split_verbs: re.Pattern[str]
    pair_words: Index
    # metric from context
    generic_heads: frozenset[str]
    change_words: Words
    change_by_last: Index
    borrow_leads: Words
    short_len: int
    borrow_clause_max: int
    borrow_across: str
    borrow_not_from: Words
    borrow_not_opening: Words
    clause_lead_verbs: Words
    lent_object_min: int
    complete_verbs: Words
    compare_lead: Words
    next_number_leads: Words
    share_or_compare: Words
    period_change_rx: re.Pattern[str]
    bare_verb_rx: re.Pattern[str]
    bare_verbs: Words
    bare_by_last: Index
    # last characters a whole bare verb or milestone phrase can end in (a cheap pre-test)
    bare_last: frozenset[str]
    milestone_rx: re.Pattern[str]
    milestone_last: frozenset[str]
    share_lead: Words
    share_suffix: str
    share_whole: str
    share_whole_units: frozenset[str]
    share_change_units: frozenset[str]
    consequence_verbs: Words
    # first characters of the metrics `context_metric` may complete (a cheap pre-test)
    context_first: frozenset[str]
    rate_mark: str
    rate_max: int
    project_actions: Words
    project_count_units: frozenset[str]
    project_verb_re: re.Pattern[str]
    event_outcomes: Words
    event_verb_re: re.Pattern[str]
    event_suffixes: Words
    streak_cues: Words
    streak_units: frozenset[str]
    ratio_units: frozenset[str]
    ratio_suffix: str
    ratio_lead: Words
    ratio_alone: frozenset[str]
    ratio_part_marks: str
    ratio_parts: Index
    ratio_part_suffix: str
    label_max: int
    label_weak_len: int
    label_reject_tail: Words
    label_reject_inside: Words
    from_marks: Words
    respectively: str
    relative_min: int
    population_re: re.Pattern[str]
    population_suffix: str
    level_mark: str
    level_pair_rx: re.Pattern[str]
    level_one_rx: re.Pattern[str]
    level_head_rx: re.Pattern[str]
    # a level list's `、` comes at most this many characters after a count's end
    level_reach: int
    streak_counts: dict[str, str]
    deal_partner_marks: frozenset[str]
    plan_item_nouns: Words
    plan_name_ends: Words
    noun_frame_end: re.Pattern[str]
    # first characters of those frame words (a cheap pre-test: most nouns hold none)
    noun_frame_first: frozenset[str]
    # threshold metric
    threshold_dims: Words
    threshold_elided: Words
    threshold_unit_dim: dict[str, str]
    threshold_suffix: str


def _by_len(words: Iterable[str]) -> Words:
    """Longest first (stable: equal lengths keep the file's order)."""
    return tuple(sorted(words, key=len, reverse=True))


def _rx(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_alt(words))


def _index(words: Iterable[str], at: int) -> Index:
    """Words keyed by their first (at=0) or last (at=-1) character, longest first: one dict
    lookup rules out most strings, where a regex alternation would try every word."""
    out: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        out.setdefault(w[at], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def _kind_fields(k: KindRules) -> dict[str, Any]:
    rp = k.report_parts
    return {
        "plan_markers": _rx(k.plan_markers),
        "plan_marker_window": k.plan_marker_window,
        "plan_leads": _by_len(k.plan_leads),
        # the words right before the count (group 1: what is divided)
        "report_parts_re": re.compile(f"({_alt(rp.subjects)})(?:{_alt(rp.verbs)})$"),
        "report_parts_sentence_re": re.compile(
            f"(?:{_alt(rp.subjects)})(?:{_alt(rp.verbs)})[0-9一二两三四五六七八九十]+个?"
            f"(?:{_alt(rp.units)})"
        ),
        "report_part_units": frozenset(rp.units),
        "report_parts_suffix": rp.suffix,
        "multi_year_rx": _rx(k.multi_year_cues),
        "target_re": _rx(k.target_cues.all),
        "blocker_re": re.compile("|".join([_alt(k.target_blockers), *k.target_blocker_patterns])),
        "actual_re": _rx(k.actual_cues),
        "carry_block_re": _rx(k.actual_cues + k.carry_blockers),
        "actual_blocker_re": _rx(k.actual_blockers),
        "goal_list_re": re.compile(f"(?:{_alt(k.goal_list_cues)})[是为]?[:：][^。\n]*"),
        "base_year_before": _by_len(k.base_year_before),
        "future_year_before": _by_len(k.future_year_before),
        "future_year_clause_start": k.future_year_clause_start,
        "start_year_after": k.start_year_after,
        "plan_amount_re": re.compile("|".join(k.plan_amount_cues)),
        "plan_amount_blockers": k.plan_amount_blockers,
    }


def _role_fields(r: RoleRules) -> dict[str, Any]:
    return {
        "rank_before": re.compile(f"(?:{_alt(r.rank_before)})$"),
        "rank_units": frozenset(r.rank_units),
        "rank_prefix": frozenset(r.rank_prefix),
        "rank_words_rx": _rx(r.rank_words),
        "threshold_after": _by_len(r.threshold_after),
        "threshold_by_first_last": (_index(r.threshold_after, 0), _index(r.threshold_after, -1)),
        "threshold_clause_end": _by_len(r.threshold_clause_end),
        "threshold_counters": frozenset(r.threshold_counters),
        "threshold_counter_tails": tuple(u for u in r.threshold_counters if not u.isalnum()),
        "threshold_before": _by_len(r.threshold_before),
        "threshold_before_last": frozenset(w[-1] for w in r.threshold_before),
        "threshold_not_noun": _by_len(r.threshold_not_noun),
        "threshold_de_not_noun": _by_len(r.threshold_de_not_noun),
        "animate_counters": frozenset(r.animate_counters),
        "holder_heads": _by_len(r.holder_heads),
        "noun_end_adverbs": _rx(r.noun_end_adverbs),
        "share_marks": r.share_marks,
        "rank_scope_rx": _rx(r.rank_scope_verbs),
        "rank_adverbs": _by_len(r.rank_adverbs),
        "rank_suffix": r.rank_suffix,
        "self_refs": _by_len(r.self_refs),
        "rank_frame": re.compile(r.rank_frame),
        "rank_scopes": _by_len(r.rank_scopes),
        "rank_fillers": _by_len(r.rank_fillers),
    }


def _phrase_fields(ru: FactRules) -> dict[str, Any]:
    """What the words around a number keep: caps, words stripped at either end."""
    m = ru.metric
    # a digit run is dropped from a metric unless it names a line (“12345”热线)
    digit_run = (
        DIGIT_RUN.pattern[:-1] + f"|[\u4e00-\u9fff”]{{0,8}}(?:{_alt(m.name_digit_suffixes)}))"
    )
    aside = f"(?:(?:{_alt(m.aside_openers)})[\u4e00-\u9fff]{{1,12}}|"
    return {
        "max_len": m.max_len,
        "left_cap": m.left_cap,
        "left_cap_combined": m.left_cap_combined,
        "right_cap": m.right_cap,
        "cap_keep_words": _by_len(m.cap_keep_words),
        "cap_reach": m.cap_reach,
        "lead_by_first": _index(ru.lead_strip, 0),
        "lead_bare_heads": frozenset(m.lead_bare_heads),
        "tail_by_last": _index(m.tail_strip, -1),
        "tail_keep": _by_len(m.tail_keep),
        "left_tail_by_last": _index(m.left_tail_strip, -1),
        "left_tail_strip": _by_len(m.left_tail_strip),
        "left_tail_alone": _by_len(m.left_tail_alone),
        "empty_words": frozenset(m.left_tail_strip + m.tail_strip + ru.role.threshold_after),
        "empty_alone": frozenset(m.empty_alone),
        "goal_mid_re": _rx(m.goal_mid_cues),
        "digit_run": re.compile(digit_run),
        "condition_re": re.compile("|".join(m.condition_phrases)),
        "condition_first": tuple(p[0] for p in m.condition_phrases),
        "aside_re": re.compile(ASIDE.pattern.replace("(?:", aside, 1)),
        "predicate_adverbs": _rx(m.predicate_adverbs),
        "level_verbs": _by_len(m.level_verbs),
        "predicate_short": m.predicate_short,
        "predicate_verbs": _rx(m.predicate_verbs),
        "light_verbs": _by_len(m.light_verbs),
        "list_count_units": frozenset(m.list_count_units),
        "list_joiners": frozenset(m.list_joiners),
        "deng_lead_category": m.deng_lead_category,
        "trailing_list": dict(m.trailing_list),
        "deng_item_start": re.compile(m.deng_item_start),
        "list_amount_items": frozenset(m.list_amount_items),
        "list_split_verbs": _rx(m.list_split_verbs),
        "pair_words": dict(m.pair_words),
    }


def _borrow_fields(m: MetricRules) -> dict[str, Any]:
    """When a metric takes words from the facts or clauses before it."""
    period = f"(?:{m.period_lead})(?:{_alt(m.change_words + m.period_change_words)})"
    return {
        "generic_heads": frozenset(m.generic_heads),
        "change_words": _by_len(m.change_words),
        "change_by_last": _index(m.change_words, -1),
        "borrow_leads": _by_len(m.change_words) + m.share_lead + _by_len(m.compare_lead),
        "short_len": m.short_len,
        "borrow_clause_max": m.borrow_clause_max,
        "borrow_across": m.borrow_across,
        "borrow_not_from": _by_len(m.borrow_not_from),
        "borrow_not_opening": _by_len(m.borrow_not_opening),
        "clause_lead_verbs": _by_len(m.clause_lead_verbs),
        "lent_object_min": m.lent_object_min,
        "complete_verbs": _by_len(m.complete_verbs),
        "compare_lead": _by_len(m.compare_lead),
        "next_number_leads": _by_len(m.next_number_leads),
        "share_or_compare": m.share_lead + _by_len(m.compare_lead),
        "period_change_rx": re.compile(period),
        "bare_verb_rx": re.compile(f"(?:{_alt(m.bare_verb_adverbs)})?(?:{_alt(m.bare_verbs)})"),
        "bare_verbs": _by_len(m.bare_verbs),
        "bare_by_last": _index(m.bare_verbs, -1),
        "bare_last": frozenset(w[-1] for w in m.bare_verbs),
        "milestone_last": frozenset(w[-1] for w in m.milestone_nouns),
        "milestone_rx": re.compile(
            f"(?:{_alt(m.milestone_verbs)})?了?(?:{_alt(m.milestone_nouns)})"
        ),
        "from_marks": m.from_marks,
        "respectively": m.respectively,
        "relative_min": m.relative_min,
    }


def _context_fields(m: MetricRules) -> dict[str, Any]:
    """Shares, rates, projects, events, streaks, ratios, table labels and the like."""
    so, pop = m.share_of, m.population
    return {
        "share_lead": m.share_lead,
        "share_suffix": so.suffix,
        "share_whole": so.whole,
        "share_whole_units": frozenset(so.amount_units + so.change_units),
        "share_change_units": frozenset(so.change_units),
        "consequence_verbs": m.consequence_verbs,
        "context_first": frozenset(
            w[0] for w in m.event.outcomes + m.consequence_verbs + m.projects.actions
        ),
        "rate_mark": m.bare_rate.mark,
        "rate_max": m.bare_rate.max_len,
        "project_actions": _by_len(m.projects.actions),
        "project_count_units": frozenset(m.projects.count_units),
        "project_verb_re": _rx(m.projects.verbs),
        "event_outcomes": m.event.outcomes,
        "event_verb_re": _rx(m.event.verbs),
        "event_suffixes": m.event.suffixes,
        "streak_cues": m.streak.cues,
        "streak_units": frozenset(m.streak.units),
        "ratio_units": frozenset(m.ratio_units),
        "ratio_suffix": m.ratio_suffix,
        "ratio_lead": _by_len(m.ratio_lead),
        "ratio_alone": frozenset(m.ratio_alone),
        "ratio_part_marks": m.ratio_part_marks,
        "ratio_parts": dict(m.ratio_parts),
        "ratio_part_suffix": m.ratio_part_suffix,
        "label_max": m.table_label.max_len,
        "label_weak_len": m.table_label.weak_len,
        "label_reject_tail": _by_len(m.table_label.reject_tail),
        "label_reject_inside": m.table_label.reject_inside,
        "population_re": re.compile(f"{_CJK}{{0,{pop.place_max}}}?(?=(?:{_alt(pop.nouns)}))"),
        "population_suffix": pop.suffix,
        "streak_counts": dict(m.streak_counts),
        "deal_partner_marks": frozenset(m.deal_partner_marks),
        "plan_item_nouns": _by_len(m.plan_items.items),
        "plan_name_ends": _by_len(m.plan_items.plans),
        "noun_frame_end": _rx(m.noun_frame_ends),
        "noun_frame_first": frozenset(w[0] for w in m.noun_frame_ends),
        "threshold_dims": _by_len(m.threshold.dimensions),
        "threshold_elided": _by_len(m.threshold.elided_dimensions),
        "threshold_unit_dim": dict(m.threshold.unit_dimension),
        "threshold_suffix": m.threshold.suffix,
    }


def _level_fields(m: MetricRules) -> dict[str, Any]:
    """Patterns of a list of levels sharing one noun (`4个国家级、8个省级示范基地`)."""
    lv = m.level_lists
    mark, n, h = re.escape(lv.mark), lv.item_max, lv.head_max
    return {
        "level_mark": lv.mark,
        "level_pair_rx": re.compile(f"({_CJK}{{1,{n}}}?{mark})、"),
        "level_one_rx": re.compile(f"({_CJK}{{1,{n}}})、({_CJK}{{1,{n}}}?{mark})({_CJK}{{2,{h}}})"),
        "level_head_rx": re.compile(f"{_CJK}{{1,{n}}}?{mark}"),
        "level_reach": n + len(lv.mark),
    }


def compile_rules(model: FactRules) -> Rules:
    """The compiled form of a validated rule file."""
    m = model.metric
    return Rules(
        **_kind_fields(model.kind),
        **_role_fields(model.role),
        **_phrase_fields(model),
        **_borrow_fields(m),
        **_context_fields(m),
        **_level_fields(m),
    )


def load_model(raw: Any = None) -> FactRules:
    """Validate ``data/facts/rules.yaml`` (or ``raw`` data read from it)."""
    return load_rules(FactRules, *RULES_FILE, raw=raw)


@cache
def rules() -> Rules:
    """Load, validate and compile the rule data once per process."""
    return compile_rules(load_model())
