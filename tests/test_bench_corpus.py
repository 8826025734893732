"""The benchmark corpus generator: deterministic, of the genre, sized as asked."""

from __future__ import annotations

import re

import yaml

from benchmarks.corpus import cn_number, generate, make_report


def test_same_seed_same_bytes_and_prefix_stable(tmp_path):
    a = generate(6, 7, tmp_path / "a", min_kb=2, max_kb=20)
    b = generate(3, 7, tmp_path / "b", min_kb=2, max_kb=20)
    for pa, pb in zip(a, b, strict=False):
        assert pa.name == pb.name
        assert pa.read_bytes() == pb.read_bytes()
    other = make_report(0, 8, min_kb=2, max_kb=20).text
    assert other != a[0].read_text(encoding="utf-8")


def test_masked_reports_have_no_digits_and_real_ones_do():
    reps = [make_report(i, 1, min_kb=3, max_kb=6, masked_share=0.5) for i in range(30)]
    masked = [r for r in reps if r.masked]
    real = [r for r in reps if not r.masked]
    assert masked and real
    assert all(not re.search(r"\d", r.text) and "**" in r.text for r in masked)
    assert all(re.search(r"\d+(\.\d+)?(亿元|万元|%|个|家)", r.text) for r in real)


def test_sizes_follow_the_requested_range():
    for kb in (2, 20, 150):
        for share in (0.0, 1.0):
            r = make_report(3, 2, min_kb=kb, max_kb=kb, summary_share=share)
            size = len(r.text.encode()) / 1024
            assert 0.7 * kb <= size <= 1.3 * kb + 1, (kb, r.kind, size)


def test_full_report_has_the_three_heading_levels():
    r = make_report(4, 5, min_kb=40, max_kb=40, summary_share=0.0, masked_share=0.0)
    lines = r.text.splitlines()
    assert lines[0].endswith("政府工作报告")
    assert sum(bool(re.match(r"^[一二三四五六七八九十]+、", x)) for x in lines) >= 3
    assert sum(x.startswith("（一）") for x in lines) >= 2
    assert any(re.match(r"^\d+\.", x) for x in lines)
    assert str(r.report_year) + "年" in r.text


def test_summary_uses_the_space_separated_layout():
    r = make_report(1, 5, min_kb=6, max_kb=6, summary_share=1.0, masked_share=0.0)
    lines = r.text.splitlines()
    assert r.kind == "summary" and ":" in lines[0]
    assert len(lines) <= 3 and lines[-1].count(" ") > 10


def test_manifest_lists_every_report_with_its_year(tmp_path):
    paths = generate(4, 9, tmp_path, min_kb=2, max_kb=4)
    man = yaml.safe_load((tmp_path / "sources.yaml").read_text(encoding="utf-8"))
    assert [s["path"] for s in man["sources"]] == [p.name for p in paths]
    assert all(2016 <= s["report_year"] <= 2024 for s in man["sources"])


def test_cn_number():
    assert [cn_number(n) for n in (3, 10, 12, 20, 35)] == ["三", "十", "十二", "二十", "三十五"]
