"""A deterministic generator of synthetic reports of the genre, for benchmarks and tests.

Reports are assembled from templates and rule data (``benchmarks/data/genre.yaml``): full
政府工作报告 with ``一、``/``（一）``/``1.`` headings, and newspaper summaries in a
space-separated page layout. Digits are real, or masked as ``*`` like the seed's source
site. Each report depends only on ``(seed, index)``, so the first 1,000 reports of a
10,000-report corpus are the 1,000-report corpus, byte for byte.

Usage: ``python benchmarks/corpus.py N OUT_DIR [--seed S] [--min-kb A] [--max-kb B]``.
"""

from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "genre.yaml"


@cache
def rules() -> dict[str, Any]:
    """The genre's rule data, loaded once."""
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Report:
    """One generated report: its text and what a sources manifest says about it."""

    name: str
    text: str
    kind: str  # "full" | "summary"
    masked: bool
    report_year: int
    district: str
    province: str


def cn_number(n: int) -> str:
    """Chinese numeral for 0 <= n < 100 (十二, 二十, 三十五), as headings and counts write it."""
    d = rules()["cn_digits"]
    if n < 10:
        return d[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else d[tens]) + "十" + (d[ones] if ones else "")


class _Writer:
    """Fills templates with values drawn from one report's RNG."""

    def __init__(self, rng: random.Random, commas: str) -> None:
        self.r = rng
        self.R = rules()
        self.comma = commas  # "，" in full reports, often "," in web summaries
        p = self.R["places"]
        self.province, city = rng.choice(p["cities"])
        self.city = city
        name = "".join(rng.sample(p["syllables"], 2))
        self.district = name + rng.choice(p["district_suffix"])
        self.short = name
        self.year = rng.randint(2016, 2024)
        self.thousands = rng.random() < 0.4

    # -- values ---------------------------------------------------------------------------
    def num(self, lo: float, hi: float, dec: int) -> str:
        """A number as written: log-uniform in [lo, hi], ``dec`` decimals, maybe 1,234."""
        v = math.exp(self.r.uniform(math.log(lo), math.log(hi)))
        if dec == 0:
            iv = max(1, round(v))
            return f"{iv:,}" if self.thousands and iv >= 10000 else str(iv)
        return f"{v:.{dec}f}"

    def pct(self) -> str:
        return self.num(0.5, 35, self.r.choice((0, 1, 1)))

    def fill(self, tpl: str, **kw: str) -> str:
        r = self.r
        vals = {
            "p": self.pct(),
            "pp": self.num(0.2, 4, 1),
            "rank": str(r.randint(1, 30)),
            "m": str(r.randint(2, 60)),
            "n": str(r.choice((1, 5, 10, 20, 50))),
            "cn": r.choice(self.R["cn_numerals"]),
            "ordcn": cn_number(r.randint(1, 99)),
            "district": self.district,
            "city": self.city,
            "y": str(self.year),
        }
        vals.update(kw)
        return tpl.format(**vals).replace("，", self.comma)

    def person(self) -> str:
        p = self.R["places"]
        return self.r.choice(p["surnames"]) + "".join(self.r.sample(p["given"], 2))

    def place(self, kind: str) -> str:
        p = self.R["places"]
        return "".join(self.r.sample(p["syllables"], 2)) + self.r.choice(p[kind])

    # -- sentences ------------------------------------------------------------------------
    def metric_sentence(self, target: bool) -> str:
        r, R = self.r, self.R
        m = r.choice(R["metrics"])
        v = self.num(m["lo"], m["hi"], m["dec"]) + m["unit"]
        if target:
            lead = r.choice(R["plan_verbs"])
            how = r.random()
            if how < 0.4:
                body = f"{m['metric']}" + self.fill(r.choice(R["comparator_phrases"]), v=v)
            elif how < 0.8:
                body = f"{m['metric']}增长{self.pct()}%" + r.choice(("以上", "左右", ""))
            else:
                body = f"{m['metric']}{r.choice(m['verbs'])}{v}"
            return f"{lead}{body}。"
        head = r.choice(R["connectors"]) if r.random() < 0.4 else ""
        if r.random() < 0.3:
            body = f"{m['metric']}" + self.fill(r.choice(R["comparator_phrases"]), v=v)
        else:
            body = f"{m['metric']}{r.choice(m['verbs'])}{v}"
        tail = ""
        if r.random() < 0.7:
            tail = "，" + self.fill(r.choice(R["growth"]))
        if r.random() < 0.15:
            tail += "，" + self.fill(r.choice(R["rank_phrases"]))
        return self.fill(head + body + tail + "。")

    def entity_sentence(self) -> str:
        r, R = self.r, self.R
        park = self.short + r.choice(R["places"]["park_kinds"])
        firm = "".join(r.sample(R["places"]["syllables"], 2)) + r.choice(
            R["places"]["company_kinds"]
        )
        street = self.place("street_suffix")
        choices = (
            f"{park}新引进{firm}等{r.randint(2, 40)}个项目，总投资{self.num(2, 300, 1)}亿元。",
            f"{street}{self.place('community_suffix')}获评{r.choice(R['honors'])}。",
            f"成功举办{self.city}{r.choice(R['events'])}，签约项目{r.randint(3, 80)}个。",
            f"{self.place('project_kinds')}建成投用，新增产能约{self.num(5, 200, 0)}亿元。",
            f"{self.year}年{r.randint(1, 12)}月{r.randint(1, 28)}日，{park}正式开园。",
            self.fill(r.choice(R["cn_counts"])) + "，" + r.choice(R["filler"]),
            self.fill(r.choice(R["qualifiers"])) + "。",
            self.fill(r.choice(R["names"])) + "。",
        )
        return self.fill(r.choice(choices))

    def paragraph(self, target: bool, n_sent: int) -> str:
        r = self.r
        out = [r.choice(self.R["openers"])] if r.random() < 0.3 else []
        for _ in range(n_sent):
            x = r.random()
            if x < 0.5:
                out.append(self.metric_sentence(target))
            elif x < 0.8:
                out.append(self.entity_sentence())
            else:
                out.append(r.choice(self.R["filler"]))
        return "".join(out).replace("，", self.comma)


def _parts(budget: int, para: int = 380) -> tuple[int, int]:
    """How many subsections (at most 10, as real reports have) and paragraphs in each."""
    paras = max(1, budget // para)
    n_sub = max(1, min(10, paras))
    return n_sub, max(1, round(paras / n_sub))


def _full(w: _Writer, target: int) -> str:
    """A full report of about ``target`` bytes: title block, review part, plan part, closing."""
    r, F = w.r, w.R["full_report"]
    y1 = w.year + 1
    lines: list[str] = []
    size = 0

    def add(line: str) -> None:
        nonlocal size
        lines.append(line)
        size += len(line.encode()) + 1

    for line in (
        w.fill(F["title"], year=str(y1)),
        w.fill(
            F["subtitle"],
            year=str(y1),
            month=str(r.randint(1, 2)),
            day=str(r.randint(5, 28)),
            cn1=cn_number(r.randint(2, 9)),
            cn2=cn_number(r.randint(1, 6)),
        ),
        w.fill(F["speaker"], office=r.choice(F["offices"]), person=w.person()),
        "",
        F["salutation"],
        w.fill(F["opening"]),
        "",
    ):
        add(line)
    review_end = size + int(target * 0.5)
    # review: one main section, a second one when the report is long
    mains = F["review_mains"][: 2 if target > 60_000 else 1]
    main = 0
    for tpl in mains:
        main += 1
        add(f"{cn_number(main)}、{w.fill(tpl, y=str(w.year))}")
        add(w.paragraph(False, r.randint(2, 4)))
        n_sub, per = _parts((review_end - size) // (len(mains) - main + 1))
        for sub in range(1, n_sub + 1):
            topic = r.choice(list(w.R["topics"].values()))
            add(f"（{cn_number(sub)}）{r.choice(topic)}。" + w.paragraph(False, r.randint(3, 5)))
            for _ in range(per - 1):
                add(w.paragraph(False, r.randint(3, 6)))
    # plan: main sections with (一) subsections, some of them with 1. items
    plan_mains = F["plan_mains"]
    n_main = 1 if target < 20_000 else min(len(plan_mains) - 1, 1 + target // 60_000)
    closing = w.fill(F["closing"])
    for k in range(n_main):
        main += 1
        add(f"{cn_number(main)}、{w.fill(plan_mains[k], y=str(y1))}")
        if k == 0:
            targets = "，".join(w.fill(t) for t in r.sample(w.R["plan_targets"], 3))
            add(f"{y1}年经济社会发展的主要预期目标是：{targets}。")
        n_sub, per = _parts((target - 600 - size) // (n_main - k))
        for sub in range(1, n_sub + 1):
            add(f"（{cn_number(sub)}）{r.choice(w.R['plan_topics'])}。")
            if per > 1 and r.random() < 0.6:
                items = min(per, 6)
                for item in range(1, items + 1):
                    n = r.randint(3, 5) * per // items
                    add(f"{item}.{r.choice(w.R['sub_topics'])}。" + w.paragraph(True, n))
            else:
                for _ in range(per):
                    add(w.paragraph(True, r.randint(3, 6)))
    main += 1
    add(f"{cn_number(main)}、{plan_mains[-1]}")
    add(w.paragraph(True, r.randint(1, 3)))
    add(closing)
    return "\n".join(lines) + "\n"


def _summary(w: _Writer, target: int, masked: bool) -> str:
    """A newspaper summary: headline line, optional paywall notice, one space-separated body."""
    r, R, S, L = w.r, w.R, w.R["summary"], w.R["summary_labels"]
    slogans = " ".join(r.sample(R["slogans"], r.randint(2, 3)))
    head = [f"{w.province}{w.city}{w.district}:{slogans}"]
    if masked or r.random() < 0.3:
        head.append(L["paywall"].format(d=r.randint(1, 9)))
    body = [
        str(w.year),
        r.choice(L["review_head"]),
        w.fill(S["intro"], v=w.num(80, 3000, 1), opener=r.choice(R["openers"])),
        w.fill(
            S["honor_line"],
            honor=r.choice(R["honors"]),
            honor2=r.choice(R["honors"]),
        ),
    ]
    size = sum(len(x.encode()) + 1 for x in head + body)
    review_end = size + int(target * 0.55)
    pairs = list(L["pairs"])
    while size < review_end:
        a, b = r.choice(pairs)
        for piece in (a, b, w.paragraph(False, r.randint(2, 5))):
            body.append(piece)
            size += len(piece.encode()) + 1
    targets = ",".join(w.fill(t) for t in r.sample(R["plan_targets"], 2))
    conf = w.fill(
        S["conference"],
        month=str(r.randint(1, 2)),
        day=str(r.randint(5, 28)),
        y=str(w.year + 1),
        targets=targets,
    )
    body += [r.choice(L["plan_head"]), conf]
    size += len(conf.encode())
    while size < target - 300:
        topic = r.choice(R["plan_topics"]).split("，")[-1]
        for piece in (topic, r.choice(R["sub_topics"]), w.paragraph(True, r.randint(2, 4))):
            body.append(piece)
            size += len(piece.encode()) + 1
    tail = [
        w.fill(r.choice(L["byline"]), person=w.person(), person2=w.person()),
        L["source_note"].format(
            code=w.short, digits="".join(str(r.randint(0, 9)) for _ in range(12))
        ),
    ]
    return "\n".join([*head, " ".join(body + tail)]) + "\n"


def make_report(
    index: int,
    seed: int = 0,
    *,
    min_kb: float = 2,
    max_kb: float = 200,
    masked_share: float = 0.3,
    summary_share: float = 0.4,
) -> Report:
    """Report ``index`` of the corpus ``seed``: size log-uniform in [min_kb, max_kb] KB."""
    rng = random.Random(f"heping-bench:{seed}:{index}")
    kind = "summary" if rng.random() < summary_share else "full"
    masked = rng.random() < masked_share
    hi = max_kb if kind == "full" else min(max_kb, max(min_kb, rules()["summary"]["max_kb"]))
    kb = math.exp(rng.uniform(math.log(min_kb), math.log(max(hi, min_kb))))
    target = int(kb * 1024)
    w = _Writer(rng, "，" if kind == "full" or rng.random() < 0.5 else ",")
    text = _full(w, target) if kind == "full" else _summary(w, target, masked)
    if masked:
        text = text.translate(_MASK)
    name = f"{index:06d}_{kind}{'_masked' if masked else ''}.txt"
    return Report(name, text, kind, masked, w.year, w.district, w.province)


_MASK = str.maketrans("0123456789", "*" * 10)


def generate(
    n: int,
    seed: int,
    out_dir: str | Path,
    *,
    min_kb: float = 2,
    max_kb: float = 200,
    masked_share: float = 0.3,
    summary_share: float = 0.4,
    manifest: bool = True,
) -> list[Path]:
    """Write reports 0..n-1 of corpus ``seed`` into ``out_dir`` (+ ``sources.yaml``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths, sources = [], []
    for i in range(n):
        rep = make_report(
            i,
            seed,
            min_kb=min_kb,
            max_kb=max_kb,
            masked_share=masked_share,
            summary_share=summary_share,
        )
        p = out / rep.name
        p.write_text(rep.text, encoding="utf-8")
        paths.append(p)
        sources.append(
            {
                "path": rep.name,
                "title": f"{rep.district}{rep.report_year}年工作报告（合成）",
                "district": rep.district,
                "province": rep.province,
                "report_year": rep.report_year,
                "publisher": "heping-data benchmark generator (synthetic)",
                "licence": "CC0-1.0",
                "retrieved": "2024-01-01",
            }
        )
    if manifest:
        (out / "sources.yaml").write_text(
            yaml.safe_dump({"sources": sources}, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-kb", type=float, default=2)
    ap.add_argument("--max-kb", type=float, default=200)
    ap.add_argument("--masked-share", type=float, default=0.3)
    ap.add_argument("--summary-share", type=float, default=0.4)
    a = ap.parse_args()
    paths = generate(
        a.n,
        a.seed,
        a.out_dir,
        min_kb=a.min_kb,
        max_kb=a.max_kb,
        masked_share=a.masked_share,
        summary_share=a.summary_share,
    )
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} reports, {total / 1e6:.1f} MB, into {a.out_dir}")


if __name__ == "__main__":
    main()
