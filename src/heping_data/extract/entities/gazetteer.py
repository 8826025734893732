"""Names the curated gazetteer knows, and a body whose jurisdiction a list drops
(自治区党委、政府).
"""

from __future__ import annotations

import re

from heping_data.extract.entities.base import _BODIES, _BRAND_EXT, _CJK, _HARD, _Cand, _Gaz
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _jieba

# A count in the clause after a title (60家, 达到1306家, 入库1,480家, **家).
_COUNT_AFTER = re.compile(r"[^，。；、,;：\s]{0,6}?[0-9０-９*]")


def _gazetteer(text: str, r: _Rules, scopes: set[str]) -> list[_Cand]:
    out = []
    words = _jieba()[2]
    for m in r.gaz_re.finditer(text):
        s = m.start()
        if s and text[s - 1 : s + 1] in words:
            # the first character closes a word begun before it (其中|央企): a name that
            # starts one character later and runs further is the one meant
            m2 = r.gaz_re.match(text, s + 1)
            if m2 is not None and m2.end() > m.end():
                m = m2
        name = m.group()
        g = r.gaz[name]
        if g.scope and g.scope not in scopes:
            continue
        s, e = m.span()
        if _not_here(text, name, g, s, e, r, words):
            continue
        if g.type in ("honor", "program"):
            lv = _leveled(text, s, e, g, r)
            if lv is not None:
                out.append(lv)
                continue
        if g.type in _BODIES and "{" not in g.canonical:
            # brand extension: 华为VR云 (company + Latin product name + one head character);
            # never for a government body (区人民政府2019年工作总结)
            mm = _BRAND_EXT.match(text, e, e + 8)
            if mm:
                ext = mm.group()
                if (
                    _CJK.match(ext[-1:])
                    and e + len(ext) < len(text)
                    and text[e + len(ext)] not in _HARD
                    and text[e + len(ext)] != "等"
                ):
                    ext = ext[:-1]
                e += len(ext)
        out.append(_Cand(s, e, g.type, g.canonical if e == m.end() else text[s:e], "gazetteer"))
    return out


def _not_here(text: str, name: str, g: _Gaz, s: int, e: int, r: _Rules, words: frozenset) -> bool:
    """Whether the listed name at ``s:e`` is, where it stands, no mention of the thing listed."""
    if e - s == 2 and text[s - 1 : s + 1] in words and text[e - 1 : e + 1] in words:
        return True  # 隆重庆祝: words run across both edges, 重庆 is cut out of them
    if g.type == "place" and text.startswith(r.place_not_before, e):
        return True  # 中国式现代化
    nb = r.gaz_not_before.get(name)
    if nb and text.startswith(nb, e):
        return True  # 中央预算内投资: the source of a fund, not the body acting
    na = r.gaz_not_after.get(name)
    if na and text.endswith(na, 0, s):
        return True  # 新中国: the state founded in 1949, named as an epoch
    if g.type == "honor" and text.startswith("“", e):
        return True  # the qualifier of a longer quoted title (专精特新“小巨人”企业)
    # 等高新技术企业开发…: a kind of firm, not a title counted (unless a grade stands before it)
    return (
        name in r.counted_titles
        and not _COUNT_AFTER.match(text, e)
        and not any(text.endswith(p, 0, s) for p in r.honor_prefixes)
    )


def _elliptic_bodies(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """自治区党委、政府: the second body drops the jurisdiction the committee names."""
    out = []
    for c in cands:
        if c.type != "organization" or text[c.end : c.end + 1] != "、":
            continue
        w = text[c.start : c.end]
        tail = next((t for t in r.elliptic_after if w.endswith(t)), "")
        if not tail:
            continue
        s = c.end + 1
        body = next((b for b in r.elliptic_bodies if text.startswith(b, s)), "")
        e = s + len(body)
        if not body or (e < len(text) and text[e] not in r.elliptic_next):
            continue
        full = w[: -len(tail)] + body
        g = r.gaz.get(full)
        canon = g.canonical if g and "{" not in g.canonical else full
        out.append(_Cand(s, e, "organization", canon, "gazetteer"))
    return out


def _leveled(text: str, s: int, e: int, g: _Gaz, r: _Rules) -> _Cand | None:
    """An honour or programme with the qualifier or level written in front of it
    (种子独角兽企业, 国家级高新技术企业, 国家儿童友好城市): the name keeps it."""
    if g.type == "honor":
        pre = next((p for p in r.honor_prefixes if text.endswith(p, 0, s)), "")
        if not pre:
            return None
        canon = g.canonical if g.canonical.startswith(pre[:2]) else pre + g.canonical
        return _Cand(s - len(pre), e, "honor", canon, "gazetteer")
    lvl = next((p for p in r.q.program_levels if text.endswith(p, 0, s)), "")
    if not lvl:
        return None
    return _Cand(s - len(lvl), e, "program", lvl + g.canonical, "gazetteer")
