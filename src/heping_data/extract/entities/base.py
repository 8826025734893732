"""Shared pieces of the entity rules: the candidate tuple, name boundaries, scans and
the trie alternation every rule compiles its word lists into.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from heping_data.tables import schema as _schema
from heping_data.text.regexcache import compile as _compile
from heping_data.text.ruledata import data_file

if TYPE_CHECKING:
    from heping_data.extract.entities.rules import _Rules


_DATA = Path(str(data_file("entities")))

# Characters a name never crosses: punctuation, whitespace, quotes, brackets, slashes.
_HARD = frozenset(" \t\r\n\u3000，。；：！？、,.;:!?（）()《》<>“”‘’\"'／/—–-…|【】[]{}·•")
_HARD_RE = re.compile("[" + re.escape("".join(sorted(_HARD))) + "]")
_HARD_NO_DOT_RE = re.compile("[" + re.escape("".join(sorted(_HARD - {"·"}))) + "]")
_MAX_NAME = 16
_MAX_WORD = 6
_MIN_FREQ = 20  # rarer dictionary words mislead the backward walk (和平一校 → 平一)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_COUNT = re.compile(r"(?:[*0-9一二三四五六七八九十两几多]+[所家户个座])?")
_BRAND_EXT = re.compile(r"[A-Za-z0-9]+[\u4e00-\u9fff]?")
# Leading counts and ratings that are not part of a place or event name (*A级旅游景区).
_RATING = re.compile(
    r"(?:第[*0-9一二三四五六七八九十百]+[届次期])?[*0-9]*(?:[A-Z]+级)?"
    r"(?:[省市]?[一二三四五]星级)?"  # 省二星级开发区: a grade, not part of the name
)
# An event keeps its edition or year (第五届…博览会, 2023世界…锦标赛); only a grade goes.
# A masked edition in front of an event's name (第**届): kept, as every gold keeps editions.
_MASKED_EDITION = re.compile(r"第[*0-9]+[届次]")
# A bare count of editions (举办3届市旅发大会) tells how many were held, not which one: it
# goes; an ordinal edition (第3届, 首届) is part of the name and stays.
_EVENT_RATING = re.compile(r"(?:(?<!第)[*0-9]{1,3}(?![*0-9])[届次]?)?(?:[A-Z]+级)?")

# Bodies that act: government and party bodies and other institutions (organization), and
# enterprises (company); rules that shape a body's name treat both alike.
_BODIES = ("organization", "company")


@cache
def entity_types() -> frozenset[str]:
    """The types the entities table allows (its schema's enum): rule files are checked
    against it on load, so a type is defined in one place."""
    enum = _schema.tables()["entities"].column("entity_type").enum
    return frozenset(enum or ())


def _outer_first(c: _Cand) -> tuple[int, int]:
    """Sort key: by start, the longer (enclosing) mention first."""
    return (c.start, -c.end)


# Single-character verbs after a person's name that open what they do (齐志国作…报告).
_PERSON_VERBS = frozenset("作向在对为给与和")

# Tie-break tiers when two candidates have the same length (lower wins).
_TIER = {
    "quote": 0,
    "gazetteer": 1,
    "honor": 1,
    "suffix": 2,
    "industry": 1,  # an industry term beats a suffix reading of the same span (集成电路)
    "enum": 4,
    "district": 2,
    "stem": 5,
    "abbrev": 3,
    "byline": 0,
    "ranking": 1,
    "route": 1,
    "bracket": 1,
    "pattern": 1,
    "feature": 6,  # a weak reading: an enumeration's cue retypes it
    "echo": 3,
    "project": 1,
    "division": 1,
    "brand": 1,
    "plenum": 1,
    "line": 1,
}


class _Cand(NamedTuple):
    """A candidate mention (a tuple: thousands are made per report, so cheap to build)."""

    start: int
    end: int
    type: str
    canonical: str
    rule: str


class _Scan(NamedTuple):
    """A pattern found from the occurrences of an ``anchor`` every match holds.

    Why: a pattern that opens with a class of Chinese characters ([\u4e00-\u9fff]{2}至…)
    makes ``re`` try a match at almost every position; the anchor (至) is found by re's fast
    literal or set search instead, and the pattern is tried only at the ``back`` positions
    before each occurrence. Requires every match to hold an anchor occurrence starting at
    most ``back`` characters after the match's start; the matches are then exactly those of
    ``pattern.finditer`` (leftmost, non-overlapping). Without an anchor it is a plain scan.
    """

    pattern: re.Pattern[str]
    anchor: re.Pattern[str] | None = None
    back: int = 0

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if _absent(self.pattern, text):
            return  # no match can be found: no scan
        if self.anchor is None:
            yield from self.pattern.finditer(text)
            return
        match, back, nxt = self.pattern.match, self.back, 0
        for a in self.anchor.finditer(text):
            # up to the anchor's last character: an overlapping occurrence the anchor scan
            # skipped has its window inside this one
            p, last = max(a.start() - back, nxt), a.end() - 1
            while p <= last:
                m = match(text, p)
                if m is None:
                    p += 1
                else:
                    yield m
                    p = max(m.end(), p + 1)
            nxt = p


# pattern -> what every one of its matches holds: per requirement, literals one of which
# occurs in each match (empty: nothing found)
_NEEDS: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {}
_MAX_CHOICES = 3  # a requirement with more literals costs more to test than it saves


def _absent(pattern: re.Pattern[str], text: str) -> bool:
    """True when ``text`` lacks something every match of ``pattern`` holds.

    Why: ``str.__contains__`` finds a literal several times faster than ``re`` tries a
    pattern that opens with a class or an alternation at every position, and most fixed
    shapes (号线, 中欧班列, 长制, a title before a space …) are absent from most reports."""
    needs = _NEEDS.get(pattern)
    if needs is None:
        needs = _NEEDS[pattern] = _requirements(pattern)
    return any(not any(lit in text for lit in req) for req in needs)


def _requirements(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    """At the top level of ``pattern`` (outside any optional part or assertion): literal
    runs, classes of single characters, alternations of literal-led branches, repeated at
    least once; each is something one of whose literals every match holds."""
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        import re._constants as sc
        import re._parser as sp
    except ImportError:  # Python < 3.11
        import sre_constants as sc  # type: ignore[no-redef]
        import sre_parse as sp  # type: ignore[no-redef]

    def lead(seq: Any) -> str:  # the literal run a branch opens with
        run = ""
        for op, av in seq:
            if op is not sc.LITERAL:
                break
            run += chr(av)
        return run

    def walk(seq: Any, out: list[tuple[str, ...]]) -> None:
        run = ""
        for op, av in [*seq, (None, None)]:
            if op is sc.LITERAL:
                run += chr(av)
                continue
            if run:
                out.append((run,))
                run = ""
            if op is sc.IN and all(o is sc.LITERAL for o, _ in av):
                out.append(tuple(chr(c) for _, c in av))
            elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT) and av[0] >= 1:
                walk(av[2], out)
            elif op is sc.SUBPATTERN:
                walk(av[3], out)
            elif op is sc.BRANCH and all(alts := [lead(x) for x in av[1]]):
                out.append(tuple(alts))

    out: list[tuple[str, ...]] = []
    walk(sp.parse(pattern.pattern, pattern.flags), out)
    return tuple(req for req in out if len(req) <= _MAX_CHOICES)


class _Words(NamedTuple):
    """Words, each with a zero-width condition on the text after it (``(?!化)``), found as
    the trie of ``_alternation(words, tails)`` finds them: at the leftmost position where
    some word's condition holds, the longest such word; matches do not overlap.

    Why: written into the trie, the condition repeats after every one of thousands of
    industry terms, and compiling that 60,000-character pattern cost 0.1 s per process;
    the bare trie compiles in a fraction of it and each condition is tested on its own.
    """

    pattern: re.Pattern[str]  # the words' trie, no conditions
    tails: dict[str, re.Pattern[str] | None]  # word -> its condition (None: always holds)

    @classmethod
    def build(cls, tails: dict[str, str]) -> _Words:
        compiled = {t: _compile(t) for t in set(tails.values()) if t}
        conds = {w: compiled.get(t) for w, t in tails.items() if w}
        return cls(_compile(_alternation(conds, grouped=True)), conds)

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        search, conds, pos = self.pattern.search, self.tails, 0
        while (m := search(text, pos)) is not None:
            s, w = m.start(), m.group()
            pos = s + 1  # no word opening here qualifies: try the next position
            # the trie backs off from its longest word to shorter ones on the same path
            for k in range(len(w), 0, -1):
                if (cond := conds.get(w[:k], False)) is not False and (
                    cond is None or cond.match(text, s + k)
                ):
                    yield s, s + k, w[:k]
                    pos = s + k
                    break


@dataclass(frozen=True)
class _Gaz:
    type: str
    canonical: str
    scope: str


def _alternation(
    words: Iterable[str], tails: dict[str, str] | None = None, *, grouped: bool = False
) -> str:
    """One non-capturing group matching the longest of ``words``, factored as a trie.

    Python's ``re`` tries the branches of a flat alternation one by one at every position;
    a trie needs one character test per level and keeps re's first-character prefilter,
    which makes the gazetteer, suffix and industry scans several times faster. ``tails``
    maps a word to a zero-width condition that must hold after it (``(?!化)``).
    ``grouped``: for a pattern that is the trie alone, scanned over whole reports (see
    ``_grouped_trie``); inside a longer pattern the flat trie keeps re's first-character
    prefilter.
    """
    tails = tails or {}
    trie: dict[str, Any] = {}
    for w in set(words):
        tail = tails.get(w, "")
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = tail
    if not trie:
        return "(?!)"
    if not grouped or len(trie) <= _GROUP:
        return _trie_pattern(trie)
    return _grouped_trie(trie)


# Past this many first characters a trie's top level is split into groups of this size.
_GROUP = 32


def _grouped_trie(trie: dict[str, Any]) -> str:
    """The trie with its top level split into groups, each behind a look-ahead for its
    first characters, and one look-ahead for all of them in front.

    Why: re tries the branches of an alternation one by one and, when the branch of the
    first character fails further on (most attempts), goes on testing every later branch:
    a top level of 175 first characters costs 175 tests per attempt. Grouped, an attempt
    costs one look-ahead per group and the branches of one group. The branches still
    exclude each other by their first character, so the pattern matches exactly what the
    flat trie matches, in the same order of preference.
    """
    firsts = sorted(trie)
    alts = []
    for i in range(0, len(firsts), _GROUP):
        group = firsts[i : i + _GROUP]
        body = "|".join(re.escape(ch) + _trie_pattern(trie[ch]) for ch in group)
        alts.append(f"(?={_char_class(group)})(?:{body})")
    return f"(?={_char_class(firsts)})(?:{'|'.join(alts)})"


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in chars) + "]"


def _trie_pattern(node: dict[str, Any]) -> str:
    # branches stay plain literals (no [abc] sets) so that re keeps its first-character
    # prefilter on the top level
    alts = [re.escape(ch) + _trie_pattern(sub) for ch, sub in sorted(node.items()) if ch]
    if "" in node:
        if not alts:
            return node[""]
        alts.append(node[""])
    pat = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in node and not node[""]:
        pat = "(?:" + "|".join(alts[:-1]) + ")?"
    return pat


def _opening_check(words: Iterable[str], pattern: str) -> str:
    """A look-ahead for the characters a match of ``words`` or ``pattern`` can open with.

    Why: re finds no first-character filter for an alternation one of whose branches opens
    with a repeat, and then tries the whole pattern at every position; the look-ahead
    fails at once on other characters. Every character written in ``pattern`` is let
    through (a superset of its first ones); a pattern with escapes, ``.`` or a negated set
    could open with anything, so it gets no check.
    """
    if any(t in pattern for t in ("\\", ".", "[^")):
        return ""
    chars = {w[0] for w in words if w} | set(pattern)
    return "(?=[" + re.escape("".join(sorted(chars))) + "])"


def _check_types(where: str, types: Iterable[str]) -> None:
    """A rule file may only give types the entities table allows."""
    allowed = entity_types()
    bad = sorted(set(types) - allowed)
    if bad:
        raise ValueError(f"{where}: unknown entity types {bad}; allowed {sorted(allowed)}")


def _is_generic(stem: str, r: _Rules) -> bool:
    return not stem or bool(r.generic_re.fullmatch(stem))


def _put_over(chosen: list[_Cand], add: list[_Cand]) -> list[_Cand]:
    """``chosen`` (in start order) with the mentions ``add`` in place of every mention they
    overlap. Why not filter and sort: ``add`` holds a few mentions, ``chosen`` hundreds;
    each new one costs two bisections and a slice here."""
    out = list(chosen)
    starts = [c.start for c in out]
    for x in sorted(add, key=lambda c: c.start, reverse=True):
        lo = bisect_left(starts, x.start)
        while lo > 0 and out[lo - 1].end > x.start:
            lo -= 1  # a mention that opens before the new one and runs into it
        hi = bisect_left(starts, x.end, lo)
        out[lo:hi] = [x]
        starts[lo:hi] = [x.start]
    return out
