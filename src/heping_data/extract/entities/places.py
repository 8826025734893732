"""Places and events of a fixed shape: routes, natural features, national patterns,
bracketed hosts, one-character abbreviations and place brands.
"""

from __future__ import annotations

import re

from heping_data.extract.entities.base import _HARD_RE, _Cand, _is_generic
from heping_data.extract.entities.districts import _FUNCTION_TAGS
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _jieba, _left_edge, _limit_left


def _routes(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """Lines, sections and links as one place (广州地铁7号线西延线南桂段, 南桂—澳门科创合作园);
    an event named for two places joined by a dash is one event (中国—东盟博览会)."""
    place_end = {c.end: c.start for c in cands if c.type == "place" and c.rule != "suffix"}
    words = _jieba()[2]
    out = []
    for pat in r.route_res:
        for m in pat.finditer(text):
            s, e = m.span()
            w = m.group()
            # a river of more than two characters (松花江|松澜段): the pattern holds the
            # last one before the head, the word jieba knows runs further left
            if w[1:2] in ("河", "江"):
                s -= next((n for n in (3, 2, 1) if s >= n and text[s - n : s + 2] in words), 0)
                w = text[s:e]
            if w[:2] in r.stop_words or (
                _is_generic(w[:2], r) and not w.startswith(("地铁", "轨道"))
            ):
                continue  # 建设高速, 全市高速: a verb or a generic word, not a route's name
            s = place_end.get(s, s)  # 广州|地铁7号线
            out.append(_Cand(s, e, "place", text[s:e], "route"))
    # a site a place runs in another city, the city in brackets (甲县（上海）科创飞地)
    for m in r.bracket_site_re.finditer(text):
        a = place_end.get(m.start())
        if a is not None:
            out.append(_Cand(a, m.end(), "place", text[a : m.end()], "route"))
    for c in cands:  # 南桂—澳门科创合作园, 第20届中国—东盟博览会
        if c.type not in ("place", "event") or c.rule != "suffix" or c.start < 3:
            continue
        if text[c.start - 1] in r.route_joiners and c.start - 1 in place_end:
            a = place_end[c.start - 1]
            if c.type == "event":  # an event keeps its edition in front of the places
                ed = _EDITION.search(text, max(0, a - 6), a)
                a = ed.start() if ed else a
            out.append(_Cand(a, c.end, c.type, text[a : c.end], "route"))
    return out


def _features(text: str, r: _Rules, stems: tuple[str, ...]) -> list[_Cand]:
    """Mountains, rivers, lakes and canals (祁连山, 黑河, 心圩江, 石羊河): a short name before
    a feature head, when jieba knows the whole as a place, the name is a jurisdiction the
    report names (``stems``), or a feature cue follows (流域, 断面, 水质 …)."""
    _, tags, words, _ = _jieba()
    feature_not = r.feature_not
    rev = text[::-1] if stems or r.feature_cue_re.search(text) else ""
    out = []
    for m in r.feature_re.finditer(text):
        p, e = m.start(), m.end()
        cued = bool(rev) and r.feature_cue_re.match(text, e) is not None
        if p == 0 or text[e : e + 1] in "市区县省":
            continue  # a city of that name (黑河市)
        if tags.get(text[p : p + 2]) == "ns" and not cued:
            continue  # the head opens a place word of its own (江苏, 河北), not 岷江|流域
        s = -1
        for k in (3, 2, 1):
            w = text[p - k : e]
            if (
                p - k >= 0
                and tags.get(w) == "ns"
                and w not in feature_not
                and not (p - k > 0 and text[p - k - 1 : p - k + 1] in words)
                and not (p - k > 0 and text[p - k - 1 : e] in words)  # 护|城河
            ):
                s = p - k
                break
        if s < 0 and text.endswith(stems, 0, p):
            s = next(p - len(st) for st in stems if text.endswith(st, 0, p))
        if s < 0 and cued:
            # walk from a little further left, so that a stop word is met whole (抓好|贺兰山)
            lo = _limit_left(rev, _HARD_RE, p, 5)
            b = _left_edge(text, lo, p, r)[0]
            w = text[b:e]
            if (
                p - 3 <= b < p
                and w not in feature_not
                and not _is_generic(text[b:p], r)
                and (w not in words or tags.get(w) in ("ns", "nr", "nz"))
                and tags.get(text[b]) not in _FUNCTION_TAGS
            ):
                s = b
        if s >= 0 and not (s and text[s - 1] == "《" and text[e : e + 1] != "》"):
            # not the opening words of a work's title (《伊河儿女》)
            out.append(_Cand(s, e, "place", text[s:e], "feature"))
    return out


def _typed_patterns(text: str, r: _Rules) -> list[_Cand]:
    """Names of a fixed national shape (自由贸易试验区, 中欧班列…号, 河长制), whole even where
    they hold places or brackets a suffix walk would stop at."""
    return [
        _Cand(m.start(), m.end(), etype, m.group(), "pattern")
        for etype, pat in r.typed_res
        for m in pat.finditer(text)
    ]


# 第三届中国（宁川）…博览会: an edition, a country or province, then the host in brackets.
_HOST_BRACKET = re.compile(r"[（(][\u4e00-\u9fff]{2,6}[）)]$")
_EDITION = re.compile(r"(?:第[*0-9一二三四五六七八九十百]+[届次期]|[0-9]{4}年?)$")  # 第**届: masked


def _bracketed_events(text: str, cands: list[_Cand]) -> list[_Cand]:
    """An event whose name holds its host in brackets after a known place is one name
    (中国（宁川）枸杞产业博览会), with the edition in front kept (第三届…)."""
    events = [c for c in cands if c.type == "event" and c.start >= 5 and text[c.start - 1] in "）)"]
    if not events:
        return []
    place_end = {c.end: c.start for c in cands if c.type == "place" and c.rule == "gazetteer"}
    out = []
    for c in events:
        m = _HOST_BRACKET.search(text, max(0, c.start - 8), c.start)
        if not m or m.start() not in place_end:
            continue
        a = place_end[m.start()]
        ed = _EDITION.search(text, max(0, a - 6), a)
        if ed:
            a = ed.start()
        out.append(_Cand(a, c.end, "event", text[a : c.end], "bracket"))
    return out


def _abbrev_places(text: str, r: _Rules) -> list[_Cand]:
    """Pairs of one-character place abbreviations (京沈合作) and lists of them (与日、俄合作)."""
    out = []
    for m in r.abbrev_re.finditer(text):
        w = m.group(1)
        out.append(
            _Cand(m.start(1), m.end(1), "place", "、".join(r.abbrev[c] for c in w), "abbrev")
        )
    for m in r.abbrev_enum_re.finditer(text):
        base = m.start(1)
        for i, c in enumerate(m.group(1)):
            if c != "、":
                out.append(_Cand(base + i, base + i + 1, "place", r.abbrev[c], "abbrev"))
    return out


def _place_brands(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """A quality word before a short place name (平安甲地, 数字乙省, 书香丙城) names the
    place's programme, as a quoted slogan would (“创新甲地”)."""
    out = []
    for c in cands:
        if c.type != "place" or c.start < 2 or text[c.end - 1] in "省市区县":
            continue
        if text[c.start - 2 : c.start] in r.brand_prefixes:
            head = next((h for h in r.brand_heads if text.startswith(h, c.end)), "")
            e = c.end + len(head)  # 创新甲地场景: the campaign's scene keeps its head
            out.append(_Cand(c.start - 2, e, "program", text[c.start - 2 : e], "brand"))
    return out
