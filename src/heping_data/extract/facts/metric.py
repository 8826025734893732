"""The metric phrase of each quantity from the words of its own clause."""

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
    numeral_free,
    strip_light,
    strip_tail,
)
from heping_data.extract.facts.patterns import DUN, LIST_STOP, PAIR_SPLIT
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import Scan
from heping_data.records import NumberMention


@dataclass
class Num:
    """One quantity inside a clause, with offsets relative to the clause."""

    idx: int  # index into the fact list
    s: int
    e: int
    qualifier: bool
    unit_words: str


def _split_chunks(clause: str, cs: int, duns: list[int]) -> list[tuple[int, int]]:
    bounds = [cs, *[d + 1 for d in duns]]
    ends = [*duns, cs + len(clause)]
    return [(a - cs, b - cs) for a, b in zip(bounds, ends, strict=True)]


def _noun_first(right: str) -> str:
    """`2个国控断面水质全面达到Ⅲ类`: words after a number name the counted noun up to where
    a short or level predicate opens (see ``predicate_adverbs`` in the rule data); a long
    predicate defines the noun and stays."""
    ru = rules()
    adv = ru.predicate_adverbs.search(right, 2)
    if adv is not None:
        rest = right[adv.end() :]
        if len(rest) <= ru.predicate_short or rest.startswith(ru.level_verbs):
            return right[: adv.start()]
    return right


def _after_deng(s: str, has_noun: bool) -> tuple[str, bool]:
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
    ru = rules()
    out: dict[int, str] = {}
    subject_only: set[int] = set()
    anchors = [n for n in nums if not n.qualifier]
    # Qualifier numbers read as words for their neighbours (`**个**亿元以上重点项目`):
    # build a view of the clause in which they become their unit words.
    pieces = [(n.s, n.e, n.unit_words) for n in nums if n.qualifier]
    if pieces:
        parts: list[str] = []
        pos = 0
        for a, b, rep in pieces:
            parts.append(clause[pos:a])
            parts.append(rep)
            pos = b
        parts.append(clause[pos:])
        view = "".join(parts)

        def to_view(x: int) -> int:
            return x + sum(len(rep) - (b - a) for a, b, rep in pieces if b <= x)

        duns = [to_view(d - cs) + cs for d in duns]
        spans = [(to_view(n.s), to_view(n.e), n.idx) for n in anchors]
    else:
        view = clause
        spans = [(n.s, n.e, n.idx) for n in anchors]
    chunks = _split_chunks(view, cs, duns)
    # Assign anchors to chunks (chunk ends are the 、 positions, in order).
    ends = [b for _, b in chunks]
    per_chunk: list[list[tuple[int, int, int]]] = [[] for _ in chunks]
    for s, e, idx in spans:
        per_chunk[min(bisect_right(ends, s), len(chunks) - 1)].append((s, e, idx))

    # Parallel list: trailing chunks that hold nothing but one number (`**.*%、**.*%`).
    def pure(ci: int) -> bool:
        a, b = chunks[ci]
        items = per_chunk[ci]
        if len(items) != 1:
            return False
        s, e, _ = items[0]
        return not clean(view[a:s]) and not clean(view[e:b])

    nouns = {n.idx: n.unit_words[1:] for n in anchors if n.unit_words.startswith("大")}
    ci_last = len(chunks) - 1
    k = ci_last
    while k > 0 and pure(k):
        k -= 1
    handled: set[int] = set()
    if k < ci_last and len(per_chunk[k]) >= 1:
        head_s, head_e, head_idx = per_chunk[k][-1]
        a, b = chunks[k]
        if not clean(view[head_e:b]):
            group = [head_idx] + [per_chunk[c][0][2] for c in range(k + 1, ci_last + 1)]
            lead_chunks = [view[chunks[c][0] : chunks[c][1]] for c in range(k)]
            # subjects: numberless chunks before, then the text before the head number
            subj_start = k
            while subj_start > 0 and not per_chunk[subj_start - 1]:
                subj_start -= 1
            first_text = (
                view[a:head_s] if not per_chunk[k][:-1] else view[per_chunk[k][-2][1] : head_s]
            )
            subjects = [lead_chunks[c] for c in range(subj_start, k)] + [first_text]
            pair = _split_pair(first_text) if len(subjects) == 1 and len(group) == 2 else None
            da_prev = per_chunk[k][-2] if len(per_chunk[k]) >= 2 else None
            da_noun = nouns.get(da_prev[2], "") if da_prev else ""
            if da_noun and len(subjects) == len(group):
                # `家电、机器人、汽车零部件三大产业产值分别增长a、b和c`: item + the N大
                # noun + the predicate after it, one per listed item
                ps, pe, _ = da_prev
                pred = clean(view[pe:head_s])
                items = [clean(lead_chunks[c]) for c in range(subj_start, k)]
                items.append(clean(view[a:ps]))
                metrics = [(it + da_noun + pred)[: ru.max_len] for it in items]
            elif pair:
                metrics = pair
            elif len(subjects) == len(group) and len(group) > 1:
                metrics = _distribute(subjects)
            else:
                shared = cap_left(clean_left(drop_lists(first_text)), ru.left_cap)
                metrics = [shared] * len(group)
            same = len(set(metrics)) == 1
            for idx, met in zip(group, metrics, strict=True):
                out[idx] = met
                handled.add(idx)
                if same:
                    subject_only.add(idx)

    n_units = {n.idx: ("大" if n.idx in nouns else n.unit_words) for n in anchors}
    for ci, items in enumerate(per_chunk):
        a, b = chunks[ci]
        # earlier chunks without numbers: a list whose items this number may count
        list_before = ci > 0 and all(not per_chunk[c] for c in range(ci))
        for j, (s, e, idx) in enumerate(items):
            if idx in handled:
                continue
            noun = nouns.get(idx, "")
            prev_e = items[j - 1][1] if j > 0 else a
            next_s = items[j + 1][0] if j + 1 < len(items) else b
            left_raw = drop_lists(view[prev_e:s])
            right_raw = drop_lists(view[e:next_s])
            keep = ""
            linked_right = ""
            if j + 1 < len(items) and _links(right_raw):
                # `A达到N` after this number: the words go to the next one
                linked_right, right_raw = right_raw, ""
            if j > 0 and clean(left_raw):
                if items[j - 1][2] in nouns:
                    # `三大产业集群营业收入达到N`, `三大主导产业实现产值N`: an N大 noun is
                    # whole by itself, so it names the subject of the words after it
                    ps, pe, _ = items[j - 1]
                    keep = view[ps:pe]
                elif not _links(left_raw):
                    # text between two numbers belongs to the first (number before noun)
                    left_raw = ""
            right = clean(right_raw)
            if j + 1 < len(items) and not right:
                right_raw = ""
            has_noun = bool(right or noun)
            item = left_raw[: left_raw.rfind("等")] if "等" in left_raw else ""
            left_raw, deng = _after_deng(left_raw, has_noun)
            if deng and list_before and j == 0 and not has_noun and item:
                # `协调解决用工、用地、融资等问题N个`: a bare category takes the verb
                # phrase before the list (the first chunk less an item as long as the last)
                cat = clean(left_raw)
                if 0 < len(cat) <= ru.deng_lead_category:
                    f0, f1 = chunks[0]
                    cut = max(f0, f1 - len(item.strip()))
                    ed = ru.deng_item_start.search(view, f0, f1)
                    if ed and ed.start() < cut:
                        cut = ed.start()
                    lead = clean_left(view[f0:cut])
                    if len(lead) >= 2:
                        left_raw = lead + cat
            counter = n_units.get(idx, "")
            if list_before and not deng and has_noun and j == 0 and counter in ru.list_count_units:
                left_raw = ""  # the last item of the counted list is not the metric
            elif list_before and not deng and not has_noun and j == 0:
                # `新建中小学、幼儿园17所`, `引育新品种、新技术2110项`: one count or amount of
                # every listed kind, not of the last (when the whole list fits in a metric)
                whole = "".join(view[chunks[c][0] : chunks[c][1]] for c in range(ci)) + left_raw
                # (never a list inside quotes or across a comma: those name, not count)
                if len(clean_left(whole)) <= ru.max_len and not LIST_STOP.search(whole):
                    left_raw = whole
            left = clean_left(left_raw)
            if keep and left:
                left = keep + left
            if noun:
                right = clean(noun + right)
            elif len(right) > 3:
                right = _noun_first(right)
            if left and right:
                met = left + right if deng else cap_left(left, ru.left_cap_combined) + right
                met = clean(met[: ru.left_cap_combined + ru.right_cap])
            elif left:
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
            elif right:
                met = cap_right(right, ru.right_cap + 4)
                if j + 1 < len(items):
                    # `**个部门****个事项录入平台`: share the last number's predicate
                    last = view[items[-1][1] : b]
                    pv = ru.predicate_verbs.search(last)
                    if pv and not ru.predicate_verbs.search(right):
                        met = right + cap_right(clean(last[pv.start() :]), 8)
            else:
                met = ""
                if j > 0:
                    # `***户上市挂牌企业募集资金***亿元`: the words between name it
                    met = clean_left(view[items[j - 1][1] : s])
                elif linked_right:
                    # `11户国有企业整合为3户`: the words after it, short of the link
                    met = clean_left(linked_right)
            out[idx] = (met if keep else clean(met))[: ru.max_len] if met else ""
            if left and not clean(right_raw):
                subject_only.add(idx)
    if len(chunks) > 1 and per_chunk[0]:
        first = out.get(per_chunk[0][0][2], "")
        for ci in range(1, len(chunks)):
            items = per_chunk[ci]
            if len(items) == 1 and items[0][2] in subject_only and items[0][2] not in handled:
                idx = items[0][2]
                out[idx] = _share_list_subject(first, out[idx], ru)
    return out, subject_only


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


def single_metric(text: str, cs: int, ce: int, m: NumberMention) -> tuple[str, bool]:
    """`clause_metrics` for a clause holding one non-qualifier number and no `、` list: the
    same rules without the list bookkeeping (the common case, so it must be cheap).
    Returns the metric and whether it names only a subject before the number."""
    ru = rules()
    s = m.start if m.start > cs else cs
    e = m.end if m.end < ce else ce
    noun = ""
    if "大" in m.text:
        uw = numeral_free(m)
        if uw.startswith("大"):
            noun = uw[1:]
    # helpers' no-op cases tested inline: this runs once per quantity
    left_raw = text[cs:s]
    right_raw = text[e:ce]
    if DUN in left_raw:
        left_raw = drop_lists(left_raw)
    if DUN in right_raw:
        right_raw = drop_lists(right_raw)
    right = clean(right_raw) if right_raw else ""
    right_empty = not right
    deng = False
    if "等" in left_raw:
        left_raw, deng = _after_deng(left_raw, bool(right or noun))
    left = clean_left(left_raw) if left_raw else ""
    if noun:
        right = clean(noun + right)
    elif len(right) > 3:
        right = _noun_first(right)
    # `clean` output is stable under `clean` except that a bare cue word becomes empty,
    # so only a phrase that was cut (or had a verb stripped) is cleaned again
    if left and right:
        met = left + right if deng else cap_left(left, ru.left_cap_combined) + right
        met = clean(met[: ru.left_cap_combined + ru.right_cap])
    elif left:
        met = strip_tail(left, ru.left_tail_alone) if right_empty else left
        if len(met) > ru.left_cap or met is not left:
            # a share names its part and its whole (`数字经济核心产业增加值占地区生产总值比重`)
            share = ru.share_lead[0] in met and met.endswith(ru.share_whole)
            met = clean(cap_left(met, ru.max_len if share else ru.left_cap))
    elif right:
        met = right
        if len(met) > ru.right_cap + 4:
            met = clean(met[: ru.right_cap + 4])
    else:
        return "", False
    if met in ru.empty_words:
        met = ""
    return met[: ru.max_len], bool(left) and right_empty


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


def phrase_metrics(
    text: str,
    mtext: str,
    scan: Scan,
    quants: list[NumberMention],
    clauses: list[tuple[int, int]],
    roles: list[str],
    ru: Rules,
) -> tuple[list[str], set[int]]:
    """The metric phrase of every quantity from its own clause, and which of them name only
    a subject before the number (those may borrow context from the previous clause)."""
    metrics: list[str] = [""] * len(quants)
    subject_only: set[int] = set()
    i = 0
    n_q = len(quants)
    while i < n_q:
        cl = clauses[i]
        cs, ce = cl
        if (i + 1 == n_q or clauses[i + 1] != cl) and text.find(DUN, cs, ce) < 0:
            # most clauses hold one number and no list: skip the list machinery
            if roles[i] != "qualifier":
                met, subj_only = single_metric(mtext, cs, ce, quants[i])
                metrics[i] = met
                if subj_only:
                    subject_only.add(i)
            i += 1
            continue
        j = i
        nums: list[Num] = []
        while j < n_q and clauses[j] == cl:
            m = quants[j]
            s, e = max(m.start, cs), min(m.end, ce)
            nums.append(Num(j, s - cs, e - cs, roles[j] == "qualifier", numeral_free(m)))
            j += 1
        duns = scan.duns(cs, ce)
        for a, b in zip(quants[i:j], quants[i + 1 : j], strict=False):
            if text[a.end : b.start] in ru.list_joiners:
                duns.append(a.end)  # `增长5.3%和6.8%` lists numbers like `、`
        got, subj = clause_metrics(mtext[cs:ce], cs, sorted(set(duns)), nums)
        subject_only |= subj
        for k, v in got.items():
            metrics[k] = v
        i = j
    return metrics, subject_only
