"""Offsets of one document computed once (clause ends, lists, quotes, colons), for bisect."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, filterfalse

from heping_data.extract.facts.patterns import DUN, HARD, HAS_NUM, LINE_END, QUOTES
from heping_data.extract.facts.rules import rules
from heping_data.records import NumberMention, NumericFact


def positions(text: str, ch: str) -> list[int]:
    """Offsets of one character: `str.split` cuts in C far faster than a regex (or a
    `str.find` loop) yields them one by one."""
    if ch not in text:
        return []
    return _offsets(text.split(ch))


def _offsets(pieces: list[str]) -> list[int]:
    """Offsets of the one-character separators between ``pieces`` (`str.split` or a
    pattern's split): running sums of the piece lengths, all in C, no match objects."""
    out = list(accumulate(map(_PLUS_ONE, map(len, pieces)), initial=-1))
    del out[0]
    out.pop()
    return out


_PLUS_ONE = (1).__add__


@dataclass
class Scan:
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
    def of(cls, text: str) -> Scan:
        quotes = [(q.start(), q.end()) for q in QUOTES.finditer(text)]
        qs = [a for a, _ in quotes]
        dun = positions(text, DUN)
        if quotes and dun:
            kept = []
            for i in dun:
                j = bisect_right(qs, i) - 1
                if j >= 0 and quotes[j][0] < i < quotes[j][1]:
                    continue
                kept.append(i)
            dun = kept
        hard = _offsets(HARD.split(text))
        n = len(text)
        # `1,026` and `10:30` keep their separators inside the number. Half-width `,` and
        # `:` are rare in this genre: find them alone rather than test every delimiter.
        inner = [
            i
            for i in sorted(positions(text, ",") + positions(text, ":"))
            if 0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        ]
        joined = set(inner)  # delimiters that join: dropped from `hard` in one pass
        if "（" in text or "(" in text:
            # `执业（助理）医师`, `村(社区)党组织`: a short aside inside a noun joins the clause around it
            for a in rules().aside_re.finditer(text):
                if not a.start() or not "\u4e00" <= text[a.start() - 1] <= "\u9fff":
                    continue
                joined.add(a.start())
                joined.add(a.end() - 1)
        if joined:
            hard = list(filterfalse(joined.__contains__, hard))
        colons = sorted(positions(text, "：") + positions(text, ":"))
        if colons and inner:
            gone = set(inner)
            colons = [i for i in colons if i not in gone]
        reach = []
        for c in colons:
            le = LINE_END.search(text, c)
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
        if HAS_NUM.search(lab):
            return ""
        qs = self.quant_starts
        if qs and bisect_left(qs, ls) < bisect_left(qs, c):
            return ""
        return lab

    def duns(self, cs: int, ce: int) -> list[int]:
        return self.dun[bisect_left(self.dun, cs) : bisect_left(self.dun, ce)]


@dataclass(slots=True)
class DocState:
    """One document as the decisions read it: the text (and the copy with years and dates
    blanked), its quantities in order with their clause, role and clause-level metric, and
    the facts made so far. Built by ``extract_facts``; passed whole so each decision takes
    one argument for the document instead of ten."""

    text: str
    mtext: str
    scan: Scan
    quants: list[NumberMention]
    clauses: list[tuple[int, int]]
    roles: list[str]
    metrics: list[str]
    subject_only: set[int]
    facts: list[NumericFact] = field(default_factory=list)
    # `连续19年稳定在…`: metrics set after the loop (the next figure borrows the plain one)
    streaks: dict[int, str] = field(default_factory=dict)
