"""Input files of the reliability tests, written on the fly: good reports and bad bytes.

The report text is written for these tests (a made-up district, realistic figures); each
variant changes the figures so that every good file is a document of its own.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPORT = """2025年政府工作报告
——在清河区第五届人民代表大会第三次会议上

一、2024年工作回顾
过去一年，全区地区生产总值完成{a}.6亿元，同比增长{b}.2%。
一般公共预算收入{c}.5亿元，新增城镇就业{d}人。
（一）产业发展提速
新引进重点项目{e}个，其中亿元以上项目{f}个。

二、2025年主要目标
地区生产总值增长{b}%左右，城镇调查失业率控制在5.5%以内。
"""

NO_HEADINGS = """过去一年，全区上下齐心协力，经济运行稳中有进。全年完成固定资产投资{a}.3亿元，
社会消费品零售总额增长{b}.1%。今年将继续推进老旧小区改造，新建口袋公园{c}个。
"""

NO_NUMBERS = """一、过去一年的工作
全区上下坚持稳中求进，持续改善营商环境，城市面貌焕然一新。
二、今年的主要任务
继续办好民生实事，推动产业转型升级，建设宜居宜业的美丽城区。
"""

INJECTION = """一、工作回顾
=cmd|' /C calc'!A0 全年完成投资{a}亿元。
+SUM(1+1)*cmd|' /C notepad'!A0 新增就业{d}人。
@SUM(A1:A9) -2+3 新建学校{e}所。
"""

HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>清河区政府工作报告</title></head>
<body><nav>首页 | 政务公开 | 联系我们</nav>
<article><h1>清河区2025年政府工作报告</h1>
<p>一、2024年工作回顾</p>
<p>过去一年，全区地区生产总值完成{a}.6亿元，同比增长{b}.2%。一般公共预算收入{c}.5亿元。</p>
<p>新增城镇就业{d}人，新引进重点项目{e}个，其中亿元以上项目{f}个。</p>
<p>二、2025年主要目标</p>
<p>地区生产总值增长{b}%左右，城镇调查失业率控制在5.5%以内。</p>
</article><footer>版权所有 清河区人民政府</footer></body></html>
"""

BIG5_TEXT = "過去一年，全區地區生產總值完成三百億元，同比增長百分之六點二。新建學校三所，醫院兩所，公園十個。"


def report(k: int, template: str = REPORT) -> str:
    """A report whose figures depend on ``k`` (distinct bytes for each k)."""
    return template.format(a=300 + k, b=5 + k % 3, c=20 + k, d=8000 + k, e=12 + k, f=3 + k % 5)


@dataclass(frozen=True)
class Case:
    """One input file: its name in the folder and what must happen to it."""

    name: str
    outcome: str  # "published", "rejected", "twin" (one of two copies) or "skipped"
    reason: str = ""  # a fragment of the rejection reason


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("report.txt", report(99))
    return buf.getvalue()


def write_corpus(folder: Path, *, big_bytes: int = 50 * 1024 * 1024) -> list[Case]:
    """Every input case of issue 7 in one folder; returns what must become of each file."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def put(name: str, data: bytes, outcome: str, reason: str = "") -> None:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        cases.append(Case(name, outcome, reason))

    # The same report under two names: one is published, the other rejected as a copy.
    put("good.txt", report(1).encode(), "twin", "same bytes as")
    put("good copy.txt", report(1).encode(), "twin", "same bytes as")
    put("empty.txt", b"", "rejected", "empty file")
    put("blank.txt", " \n\t\n\u3000\r\n".encode(), "rejected", "only whitespace")
    put("photo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(256), "rejected", "PNG image")
    put("photo.jpg", b"\xff\xd8\xff\xe0" + os.urandom(256), "rejected", "JPEG image")
    put("archive.zip", _zip_bytes(), "rejected", "ZIP archive")
    put("utf16.txt", b"\xff\xfe" + report(2).encode("utf-16-le"), "published")
    put("gbk.txt", report(3).encode("gbk"), "published")
    put("gb18030.txt", (report(4) + "𠀾\n").encode("gb18030"), "published")
    put("big5.txt", BIG5_TEXT.encode("big5"), "rejected", "undecodable")
    put("latin1.txt", ("Résumé café " * 20).encode("latin-1"), "rejected", "undecodable")
    put("truncated.txt", report(5).encode() + "报".encode()[:2], "rejected", "truncated UTF-8")
    nul = report(6).encode()
    put("nul.txt", nul[:40] + b"\x00" + nul[40:], "rejected", "NUL byte")
    put("crlf.txt", report(7).replace("\n", "\r\n").encode(), "published")
    put("cr.txt", report(8).replace("\n", "\r").encode(), "published")
    put("page.html", report(9, HTML).encode(), "published")
    put("no_headings.txt", report(10, NO_HEADINGS).encode(), "published")
    put("no_numbers.txt", NO_NUMBERS.encode(), "published")
    put("inject.txt", report(11, INJECTION).encode(), "published")
    put("清河 区 报告.txt", report(12).encode(), "published")
    put("a..b.txt", report(13).encode(), "published")
    put("sub/odd..name.txt", report(14).encode(), "published")
    with (folder / "big.txt").open("wb") as f:  # sparse-free but cheap: one repeated block
        block = report(15).encode() * 64
        while f.tell() < big_bytes:
            f.write(block)
    cases.append(Case("big.txt", "rejected", "file too large"))
    # Sidecars and hidden files: skipped, neither published nor rejected.
    for name in ("gold.csv", "gold.tsv", "meta.json", "notes.md", "rules.yaml", "x.ann", "t.py"):
        put(name, b"doc_id,value\n1,2\n", "skipped")
    put(".hidden.txt", report(16).encode(), "skipped")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_bytes(b"[core]\n")
    cases.append(Case(".git", "skipped"))
    # Symlinks: a folder loop (not followed) and a file loop (rejected with the OS reason).
    os.symlink(".", folder / "loop")
    os.symlink("spin2.txt", folder / "spin1.txt")
    os.symlink("spin1.txt", folder / "spin2.txt")
    cases.append(Case("loop", "skipped"))
    cases.append(Case("spin1.txt", "rejected", "symbolic links"))
    cases.append(Case("spin2.txt", "rejected", "symbolic links"))
    return cases
