"""Turn the hand-annotated reports (``*.ann``) into plain texts and gold CSVs.

Why inline annotation: the annotator marks each span where it stands, so offsets are
computed, never counted by hand, and every row satisfies ``text[s:e] == mention``.

Markup (nestable, never found in the reports' own text):

- ``[[span|metric]]`` or ``[[span|metric|key=value;key=value]]``: a quantity. Keys:
  ``cmp`` (eq gt ge lt le approx), ``role`` (measure rank qualifier), ``kind``
  (actual target), ``unit``, ``mult``, ``v``, ``min``, ``max``. Value, bounds, unit and
  multiplier are derived from the span by the small reader below unless given.
- ``{{span|class}}``: a number-like span that is not a quantity.
- ``<<heading|level>>``: a heading; its part is the current part.
- ``@@review@@`` / ``@@plan@@``: the part (and the default ``kind``) from here on.

Run ``python tests/data/build_gold.py tests/data/eval2`` to rewrite ``<folder>/<stem>.txt``
and the three gold files from ``<folder>/annotated/*.ann``: one builder for every
evaluation set. The reader also handles 千分之五 and 3‰ (unit ‰), 翻一番 (unit 倍, value
2**n) and ranges whose multiplier is written on both ends (50万至80万元).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

OPEN = {"[[": "q", "{{": "n", "<<": "h"}
CLOSE = {"q": "]]", "n": "}}", "h": ">>"}
FULL = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
            "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
CN_UNIT = {"十": 10, "百": 100, "千": 1000}
MULT = (("万亿", 10**12), ("亿", 10**8), ("万", 10**4))
NUM = re.compile(
    r"[0-9][0-9,]*(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
)
RANGE_SEP = "—–-～~至到"
NUMERIC_COLS = ["char_start", "char_end", "mention", "metric", "unit", "multiplier", "value",
                "value_min", "value_max", "comparator", "kind", "role", "is_masked"]  # fmt: skip


@dataclass
class Parsed:
    """A report's plain text and its annotations, offsets into that text."""

    text: str
    numeric: list[dict] = field(default_factory=list)
    nonq: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)


def cn_int(s: str) -> int:
    """A Chinese numeral without 万/亿 (一百二十, 十五, 两) as an int."""
    total, cur = 0, 0
    for ch in s:
        if ch in CN_DIGIT:
            cur = CN_DIGIT[ch]
        else:
            total += (cur or 1) * CN_UNIT[ch]
            cur = 0
    return total + cur


def number(s: str) -> Decimal:
    s = s.replace(",", "")
    if s[0].isdigit():
        return Decimal(s)
    whole, _, frac = s.partition("点")  # 十二点五
    digits = "".join(str(CN_DIGIT[c]) for c in frac)
    return Decimal(f"{cn_int(whole)}.{digits}" if digits else cn_int(whole))


def read_quantity(span: str) -> dict:
    """Value, bounds, unit, multiplier and default comparator/role of a quantity span."""
    s = span.translate(FULL)
    out: dict = {"role": "measure", "comparator": "eq"}
    if s.startswith("第"):
        out["role"] = "rank"
        s = s[1:]
    if s.startswith(("百分之", "千分之")):
        v = number(s[3:])
        unit = "%" if s[0] == "百" else "‰"
        return {**out, "unit": unit, "multiplier": 1, "value": v, "value_min": v, "value_max": v}
    if s.startswith("翻") and s.endswith("番"):  # 翻一番: doubled, 翻两番: four times
        v = Decimal(2) ** int(number(s[1:-1].removeprefix("了")))
        return {**out, "unit": "倍", "multiplier": 1, "value": v, "value_min": v, "value_max": v}
    if s.startswith("首"):  # 首位: first place
        v = Decimal(1)
        return {**out, "unit": "名", "multiplier": 1, "value": v, "value_min": v, "value_max": v}
    if s.startswith("半"):  # 半天: one half
        v = Decimal("0.5")
        return {**out, "unit": s[1:], "multiplier": 1, "value": v, "value_min": v, "value_max": v}
    m = NUM.match(s)
    if not m:
        raise ValueError(f"no number at the start of {span!r}")
    lo = hi = number(m.group())
    rest = s[m.end() :]
    for word, _ in MULT:  # 50万至80万元: the first end carries its own multiplier
        if rest.startswith(word) and rest[len(word) : len(word) + 1] in set(RANGE_SEP):
            rest = rest[len(word) :]
            break
    if rest[:1] == "%" and rest[1:2] and rest[1] in RANGE_SEP:  # 6%—8%
        rest = rest[1:]
    if rest and rest[0] in RANGE_SEP:  # 3—5个
        rest = rest[1:]
        m2 = NUM.match(rest)
        if not m2:
            raise ValueError(f"bad range {span!r}")
        hi = number(m2.group())
        rest = rest[m2.end() :]
    mult = 1
    for word in ("余", "多"):
        if rest.startswith(word):
            out["comparator"] = "gt"
            rest = rest[1:]
    for word, k in MULT:
        if rest.startswith(word):
            mult = k
            rest = rest[len(word) :]
            break
    for word in ("余", "多"):
        if rest.startswith(word):
            out["comparator"] = "gt"
            rest = rest[1:]
    unit = rest
    if unit.startswith("大"):  # 十大工程: the noun is the unit
        unit = unit[1:]
    if unit == "个百分点":
        unit = "百分点"
    if out["role"] == "rank" and unit == "":
        unit = "名"
    lo, hi = lo * mult, hi * mult
    value = lo if lo == hi else None
    return {**out, "unit": unit, "multiplier": mult, "value": value, "value_min": lo,
            "value_max": hi}  # fmt: skip


def _attrs(raw: str) -> dict[str, str]:
    out = {}
    for part in filter(None, raw.split(";")):
        k, _, v = part.partition("=")
        out[k.strip()] = v.strip()
    return out


def parse(ann: str) -> Parsed:
    """Strip the markup, recording each annotation's offsets in the plain text."""
    text: list[str] = []
    pos = 0
    part = None
    stack: list[dict] = []
    res = Parsed("")
    i = 0
    while i < len(ann):
        two = ann[i : i + 2]
        if two == "@@":
            j = ann.index("@@", i + 2)
            part = ann[i + 2 : j]
            assert part in ("review", "plan"), part
            i = j + 2
            continue
        if two in OPEN:
            stack.append({"type": OPEN[two], "start": pos, "part": part})
            i += 2
            continue
        if stack and ann[i] == "|":
            top = stack[-1]
            j = ann.index(CLOSE[top["type"]], i)
            top["attrs"] = ann[i + 1 : j]
            top["end"] = pos
            stack.pop()
            _record(res, top, "".join(text)[top["start"] : pos])
            i = j + 2
            continue
        text.append(ann[i])
        pos += 1
        i += 1
    assert not stack, f"unclosed markup at {stack[-1]['start']}"
    res.text = "".join(text)
    for rows in (res.numeric, res.nonq, res.sections):
        rows.sort(key=lambda r: (r["char_start"], r["char_end"]))
        for r in rows:
            label = r.get("mention", r.get("heading"))
            assert res.text[r["char_start"] : r["char_end"]] == label, r
    return res


def _record(res: Parsed, a: dict, span: str) -> None:
    s, e = a["start"], a["end"]
    if a["type"] == "n":
        res.nonq.append({"char_start": s, "char_end": e, "mention": span, "class": a["attrs"]})
        return
    if a["type"] == "h":
        res.sections.append({"char_start": s, "char_end": e, "heading": span,
                             "level": int(a["attrs"]), "part": a["part"]})  # fmt: skip
        return
    metric, _, raw = a["attrs"].partition("|")
    kv = _attrs(raw)
    q = read_quantity(span)
    for key in ("v", "min", "max"):
        if key in kv:
            col = {"v": "value", "min": "value_min", "max": "value_max"}[key]
            q[col] = None if kv[key] == "" else Decimal(kv[key])
    if "mult" in kv:
        q["multiplier"] = int(kv["mult"])
    row = {
        "char_start": s,
        "char_end": e,
        "mention": span,
        "metric": metric,
        "unit": kv.get("unit", q["unit"]),
        "multiplier": q["multiplier"],
        "value": q["value"],
        "value_min": q["value_min"],
        "value_max": q["value_max"],
        "comparator": kv.get("cmp", q["comparator"]),
        "kind": kv.get("kind", "actual" if a["part"] == "review" else "target"),
        "role": kv.get("role", q["role"]),
        "is_masked": "false",
    }
    assert row["comparator"] in ("eq", "gt", "ge", "lt", "le", "approx"), row
    assert row["role"] in ("measure", "rank", "qualifier"), row
    assert a["part"] is not None, f"quantity before any part marker: {span}"
    res.numeric.append(row)


def _fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        f = float(v)
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    return str(v)


def to_csv(rows: list[dict], cols: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_fmt(r[c]) for c in cols])
    return buf.getvalue()


def outputs(ann_path: Path) -> dict[str, str]:
    """File name → content for one annotated report."""
    stem = ann_path.stem
    p = parse(ann_path.read_text(encoding="utf-8"))
    return {
        f"{stem}.txt": p.text,
        f"{stem}.numeric.csv": to_csv(p.numeric, NUMERIC_COLS),
        f"{stem}.non_quantity.csv": to_csv(p.nonq, ["char_start", "char_end", "mention", "class"]),
        f"{stem}.sections.csv": to_csv(
            p.sections, ["char_start", "char_end", "heading", "level", "part"]
        ),
    }


def main() -> int:
    folder = Path(sys.argv[1])
    for ann in sorted((folder / "annotated").glob("*.ann")):
        for name, content in outputs(ann).items():
            (folder / name).write_text(content, encoding="utf-8", newline="")
        print(ann.stem, len(parse(ann.read_text(encoding="utf-8")).text), "chars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
