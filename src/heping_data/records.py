"""Frozen record types passed between the steps of the data flow.

Every step is a pure function from records to records; offsets are Python
``str`` indices into ``Document.text`` (end exclusive) with no normalisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Boilerplate:
    """A span of the raw text that is not report body (paywall notice, source URL, byline)."""

    start: int
    end: int
    kind: str  # "paywall" | "source_url" | "byline" | "title" | other short tag


@dataclass(frozen=True)
class Document:
    """One decoded report with its provenance; ``text`` is never normalised."""

    doc_id: str
    source_path: str
    file_name: str
    sha256: str
    byte_count: int
    encoding: str
    text: str
    title: str | None = None
    title_start: int | None = None
    title_end: int | None = None
    byline: str | None = None
    source_url: str | None = None
    body_start: int = 0
    body_end: int = 0
    boilerplate: tuple[Boilerplate, ...] = ()
    report_year: int | None = None  # the year the report reviews, when known
    year_planned: int | None = None  # the year the report plans (usually report_year + 1)
    year_source: str | None = None  # which evidence gave the years (header_date, title, …)
    region_name: str | None = None  # the reporting government's division, as named
    region_code: str | None = None  # GB/T 2260 six digits
    admin_level: str | None = None
    parent_region_name: str | None = None
    parent_region_code: str | None = None
    region_source: str | None = None  # manifest, title, header, byline or text
    region_note: str | None = None  # why the region stayed open (codes null)
    publisher: str | None = None  # from the sources manifest


@dataclass(frozen=True)
class Section:
    """One heading and the text that follows it up to the next heading.

    ``span_start``/``span_end`` partition the body: every body character lies in exactly
    one section's span. ``char_start``/``char_end`` are the heading's own span (None for
    the untitled preamble, level 0).
    """

    index: int
    parent_index: int | None
    level: int  # 0 preamble, 1 part, 2 main section, 3 sub, 4 sub-sub
    heading: str | None
    char_start: int | None
    char_end: int | None
    span_start: int
    span_end: int
    part: str | None = None  # "review" | "plan" | None
    numbering: str | None = None  # the heading's own number marker, e.g. "一、" or "（二）"


@dataclass(frozen=True)
class Sentence:
    """A sentence-like unit used to join facts and entities that stand together."""

    index: int
    start: int
    end: int
    section_index: int


@dataclass(frozen=True)
class NumberMention:
    """One number-like span and what it is.

    ``cls`` is one of quantity, year, date, name, pattern, redacted, boilerplate, unparsed.
    The quantity attributes are filled only when ``cls == "quantity"``.
    """

    start: int
    end: int
    text: str
    cls: str
    numeral: str | None = None  # the number as written, without unit or multiplier
    unit: str | None = None
    multiplier: float = 1.0
    value: float | None = None  # base units; None when any digit is masked
    value_min: float | None = None  # bounds of the number as written, base units
    value_max: float | None = None
    comparator: str = "eq"  # eq gt ge lt le approx
    implied_min: float | None = None  # range the words imply (余/多/约), base units
    implied_max: float | None = None
    is_masked: bool = False
    masked_digits: int = 0
    is_range: bool = False
    is_ordinal: bool = False
    note: str | None = None  # why the class was chosen, for audit


@dataclass(frozen=True)
class NumericFact:
    """A quantity of the report with its meaning."""

    mention: NumberMention
    metric: str | None
    kind: str  # actual | target
    role: str  # measure | rank | qualifier
    section_index: int
    sentence_index: int | None = None
    period_year: int | None = None
    inferred_value: float | None = None
    inferred_how: str | None = None


@dataclass(frozen=True)
class EntityMention:
    """A mention of a named thing."""

    start: int
    end: int
    text: str
    entity_type: str  # organization company project place program event honor industry person
    canonical: str
    rule: str | None = None  # which rule found it, for audit


@dataclass(frozen=True)
class Extraction:
    """Everything the library extracts from one document."""

    document: Document
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    mentions: tuple[NumberMention, ...]
    facts: tuple[NumericFact, ...]
    entities: tuple[EntityMention, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)
