"""The shape of ``data/facts/rules.yaml``: one frozen model per section, checked on load.

Why: a misspelt key or a list that drifts out of step with another must fail at start-up
naming the file, not silently change which facts come out. The words are kept as written
(YAML order); :mod:`heping_data.extract.facts.rules` compiles them for the hot paths.
"""

from __future__ import annotations

from pydantic import model_validator

from heping_data.text.ruledata import RuleModel

Words = tuple[str, ...]


class TargetCues(RuleModel):
    """Goal cues, in two groups so a cue word is written once: ``metric_lead`` words also
    open metric phrases and are stripped from their front (`力争全年…` → 全年…)."""

    metric_lead: Words
    other: Words

    @property
    def all(self) -> Words:
        return self.metric_lead + self.other


class ReportParts(RuleModel):
    """`报告共分三部分`: words naming a document, verbs dividing it, units of its parts."""

    subjects: Words
    verbs: Words
    units: Words
    suffix: str


class KindRules(RuleModel):
    target_cues: TargetCues
    target_blockers: Words
    target_blocker_patterns: Words
    plan_amount_cues: Words
    plan_amount_blockers: Words
    future_year_before: Words
    future_year_clause_start: str
    start_year_after: Words
    base_year_before: Words
    actual_cues: Words
    carry_blockers: Words
    actual_blockers: Words
    goal_list_cues: Words
    plan_leads: Words
    report_parts: ReportParts
    plan_markers: Words
    plan_marker_window: int
    multi_year_cues: Words


class RoleRules(RuleModel):
    rank_before: Words
    rank_units: Words
    rank_prefix: Words
    rank_words: Words
    rank_scope_verbs: Words
    rank_adverbs: Words
    rank_suffix: str
    rank_scopes: Words
    rank_fillers: Words
    self_refs: Words
    rank_frame: str
    threshold_after: Words
    threshold_counters: Words
    threshold_before: Words
    threshold_not_noun: Words
    threshold_de_not_noun: Words
    animate_counters: Words
    holder_heads: Words
    noun_end_adverbs: Words
    share_marks: Words
    threshold_clause_end: Words


class BareRate(RuleModel):
    mark: str
    max_len: int


class Projects(RuleModel):
    actions: Words
    count_units: Words
    verbs: Words


class Event(RuleModel):
    verbs: Words
    outcomes: Words
    suffixes: Words


class Streak(RuleModel):
    cues: Words
    units: Words


class ShareOf(RuleModel):
    suffix: str
    whole: str
    amount_units: Words
    change_units: Words


class PlanItems(RuleModel):
    """`推进X三年行动计划，落实十大重点任务`: item nouns of a plan, and how a plan's name ends."""

    items: Words
    plans: Words


class Population(RuleModel):
    nouns: Words
    place_max: int
    suffix: str


class LevelLists(RuleModel):
    mark: str
    item_max: int
    head_max: int


class TableLabel(RuleModel):
    max_len: int
    weak_len: int
    reject_tail: Words
    reject_inside: Words


class Threshold(RuleModel):
    suffix: str
    dimensions: Words
    elided_dimensions: Words
    unit_dimension: dict[str, str]


class MetricRules(RuleModel):
    max_len: int
    left_cap: int
    cap_keep_words: Words
    cap_reach: int
    left_cap_combined: int
    right_cap: int
    lead_strip: Words
    lead_bare_heads: Words
    tail_strip: Words
    tail_keep: Words
    empty_alone: Words
    compare_lead: Words
    next_number_leads: Words
    left_tail_strip: Words
    goal_mid_cues: Words
    name_digit_suffixes: Words
    predicate_adverbs: Words
    level_verbs: Words
    predicate_short: int
    light_verbs: Words
    generic_heads: Words
    predicate_verbs: Words
    short_len: int
    borrow_clause_max: int
    list_count_units: Words
    change_words: Words
    condition_phrases: Words
    aside_openers: Words
    period_lead: str
    period_change_words: Words
    bare_verbs: Words
    bare_verb_adverbs: Words
    share_lead: Words
    consequence_verbs: Words
    bare_rate: BareRate
    projects: Projects
    event: Event
    deng_lead_category: int
    trailing_list: dict[str, int]
    deng_item_start: str
    streak: Streak
    share_of: ShareOf
    clause_lead_verbs: Words
    borrow_across: str
    from_marks: Words
    borrow_not_from: Words
    borrow_not_opening: Words
    lent_object_min: int
    population: Population
    plan_items: PlanItems
    deal_partner_marks: Words
    streak_counts: dict[str, str]
    noun_frame_ends: Words
    level_lists: LevelLists
    relative_min: int
    list_joiners: Words
    left_tail_alone: Words
    table_label: TableLabel
    milestone_verbs: Words
    milestone_nouns: Words
    list_amount_items: Words
    respectively: str
    threshold: Threshold
    ratio_units: Words
    ratio_suffix: str
    ratio_lead: Words
    ratio_alone: Words
    list_split_verbs: Words
    ratio_part_marks: str
    ratio_parts: dict[str, Words]
    ratio_part_suffix: str
    pair_words: dict[str, Words]
    complete_verbs: Words


class FactRules(RuleModel):
    """The whole rule file."""

    kind: KindRules
    role: RoleRules
    metric: MetricRules

    @model_validator(mode="after")
    def _lead_words_once(self) -> FactRules:
        """Goal cues stripped from a metric's front are listed once, under
        ``kind.target_cues.metric_lead``: the metric's own lead list must not repeat them
        (two copies drift apart)."""
        twice = sorted(set(self.kind.target_cues.all) & set(self.metric.lead_strip))
        if twice:
            raise ValueError(
                "metric.lead_strip repeats target cues (list them only under "
                f"kind.target_cues.metric_lead): {', '.join(twice)}"
            )
        return self

    @property
    def lead_strip(self) -> Words:
        """Every word stripped from the front of a metric phrase."""
        return self.metric.lead_strip + self.kind.target_cues.metric_lead
