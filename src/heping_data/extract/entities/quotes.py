"""Quoted names, typed by their own shape and the words around them, and their unquoted
echoes.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from heping_data.extract.entities.base import _CJK, _Cand
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.suffixes import _longest_suffix

if TYPE_CHECKING:
    from heping_data.extract.entities.rulefiles import QuoteCues


def _place_brand(
    content: str, places: frozenset[str], firsts: frozenset[str] | None = None
) -> bool:
    """True when a quoted phrase holds a place name and more (“创新保定”, “五个保定”,
    “保定之变”): a city's slogan or brand names a programme, not the place. ``firsts``
    (the places' first characters) skips the positions no place can open at."""
    if firsts is None:
        firsts = frozenset(p[0] for p in places)
    n = len(content)
    top = min(n - 1, 5)
    return any(
        content[i : i + k] in places
        for i in range(n - 1)
        if content[i] in firsts
        for k in range(2, min(top, n - i) + 1)
    )


def _head_type(content: str, r: _Rules) -> str:
    """The type the head word ending a quoted phrase gives it (“产业转型升级高地”); a
    programme head needs its stem (“新高地” names nothing) and is no city's title
    (“奥运冠军之城” is an honour)."""
    head = _longest_suffix(content, r)
    head_type, min_stem, _ = r.suffix.get(head, ("", 0, 0))
    if head_type == "program" and (
        len(content) - len(head) < min_stem or head in r.q.quoted_title_heads
    ):
        return ""
    return head_type


def _quote_spans(text: str, r: _Rules) -> list[tuple[int, int, int]]:
    """(start, end, end of the closing mark) of every quoted phrase: curly quotes, and
    straight double quotes paired in order within a line (reports typed on a plain
    keyboard write "走出去" for “走出去”)."""
    out = []
    n = len(text)
    for m in r.quote_re.finditer(text):
        s, e = m.span(1)
        # an unclosed quote counts only when the name runs to whitespace
        if m.group(2) or e >= n or text[e] in " \t\r\n\u3000":
            out.append((s, e, m.end()))
    if '"' not in text:
        return out
    limit = r.q.long_max_len
    opening = -1  # an opening mark waiting for its closing one on the same line
    for q in _STRAIGHT.finditer(text):
        b = q.start()
        if opening < 0 or text.find("\n", opening, b) >= 0:
            opening = b
            continue
        a, opening = opening, -1
        if 0 < b - a - 1 <= limit and not _SPACE.search(text, a + 1, b):
            out.append((a + 1, b, b + 1))
    out.sort()
    return out


_STRAIGHT = re.compile('"')
_SPACE = re.compile(r"\s")


def _quotes(text: str, r: _Rules, places: frozenset[str] = frozenset()) -> list[_Cand]:
    """Quoted names, typed by their own shape and the words around them."""
    q = r.q
    out = []
    typed: list[tuple[int, int, str | None]] = []  # every quote considered, typed or not
    firsts = frozenset(p[0] for p in places)
    for s, e, end in _quote_spans(text, r):
        content = text[s:e]
        if "*" in content or len(content) > q.long_max_len or len(content) < 2:
            continue
        after = _after_note(text, end, q.program_after_window)
        after1 = after.lstrip("的等")
        if len(content) > q.max_len and not _long_programme(content, after1, q):
            continue
        before = text[max(0, s - 6) : s - 1]
        etype = None
        g = r.gaz.get(content)
        brand = not g and _place_brand(content, places, firsts)
        if (
            not g
            and not brand
            and r.counting_re.search(content)
            and not after1.startswith(q.program_after)
        ):
            continue  # “三公”经费, “三个着力”: a count, not a name
        head_type = "" if g else _head_type(content, r)
        if g:  # a name the gazetteer knows keeps its type (“专精特新”中小企业 is an honour)
            etype = g.type
        elif cue := _cue_type(content, after, q):
            etype = cue
        elif (
            content.endswith(q.event_content_suffixes)
            or head_type == "event"
            or before.endswith(q.event_before)
        ):
            etype = "event"
        elif (
            brand
            and "、" not in content  # 走进甲地、留在甲地: a phrase naming the place twice
            and not before.endswith(r.honor_verbs)
            and not after.startswith(q.honored_after)  # “甲地香菇”入选: a product
        ):
            etype = "program"
        elif (
            before.endswith(r.honor_verbs)
            or (
                len(content) <= 4
                and after.startswith(q.honor_after)
                and not _blamed(before, after, q)
                and not _campaign_after(after, q)
            )
            or after.startswith(q.honored_after)
        ):
            etype = "honor"
        elif (
            "+" in content
            or "＋" in content
            or content.endswith(q.program_content_suffixes)
            or head_type == "program"  # “产业转型升级高地”: a programme's head word
            or after1.startswith(q.program_after)
            or (content[0] in q.numeral_heads and _CJK.match(content[-1]) is not None)
            or any(p.search(content) for p in r.name_shapes)
            or any(w in after.split("，")[0] for w in q.program_after_within)
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


def _after_note(text: str, end: int, window: int) -> str:
    """The words after a closing quote, past an endnote marker (“清四乱”[5]整治): the
    marker points to a note and is no word of the sentence."""
    m = _NOTE.match(text, end)
    if m:
        end = m.end()
    return text[end : end + window]


_NOTE = re.compile(r"\^?\[[0-9]{1,3}\]")


def _long_programme(content: str, after1: str, q: QuoteCues) -> bool:
    """Whether a quote longer than a name usually is still names a programme: it ends in a
    programme's head word (“…企业倍增计划”), joins parts with a plus sign, or the words after
    it call it a policy (“…、…、…”总要求): long quoted sayings are otherwise prose, lists of
    phrases too (“马上办、网上办、…、自助办” ends in a head word but is a list)."""
    return (
        ("、" not in content and content.endswith(q.program_content_suffixes))
        or "+" in content
        or "＋" in content
        or after1.startswith(q.program_after)
    )


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
    _chain_forward(text, typed, chain_type)
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


def _chain_forward(
    text: str, typed: list[tuple[int, int, str | None]], chain_type: dict[int, str]
) -> None:
    """A programme's list of quotes goes on in kind (“承诺制”“代办制”“领办制”, “甲圈”和
    “乙圈”): an item no word types takes the programme type of the item before it."""
    prev: tuple[int, str | None] | None = None  # (end, type) of the item before
    for s, e, etype in typed:
        own = chain_type.get(s, etype)
        if (
            own is None
            and prev is not None
            and prev[1] == "program"
            and text[prev[0] : s] in _LIST_GAPS
        ):
            own = chain_type[s] = "program"
        prev = (e, own)


_LIST_GAPS = frozenset(("”“", "”和“", "”、“", "”及“", "”与“"))


def _cue_type(content: str, after: str, q: QuoteCues) -> str | None:
    """The type the words right after a quote, or its own head, give it before any other
    cue: the sectors a count names (“甲乙丙”五大优势产业), a forum or fair named after a
    quoted slogan (“…之都”论坛), a body named by its head (“…教育学院”)."""
    if _industry_after(q.industry_after).match(after):
        return "industry"
    if after.startswith(q.event_after):
        return "event"
    return "organization" if content.endswith(q.organization_heads) else None


@cache
def _industry_after(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _campaign_after(after: str, q: QuoteCues) -> bool:
    """Whether a campaign's word follows in the clause (“领跑者”企业培育行动): the quote
    names the campaign, a programme, not a title firms win."""
    clause = after.split("，")[0]
    return any(w in clause for w in q.program_after_within)


def _blamed(before: str, after: str, q: QuoteCues) -> bool:
    """True when a clean-up verb governs a quoted label (整治“低散乱”企业, “…”企业整治):
    the label names a fault, not a title."""
    blame = q.blame_before
    head = next((h for h in q.honor_after if after.startswith(h)), "")
    return before.endswith(blame) or after.startswith(blame, len(head))


def _echoes(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A name the report once puts in quotes (“红色物业”建设) is the same name where it
    stands unquoted or uncued elsewhere (红色物业全覆盖): every mention is annotated."""
    names: dict[str, _Cand] = {}
    for c in cands:
        if c.rule != "quote" or c.type not in ("program", "honor") or c.end - c.start < 4:
            continue  # (tested before the name is cut out: most candidates are no quote)
        w = text[c.start : c.end]
        # a slogan pair (不忘初心、牢记使命) unquoted is a phrase of the sentence
        if "、" not in w:
            names.setdefault(w, c)
    if not names:
        return []
    out = []
    find = text.find
    for w, c in names.items():
        n = len(w)
        i = find(w)
        while i >= 0:  # every occurrence, left to right, none overlapping the last
            if i != c.start and not text.startswith("“", i + n):
                # (not a qualifier of a longer quoted title: 专精特新“小巨人”企业)
                out.append(_Cand(i, i + n, c.type, c.canonical, "echo"))
            i = find(w, i + n)
    return out
