"""Quantities to numeric facts: the orchestration of the decisions, one per module."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import fields, replace
from itertools import compress, count, repeat
from operator import attrgetter, eq, itemgetter

from heping_data.extract.facts.clean import blank
from heping_data.extract.facts.complete import complete_metric
from heping_data.extract.facts.inferred import infer
from heping_data.extract.facts.kind import (
    POPULATION_UNITS,
    Parts,
    kind_of,
    population,
    report_parts,
)
from heping_data.extract.facts.metric import phrase_metrics
from heping_data.extract.facts.passes import (
    drop_relative,
    from_to,
    level_lists,
    respectively,
    streak_counts,
)
from heping_data.extract.facts.role import role_of
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import DocState, Scan
from heping_data.extract.facts.year import Years
from heping_data.records import Document, NumberMention, NumericFact, Section, Sentence

_START = attrgetter("start")
_END = attrgetter("end")
_CLS = attrgetter("cls")
_SECOND = itemgetter(1)
_PLUS_ONE = (1).__add__


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


def extract_facts(
    doc: Document,
    sections: tuple[Section, ...],
    sentences: tuple[Sentence, ...],
    mentions: list[NumberMention] | tuple[NumberMention, ...],
) -> tuple[NumericFact, ...]:
    """One fact per quantity mention, in text order, with metric, kind, role and year.

    The decisions run in order: clause and role of every quantity, the metric phrase of
    each clause, metrics relinked across numbers (`由A增加到B`), then per quantity the
    metric completed from its sentence, the kind and the year; last the passes that read
    the facts after it (`分别`, level lists, relative clauses)."""
    text = doc.text
    quants = sorted(
        compress(mentions, map(eq, map(_CLS, mentions), repeat("quantity"))), key=_START
    )
    if not quants:
        return ()
    ru = rules()
    scan = Scan.of(text)
    scan.quant_starts = [m.start for m in quants]
    mtext = blank(text, mentions, ru.base_year_before)  # same offsets, years and dates blanked
    clauses = _clauses(scan, quants, sections, len(text))
    roles = list(map(role_of, repeat(text), quants, map(_SECOND, clauses), repeat(ru)))
    metrics, subject_only = phrase_metrics(text, mtext, scan, quants, clauses, roles, ru)
    from_to(text, mtext, quants, clauses, roles, metrics, ru)
    d = DocState(text, mtext, scan, quants, clauses, roles, metrics, subject_only)
    _facts(d, doc, sections, sentences, mentions, ru)
    facts = d.facts
    for k, met in d.streaks.items():
        facts[k] = replace(facts[k], metric=met)
    streak_counts(text, facts, ru)
    sent_starts = [s.start for s in sentences]
    respectively(text, mtext, clauses, sent_starts, facts, ru)
    level_lists(mtext, facts, ru)
    drop_relative(mtext, clauses, facts)
    return tuple(facts)


def _clauses(
    scan: Scan, quants: list[NumberMention], sections: tuple[Section, ...], n_text: int
) -> list[tuple[int, int]]:
    """The clause of each quantity (`Scan.clause`, one per quantity); a run-in heading glued
    to its body (`项目建设提质提速全年实施…`) is no part of a clause.

    (Mapped in C: a bisect per quantity indexes the clause starts and ends, the delimiters
    around the number.)"""
    hard = scan.hard
    before = [-1, *hard]  # the delimiter before the i-th one (-1: the text's start)
    ends = [*hard, n_text]
    q_starts = scan.quant_starts
    cs = map(_PLUS_ONE, map(before.__getitem__, map(bisect_left, repeat(hard), q_starts)))
    head_ends = sorted(
        x.char_end for x in sections if x.char_end is not None and x.char_start is not None
    )
    if head_ends:
        # the nearest heading end at or before the number, when inside its clause
        heads = [-1, *head_ends]
        cs = map(max, cs, map(heads.__getitem__, map(bisect_right, repeat(head_ends), q_starts)))
    ce = map(ends.__getitem__, map(bisect_left, repeat(hard), map(_END, quants)))
    return list(zip(cs, ce, strict=True))


def _facts(
    d: DocState,
    doc: Document,
    sections: tuple[Section, ...],
    sentences: tuple[Sentence, ...],
    mentions: list[NumberMention] | tuple[NumberMention, ...],
    ru: Rules,
) -> None:
    """Make the fact of every quantity, in order, into ``d.facts`` (each decision may read
    the facts before it in its sentence)."""
    sec_sorted = sorted(sections, key=lambda s: s.span_start)
    sec_starts = [s.span_start for s in sec_sorted]
    sec_first = sec_sorted[0].index if sec_sorted else 0
    sent_starts = [s.start for s in sentences]
    parts = Parts.of(doc, sections, sentences, ru)
    years = Years(doc, mentions, ru)
    text, mtext, facts, roles = d.text, d.mtext, d.facts, d.roles
    plan_at, actual_search = parts.plan_at, ru.actual_re.search
    report_part_units = ru.report_part_units
    # the sentence and section of every quantity: a bisect each, mapped in C
    q_starts = d.scan.quant_starts
    sent_of = [None, *sentences]
    sents = map(sent_of.__getitem__, map(bisect_right, repeat(sent_starts), q_starts))
    sec_of = [sec_first, *(s.index for s in sec_sorted)]
    secs = map(sec_of.__getitem__, map(bisect_right, repeat(sec_starts), q_starts))
    for k, m, (cs, ce), sent, sec_index in zip(count(), d.quants, d.clauses, sents, secs):
        ms = m.start
        s0 = sent.start if sent else cs
        met = complete_metric(d, k, cs, ce, s0, ru)
        if ms >= plan_at and not actual_search(text, cs, ce):
            kind = "target"  # `kind_of`'s first rule inline: a plan clause reporting nothing done
        else:
            kind = kind_of(d, parts, k, cs, ce, s0, ru)
        pop = population(mtext, m, ru) if m.unit in POPULATION_UNITS else ""
        if pop:
            met, kind = pop, "actual"  # `为1000万保定人民创造…`: a place's people, as they are
        year, kind = years.year_of(ms, s0, sent.end if sent else ce, kind, ru)
        if m.unit in report_part_units:
            part = report_parts(text, m, ru)
            if part:
                met, kind = part, "actual"  # `报告共分三部分`: the document as it stands
        iv, how = infer(text, m, d.scan) if m.is_masked else (None, None)
        if not _FAST_FACT:
            facts.append(
                NumericFact(
                    m,
                    met or None,
                    kind,
                    roles[k],
                    sec_index,
                    sent.index if sent else None,
                    year,
                    iv,
                    how,
                )
            )
            continue
        f = _new(NumericFact)
        # (the new instance's own `__dict__`, filled in place: cheaper than setting one)
        f.__dict__.update(
            {
                "mention": m,
                "metric": met or None,
                "kind": kind,
                "role": roles[k],
                "section_index": sec_index,
                "sentence_index": sent.index if sent else None,
                "period_year": year,
                "inferred_value": iv,
                "inferred_how": how,
            }
        )
        facts.append(f)
