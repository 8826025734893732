"""Names ending with a type head word (街道, 公司, 大赛, 示范区 …)."""

from __future__ import annotations

from functools import cache
from typing import Any

from heping_data.extract.entities.base import (
    _BODIES,
    _COUNT,
    _EVENT_RATING,
    _HARD_NO_DOT_RE,
    _HARD_RE,
    _MASKED_EDITION,
    _MAX_NAME,
    _RATING,
    _Cand,
    _is_generic,
)
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import (
    _crosses_right,
    _jieba,
    _left_edge,
    _word_ending,
)

# (head, next two characters) -> whether the head is not a word of its own there. The answer
# depends on nothing else, and heads meet the same few continuations over and over.
_HEAD_BLOCKED: dict[tuple[str, str], bool] = {}


def _suffix_names(text: str, r: _Rules, dist_ends: frozenset[int] = frozenset()) -> list[_Cand]:
    """Names ending with a type head word; the left edge comes from a jieba walk.
    ``dist_ends``: where accepted county-level names end (a place is cut after them)."""
    out = []
    tok, tags, words, tails3 = _jieba()
    lex = (tags, words, tails3)
    freq = tok.FREQ
    rev = text[::-1]
    n = len(text)
    heads = _head_table(r)
    # the walk reads only text[lo:e]: a name phrase met again in the report (区人民政府)
    # is walked once
    walked: dict[str, int] = {}
    refused: dict[tuple[str, str, bool], bool] = {}  # the same for a stem met again
    for m in r.suffix_re.finditer(text):
        s, e = m.span()
        head = m.group()
        etype, min_stem, max_stem, hard, limit = heads[head]
        hm = hard(rev, n - s, n - s + limit)  # words._limit_left, inlined
        lo = n - hm.start() if hm else max(s - limit, 0)
        if lo == s or _head_refused(text, s, e, head, r, freq, words):
            continue
        phrase = text[lo:e]
        off = walked.get(phrase)
        if off is None:
            b = _walk_start(text, lo, s, e, head, etype, r, lex)
            walked[phrase] = b - lo if b >= 0 else -1
        else:
            b = lo + off if off >= 0 else -1
        if b < 0:
            continue
        b = _trim_start(text, b, s, etype, min_stem, r, dist_ends)
        scoped = head in r.meeting_heads and text.endswith(r.meeting_scopes, 0, b)
        if scoped:
            b -= 2  # 全区经济工作会议: the jurisdiction makes a generic meeting a named one
        stem = text[b:s]
        if len(stem) < min_stem or len(stem) > max_stem:
            continue
        # a generic stem names a goal before 强省 (经济强省, 教育强省) as a jurisdiction
        # names a meeting: either lets it through
        named = scoped or head in r.goal_heads
        no = refused.get((stem, etype, named))
        if no is None:
            no = refused[stem, etype, named] = _stem_refused(stem, etype, named, r)
        if no:
            continue
        if head in r.subunit_heads:
            # a lab is named by its host (吴兴区人民医院基因扩增实验室 → the hospital); one
            # with no host in front is a generic facility (建设基因扩增实验室)
            hosts = list(r.host_re.finditer(text, b, s))
            if hosts:
                he = hosts[-1].end()
                out.append(_Cand(b, he, "organization", text[b:he], "suffix"))
            continue
        if head == "广场" and _is_mall(text, b, e, r):
            etype = "company"
        out.append(_Cand(b, e, etype, text[b:e], "suffix"))
    return out


# id(rules) -> (rules, head -> (type, min stem, max stem, hard-character search, walk limit))
_HEADS: dict[int, tuple[_Rules, dict[str, tuple[str, int, int, Any, int]]]] = {}


def _head_table(r: _Rules) -> dict[str, tuple[str, int, int, Any, int]]:
    """Per head word, what the scan needs, looked up once per match: its type and stem
    bounds, the characters its name never crosses (an event's name crosses the middle dot:
    中国·乙地音乐节) and how far back its walk may go (a head allowed a longer stem, 会议:
    天津市沽河区第二届人民代表大会第一次…, walks further)."""
    got = _HEADS.get(id(r))
    if got is None or got[0] is not r:
        table = {
            head: (
                etype,
                min_stem,
                max_stem,
                (_HARD_NO_DOT_RE if etype == "event" else _HARD_RE).search,
                max(max_stem, _MAX_NAME),
            )
            for head, (etype, min_stem, max_stem) in r.suffix.items()
        }
        got = _HEADS[id(r)] = (r, table)
    return got[1]


def _head_refused(
    text: str, s: int, e: int, head: str, r: _Rules, freq: dict[str, str], words: frozenset[str]
) -> bool:
    """True when the head word at ``s:e`` is no name's head there."""
    blockers = r.head_blockers
    if head in blockers and text.startswith(blockers[head], e):
        return True  # 地区生产总值: the head opens a longer term
    if head in r.meeting_heads and text.endswith(r.routine_meetings, 0, s):
        return True  # 区政府常务会议: a body's routine sitting, not a named event
    # the head must be a word of its own, not part of a longer word (环节, 线路, 中学生);
    # a word of two or more characters before the head may carry it (合唱节, 中山路)
    # ... unless the text after the head opens a word of its own (研究院|落户, 集团|建设)
    after = text[e : e + 2]
    blocked = _HEAD_BLOCKED.get((head, after))
    if blocked is None:
        if len(_HEAD_BLOCKED) > 50_000:
            _HEAD_BLOCKED.clear()  # bounded memory in a long-running process
        blocked = _HEAD_BLOCKED[head, after] = (
            _crosses_right(head, after, freq) and after not in words
        )
    return blocked


def _walk_start(
    text: str,
    lo: int,
    s: int,
    e: int,
    head: str,
    etype: str,
    r: _Rules,
    lex: tuple[dict[str, str], frozenset[str], frozenset[str]],
) -> int:
    """Where the name before the head at ``s`` starts, from the jieba walk (-1: the head is
    the end of a longer word no carrier word makes a name). ``lex``: jieba's word -> tag
    table, its common words and their three-character tails."""
    tags, words, tails3 = lex
    host = _word_ending(text, lo, e, words, tails3)
    start = s
    if len(host) > len(head):
        if len(host) < len(head) + 2 and host not in r.carrier_words:
            return -1
        if tags.get(host) == "i":
            return -1  # an idiom ends no name (城市大街小巷)
        short = text[e - len(head) - 1 : e]
        if short in words and short not in r.carrier_words:
            return -1  # 高速公路: the head ends a shorter word too (公路), no carrier
        start = e - len(host)
    if head in r.program_opener_heads or head in r.opened_heads:
        # the name runs back to the verb that opens the clause (实施商圈提升三年行动)
        ops = list(r.program_openers_re.finditer(text, lo, s))
        if len(ops) > 1 and ops[-1].group() in r.name_openers and s - ops[-1].end() < 2:
            ops.pop()  # 实施乡村建设行动: 建设 right before the head is a word of the name
        listed = head in r.list_heads and text.endswith("、", 0, lo)
        if ops or head in r.program_opener_heads or listed:
            # (an item of a list runs back to the list's separator: 种业振兴、粮食单产提升行动)
            return ops[-1].end() if ops else lo  # no walk needed
    if head in r.clause_meeting_heads:
        # a meeting is named for its business (中国扶贫交流基地建设现场推进会): verbs inside
        # are part of the name, which runs back to the verb that convenes it
        ops = [o.end() for o in r.meeting_openers_re.finditer(text, lo, s)]
        return ops[-1] if ops else lo
    # an honour's title holds verbs (乡村振兴示范村)
    b, kept = _left_edge(text, lo, start, r, verbs=etype != "honor" and head not in r.verb_heads)
    if head in r.verb_heads:
        # the verbs a zone's name holds sit inside it; one in front opens the clause
        # (增强|高品质生活示范区)
        tags = _jieba()[1]
        while len(kept) > 1 and tags.get(kept[0]) == "v" and kept[0] not in r.name_verbs:
            b += len(kept.pop(0))
    return b + _unit_before(kept, etype, r)


# Types whose stems made of kind modifiers name no one thing (体育强市 stays a programme).
_KINDS = frozenset((*_BODIES, "place"))

# Types whose name is cut after a street (太原街|五洲商城); others after an admin unit.
_STREET_CUT = frozenset((*_BODIES, "event"))


def _unit_before(kept: list[str], etype: str, r: _Rules) -> int:
    """Length of the words that name a unit of their own before the name: a street before a
    shop or an admin unit before a smaller one (太原街五洲商城, 马路湾街道电业社区)."""
    if len(kept) < 2:
        return 0  # no words before the last one
    street = etype in _STREET_CUT
    cut_after = r.street_heads if street else r.admin_heads
    whole = "".join(kept)
    cut = len(whole)
    for i in range(len(kept) - 1, 0, -1):
        cut -= len(kept[i])
        prev = whole[:cut]  # the words before kept[i]
        last = kept[i - 1]
        if (
            prev.endswith(cut_after)
            and prev not in r.landmark_heads  # 公园 alone names nothing (公园城市示范区)
            and (len(last) >= 2 or street)
            and (len(prev) >= 3 or not street)
        ):
            return len(prev)
    return 0


def _trim_start(
    text: str, b: int, s: int, etype: str, min_stem: int, r: _Rules, dist_ends: frozenset[int]
) -> int:
    """Move the start past what opens the clause, not the name: a county-level name before
    a smaller place, a rating or count, a masked word, a count inside the stem."""
    if etype == "place" and dist_ends:
        # a county-level name the district rule accepted is a place of its own in front
        # of a smaller one (临溪区|桂香街道) even where jieba splits it into characters
        for k in range(s - min_stem, b, -1):
            if k in dist_ends:
                b = k
                break
    # a count inside the stem belongs to the clause, not the name: the name starts after
    # it (城投、交投、农投三大集团; 30户以上自然村…路; 等7个专项行动), before a rating is
    # read (the rating would take the digits and leave the measure word)
    if r.stem_count_re.search(text, b, s):  # rare: most stems hold no count
        for cm in r.stem_count_re.finditer(text, b, s):
            b = cm.end()
    if etype == "event":
        b += len(_EVENT_RATING.match(text, b, s).group())
    elif etype not in _BODIES:
        b += len(_RATING.match(text, b, s).group())
    else:  # a leading count is not part of the name (3户集团公司, 两所…学校)
        b += len(_COUNT.match(text, b, s).group())
    if etype in ("program", "event") and "*" in text[b:s]:
        # a masked word is no part of a name, but a masked edition is (第**届…节)
        ed = _MASKED_EDITION.match(text, b, s) if etype == "event" else None
        rest = text[ed.end() if ed else b : s]
        if "*" in rest:
            b = s - len(rest.split("*")[-1])
    return b


def _stem_refused(stem: str, etype: str, scoped: bool, r: _Rules) -> bool:
    """True when the words before the head name nothing."""
    if _is_generic(stem, r) and not scoped:
        return True
    if etype in _KINDS and r.kind_re.fullmatch(stem):
        return True  # 主要街道, 国际市场, 中小学幼儿园: a kind of place or body, not one
    if etype in _BODIES and not stem.strip("*"):
        return True  # a wholly masked name (******集团) names nothing readable
    if stem in r.name_verbs or stem in r.stop_words:
        return True  # 发展乡村民宿, 提振市场: a verb alone names nothing
    for k in _verb_lengths(r.name_verbs):
        if stem[:k] in r.name_verbs and (
            _is_generic(stem[k:], r) or (etype in _KINDS and r.kind_re.fullmatch(stem[k:]))
        ):
            return True  # 培育特色商业街区, 发展外贸基地: a verb and a generic word neither
    # 区一届人大一次会议: a back-reference to the session the header names
    return etype == "event" and r.session_abbrev_re.match(stem) is not None


@cache
def _verb_lengths(verbs: frozenset[str]) -> tuple[int, ...]:
    """The lengths of the name verbs: a stem's opening verb is found by a set look-up per
    length, not a ``startswith`` per verb (no verb opens another: at most one matches)."""
    return tuple(sorted({len(v) for v in verbs if v}))


def _is_mall(text: str, b: int, e: int, r: _Rules) -> bool:
    """A 广场 that is a shopping mall: a brand name opens it (万达广场, 吾悦广场) or its clause
    says it opens, trades or sells. Malls are organisations; public squares are places."""
    if text.startswith(r.org_names, b):
        return True
    clause = text[e : e + 24]
    for stop in "。；;\n":
        k = clause.find(stop)
        if k >= 0:
            clause = clause[:k]
    return any(w in clause for w in r.mall_context)


def _longest_suffix(word: str, r: _Rules) -> str:
    for k in range(min(len(word) - 1, 5), 0, -1):
        if word[-k:] in r.suffix:
            return word[-k:]
    return ""
