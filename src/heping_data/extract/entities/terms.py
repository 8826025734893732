"""Industries and honours: sector terms, honour verbs and graded titles."""

from __future__ import annotations

from heping_data.extract.entities.base import _HARD, _Cand, _is_generic
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _jieba, _left_edge

_JOINERS = "及与"
# A sector named with its type word is whole: 冰雪产业与文化旅游 are two sectors.
_WHOLE = (
    "产业",
    "经济",
)  # 和 joins whole sectors of a list (文化产业和夜间经济); 及/与 one cluster


def _industries(text: str, r: _Rules) -> list[_Cand]:
    out: list[_Cand] = []
    terms = r.industry_terms
    _, tags, words, _ = _jieba()
    for s, e, w in r.industry_words.spans(text):
        if text[s - 1 : s + 1] in words and text[e - 1 : e + 1] in words:
            # 健康养老, 治安防控: words run across both edges, 康养 and 安防 are cut out of
            # other words (one edge alone is no proof: 和文|化产业, 保定|数字经济)
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and (s == prev.end or (s - prev.end == 1 and text[prev.end] in _JOINERS))
            and not text.endswith(_WHOLE, prev.start, prev.end)
        ):
            # 新能源及智能电网, 生物医药健康: sectors joined by 及/与 or written together are
            # one cluster's name
            out[-1] = _Cand(prev.start, e, "industry", text[prev.start : e], "industry")
            continue
        s = _domains_before(text, s, r)
        out.append(
            _Cand(s, e, "industry", terms.get(w, w) if s == e - len(w) else text[s:e], "industry")
        )
    for m in r.material_re.finditer(text):  # 铜镍新材料: the material names the sector
        out.append(_Cand(m.start(), m.end(), "industry", m.group(), "industry"))
    for m in r.generation_re.finditer(text):
        w = m.group()
        out.append(_Cand(m.start(), m.end(), "industry", terms.get(w, w), "industry"))
    for m in r.product_re.finditer(text):  # 奶牛存栏: the herd's product is the industry
        w = m.group(1)
        if tags.get(w, "")[:1] == "n" and w not in r.not_products and not _is_generic(w, r):
            out.append(_Cand(m.start(1), m.end(1), "industry", w, "industry"))
    return out


def _domains_before(text: str, s: int, r: _Rules) -> int:
    """Where a sector's name starts when domain words stand right before it, each perhaps
    joined by 及 (文化旅游产业, 生命医药健康产业, 数据服务产业, 电力及新能源高端装备)."""
    domains, lengths, last = r.sector_domains
    while True:
        k = s - 1 if s > 0 and text[s - 1] == "及" else s  # 旅游与文化产业 stays two
        if k == 0 or text[k - 1] not in last:
            return s
        n = next((n for n in lengths if k >= n and text[k - n : k] in domains), 0)
        if not n:
            return s
        s = k - n


def _honor_phrase(text: str, s: int, r: _Rules) -> str:
    """The title that opens at ``s``: up to punctuation, a count, 等 or 第."""
    e = s
    while e < len(text) and e - s < 20 and text[e] not in _HARD:
        e += 1
    phrase = text[s:e]
    cm = r.honor_count_re.search(phrase, 1)
    if cm:  # 省级未来社区2个: the count is not part of the title
        phrase = phrase[: cm.start()]
    cut = min((phrase.find(w) for w in r.honor_end if phrase.find(w) > 0), default=len(phrase))
    # one title with 和 inside keeps it when the whole phrase ends with a title head
    # (国家级夜间文化和旅游消费集聚区)
    if not (
        phrase[cut : cut + 1] in "和及"
        and phrase.endswith(r.honor_heads)
        and not phrase[:cut].endswith(r.honor_heads)
    ):
        phrase = phrase[:cut]
    return phrase


def _titled(phrase: str, heads: tuple[str, ...]) -> str:
    """The phrase cut after its last title head (创建国家循环经济示范县奠定了… → …示范县),
    or nothing: after a verb that also takes a plain object, only a title head shows a title."""
    end = max((phrase.rfind(h) + len(h) for h in heads if h in phrase), default=0)
    return phrase[:end]


def _honors(text: str, r: _Rules) -> list[_Cand]:
    """The phrase after 获评/入选/荣获 … up to punctuation, 等 or 第, and each further title
    of a 、-list the verb governs (获评甲城区、乙先进区等)."""
    out = []
    for m in r.honor_re.finditer(text):
        s = m.end()
        if text.startswith(r.honor_skip, s):
            s += len(next(w for w in r.honor_skip if text.startswith(w, s)))
        if s >= len(text) or text[s] in _HARD or text.startswith(r.honor_not_after, s):
            continue  # 获得感: the verb is part of another word
        weak = m.group() in r.q.weak_honor_verbs
        while True:
            phrase = _honor_phrase(text, s, r)
            if weak:
                phrase = _titled(phrase, r.q.created_heads)
            if (
                len(phrase) < 4
                or "*" in phrase
                or any(w in phrase for w in r.honor_reject)
                or phrase[-1].isdigit()  # 获得银行贷款28.4亿元: an amount, not a title
            ):
                break
            out.append(_Cand(s, s + len(phrase), "honor", phrase, "honor"))
            s += len(phrase)
            if text[s : s + 1] != "、":
                break
            s += 1
    for m in r.grade_re.finditer(text):
        out.append(_Cand(m.start(), m.end(), "honor", m.group(), "honor"))
    for m in r.ranking_re.finditer(text):
        if m.start() == 0 or text[m.start() - 1] in _HARD:
            out.append(_Cand(m.start(), m.end(), "honor", m.group(), "ranking"))
    return out


def _graded_honors(text: str, r: _Rules) -> list[_Cand]:
    """A grade (国家级, 省级 …) right before a name a head word closes is an honour, grade
    included (省级乡村振兴示范村); one 和 may join the words of a single title
    (国家级夜间文化和旅游消费集聚区) when the part before it is no title of its own."""
    out = []
    words = _jieba()[2]
    for m in r.grade_qualifier_re.finditer(text):
        q = m.end()
        if text.startswith(r.honor_reject, q):
            continue  # 省级以上: a threshold, not a title
        hi = q
        while hi < len(text) and hi - q < 20 and text[hi] not in _HARD:
            hi += 1
        for h in r.suffix_re.finditer(text, q + 1, hi):
            if r.suffix[h.group()][0] == "event":
                continue
            if len(h.group()) == 1 and text[h.start() : h.end() + 1] in words:
                continue  # 省级和美乡村: a one-character head inside a word is no head
            b = _left_edge(text, q, h.start(), r, verbs=False)[0]
            joined = text.rfind("和", q, h.start())
            if b > q and joined >= 0 and b == joined + 1:
                # one title with 和 inside, unless the part before it is a title itself
                first = text[q:joined]
                if first.endswith(r.honor_heads) or _left_edge(text, q, joined, r)[0] > q:
                    continue
                b = q
            if b == q:
                out.append(_Cand(m.start(), h.end(), "honor", text[m.start() : h.end()], "honor"))
                break
    return out
