"""Passes over the whole mention list after the scan: data dumps, shared comparators
(7%和9%左右), table units, whole-word shapes and the plausibility bounds.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

from heping_data.extract.numbers.build import _after_cmp, _build, _mention
from heping_data.extract.numbers.rules import _Rules
from heping_data.extract.numbers.shapes import reshape as _reshape
from heping_data.extract.numbers.values import _norm_unit, _scale
from heping_data.records import NumberMention


def _after_scan(
    text: str, out: list[NumberMention], near: list[int], r: _Rules
) -> list[NumberMention]:
    """Passes over the whole mention list: shared comparators, table units, the
    plausibility bounds, data dumps."""
    limit = r.words.list_max_items
    if len(out) > limit and _has_run(near, limit):
        short = _long_lists(text, out, limit)  # first: the passes below then skip the dump
        if len(short) != len(out):
            out = short
            near = [k for k in range(1, len(out)) if 0 < out[k].start - out[k - 1].end <= 2]
    if near:
        _share_after_comparators(text, out, near, r)
        _share_unit_back(text, out, near, r)
    if "\t" in text:
        _table_units(text, out, r)
    out = _reshape(text, out)  # whole-word shapes (千亿级, 两位数, [12]): shapes.py
    _enforce_bounds(text, out, r)
    return out


_LIST_GAPS = frozenset(("、", "，", ",", "；", ";"))  # one character each (_long_lists)


def _has_run(near: list[int], limit: int) -> bool:
    """Whether ``near`` (ascending indices of mentions that start one or two characters
    after the previous one) holds ``limit`` consecutive indices.

    A list of more than ``limit`` items joined by one-character gaps needs that many
    joined pairs in a row, so without such a run ``_long_lists`` has nothing to do and
    the mention list is not walked.
    """
    run, prev = 0, -2
    for k in near:
        run = run + 1 if k == prev + 1 else 1
        if run >= limit:
            return True
        prev = k
    return False


def _long_lists(text: str, out: list[NumberMention], limit: int) -> list[NumberMention]:
    """A run of more than ``limit`` quantities joined only by 、/，/； is one ``unparsed``
    mention: no item of such a run can be given its own metric.

    Why: a report lists a handful of figures after 分别; tens of thousands in one
    sentence are a data dump, and reading each as a fact costs time with every number
    for rows no one can label.
    """
    joined = bytes(  # 1 where a quantity and the next one are joined by a list gap
        b.start == a.end + 1
        and text[a.end] in _LIST_GAPS
        and a.cls == "quantity"
        and b.cls == "quantity"
        for a, b in pairwise(out)
    )
    if joined.find(b"\x01" * limit) < 0:
        return out  # no run of more than ``limit`` items: the common case, in C
    res: list[NumberMention] = []
    i, n = 0, len(out)
    while i < n:
        j = i
        while (
            j + 1 < n
            and out[j].cls == "quantity"
            and out[j + 1].cls == "quantity"
            and text[out[j].end : out[j + 1].start] in _LIST_GAPS
        ):
            j += 1
        if j - i + 1 > limit:
            note = f"list of {j - i + 1} unlabelled numbers"
            res.append(_mention(text, out[i].start, out[j].end, "unparsed", note))
        else:
            res.extend(out[i : j + 1])
        i = j + 1
    return res


def _table_units(text: str, out: list[NumberMention], r: _Rules) -> None:
    """A table pasted as tab-separated text: a bare number takes the unit its column's
    header cell gives (亿元, （万元）, 单位：亿元), else the one its row label gives.

    Why: a table states the unit once, in its header; the cells carry digits only. The
    header is the nearest line above, in the same run of tab-separated lines, with no
    data cell (a number that is not a year). One pass over the lines: linear time.
    """
    todo = [
        i
        for i, m in enumerate(out)
        if m.cls == "quantity" and m.unit is None and m.multiplier == 1.0 and not m.is_range
    ]
    header: list[str] = []
    pos, n, k = 0, len(text), 0
    while k < len(todo) and pos <= n:
        le = text.find("\n", pos)
        le = n if le < 0 else le
        line = text[pos:le]
        tabbed = "\t" in line
        label = line.split("\t", 1)[0] if tabbed else ""
        col, col_pos = 0, pos
        while k < len(todo) and out[todo[k]].start <= le:
            i = todo[k]
            k += 1
            if not tabbed:
                continue
            col += text.count("\t", col_pos, out[i].start)
            col_pos = out[i].start
            cells = [header[col]] if col < len(header) else []
            unit = next((u for c in [*cells, label] if (u := _cell_unit(c, r))), None)
            if unit is not None:
                out[i] = _with_unit(out[i], *unit)
        if not tabbed:
            header = []
        elif not _DATA_CELL.search(line):
            header = line.split("\t")
        pos = le + 1


_DATA_CELL = re.compile(r"\t[0-9０-９.．]+(?![0-9０-９.．]*年)")


def _cell_unit(cell: str, r: _Rules) -> tuple[str, float] | None:
    """(unit, multiplier) a header or label cell states: the whole cell, a bracketed tail
    (地区生产总值（亿元）) or after 单位:."""
    cell = cell.strip()
    for opener in ("（", "(", "单位：", "单位:"):
        k = cell.rfind(opener)
        if k >= 0:
            cell = cell[k + len(opener) :].rstrip("）)")
            break
    t = r.tail.fullmatch(cell)
    if not cell or t is None or not t.group("unit"):
        return None
    mult = r.mult[t.group("mult")] if t.group("mult") else 1.0
    return _norm_unit(t.group("unit"), r), mult


def _share_unit_back(text: str, out: list[NumberMention], near: list[int], r: _Rules) -> None:
    """高于全省22.7和28.8个百分点: a bare number linked to the next takes its unit.

    Why: a list states its unit once, after the last member; like comparators, the unit
    passes back over a link word (和, 、) from quantity to quantity (last pair first)."""
    links = r.by_len["shared_comparator_links"]
    for k in reversed(near):
        a, b = out[k - 1], out[k]
        if a.unit is not None or not b.unit or a.cls != "quantity" or b.cls != "quantity":
            continue
        gap = text[a.end : b.start]
        if (
            a.multiplier == 1.0
            and not a.is_range
            and a.note != "ratio part"
            and any(len(gap) == size and gap in words for size, words in links)
        ):
            out[k - 1] = _with_unit(a, b.unit, b.multiplier, "unit from the list's last member")


def _with_unit(
    m: NumberMention, unit: str, mult: float, note: str = "unit from table header"
) -> NumberMention:
    """The same mention with the table's unit and multiplier applied to its values."""
    d = dict(m.__dict__)
    d["unit"], d["multiplier"], d["note"] = unit, mult, note
    for k in ("value", "value_min", "value_max", "implied_min", "implied_max"):
        d[k] = _scale(d[k], mult)
    return _build(d)


def _enforce_bounds(text: str, out: list[NumberMention], r: _Rules) -> None:
    """Every quantity finite, ordered (min <= max) and within its unit's plausible bound.

    Why: the grammar's invariants hold for every published row whatever the input; a
    quantity that breaks one (400 digits, 1.23e39 元, a stray descending pair) becomes a
    mention of class ``unparsed`` with the reason, never a fact.
    """
    bound, default = r.bound, r.bound_default
    bad = [  # one comprehension over every mention; the few found are rebuilt below
        i
        for i, m in enumerate(out)
        if m.cls == "quantity"
        and (lo := m.value_min) is not None
        and (hi := m.value_max) is not None
        and not (
            -(b := bound.get(m.unit, default)) <= lo <= hi <= b
            and ((v := m.value) is None or lo <= v <= hi)
        )
    ]
    for i in bad:
        m = out[i]
        b = bound.get(m.unit, default)
        lo, hi = m.value_min, m.value_max
        if lo is None or hi is None:  # never: the comprehension checked (for the types)
            continue
        if not (math.isfinite(lo) and math.isfinite(hi)):
            why = "not finite"
        elif lo > hi:
            why = "bounds out of order"
        else:
            why = f"beyond the plausible bound {b:.0e} for unit {m.unit or 'none'}"
        out[i] = _mention(text, m.start, m.end, "unparsed", why)


def _share_after_comparators(
    text: str, out: list[NumberMention], near: list[int], r: _Rules
) -> None:
    """7%和9%左右: a comparator word after the last of a list applies to every member.

    Why: the word qualifies the whole list; members must be adjacent quantities of the
    same unit joined only by a link word, so 5个和9%以上 or 6所、幼儿园8所以上 are left alone.
    ``near`` holds the indices of mentions that start one or two characters after the
    previous one (collected during the scan), so only those pairs are looked at.
    """
    links = r.by_len["shared_comparator_links"]
    shared: set[int] = set()
    for k in reversed(near):
        a, b = out[k - 1], out[k]
        gap = text[a.end : b.start]
        if (
            a.cls != "quantity"
            or a.comparator != "eq"
            or b.cls != "quantity"
            or a.unit != b.unit
            or a.is_range
            or not any(len(gap) == size and gap in words for size, words in links)
        ):
            continue
        cmp = b.comparator if k in shared else _after_cmp(text, b.end, r)
        if cmp is None or cmp != b.comparator:
            continue
        d = dict(a.__dict__)
        d["comparator"] = cmp
        if cmp in ("gt", "ge"):
            d["implied_max"] = None
        elif cmp in ("lt", "le"):
            d["implied_min"] = None
        else:
            d["implied_min"] = d["implied_max"] = None
        out[k - 1] = _build(d)
        shared.add(k - 1)
