"""Cleaning the words around a number into a metric phrase: noise, cue words, caps."""

from __future__ import annotations

from functools import lru_cache

from heping_data.extract.facts.patterns import (
    CODE,
    DIGIT,
    DIGIT_RUN,
    DUN,
    LEAD_NUMERAL,
    NOISE_CHARS,
    NOISE_OR_DIGIT,
    QUOTES,
)
from heping_data.extract.facts.rules import Rules, rules
from heping_data.records import NumberMention


class _Noise:
    """`re.sub`-like: noise characters, then digit runs (only when there is a digit: most
    pieces have none, and the run pattern with its look-arounds is the slow part)."""

    @staticmethod
    def sub(repl: str, s: str) -> str:
        if not NOISE_OR_DIGIT.search(s):
            return s
        s = NOISE_CHARS.sub(repl, s)
        return DIGIT_RUN.sub(repl, s) if DIGIT.search(s) else s


NOISE = _Noise()


# Mention classes that never belong in a metric: blanked whole (with a trailing 的), so no
# fragment such as `增加到年` is left where their digits were.
_BLANK_CLASSES = frozenset({"year", "date"})


#: Entries of each clean cache: a document's distinct pieces fit many times over, and the
#: bound keeps a long run's memory flat.
CLEAN_CACHE = 1 << 16


@lru_cache(maxsize=CLEAN_CACHE)
def clean(s: str) -> str:
    """Drop quotes, masks, digits and list marks; strip cue words at both ends.

    Why cached: a clause's pieces are cleaned several times over while its metrics are
    built. The function is pure (rules are fixed per process), so one bounded,
    thread-safe cache serves every document and thread."""
    ru = rules()
    s = _denoise(s, ru)
    if not s or s in ru.empty_words:
        return ""
    s = _strip_ends(s, ru)
    return "" if s in ru.empty_alone else s


@lru_cache(maxsize=CLEAN_CACHE)
def clean_left(s: str) -> str:
    """``clean`` for the words before a number: also the comparator or linking verb that
    joins them to it (`分别达到`, `不低于`) and a goal cue parting actor from metric."""
    ru = rules()
    s = _denoise(s, ru)
    if not s or s in ru.empty_words:
        return ""
    s = _strip_ends(_strip_left_tail(s, ru), ru)
    return "" if s in ru.empty_alone else s


def _denoise(s: str, ru: Rules) -> str:
    """Quotes, masks, digits and list marks out; a code such as `PM2.5` stays whole."""
    if NOISE_OR_DIGIT.search(s):  # one scan passes the clean majority of pieces
        codes = CODE.findall(s) if ("." in s or "．" in s) else None
        if codes:  # `PM2.5` is a name: keep its decimal point and digits
            s = CODE.sub("\x01", s)
        s = NOISE_CHARS.sub("", s)
        if DIGIT.search(s):
            s = ru.digit_run.sub("", s)
        if codes:
            for c in codes:
                s = s.replace("\x01", c, 1)
    if "分别" in s:
        s = s.replace("分别", "")
    if any(c in s for c in ru.condition_first):
        s = ru.condition_re.sub("", s)  # `扣除留抵退税因素后同口径增长` → 同口径增长
    return s


def _strip_left_tail(s: str, ru: Rules) -> str:
    """A run of linking verbs and comparators at the end (`分别达到`, `不低于`), then the
    goal cue that parts the actor from the metric."""
    by_last = ru.left_tail_by_last
    while s:
        cands = by_last.get(s[-1])
        if not cands or not s.endswith(cands):
            break
        for w in cands:  # longest first
            if s.endswith(w):
                s = s[: -len(w)]
                break
    g = ru.goal_mid_re.search(s, 1) if len(s) > 4 else None
    if g is not None:
        # `全区将力争全年地区生产总值增长`: the goal cue parts the actor from the
        # metric; a bare change word after it keeps the subject (`产值力争增长`)
        rest = s[g.end() :]
        s = (
            rest
            if len(rest) > 2 and not rest.startswith(ru.change_words)
            else s[: g.start()] + rest
        )
    return s


def _strip_ends(s: str, ru: Rules) -> str:
    """Cue words off both ends, longest first, looked up by the piece's first or last
    character; a tuple `startswith`/`endswith` rules a piece out in one C call."""
    lead, tail = ru.lead_by_first, ru.tail_by_last
    while s:
        cands = lead.get(s[0])
        if cands and s.startswith(cands):
            for w in cands:
                if s.startswith(w):
                    break
            if len(w) < len(s) and s[len(w) :] not in ru.lead_bare_heads:
                s = s[len(w) :]
                continue
            # the longest match is the whole piece (or leaves a bare head): try the tail
        cands = tail.get(s[-1])
        if cands and s.endswith(cands):
            for w in cands:
                if s.endswith(w):
                    break
            if len(w) < len(s) and not s.endswith(ru.tail_keep):
                s = s[: -len(w)]
                continue
        break
    return s


def drop_lists(s: str) -> str:
    """Remove quoted lists (“A、B、C”): they name the items, not what is counted."""
    if DUN not in s:
        return s
    return QUOTES.sub(lambda q: "" if DUN in q.group() else q.group(), s)


def strip_tail(s: str, words: tuple[str, ...]) -> str:
    if not s.endswith(words):
        return s
    for w in words:
        if s.endswith(w) and len(s) > len(w) + 1:
            return s[: -len(w)]
    return s


def cut_word(s: str, by_last: dict[str, tuple[str, ...]], keep: int = 1) -> str:
    """``s`` less the longest word it ends with (looked up by its last character), when at
    least ``keep`` characters remain; else ``s``."""
    if s:
        n = len(s) - keep
        for w in by_last.get(s[-1], ()):
            if len(w) <= n and s.endswith(w):
                return s[: -len(w)]
    return s


def strip_light(s: str) -> str:
    for w in rules().light_verbs:
        if s.startswith(w) and len(s) > len(w) + 1:
            return s[len(w) :]
    return s


def numeral_free(mention: NumberMention) -> str:
    """The unit words of a mention without its digits (`**亿元` → `亿元`, `九大主题` → `大主题`)."""
    t = mention.text
    if mention.numeral and mention.numeral in t:
        t = t.replace(mention.numeral, "", 1)
    return NOISE.sub("", LEAD_NUMERAL.sub("", t))


def strip_leads(s: str, words: tuple[str, ...]) -> str:
    """`认真办理人大代表建议` → 人大代表建议: adverbs and verbs off the front of a clause."""
    while s.startswith(words):
        for w in words:
            if s.startswith(w):
                s = s[len(w) :]
                break
    return s


def cap_left(s: str, n: int) -> str:
    """The last ``n`` characters of ``s``, moved left to keep a subject word whole."""
    if len(s) <= n:
        return s
    ru = rules()
    cut = len(s) - n
    for k in range(max(0, cut - ru.cap_reach), cut + 1):
        # the leftmost subject word that the cut would split or that ends right at it
        w = next((w for w in ru.cap_keep_words if s.startswith(w, k)), "")
        if w and k < cut <= k + len(w):
            return s[k:]
    t = s[-n:]
    # never keep the tail of a cut number (`12345热线` cut to `45热线`)
    return t.lstrip("0123456789") if t[0].isdigit() and s[-n - 1].isdigit() else t


def cap_right(s: str, n: int) -> str:
    return s[:n] if len(s) > n else s


def blank(
    text: str, mentions: list[NumberMention] | tuple[NumberMention, ...], base: tuple[str, ...] = ()
) -> str:
    """The text with year and date mentions (and a 的 right after them) replaced by
    ``\x00`` of the same length: offsets stay valid and `clean` drops them whole.

    A period in words right after a base word (`比一季度加快`) stays: it is what the
    number is compared with, and unlike `比2020年` it survives `clean`."""
    spans = [
        (m.start, m.end)
        for m in mentions
        if m.cls in _BLANK_CLASSES
        and not (
            base
            and m.cls == "date"
            and not DIGIT.search(m.text)
            and "*" not in m.text
            and text.endswith(base, max(0, m.start - 2), m.start)
        )
    ]
    if not spans:
        return text
    spans.sort()
    parts: list[str] = []
    pos = 0
    for a, b in spans:
        if a < pos:
            continue
        if text.startswith("的", b):
            b += 1
        parts.append(text[pos:a])
        parts.append("\x00" * (b - a))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)
