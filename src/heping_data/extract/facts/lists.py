"""Metric phrases of a clause holding several numbers or a `、`-list.

The clause is cut at its `、` marks into chunks; a run of chunks holding one number each
(`增长5.3%、6.8%`) shares the words before the first; otherwise each number takes the words
around it in its chunk, with rules for lists it counts (`新建中小学、幼儿园17所`), examples
before 等 and nouns written after the next number.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from heping_data.extract.facts.clean import (
    NOISE,
    cap_left,
    cap_right,
    clean,
    clean_left,
    drop_lists,
    strip_light,
    strip_tail,
)
from heping_data.extract.facts.patterns import LIST_STOP, PAIR_SPLIT
from heping_data.extract.facts.rules import Rules, rules

Span = tuple[int, int, int]  # start, end (in the clause view), index of the quantity


@dataclass
class Num:
    """One quantity inside a clause, with offsets relative to the clause."""

    idx: int  # index into the fact list
    s: int
    e: int
    qualifier: bool
    unit_words: str


def noun_first(right: str) -> str:
    """`2个国控断面水质全面达到Ⅲ类`: words after a number name the counted noun up to where
    a short or level predicate opens (see ``predicate_adverbs`` in the rule data); a long
    predicate defines the noun and stays."""
    ru = rules()
    if not ru.noun_frame_first.isdisjoint(right):
        frame = ru.noun_frame_end.search(right, 2)
        if frame is not None:  # `3家文化公司为主体的…体系`: a frame closes after the noun
            right = right[: frame.start()]
    goal = ru.goal_mid_re.search(right, 2)
    if goal is not None:  # `两条建材通道确保年内通车`: a goal cue opens the predicate
        return right[: goal.start()]
    adv = ru.predicate_adverbs.search(right, 2)
    if adv is not None:
        rest = right[adv.end() :]
        if len(rest) <= ru.predicate_short or rest.startswith(ru.level_verbs):
            return right[: adv.start()]
    return right


def after_deng(s: str, has_noun: bool) -> tuple[str, bool]:
    """`A、B等C` names examples then the category: keep C, or nothing when the category
    follows the number (`A等*个项目`); keep the examples only when no noun is left."""
    k = s.rfind("等")
    if k < 0:
        return s, False
    tail = s[k + 1 :]
    if clean(tail):
        return tail, True
    return ("", True) if has_noun else (s[:k], True)


def clause_metrics(
    clause: str, cs: int, duns: list[int], nums: list[Num]
) -> tuple[dict[int, str], set[int]]:
    """Metric phrase for each quantity of one clause, and which of them name only a subject
    before the number (those may borrow context from the previous clause)."""
    c = _Clause(clause, cs, duns, nums, rules())
    c.parallel()
    c.each_item()
    c.share_first_subject()
    c.trailing_list()
    return c.out, c.subject_only


def _view(
    clause: str, cs: int, duns: list[int], nums: list[Num]
) -> tuple[str, list[int], list[Span]]:
    """Qualifier numbers read as words for their neighbours (`**个**亿元以上重点项目`): a
    view of the clause in which they become their unit words, with the `、` marks and the
    other numbers' spans moved to it."""
    anchors = [n for n in nums if not n.qualifier]
    pieces = [(n.s, n.e, n.unit_words) for n in nums if n.qualifier]
    if not pieces:
        return clause, duns, [(n.s, n.e, n.idx) for n in anchors]
    parts: list[str] = []
    pos = 0
    for a, b, rep in pieces:
        parts.append(clause[pos:a])
        parts.append(rep)
        pos = b
    parts.append(clause[pos:])

    def to_view(x: int) -> int:
        return x + sum(len(rep) - (b - a) for a, b, rep in pieces if b <= x)

    duns = [to_view(d - cs) + cs for d in duns]
    return "".join(parts), duns, [(to_view(n.s), to_view(n.e), n.idx) for n in anchors]


class _Clause:
    """One clause cut into chunks at its `、` marks, the numbers of each chunk, and the
    metrics found so far."""

    def __init__(self, clause: str, cs: int, duns: list[int], nums: list[Num], ru: Rules):
        self.ru = ru
        view, duns, spans = _view(clause, cs, duns, nums)
        self.view = view
        bounds = [cs, *[d + 1 for d in duns]]
        ends = [*duns, cs + len(view)]
        self.chunks = [(a - cs, b - cs) for a, b in zip(bounds, ends, strict=True)]
        # assign numbers to chunks (chunk ends are the 、 positions, in order)
        chunk_ends = [b for _, b in self.chunks]
        self.per_chunk: list[list[Span]] = [[] for _ in self.chunks]
        for s, e, idx in spans:
            self.per_chunk[min(bisect_right(chunk_ends, s), len(self.chunks) - 1)].append(
                (s, e, idx)
            )
        anchors = [n for n in nums if not n.qualifier]
        self.nouns = {n.idx: n.unit_words[1:] for n in anchors if n.unit_words.startswith("大")}
        self.n_units = {n.idx: ("大" if n.idx in self.nouns else n.unit_words) for n in anchors}
        self.out: dict[int, str] = {}
        self.subject_only: set[int] = set()
        self.handled: set[int] = set()
        # the words before a number that has words after it too (a subject), and the
        # numbers with words after them only (`3次踏上保定`: a predicate, no subject)
        self.subjects: dict[int, str] = {}
        self.no_subject: set[int] = set()

    def _pure(self, ci: int) -> bool:
        """A chunk that holds nothing but one number (`**.*%、**.*%`)."""
        a, b = self.chunks[ci]
        items = self.per_chunk[ci]
        if len(items) != 1:
            return False
        s, e, _ = items[0]
        return not clean(self.view[a:s]) and not clean(self.view[e:b])

    def parallel(self) -> None:
        """Trailing chunks of one number each share the subject before the first."""
        view, chunks, per_chunk = self.view, self.chunks, self.per_chunk
        ci_last = len(chunks) - 1
        k = ci_last
        while k > 0 and self._pure(k):
            k -= 1
        if k == ci_last or not per_chunk[k]:
            return
        head_s, head_e, head_idx = per_chunk[k][-1]
        b = chunks[k][1]
        if clean(view[head_e:b]):
            return
        group = [head_idx] + [per_chunk[c][0][2] for c in range(k + 1, ci_last + 1)]
        metrics = self._group_metrics(k, head_s, len(group))
        same = len(set(metrics)) == 1
        for idx, met in zip(group, metrics, strict=True):
            self.out[idx] = met
            self.handled.add(idx)
            if same:
                self.subject_only.add(idx)

    def _group_metrics(self, k: int, head_s: int, n: int) -> list[str]:
        """The metrics of a parallel group of ``n`` numbers headed in chunk ``k``."""
        view, chunks, per_chunk, ru = self.view, self.chunks, self.per_chunk, self.ru
        a = chunks[k][0]
        lead_chunks = [view[chunks[c][0] : chunks[c][1]] for c in range(k)]
        # subjects: numberless chunks before, then the text before the head number
        subj_start = k
        while subj_start > 0 and not per_chunk[subj_start - 1]:
            subj_start -= 1
        first_text = view[a:head_s] if not per_chunk[k][:-1] else view[per_chunk[k][-2][1] : head_s]
        subjects = [lead_chunks[c] for c in range(subj_start, k)] + [first_text]
        pair = _split_pair(first_text) if len(subjects) == 1 and n == 2 else None
        da_prev = per_chunk[k][-2] if len(per_chunk[k]) >= 2 else None
        da_noun = self.nouns.get(da_prev[2], "") if da_prev else ""
        if da_prev and da_noun and len(subjects) == n:
            # `家电、机器人、汽车零部件三大产业产值分别增长a、b和c`: item + the N大
            # noun + the predicate after it, one per listed item
            ps, pe, _ = da_prev
            pred = clean(view[pe:head_s])
            items = [clean(lead_chunks[c]) for c in range(subj_start, k)]
            items.append(clean(view[a:ps]))
            return [(it + da_noun + pred)[: ru.max_len] for it in items]
        if pair:
            return pair
        if len(subjects) == n and n > 1:
            return _distribute(subjects)
        return [cap_left(clean_left(drop_lists(first_text)), ru.left_cap)] * n

    def each_item(self) -> None:
        """Every number not in a parallel group takes the words around it in its chunk."""
        per_chunk = self.per_chunk
        for ci, items in enumerate(per_chunk):
            # earlier chunks without numbers: a list whose items this number may count
            list_before = ci > 0 and all(not per_chunk[c] for c in range(ci))
            for j, (_, _, idx) in enumerate(items):
                if idx not in self.handled:
                    self._item(ci, j, list_before)

    def _sides(self, ci: int, j: int) -> tuple[str, str, str, str]:
        """The raw words before and after number ``j`` of chunk ``ci``, the words of an N大
        noun before it that lead its metric, and words linked to the next number."""
        items = self.per_chunk[ci]
        a, b = self.chunks[ci]
        s, e, _ = items[j]
        view = self.view
        prev_e = items[j - 1][1] if j > 0 else a
        next_s = items[j + 1][0] if j + 1 < len(items) else b
        left_raw = drop_lists(view[prev_e:s])
        right_raw = drop_lists(view[e:next_s])
        keep = ""
        linked_right = ""
        if j + 1 < len(items) and (
            _links(right_raw) or right_raw.startswith(self.ru.next_number_leads)
        ):
            # `A达到N`, `每年A N` after this number: the words go to the next one
            linked_right, right_raw = right_raw, ""
        if j > 0 and clean(left_raw):
            if items[j - 1][2] in self.nouns:
                # `三大产业集群营业收入达到N`, `三大主导产业实现产值N`: an N大 noun is
                # whole by itself, so it names the subject of the words after it
                ps, pe, _ = items[j - 1]
                keep = view[ps:pe]
            elif not (
                _links(left_raw)
                or left_raw.startswith(self.ru.next_number_leads)
                or _closes_quote(left_raw)
            ):
                # text between two numbers belongs to the first (number before noun)
                left_raw = ""
        if j > 0 and prev_e == s:
            # `常态化十项30条措施`: a number right after another shares its subject (not
            # a bare verb: `完成3轮12万人次走访` counts visits)
            shared = drop_lists(view[items[j - 2][1] if j > 1 else a : items[j - 1][0]])
            if len(clean_left(shared)) > 2:
                left_raw = shared
        return left_raw, right_raw, keep, linked_right

    def _deng_lead(self, left_raw: str, item: str) -> str:
        """`协调解决用工、用地、融资等问题N个`: a bare category takes the verb phrase before
        the list (the first chunk less an item as long as the last)."""
        ru, view = self.ru, self.view
        cat = clean(left_raw)
        if 0 < len(cat) <= ru.deng_lead_category:
            f0, f1 = self.chunks[0]
            cut = max(f0, f1 - len(item.strip()))
            ed = ru.deng_item_start.search(view, f0, f1)
            if ed and ed.start() < cut:
                cut = ed.start()
            lead = clean_left(view[f0:cut])
            if len(lead) >= 2:
                return lead + cat
        return left_raw

    def _listed(self, ci: int, idx: int, left_raw: str, has_noun: bool) -> str:
        """A first number after a numberless list: the words before it, less the last item
        when the number counts the list, or with every item when it is of each kind."""
        counter = self.n_units.get(idx, "")
        if has_noun and counter in self.ru.list_count_units:
            return ""  # the last item of the counted list is not the metric
        if not has_noun:
            # `新建中小学、幼儿园17所`, `引育新品种、新技术2110项`: one count or amount of
            # every listed kind, not of the last (when the whole list fits in a metric)
            view, chunks = self.view, self.chunks
            whole = "".join(view[chunks[c][0] : chunks[c][1]] for c in range(ci)) + left_raw
            # (never a list inside quotes or across a comma: those name, not count)
            if len(clean_left(whole)) <= self.ru.max_len and not LIST_STOP.search(whole):
                return whole
        return left_raw

    def _item(self, ci: int, j: int, list_before: bool) -> None:
        """The metric of number ``j`` of chunk ``ci``."""
        ru = self.ru
        idx = self.per_chunk[ci][j][2]
        noun = self.nouns.get(idx, "")
        left_raw, right_raw, keep, linked_right = self._sides(ci, j)
        right = clean(right_raw)
        if j + 1 < len(self.per_chunk[ci]) and not right:
            right_raw = ""
        has_noun = bool(right or noun)
        item = left_raw[: left_raw.rfind("等")] if "等" in left_raw else ""
        left_raw, deng = after_deng(left_raw, has_noun)
        if deng and list_before and j == 0 and not has_noun and item:
            left_raw = self._deng_lead(left_raw, item)
        if list_before and not deng and j == 0:
            left_raw = self._listed(ci, idx, left_raw, has_noun)
        left = clean_left(left_raw)
        if keep and left:
            left = keep + left
        if noun:
            right = clean(noun + right)
        elif len(right) > 3:
            right = noun_first(right)
        met = self._combine(ci, j, left, right, right_raw, deng, linked_right)
        if right and not noun:
            if left:
                self.subjects[idx] = left
            elif not clean(left_raw):
                self.no_subject.add(idx)
        self.out[idx] = (met if keep else clean(met))[: ru.max_len] if met else ""
        if left and not clean(right_raw):
            self.subject_only.add(idx)

    def _combine(
        self, ci: int, j: int, left: str, right: str, right_raw: str, deng: bool, linked: str
    ) -> str:
        """The metric from the cleaned words before and after the number."""
        ru, view, items = self.ru, self.view, self.per_chunk[ci]
        b = self.chunks[ci][1]
        if left and right:
            met = left + right if deng else cap_left(left, ru.left_cap_combined) + right
            return clean(met[: ru.left_cap_combined + ru.right_cap])
        if left:
            if not clean(right_raw):
                left = strip_tail(left, ru.left_tail_alone)
            met = cap_left(left, ru.left_cap)
            if j + 1 < len(items):
                # `完成**轮***万人次排查`: the noun comes after the next number
                ne = items[j + 1][1]
                nxt_end = items[j + 2][0] if j + 2 < len(items) else b
                nxt = clean(drop_lists(view[ne:nxt_end]))
                if nxt:
                    met = strip_light(left) + cap_right(nxt, ru.right_cap)
            return met
        if right:
            met = cap_right(right, ru.right_cap + 4)
            if j + 1 < len(items):
                # `**个部门****个事项录入平台`: share the last number's predicate
                last = view[items[-1][1] : b]
                pv = ru.predicate_verbs.search(last)
                if pv and not ru.predicate_verbs.search(right):
                    met = right + cap_right(clean(last[pv.start() :]), 8)
            return met
        if j > 0:
            # `***户上市挂牌企业募集资金***亿元`: the words between name it
            return clean_left(view[items[j - 1][1] : items[j][0]])
        if linked:
            # `11户国有企业整合为3户`: the words after it, short of the link
            return clean_left(linked)
        return ""

    def trailing_list(self) -> None:
        """`350多批次央企、京企来保深度对接`: a list right after the clause's last number
        names every kind it counts (the mirror of `新建中小学、幼儿园17所`)."""
        per_chunk, chunks, view = self.per_chunk, self.chunks, self.view
        last = max((ci for ci, items in enumerate(per_chunk) if items), default=-1)
        if last < 0 or last == len(chunks) - 1:
            return
        _, e, idx = per_chunk[last][-1]
        met = self.out.get(idx, "")
        if not met or idx in self.handled:
            return
        cap = self.ru.trailing_list
        right = clean(view[e : chunks[last][1]])
        if not met.endswith(right) or not 0 < len(right) <= cap["item_max"]:
            return
        rest = "".join(clean(view[a:b]) for a, b in chunks[last + 1 :])
        if 0 < len(rest) <= cap["rest_max"]:
            self.out[idx] = (met + rest)[: self.ru.max_len]

    def share_first_subject(self) -> None:
        """Later one-number chunks that name only a subject share the first item's."""
        chunks, per_chunk = self.chunks, self.per_chunk
        if len(chunks) <= 1 or not per_chunk[0]:
            return
        first = self.out.get(per_chunk[0][0][2], "")
        # `习近平总书记9次考察河北、3次踏上保定`: a later item opening with its number
        # does what the first item's subject did
        lead = self.subjects.get(per_chunk[0][0][2], "") if len(per_chunk[0]) == 1 else ""
        for ci in range(1, len(chunks)):
            items = per_chunk[ci]
            idx = items[0][2] if len(items) == 1 else -1
            if idx in self.handled:
                continue
            if idx in self.subject_only:
                self.out[idx] = _share_list_subject(first, self.out[idx], self.ru)
            elif lead and idx in self.no_subject and not self.out[idx].startswith(lead):
                self.out[idx] = clean(lead + self.out[idx])[: self.ru.max_len]


def _share_list_subject(first: str, item: str, ru: Rules) -> str:
    """A short later item of a 、-list names only what differs from the first item:
    `新增省级企业4家、市级11家` (same-length word with the same last character swapped in),
    `企业实现产值N、利润N` (the first item's subject before its verb leads it)."""
    n = len(item)
    if item in ru.list_amount_items and len(first) >= 4:
        return first[:-2] + item  # 签约项目N个、金额N亿元 → 签约金额
    if not 2 <= n <= 4 or len(first) <= n + 1 or item in first or first[-1] == item[-1]:
        return item  # same head noun as the first item (`项目N个、储备项目N个`): complete
    for k in range(len(first) - n - 1, -1, -1):
        if first[k + n - 1] == item[-1]:
            return (first[:k] + item + first[k + n :])[: ru.max_len]
    cut = max((v.start() for v in ru.list_split_verbs.finditer(first)), default=-1)
    if cut >= 2:
        return (first[:cut] + item)[: ru.max_len]
    return item


def _closes_quote(s: str) -> bool:
    """`“十个常态化”30项措施`: words closing the quote the number before opened name the
    programme the next number counts in, so both numbers keep them."""
    return s.endswith("”") and "“" not in s


def _links(s: str) -> bool:
    """Whether words end with a linking verb or comparator (`…达到`), i.e. they are the
    subject of the number that follows them."""
    s = NOISE.sub("", s)
    return len(s) > 2 and s.endswith(rules().left_tail_strip)


def _split_pair(s: str) -> list[str] | None:
    """`起数和死亡人数分别下降` + two numbers → `起数下降`, `死亡人数下降`."""
    s = NOISE.sub("", drop_lists(s))
    k = s.find("分别")
    if k < 0:
        return None
    subj, pred = s[:k], clean_left(s[k + 2 :])
    parts = PAIR_SPLIT.split(subj)
    if len(parts) == 1:
        # `城乡低保标准分别提高到`: one word that names both (城镇, 农村)
        for w, pair in rules().pair_words.items():
            at = subj.find(w)
            if at >= 0 and len(pair) == 2:
                rest = subj[at + len(w) :]
                return [clean(subj[:at] + p + rest + pred) for p in pair]
    if len(parts) != 2 or not all(parts):
        return None
    one, two = parts
    if len(one) <= 4 and len(two) > len(one) + 1:
        one += two[len(one) :]  # `城镇和农村居民收入`: the short item shares the head
    return [clean(one + pred), clean(two + pred)]


def _distribute(subjects: list[str]) -> list[str]:
    """`存、贷款余额占全市` → `存款余额占全市`, `贷款余额占全市` (one per listed subject)."""
    first, last = clean(subjects[0]), drop_lists(subjects[-1])
    last = NOISE.sub("", last).replace("分别", "")
    width = len(first) if len(first) <= 4 else 1
    tail = last[width:]
    prefix = first[:-width] if len(first) > width else ""
    out = []
    for i, s in enumerate(subjects):
        item = clean(s)
        if i == 0:
            out.append(clean(first + tail))
        elif i == len(subjects) - 1:
            out.append(clean(prefix + last))
        else:
            out.append(clean(prefix + item + tail))
    return out
