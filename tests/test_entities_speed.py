"""Entities: the faster forms of scans find exactly what their plain forms find.

Each test compares a scan built for speed with the plain pattern or loop it replaces, on
many random texts made from the words the scan is about (seeded: the same texts each run).
"""

from __future__ import annotations

import random
import re
from itertools import chain

from heping_data.extract.entities import base
from heping_data.extract.entities.base import _alternation, _Words
from heping_data.extract.entities.enumerations import _ENUM_SEP, _stretches
from heping_data.extract.entities.rules import _rules


def _texts(pieces: list[str], n: int, seed: int, longest: int = 30) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def _spans(pattern: re.Pattern[str], texts: list[str]) -> list[list[tuple[int, int]]]:
    return [[m.span() for m in pattern.finditer(t)] for t in texts]


def test_grouped_trie_matches_what_the_flat_trie_matches() -> None:
    # more first characters than one group holds, words that open others (longest wins)
    rng = random.Random(7)
    alphabet = [chr(0x4E00 + i) for i in range(3 * base._GROUP)]
    words = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(400)}
    words |= {w[:1] for w in list(words)[:50]}
    grouped = _alternation(words, grouped=True)
    flat = _alternation(words)
    assert grouped != flat and grouped.startswith("(?=[")
    texts = _texts([*words, *alphabet[:20], "，", "a"], 300, seed=1)
    assert _spans(re.compile(grouped), texts) == _spans(re.compile(flat), texts)
    # inside a longer pattern, repeated and captured, it still matches alike
    wrap = "({})+(?=，)"
    assert _spans(re.compile(wrap.format(grouped)), texts) == _spans(
        re.compile(wrap.format(flat)), texts
    )


def test_grouped_industry_words_keep_their_conditions() -> None:
    words = [chr(0x4E00 + i) + "产业" for i in range(2 * base._GROUP)]
    tails = {w: "(?!化|链)" for w in words} | {w[:1]: "" for w in words[:10]}
    found = _Words.build(tails)
    flat = re.compile(_alternation(words + [w[:1] for w in words[:10]], tails))
    texts = _texts([*words, "化", "链", "产", "业", "，"], 300, seed=2)
    for t in texts:
        assert [(s, e) for s, e, _ in found.spans(t)] == [m.span() for m in flat.finditer(t)]


def test_anchored_brand_scan_finds_what_the_plain_pattern_finds() -> None:
    r = _rules()
    pieces = ["硅业", "锂能", "电子", "新能源", "能源", "推动", "支持", "等龙头企业", "扩产"]
    pieces += ["年产", "落户", "、", "，", "。", " ", *"青岚光电云岭赤水松林数据"]
    texts = _texts(pieces, 1500, seed=3)
    assert _spans(r.brand_re.pattern, texts) == [
        [m.span() for m in r.brand_re.finditer(t)] for t in texts
    ]
    assert any(_spans(r.brand_re.pattern, texts))


def _stretches_plain(text: str) -> list[tuple[int, int]]:
    """The stretch search before it skipped ahead: every hit, sorted, in turn."""
    r = _rules()
    n, rev = len(text), text[::-1]
    segs, seg_lo, seg_hi = set(), -1, -1
    hits = chain(re.finditer("、", text), r.enum_cue_re.finditer(text))
    for p in sorted(m.start() for m in hits):
        if seg_lo <= p < seg_hi:
            continue
        bm, fm = _ENUM_SEP.search(rev, n - p), _ENUM_SEP.search(text, p)
        seg_lo, seg_hi = (n - bm.start() if bm else 0), (fm.start() if fm else n)
        segs.add((seg_lo, seg_hi))
    return sorted(segs)


def test_enumeration_stretches_are_those_of_every_hit() -> None:
    pieces = ["、", "等企业", "三大", "两个", "等", "，", "。", " ", "\n", "企业", "公司", "产业"]
    r = _rules()
    for t in _texts([*pieces, "甲", "乙"], 1500, seed=4, longest=25):
        assert _stretches(t, r) == _stretches_plain(t), t


def test_scan_requirements_are_literals_every_match_holds() -> None:
    from heping_data.extract.entities.base import _requirements

    assert _requirements(re.compile("[0-9]G(?=产业)")) == (("G",),)
    # an optional space is not required; the captured name is
    assert _requirements(re.compile("(?:记者|通讯员)[ \u3000]?(甲)")) == (
        ("记者", "通讯员"),
        ("甲",),
    )
    # optional parts, negated classes, look-arounds and long alternations require nothing
    assert _requirements(re.compile("(?:号线)?[^甲](?=乙)(?<!丙)")) == ()
    assert _requirements(re.compile("(?:甲|乙|丙|丁)x")) == (("x",),)
    assert _requirements(re.compile("g", re.IGNORECASE)) == ()
    # repeated at least once, inside a group: required; a branch with an empty way: not
    assert _requirements(re.compile("(?:、甲)+(?:乙|)丙")) == (("、甲",), ("丙",))


def test_gated_scans_find_what_plain_scans_find() -> None:
    # every whole-text scan of the rules, on texts that lack or hold its literals
    from heping_data.extract.entities.base import _Scan

    r = _rules()
    scans = [r.generation_re, r.official_re, *r.route_res, *r.byline_res]
    scans += [sc for _, sc in r.typed_res]
    assert all(isinstance(sc, _Scan) for sc in scans)
    pieces = ["号线", "地铁", "5", "G", "产业", "区长", " ", "\n", "至", "段", "河", "江", "甲乙"]
    pieces += ["记者", "/", "摄", "中欧班列", "（", "）", "长制", "百强", "全国", "县", "。"]
    texts = _texts(pieces, 400, 11)
    found = 0
    for sc in scans:
        for t in texts:
            got = [(m.span(), m.groups()) for m in sc.finditer(t)]
            assert got == [(m.span(), m.groups()) for m in sc.pattern.finditer(t)], (sc, t)
            found += len(got)
    assert found > 50
