"""The backward walk over jieba's dictionary words that finds a name's left edge.

Why here: jieba only ever sees a few characters left of a head word, never the whole
text; the derived tables are cached on disk, the walk is the module's hot spot.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from heping_data.extract.entities.base import _DATA, _MAX_NAME, _MAX_WORD, _MIN_FREQ
from heping_data.extract.entities.rules import _Rules


class _Freq(NamedTuple):
    """Stands in for the jieba tokenizer: only whether a word has a frequency is read
    (``FREQ.get(w)`` truthy), so the word -> tag table serves (every word holds a tag)."""

    FREQ: dict[str, str]


#: The tag of a dictionary word jieba leaves untagged: truthy, and in no tag test.
_NO_TAG = " "


def _jieba_cache_file() -> Path | None:
    """Where the derived jieba tables are kept, keyed on everything that decides them."""
    import hashlib
    import os
    import tempfile
    from importlib.util import find_spec

    spec = find_spec("jieba")  # located, not imported: importing jieba costs 0.2 s
    if spec is None or spec.origin is None:
        return None
    main = Path(spec.origin).parent / "dict.txt"
    user = _DATA / "jieba_user_dict.txt"
    h = hashlib.sha256()
    st = main.stat()
    h.update(f"{main}|{st.st_size}|{st.st_mtime_ns}|{_MIN_FREQ}|{_MAX_WORD}|tagged".encode())
    h.update(user.read_bytes())
    root = os.environ.get("XDG_CACHE_HOME") or (
        str(Path.home() / ".cache") if Path.home().is_dir() else tempfile.gettempdir()
    )
    return Path(root) / "heping-data" / f"jieba-{h.hexdigest()[:16]}.marshal"


def _jieba_build() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    tok.load_userdict(str(_DATA / "jieba_user_dict.txt"))
    # only words with a frequency are ever looked up (prefix entries hold 0), and only
    # whether they have one: one table, word -> tag, answers both questions and halves
    # the load; one string object per tag, so marshal writes the rest as back-references
    freq = {w: f for w, f in tok.FREQ.items() if f}
    word_tag = jieba.posseg.POSTokenizer(tok).word_tag_tab
    tag_of: dict[str, str] = {}
    table = {}
    for w in freq:
        t = word_tag.get(w) or _NO_TAG
        table[w] = tag_of.setdefault(t, t)
    words = frozenset(w for w, f in freq.items() if f >= _MIN_FREQ and 2 <= len(w) <= _MAX_WORD)
    # the last three characters of every longer word: where text[i-3:i] is not among them,
    # no word of three or more characters ends at i and the walk tries two characters only
    tails3 = frozenset(w[-3:] for w in words if len(w) >= 3)
    return table, words, tails3


@cache
def _jieba() -> tuple[Any, dict[str, str], frozenset[str], frozenset[str]]:
    """jieba's dictionary words (with the user dictionary) and part-of-speech table.

    Why a cache file: building them through jieba (tokenizer initialisation plus the POS
    table) costs about 1.5 s per process, a marshal load of the derived table 0.15 s;
    the file is keyed on jieba's dictionary, the user dictionary and the walk's limits,
    and rebuilt when any changes. Also returns the set of words common enough to guide
    the backward walk (a set test is cheaper than a frequency look-up and comparison, and
    the walk makes thousands).
    """
    import marshal
    import os

    path = None
    try:
        path = _jieba_cache_file()
        if path is not None and path.is_file():
            table, words, tails3 = marshal.loads(path.read_bytes())
            return _Freq(table), table, words, tails3
    except (OSError, ValueError, EOFError, TypeError):
        pass  # unreadable or stale format: rebuild below
    table, words, tails3 = _jieba_build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((table, words, tails3)))
            os.replace(tmp, path)
            for stale in path.parent.glob("jieba-*.marshal"):
                if stale != path:  # built from an older dictionary or walk limits
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only home only costs the rebuild next time
    return _Freq(table), table, words, tails3


def _word_ending(text: str, lo: int, i: int, words: frozenset[str], tails3: frozenset[str]) -> str:
    """The longest dictionary word of text[lo:i] that ends at ``i`` (one character if none).
    Words of three or more characters are tried only where ``tails3`` allows one."""
    longest = min(_MAX_WORD, i - lo)
    if longest > 2 and text[i - 3 : i] not in tails3:
        longest = 2
    for k in range(longest, 1, -1):
        w = text[i - k : i]
        if w in words:
            return w
    return text[i - 1]


def _is_stop(w: str, r: _Rules, tags: dict[str, str], verbs: bool) -> bool:
    if len(w) == 1:
        return w in r.stop_chars
    if w in r.stop_words:
        return True
    if w in r.name_verbs:
        return False
    tag = tags.get(w)
    return tag in r.stop_tags and (verbs or tag != "v")


# dictionary word -> 0 (never a stop), 1 (always), 2 (a verb: a stop when verbs stop);
# filled as words are met (bounded by the dictionary; the rules are fixed per process)
_STOP_KIND: dict[str, int] = {}


def _stop_kind(w: str, r: _Rules, tags: dict[str, str]) -> int:
    if w in r.stop_words:
        return 1
    if w in r.name_verbs:
        return 0
    tag = tags.get(w)
    if tag not in r.stop_tags:
        return 0
    return 2 if tag == "v" else 1


def _left_edge(
    text: str, lo: int, head: int, r: _Rules, *, verbs: bool = True
) -> tuple[int, list[str]]:
    """Walk back from ``head`` over dictionary words (backward maximum matching, which
    suits a right-to-left walk and costs a few dict look-ups) until a stop word or, with
    ``verbs``, a word jieba's dictionary tags as a verb. Returns the left edge and the words
    kept, left to right."""
    _, tags, words, tails3 = _jieba()
    stop_words, stop_chars, kinds = r.stop_words, r.stop_chars, _STOP_KIND
    pos = head
    kept: list[str] = []
    while pos > lo:  # _word_ending and _is_stop inlined: this loop is the module's hot spot
        span = pos - lo
        w = ""
        # three or more characters only where some such word ends this way (tails3)
        if span > 2 and text[pos - 3 : pos] in tails3:
            for k in range(span if span < _MAX_WORD else _MAX_WORD, 2, -1):
                if text[pos - k : pos] in words:
                    w = text[pos - k : pos]
                    break
        if not w and span > 1 and text[pos - 2 : pos] in words:
            w = text[pos - 2 : pos]
        if w:
            kind = kinds.get(w)
            if kind is None:
                kind = kinds[w] = _stop_kind(w, r, tags)
            stop = kind == 1 or (kind == 2 and verbs)
        else:
            w = text[pos - 1]
            stop = w in stop_chars
        if stop:
            break
        pos -= len(w)
        kept.append(w)
    kept.reverse()
    # a name never opens with (part of) a stop word the word match split: 扩大华盾 →
    # 扩/大华/盾, 获评全国… → 获|评全国
    moved = True
    while moved and kept:
        moved = False
        for back in (1, 0):
            for n in (3, 2):
                a = pos - back
                if a >= lo and n > back and a + n < head and text[a : a + n] in stop_words:
                    kept = _words_from(kept, n - back)
                    pos += n - back
                    moved = True
                    break
            if moved:
                break
    return pos, kept


def _limit_left(rev: str, hard: re.Pattern[str], pos: int, limit: int = _MAX_NAME) -> int:
    """Start of the run of name characters that ends at ``pos`` (at most ``limit`` long).

    ``rev`` is the text reversed: the last ``hard`` character before ``pos`` is then the
    first one a forward search meets, looking at most ``limit`` characters (no scan of the
    whole text)."""
    n = len(rev)
    m = hard.search(rev, n - pos, n - pos + limit)
    return n - m.start() if m else max(pos - limit, 0)


def _words_from(words: list[str], n: int) -> list[str]:
    """``words`` without their first ``n`` characters (a word cut in two keeps its rest)."""
    rest = "".join(words)[n:]
    out: list[str] = []
    for w in words:
        if n >= len(w):
            n -= len(w)
            continue
        out.append(w[n:])
        n = 0
    return out if "".join(out) == rest else [rest]


def _crosses_right(head: str, after: str, freq: dict[str, int]) -> bool:
    """True when a dictionary word runs from inside the head past its end (中学生, 银行业);
    ``after`` is the text's next two characters (fewer at its end)."""
    for j in (1, 2):
        for k in range(1, len(head) + 1):
            if freq.get(head[-k:] + after[:j]):
                return True
    return False
