"""Titles of policy documents in book-title marks (《…规划》, 《关于…的若干措施》)."""

from __future__ import annotations

import re
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.text.ruledata import RuleModel, load_rules


class TitleFile(RuleModel):
    """``titles.yaml``: the heads a document title ends with, and its longest length."""

    heads: tuple[str, ...]
    max_len: int


@cache
def _title_re() -> re.Pattern[str]:
    raw = load_rules(TitleFile, "entities", "titles.yaml")
    heads = "|".join(sorted(map(re.escape, raw.heads), key=len, reverse=True))
    body = f"[^《》\\n]{{1,{raw.max_len}}}?"
    return re.compile(f"(?<=《)({body}(?:{heads})(?:[（(][^（）()《》\\n]{{1,20}}[）)])?)(?=》)")


def _titles(text: str) -> list[_Cand]:
    """A policy document named by its title (《保定市城市更新条例》) is a programme.

    Why: the title holds places and dates a suffix walk stops at; the book-title marks give
    its exact extent, and real reports' golds read such titles as programmes.
    """
    if "《" not in text:
        return []
    return [
        _Cand(m.start(1), m.end(1), "program", m.group(1), "quote")
        for m in _title_re().finditer(text)
    ]
