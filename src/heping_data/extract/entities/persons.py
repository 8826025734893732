"""Persons by byline, title, list or group cue (甲、乙等领导同志), and companies by brand
before a company cue."""

from __future__ import annotations

import re
from bisect import bisect_left

from heping_data.extract.entities.base import _BODIES, _HARD_RE, _PERSON_VERBS, _Cand, _is_generic
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _jieba


def _persons(text: str, r: _Rules) -> list[_Cand]:
    out = []
    for m in r.official_re.finditer(text):
        if (
            m.start()
            and text[m.start() - 1] != "\n"
            and not text.endswith(r.official_after, 0, m.start())
        ):
            continue  # a title opens the line (区长 陈立新) or follows its body (…政府区长)
        out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
    for m in r.speech_re.finditer(text):  # 区长刘嘉敏表示: a title, a name, a speech verb
        out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
    out += _titled_persons(text, r)
    out += _group_persons(text, r)
    out += _brand_companies(text, r)
    # two scans, each with a literal first character re can skip to
    for pat in r.byline_res:
        for m in pat.finditer(text):
            out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
    return out


def _brand_companies(text: str, r: _Rules) -> list[_Cand]:
    """A brand and its trade before a company cue (雪域硅业等龙头企业, 推动昆仑锂能年产…):
    a company named without its 公司 suffix, as news and reports shorten them."""
    out = []
    for m in r.brand_re.finditer(text):
        name = m.group(1)
        if _is_generic(name[:2], r) or name[:2] in r.stop_words:
            continue
        out.append(_Cand(m.start(1), m.end(1), "company", name, "suffix"))
    return out


def _titled_persons(text: str, r: _Rules) -> list[_Cand]:
    """A name right after a job or honour title (全国劳动模范韩德明、, 民警李振华被): the
    title and the word after the name vouch for it; a dictionary word is a common noun.
    An honour title with a scope word before it (全国劳动模范) is annotated as an honour."""
    out = []
    _, _, words, _ = _jieba()
    for m in r.titled_re.finditer(text):
        name = m.group(2)
        # a function word after the surname shows no name (局长将…), but a three-character
        # name's middle is a given-name character (副县长杨进忠、)
        if name in words or (
            len(name) < 4 and any(c in r.stop_chars for c in name[len(name) - 1 :])  # 才让多杰
        ):
            continue
        out.append(_Cand(m.start(2), m.end(2), "person", name, "byline"))
        out += _listed_persons(text, m.end(2), r, words)
        ts, te = m.span(1)
        lo = max(0, ts - 14)
        hard = _HARD_RE.search(text[lo:ts][::-1])
        if hard:
            lo = ts - hard.start()
        h = r.honor_title_re.search(text, lo, te)
        if h and h.end() == te:
            out.append(_Cand(h.start(), te, "honor", text[h.start() : te], "honor"))
    return out


def _trim_at_persons(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A body's or a meeting's name never holds a person (代县长齐志国作高阳县人民政府…,
    主任甲乙丙作某县人民代表大会…): a suffix name that runs over a titled person starts
    after that person and the verb after them."""
    people = sorted((c.start, c.end) for c in cands if c.type == "person")
    if not people:
        return cands
    starts = [p[0] for p in people]
    out = []
    for c in cands:
        if c.rule != "suffix" or (c.type not in _BODIES and c.type != "event"):
            out.append(c)
            continue
        i = bisect_left(starts, c.start)
        cut = max((e for s, e in people[i:] if s < c.end and e < c.end), default=-1)
        if cut < 0:
            out.append(c)
            continue
        while cut < c.end and text[cut] in _PERSON_VERBS:
            cut += 1
        if c.end - cut >= 3:
            out.append(_Cand(cut, c.end, c.type, text[cut : c.end], c.rule))
    return out


def _listed_persons(text: str, pos: int, r: _Rules, words: frozenset[str]) -> list[_Cand]:
    """Names joined by 、 after a titled name share its title (副主任孙云龙、王建发、田义)."""
    out = []
    while text.startswith("、", pos):
        m = r.listed_name_re.match(text, pos + 1)
        if m is None or m.group(1) in words:
            break
        out.append(_Cand(m.start(1), m.end(1), "person", m.group(1), "byline"))
        pos = m.end(1)
    return out


# what opens the stretch a list of people lives in
_OPEN = re.compile(r"[，。；：！？\n“”（）《》\s]")


def _group_persons(text: str, r: _Rules) -> list[_Cand]:
    """Names before 等领导同志 or 同志: each item between the clause boundary and the cue is
    a surname and one or two characters, and no dictionary word unless the dictionary
    knows it as a person's name (a 同志 after a common noun, 广大同志, names nobody)."""
    if "同志" not in text:
        return []
    _, tags, words, _ = _jieba()
    out: list[_Cand] = []
    for m in r.group_cue_re.finditer(text):
        s = m.start()
        lo = max(0, s - 40)
        opened = [o.end() for o in _OPEN.finditer(text, lo, s)]
        if not opened and lo > 0:
            continue
        b = opened[-1] if opened else lo
        items = text[b:s].split("、")
        if not items or (len(items) > 1 and m.group() == "同志"):
            continue
        names = []
        p = b
        for it in items:
            nm = r.listed_name_re.match(text, p)
            if nm is None or nm.end(1) != p + len(it):
                names = []
                break
            if it in words and not tags.get(it, "").startswith("nr"):
                names = []
                break
            names.append(_Cand(p, p + len(it), "person", it, "byline"))
            p += len(it) + 1
        out += names
    return out
