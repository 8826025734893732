"""The rule files of ``data/entities/``, each described once as a frozen pydantic model.

Why: a typo in a key, a list where a word was meant, or an entity type the entities table
does not allow must fail at start-up naming the file, not deep inside extraction. The
models hold the data as written (lists in file order); :mod:`.rules` compiles them.
"""

from __future__ import annotations

from typing import Any

from pydantic import field_validator, model_validator

from heping_data.extract.entities.base import _check_types
from heping_data.text.ruledata import RuleModel, load_rules, read_csv

Words = tuple[str, ...]


class ScanSpec(RuleModel):
    """A pattern found from the occurrences of an ``anchor`` (see ``base._Scan``)."""

    pattern: str
    anchor: str | None = None
    back: int = 0


class TypedScan(ScanSpec):
    """A fixed national shape and the type of the names it finds."""

    type: str

    @field_validator("type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        _check_types("typed_patterns", [v])
        return v


class GazRow(RuleModel):
    """A gazetteer or places row: a name, its type, its canonical form and its scope."""

    name: str
    entity_type: str
    canonical: str
    scope: str = ""

    @field_validator("scope", mode="before")
    @classmethod
    def _blank_scope(cls, v: Any) -> Any:
        return v or ""


class SuffixRow(RuleModel):
    """A head word, the type it gives and the stem lengths it allows (none: the default)."""

    suffix: str
    entity_type: str
    min_stem: int
    max_stem: int | None = None

    @field_validator("max_stem", mode="before")
    @classmethod
    def _blank_max(cls, v: Any) -> Any:
        return v or None


class GazetteerFile(RuleModel):
    rows: tuple[GazRow, ...]

    @model_validator(mode="after")
    def _types(self) -> GazetteerFile:
        _check_types("gazetteer", (r.entity_type for r in self.rows))
        return self


class SuffixFile(RuleModel):
    rows: tuple[SuffixRow, ...]

    @model_validator(mode="after")
    def _types(self) -> SuffixFile:
        _check_types("suffixes.csv", (r.entity_type for r in self.rows))
        return self


class QuoteCues(RuleModel):
    """``quote_cues.yaml``: the words around a quote that type it, and honour verbs."""

    program_content_suffixes: Words
    program_after: Words
    program_after_within: Words
    program_after_window: int
    numeral_heads: str
    honor_after: Words
    blame_before: Words
    honor_verbs: Words
    weak_honor_verbs: Words
    created_heads: Words
    max_len: int
    long_max_len: int
    honor_end: Words
    honor_skip: Words
    counted_titles: Words
    ranking_words: Words
    event_content_suffixes: Words
    byline_after: Words
    byline_before: Words
    program_before: Words
    honor_prefixes: Words
    program_levels: Words
    quoted_title_heads: Words
    honor_heads: Words
    counting_slogan: str
    name_shapes: Words
    honor_count: str
    honor_not_after: Words
    honor_reject: Words
    grade_pattern: ScanSpec
    event_before: Words
    honored_after: Words
    grade_qualifiers: Words
    industry_after: str
    event_after: Words
    organization_heads: Words


class IndustryRules(RuleModel):
    """``industry.yaml``: sector terms and how they combine."""

    terms: dict[str, str]
    broad_sectors: Words
    modifiers: Words
    heads: Words
    not_before: Words
    trade_not_before: Words
    economy_prefixes: Words
    economy_not_before: Words
    sector_prefixes: Words
    sector_domains: Words
    generation_pattern: str
    product_metrics: Words
    not_products: Words
    material_sector: str


class Abbreviations(RuleModel):
    """``abbreviations.yaml``: one-character place abbreviations and the words after them."""

    chars: dict[str, str]
    after: Words


class Boundaries(RuleModel):
    """``boundaries.yaml``: where a name starts and stops, and the head words that shape it."""

    stop_tags: Words
    stop_words: Words
    stop_chars: str
    district_not_last: str
    generic_stems: Words
    kind_modifiers: Words
    name_verbs: Words
    person_titles: Words
    street_heads: Words
    admin_heads: Words
    landmark_heads: Words
    carrier_words: Words
    subunit_heads: Words
    host_heads: Words
    branch_heads: Words
    brand_heads: Words
    brand_prefixes: Words
    meeting_heads: Words
    meeting_scopes: Words
    mall_context: Words
    place_not_before: Words
    official_titles: Words
    head_blockers: dict[str, Words]
    program_openers: Words
    program_opener_heads: Words
    verb_heads: Words
    opened_heads: Words
    name_openers: Words
    goal_heads: Words
    list_heads: Words
    meeting_openers: Words
    clause_meeting_heads: Words
    phase_suffix: str
    stem_programs: Words
    official_after: Words
    route_patterns: tuple[str | ScanSpec, ...]
    route_joiners: str
    bracket_sites: str
    area_words: Words
    elliptic_after: Words
    elliptic_bodies: Words
    elliptic_next: str
    session_abbrev: str
    stem_count: str
    district_head_words: Words
    district_bodies: Words
    speech_verbs: Words
    routine_meetings: Words
    gaz_not_before: dict[str, Words]
    gaz_not_after: dict[str, Words]
    typed_patterns: tuple[TypedScan, ...]
    feature_heads: str
    feature_cues: Words
    feature_not: Words


class PersonRules(RuleModel):
    """``persons.yaml``: titles, surnames and the words after a name."""

    titles: Words
    honor_titles: Words
    honor_scopes: Words
    surnames: str
    compound_surnames: Words
    minority_openers: Words
    followers: Words
    group_cues: Words


class CompanyRules(RuleModel):
    """``companies.yaml``: a brand's trade heads and the company cues after it."""

    heads: Words
    openers: Words
    cues: Words


class EnumerationRules(RuleModel):
    """``enumeration.yaml``: the cues after 等 that type a list, and where items end."""

    cue_types: dict[str, str]
    item_end: Words
    count_cue: str
    digit_count: str
    cue_qualifiers: str
    cue_openers: Words
    max_item_len: int
    min_item_len: int
    bare_cue: str
    bare_cue_modifiers: Words
    item_openers: Words
    modified_cues: Words
    cue_modifiers: Words

    @field_validator("cue_types")
    @classmethod
    def _known_types(cls, v: dict[str, str]) -> dict[str, str]:
        _check_types("enumeration.yaml", v.values())
        return v


class ProjectFile(RuleModel):
    """``projects.yaml``: the heads of a named project and what makes one."""

    heads: Words
    not_before: Words
    openers: Words
    class_cut: str
    class_words: Words
    capacity: str
    min_stem: int
    max_stem: int
    anchor_types: Words

    @model_validator(mode="after")
    def _consistent(self) -> ProjectFile:
        if not self.heads or not all(w for w in self.heads + self.not_before):
            raise ValueError("heads and not_before must be non-empty words")
        if not 1 <= self.min_stem <= self.max_stem:
            raise ValueError(
                f"need 1 <= min_stem <= max_stem, got {self.min_stem}, {self.max_stem}"
            )
        _check_types("projects.yaml", {*self.anchor_types, "project"})
        return self


class DivisionRules(RuleModel):
    """``divisions.yaml``: the suffixes a county's short form drops, and its stop list."""

    short_form_suffixes: Words
    min_short: int
    not_short: Words

    @model_validator(mode="after")
    def _consistent(self) -> DivisionRules:
        if not self.short_form_suffixes or self.min_short < 1:
            raise ValueError("need short_form_suffixes and min_short >= 1")
        return self


def csv_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV rule file; lines opening with ``#`` are comments."""
    return [
        r for r in read_csv("entities", name) if not next(iter(r.values()), "#").startswith("#")
    ]


def load_csv(model: type[GazetteerFile] | type[SuffixFile], name: str) -> Any:
    """A CSV rule file validated as ``model`` (errors name the file)."""
    return load_rules(model, "entities", name, raw={"rows": csv_rows(name)})


class PropagationRules(RuleModel):
    """``propagation.yaml``: which found names are marked again at their other occurrences."""

    min_len: dict[str, int]
    from_rules: dict[str, Words]
    not_repeated: Words = ()

    @field_validator("min_len")
    @classmethod
    def _known_types(cls, v: dict[str, int]) -> dict[str, int]:
        _check_types("propagation", v)
        if any(n < 2 for n in v.values()):
            raise ValueError("min_len below 2 would repeat single characters")
        return v

    @field_validator("from_rules")
    @classmethod
    def _known_rule_types(cls, v: dict[str, Words]) -> dict[str, Words]:
        _check_types("propagation", (t for types in v.values() for t in types))
        return v
