"""Choosing among overlapping candidates and finishing the chosen: canonical forms,
joined prefixes, split abbreviations.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from heping_data.extract.entities.base import _BODIES, _TIER, _Cand
from heping_data.extract.entities.rules import _Rules


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Longest candidate wins; ties go to the more trusted rule."""
    tier = _TIER.get
    # decorated tuples sort in C; the index keeps the sort stable and breaks every tie
    order = sorted((s - e, tier(rule, 9), s, i, e) for i, (s, e, _, _, rule) in enumerate(cands))
    taken = bytearray(max((c.end for c in cands), default=0))
    chosen = []
    for _, _, s, i, e in order:
        if taken.find(1, s, e) >= 0:
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append((s, len(chosen), i))
    chosen.sort()  # by start, then the order chosen
    return [cands[i] for _, _, i in chosen]


def _admin_context(cands: list[_Cand], home: str | None) -> dict[str, str]:
    """The province and city a report's bodies belong to (市委 → 中共保定市委): the one
    named most often, earliest on a tie (a city report names Beijing too, less often)."""
    ctx = {"province": "", "city": "", "district": home or ""}
    prov: Counter[str] = Counter()
    city: Counter[str] = Counter()
    for c in cands:
        if c.type != "place" or c.rule != "gazetteer":
            continue
        if c.canonical.endswith("省"):
            prov[c.canonical] += 1
        elif c.canonical.endswith("市") and len(c.canonical) > 2:
            city[c.canonical] += 1
    # Counter.most_common keeps first-seen order among equal counts
    ctx["province"] = prov.most_common(1)[0][0] if prov else ""
    ctx["city"] = city.most_common(1)[0][0] if city else ""
    return ctx


def _finish(text: str, chosen: list[_Cand], ctx: dict[str, str]) -> list[_Cand]:
    """Fill canonical templates, merge a quoted event with the name after it, and give later
    short mentions the full name an earlier mention established."""
    return _tail_names(text, _full_names(text, _filled(text, chosen, ctx)))


def _template(text: str, c: _Cand, ctx: dict[str, str]) -> str:
    """A canonical template (中共{city}委) filled from the report's province, city and
    district; the mention's own text when it cannot be."""
    canon = c.canonical
    try:
        # a district body needs the city and the district, not the province
        needed = ("city", "district") if "{district}" in canon else ()
        canon = canon.format(**ctx) if all(ctx[k] for k in needed) else c.canonical
    except KeyError:
        canon = text[c.start : c.end]
    if "{" in canon or "中共委" in canon or canon.startswith("人民政府"):
        canon = text[c.start : c.end]
    return canon


def _filled(text: str, chosen: list[_Cand], ctx: dict[str, str]) -> list[_Cand]:
    """Templates filled, and a quoted event joined with the event name right after it."""
    out: list[_Cand] = []
    drop: set[int] = set()
    for i, c in enumerate(chosen):
        canon = c.canonical
        if "{" in canon:
            canon = _template(text, c, ctx)
        if c.type == "event":
            canon = _quoted_event(text, chosen, i, canon, drop)
        if i in drop:
            continue
        out.append(c if canon == c.canonical else _Cand(c.start, c.end, c.type, canon, c.rule))
    return out


def _quoted_event(text: str, chosen: list[_Cand], i: int, canon: str, drop: set[int]) -> str:
    """The canonical of the event ``chosen[i]`` with the quote it continues or the event
    name after its closing quote (marked in ``drop``)."""
    c = chosen[i]
    nxt = chosen[i + 1] if i + 1 < len(chosen) else None
    closing = c.end < len(text) and text[c.end] == "”"
    if c.rule == "quote" and closing and nxt and nxt.type == "event" and nxt.start == c.end + 1:
        canon = c.canonical + text[nxt.start : nxt.end]
        drop.add(i + 1)
    if c.rule != "quote" and c.start >= 2 and text[c.start - 1] == "”":
        q0 = text.rfind("“", max(0, c.start - 12), c.start)
        if q0 >= 0:
            canon = text[q0 + 1 : c.start - 1] + canon
    return canon


def _full_names(text: str, out: list[_Cand]) -> list[_Cand]:
    """A later short form takes the full name of an earlier mention of the same type."""
    full: dict[tuple[str, str], str] = {}
    for c in out:
        w = text[c.start : c.end]
        if c.canonical != w:
            full.setdefault((c.type, w), c.canonical)
    if not full:
        return out
    res = []
    for c in out:
        canon = full.get((c.type, text[c.start : c.end]), c.canonical)
        res.append(c if canon == c.canonical else _Cand(c.start, c.end, c.type, canon, c.rule))
    return res


def _tail_names(text: str, res: list[_Cand]) -> list[_Cand]:
    """A mention of four or more characters that ends a longer name of the same type takes
    it (南湖公园 after 长春南湖公园); tails are built only for the names such mentions could
    end."""
    short: dict[str, set[str]] = defaultdict(set)
    for c in res:
        if len(c.canonical) >= 4:
            short[c.type].add(c.canonical)
    # a tail of four or more characters ends with the same four characters as the name:
    # a name whose last four end no other name has no tail to look for (most names)
    shared = {t: _shared_last4(names) for t, names in short.items()}
    tails: dict[tuple[str, str], str] = {}
    for c in res:
        v = c.canonical
        if len(v) > 4 and v[-4:] in shared[c.type]:
            names = short[c.type]
            for k in range(4, len(v)):
                if v[-k:] in names:
                    tails.setdefault((c.type, v[-k:]), v)
    if not tails:
        return res
    return [
        c._replace(canonical=tails[(c.type, c.canonical)])
        if (c.type, c.canonical) in tails and c.canonical == text[c.start : c.end]
        else c
        for c in res
    ]


def _shared_last4(names: set[str]) -> set[str]:
    """The last four characters that two or more of ``names`` end with."""
    seen: set[str] = set()
    twice: set[str] = set()
    for n in names:
        k = n[-4:]
        if k in seen:
            twice.add(k)
        seen.add(k)
    return twice


_DOTS = ("", "·", "・")


def _join_prefixed(text: str, chosen: list[_Cand], r: _Rules) -> list[_Cand]:
    """Join a place to the name it opens: a branch named by its host and its place
    (甲医院乙地医院, 甲大学乙地分校) is one body; a place, with or without a middle dot,
    right before an event (乙地马拉松, 中国·乙地音乐节) is part of the event's name."""
    out: list[_Cand] = []
    for c in chosen:
        if c.type == "event":
            while out and out[-1].type == "place" and text[out[-1].end : c.start] in _DOTS:
                p = out.pop()
                c = _Cand(p.start, c.end, "event", text[p.start : c.end], c.rule)
            out.append(c)
            continue
        prev = out[-1] if out else None
        if (
            c.type == "place"
            and prev is not None
            and prev.type == "organization"
            and prev.end == c.start
            and any(m.end() == c.start for m in r.host_re.finditer(text, prev.start, c.start))
        ):
            head = next((h for h in r.branch_heads if text.startswith(h, c.end)), "")
            if head:
                e = c.end + len(head)
                out[-1] = _Cand(prev.start, e, "organization", text[prev.start : e], prev.rule)
                continue
        out.append(c)
    return out


def _split_bodies(cands: list[_Cand]) -> list[_Cand]:
    """One row per body where one abbreviation names several (省市委 → the provincial and the
    city party committees, both on the span 省市委): an analyst counts bodies, not words."""
    if not any("、" in c.canonical and c.type in _BODIES for c in cands):
        return cands
    out = []
    for c in cands:
        if c.type in _BODIES and c.rule == "gazetteer" and "、" in c.canonical:
            out.extend(c._replace(canonical=part) for part in c.canonical.split("、") if part)
        else:
            out.append(c)
    return out
