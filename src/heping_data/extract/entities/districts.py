"""County-level names, the report's home jurisdiction and the bodies on their head."""

from __future__ import annotations

import re
from collections import Counter

from heping_data.extract.entities.base import _Cand, _is_generic
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _jieba


def _district_spans(text: str, head_re: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of two characters and a 区/县/市 head, leftmost first and not overlapping (as
    a scan for the whole three would find them, but re skips straight to the heads)."""
    out = []
    last = 0
    for m in head_re.finditer(text):
        e = m.end()
        if e - 3 >= last:  # not inside the name before it
            out.append((e - 3, e))
            last = e
    return out


def _districts(text: str, r: _Rules, cands: list[_Cand]) -> tuple[list[_Cand], str | None]:
    """County-level names and their bare stems (和平区, 和平).

    A name counts when jieba knows it as a place or when it follows a city or province the
    gazetteer knows (湖州市吴兴区, 成都武侯区); once accepted, every mention of it counts.
    """
    _, tags, words, _ = _jieba()
    city_ends = {
        c.end
        for c in cands
        if c.type == "place" and c.rule == "gazetteer" and c.canonical.endswith(("市", "省"))
    }
    title_end = text.find("\n")
    title_end = 0 if title_end < 0 or title_end > 80 else title_end  # a title is one short line
    found: list[tuple[int, int, str]] = []
    generic: dict[str, bool] = {}
    for s, e in _district_spans(text, r.district_re):
        w = text[s:e]
        g = generic.get(w)
        if g is None:
            g = generic[w] = _is_generic(w[:-1], r)
        # the name's first character does not close a word begun before it (滨海城区)
        # 佛山南桂区: 山南 is a word, yet 佛山 ends
        if g or (s and text[s - 1 : s + 1] in words and s not in city_ends):
            continue
        if text[e - 1 : e + 1] in r.district_head_words:
            continue  # 赣边区域: the head opens a word, the name is longer
        if text[e - 2] in r.district_not_last:
            continue  # 新颜值是市委: a copula ends no name
        found.append((s, e, w))
    # a name counts when jieba knows it as a place, a known city or province precedes it, or
    # it opens the report's title (云州市2021年政府工作报告); a city only by the title
    known = {
        w
        for s, e, w in found
        if (e <= title_end and w[1:] not in r.area_words)  # not 占|地区
        or (w[-1] != "市" and (tags.get(w) == "ns" or s in city_ends))
        or _names_body(text, e, w, r, tags)
    }
    out = []
    counts: Counter[str] = Counter()
    prov_ends = {
        c.end
        for c in cands
        if c.type == "place" and c.rule == "gazetteer" and c.canonical[-1] == "省"
    }
    for s, e, w in found:
        if w in known:
            out.append(_Cand(s, e, "place", w, "district"))
            counts[w] += 1
            if s - 2 in prov_ends and _CITY2.fullmatch(text, s - 2, s):
                # 广东珠岚榕湾区: the two characters between a province and a county-level
                # name are its city
                out.append(_Cand(s - 2, s, "place", text[s - 2 : s] + "市", "district"))
    if not counts:
        return out, None
    # the home is the name the title opens with (桐溪市2020年政府工作报告: not a 百强县 of
    # the text), else the district most named; a city only when no district is named
    titled = {w for s, e, w in found if e <= title_end and w in known}
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] not in titled, kv[0][-1] == "市", -kv[1]))
    home = ranked[0][0]
    stem = home[:-1]
    for m in re.finditer(re.escape(stem), text):
        if m.end() < len(text) and text[m.end()] in "区县市":
            continue
        if m.start() > 0 and text[m.start() - 1] == "“" and text[m.end() : m.end() + 1] != "”":
            continue  # the start of a quoted slogan (“和平之声”), not the place
        if text.endswith(r.stem_programs, 0, m.start()):  # 平安南桂: a campaign named for it
            pre = next(p for p in r.stem_programs if text.endswith(p, 0, m.start()))
            out.append(_Cand(m.start() - len(pre), m.end(), "program", pre + stem, "district"))
            continue
        out.append(_Cand(m.start(), m.end(), "place", home, "stem"))
    return out, home


_CITY2 = re.compile("[\u4e00-\u9fff]{2}")


def _names_body(text: str, e: int, w: str, r: _Rules, tags: dict[str, str]) -> bool:
    """True when a government body follows the name (洛州市委, 榕湾区政府): the name is then
    a jurisdiction, even one ending like a common noun (湾区) when 政府 follows."""
    if not text.startswith(r.district_bodies, e - 1):
        return False
    body = next(b for b in r.district_bodies if text.startswith(b, e - 1))
    if tags.get(w[:2], "ns") != "ns":
        return False  # 召开区委: a common word, not a place name
    if w[1:] in r.area_words and not body[1:].startswith(("政府", "人民政府")):
        return False
    return w[:2] in tags or tags.get(w[0]) not in _FUNCTION_TAGS


#: jieba tags of characters that never open a place name (这, 在, 和, 都 …)
_FUNCTION_TAGS = frozenset({"r", "p", "c", "u", "uj", "d", "m", "q"})


def _district_bodies(text: str, dist: list[_Cand], cands: list[_Cand], r: _Rules) -> list[_Cand]:
    """A county-level name, city or province and the body that shares its head character
    are one organisation (榕湾|区政府 → 榕湾区政府, 洛州|市委 → 洛州市委, 南宁市|市委)."""
    orgs = {c.start: c for c in cands if c.type == "organization" and c.rule == "gazetteer"}
    bodies, gaz = r.district_bodies, r.gaz
    out = []
    for d in dist:
        c = orgs.get(d.end - 1)
        if d.rule == "district" and c is not None and c.end > d.end:
            canon = c.canonical if "{" in c.canonical else d.canonical[:-1] + c.canonical
            out.append(_Cand(d.start, c.end, "organization", canon, "gazetteer"))
    # a city or province the gazetteer knows, before its own body (南宁市委, 甘肃省政府): the
    # body of that jurisdiction, not of the report's own
    for d in cands:
        if d.type != "place" or d.rule != "gazetteer" or text[d.end - 1] not in "省市":
            continue
        body = next((b for b in bodies if text.startswith(b, d.end - 1)), "")
        g = gaz.get(body)
        if g is None or "{district}" in g.canonical:
            continue
        head = text[d.start : d.end]
        canon = (
            g.canonical.format(province=head, city=head) if "{" in g.canonical else head + body[1:]
        )
        out.append(_Cand(d.start, d.end - 1 + len(body), "organization", canon, "gazetteer"))
    return out
