"""The order the entity rules run in, and the records they give."""

from __future__ import annotations

import dataclasses

from heping_data.extract.entities import listed
from heping_data.extract.entities.base import _Cand, _outer_first
from heping_data.extract.entities.districts import _district_bodies, _districts
from heping_data.extract.entities.divisions import _division_places
from heping_data.extract.entities.enumerations import _enumerations
from heping_data.extract.entities.extend import (
    _clustered,
    _extended,
    _phased,
    _scoped_events,
)
from heping_data.extract.entities.firms import _framed_firms
from heping_data.extract.entities.gazetteer import _elliptic_bodies, _gazetteer
from heping_data.extract.entities.joins import _join_places
from heping_data.extract.entities.lines import _built_lines, _lines
from heping_data.extract.entities.persons import _persons, _trim_at_persons
from heping_data.extract.entities.places import (
    _abbrev_places,
    _bracketed_events,
    _features,
    _place_brands,
    _routes,
    _typed_patterns,
)
from heping_data.extract.entities.plenums import _plenums, _shared_meetings
from heping_data.extract.entities.programmes import _programme_tails
from heping_data.extract.entities.projects import _projects
from heping_data.extract.entities.propagate import _propagate
from heping_data.extract.entities.quotes import _echoes, _quotes
from heping_data.extract.entities.resolve import (
    _admin_context,
    _finish,
    _join_prefixed,
    _resolve,
    _split_bodies,
)
from heping_data.extract.entities.rules import _Rules, _rules
from heping_data.extract.entities.sites import _sites
from heping_data.extract.entities.suffixes import _suffix_names
from heping_data.extract.entities.terms import _graded_honors, _honors, _industries
from heping_data.extract.entities.titles import _titles
from heping_data.extract.entities.works import _built_works
from heping_data.records import Document, EntityMention, Section


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


def _in_number(text: str, start: int) -> bool:
    """Whether a name would start inside a number (7.|6公里大修工程, 4|大夜经济示范区): no name
    does; the number and its unit measure the thing named after them."""
    return start > 0 and text[start - 1] in _DIGITS


_DIGITS = frozenset("0123456789０１２３４５６７８９.．")


def _listed(text: str, chosen: list[_Cand], r: _Rules, built: bool) -> list[_Cand]:
    """The chosen mentions retyped or replaced by what the lists around them say: projects
    (等…项目, lines a clause builds when ``built``), firms (依托甲、乙等企业) and meetings
    (中央、省委经济工作会议)."""
    chosen = listed._listed_projects(text, chosen)
    if built:
        chosen = _built_lines(text, chosen)
    chosen = _framed_firms(text, chosen)
    chosen = _shared_meetings(text, chosen)
    if r.projects is not None:
        chosen = listed._named_list_items(text, chosen, r.projects.openers)
    return chosen


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
    cands += _titles(text)
    cands += _place_brands(text, r, cands)
    cands += _industries(text, r)
    cands += _honors(text, r)
    cands += _abbrev_places(text, r)
    cands += (divs := _division_places(text, cands))
    cands += _persons(text, r)
    cands += _routes(text, r, cands)
    cands += _graded_honors(text, r)
    cands += _typed_patterns(text, r)
    stems = {d.canonical[:-1] for d in dist if d.rule == "district" and len(d.canonical) >= 3}
    cands += _features(text, r, tuple(sorted(stems, key=len, reverse=True)))
    cands += _bracketed_events(text, cands)
    cands += _plenums(text)
    cands += _elliptic_bodies(text, r, cands)
    cands += _enumerations(text, r, cands)
    cands = _programme_tails(text, cands + _lines(text, r))
    built = listed.built_as_projects()
    cands += _sites(text, built, cands)
    projects, inner = _projects(text, r, cands)
    cands += projects
    cands = [c for c in _trim_at_persons(text, cands) if not _in_number(text, c.start)]
    chosen = _listed(text, _resolve(cands), r, built)
    if inner:
        # the company or body that opens a chosen project stays a mention of its own
        kept = {(c.start, c.end) for c in chosen if c.type == "project"}
        chosen = sorted(chosen + [a for span, a in inner if span in kept], key=_outer_first)
    chosen = _join_prefixed(text, chosen, r)
    ctx = _admin_context(chosen, home)
    chosen = _join_places(
        text, _clustered(text, _phased(text, _scoped_events(text, _extended(text, chosen))))
    )
    if built:
        chosen = _built_works(text, chosen, frozenset(text[c.start : c.end] for c in divs + dist))
    final = _propagate(text, _split_bodies(_finish(text, chosen, ctx)))
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
