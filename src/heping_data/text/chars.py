"""Small regex-building helpers every stage uses.

Why one place: the same longest-first alternation and character-class builders were
written out in several modules, with slightly different orderings. The patterns are
cached on disk by their text (:mod:`heping_data.text.regexcache`), so they must be built
the same way in every process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first so the longest wins; words of one
    length in code-point order, so the pattern is the same in every process."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def char_class(chars: Iterable[str]) -> str:
    """Body of a regex character class holding exactly ``chars`` (sorted: deterministic)."""
    return "".join(re.escape(c) for c in sorted(set(chars)))


#: Punctuation that ends a sentence, and the closing quotes and brackets that may follow it.
TERMINAL = "。！？；!?;…"
CLOSERS = "”’」』）)】"


def ends_sentence(seg: str) -> bool:
    """True when ``seg`` ends in sentence punctuation, possibly before closing quotes or
    brackets: such a segment is body text, not a heading or title (outline and ingest
    decide it the same way)."""
    seg = seg.rstrip(CLOSERS)
    return bool(seg) and seg[-1] in TERMINAL
