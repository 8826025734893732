"""Plenary sessions of party committees (十九届五中全会, 市委十二届三次全会)."""

from __future__ import annotations

import re
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.text.ruledata import RuleModel, load_rules


class PlenumFile(RuleModel):
    """``plenums.yaml``: the shape of a plenum's name, with and without the term."""

    pattern: str
    bare: str
    shared_meeting: str
    meeting_tail: str


@cache
def _plenum_file() -> PlenumFile:
    return load_rules(PlenumFile, "entities", "plenums.yaml")


@cache
def _plenum_re() -> re.Pattern[str]:
    raw = _plenum_file()
    return re.compile(f"{raw.pattern}|{raw.bare}")


@cache
def _shared_re() -> re.Pattern[str]:
    return re.compile(_plenum_file().shared_meeting)


@cache
def _tail_re() -> re.Pattern[str]:
    return re.compile(_plenum_file().meeting_tail)


def _body_meetings(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A body found alone whose meeting's name runs on after it (省委|经济工作会议): the
    whole meeting, one event."""
    tail = _tail_re()
    out = chosen
    for k, c in enumerate(chosen):
        if c.type != "organization" or (m := tail.match(text, c.end)) is None:
            continue
        if k + 1 < len(chosen) and chosen[k + 1].start < m.end():
            continue  # another name stands there
        out = list(out) if out is chosen else out
        out[k] = _Cand(c.start, m.end(), "event", text[c.start : m.end()], "plenum")
    return out


def _shared_meetings(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """The bodies listed before a body's meeting that share its head are meetings too
    (落实中央、省委经济工作会议精神: 中央 names the central economic work conference).

    Why: ENTITY_GUIDE rule 5, items of a list that share a head are typed by the head; a
    body found alone would be read as the organisation, not its meeting.
    """
    if "会议" not in text:
        return chosen
    chosen = _body_meetings(text, chosen)
    out = chosen
    pat = _shared_re()
    for k, c in enumerate(chosen):
        if c.type != "event" or k == 0 or not pat.match(text, c.start, c.end):
            continue
        i = k
        while i > 0:
            b = out[i - 1]
            if b.type != "organization" or b.end + 1 != out[i].start or text[b.end] not in "、和":
                break
            i -= 1
        if i < k:
            out = list(out) if out is chosen else out
            for j in range(i, k):
                out[j] = out[j]._replace(type="event")
    return out


def _plenums(text: str) -> list[_Cand]:
    """Every plenum's name as one event, with its committee and every session of a list
    that shares one head (十九届二中、三中全会).

    Why a rule of its own: the head 全会 has no stem a suffix walk could find (the term
    and session numbers are numerals), and the committee (省委) would otherwise be read as
    a body on its own, leaving the session unnamed.
    """
    if "全会" not in text and "全体会议" not in text:
        return []
    pat = _plenum_re()
    out: dict[tuple[int, int], _Cand] = {}
    # the pattern is tried only in a window ending at each head (an anchor found by re's
    # literal search), not at every position of the report
    for a in _HEAD.finditer(text):
        for m in pat.finditer(text, max(0, a.start() - _WINDOW), a.end()):
            if m.end() == a.end():
                out[m.span()] = _Cand(m.start(), m.end(), "event", m.group(), "plenum")
    return list(out.values())


_HEAD = re.compile("全体会议|全会")
_WINDOW = 40  # longer than any plenum name before its head
