"""Tests for heping_data.ingest: exact decoding, refusals, provenance and boilerplate."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from heping_data.errors import IngestError
from heping_data.sources.ingest import decode, ingest

from .conftest import SEED

REPORTS = Path(__file__).parent / "data" / "reports"

SAMPLE = "临江区政府工作报告\n一、2023年工作回顾\n全年地区生产总值增长5.2%。\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------- decoding


def test_utf8_without_bom(tmp_path: Path) -> None:
    doc = ingest(_write(tmp_path, "a.txt", SAMPLE.encode("utf-8")))
    assert doc.encoding == "utf-8"
    assert doc.text == SAMPLE


def test_utf8_with_bom_strips_only_the_bom(tmp_path: Path) -> None:
    doc = ingest(_write(tmp_path, "a.txt", codecs.BOM_UTF8 + SAMPLE.encode("utf-8")))
    assert doc.encoding == "utf-8-sig"
    assert doc.text == SAMPLE  # same text as Python's utf-8-sig reading, offsets agree


def test_utf16_with_bom(tmp_path: Path) -> None:
    doc = ingest(_write(tmp_path, "a.txt", SAMPLE.encode("utf-16")))
    assert doc.encoding == "utf-16"
    assert doc.text == SAMPLE


def test_gb18030_with_crlf_kept_as_is() -> None:
    path = REPORTS / "full_report_crlf_gbk.txt"
    doc = ingest(path)
    assert doc.encoding == "gb18030"
    assert doc.text == path.read_bytes().decode("gb18030")
    assert "\r\n" in doc.text  # no newline normalisation
    assert doc.title == "嘉禾市临溪区2024年政府工作报告（摘要）"
    assert doc.text[doc.title_start : doc.title_end] == doc.title
    assert doc.text[doc.body_start :].startswith("一、2023年工作回顾")
    assert doc.report_year == 2023


def test_gb18030_char_outside_gbk(tmp_path: Path) -> None:
    text = "䶮字在GB18030里是四字节编码，报告正文。"
    doc = ingest(_write(tmp_path, "a.txt", text.encode("gb18030")))
    assert doc.encoding == "gb18030"
    assert doc.text == text


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "whitespace"),
        (codecs.BOM_UTF8 + "\u3000\n".encode(), "whitespace"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        ("正文".encode() + b"\x00\x01abc", "NUL"),
        ("正文\x07内容".encode(), "control character"),
        ("正文内容。".encode() + "报".encode()[:2], "truncated UTF-8"),
        (
            "这是一份很长的正文内容，后面坏了".encode() + b"\xff\xfe\xfa" + "后文".encode(),
            "invalid UTF-8",
        ),
        (b"\x80\x80\xff\xff\xff", "undecodable"),
        ("Ünïcödé façade".encode("latin-1"), "undecodable"),
    ],
)
def test_refusals_name_file_and_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = _write(tmp_path, "bad_report.txt", data)
    with pytest.raises(IngestError) as info:
        ingest(path)
    assert reason in str(info.value)
    assert "bad_report.txt" in str(info.value)
    assert info.value.path == str(path)


def test_too_large_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", SAMPLE.encode())
    with pytest.raises(IngestError, match="too large"):
        ingest(path, max_bytes=10)
    assert ingest(path, max_bytes=10_000).text == SAMPLE


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        ingest(tmp_path / "nope.txt")


def test_decode_never_replaces_characters() -> None:
    with pytest.raises(IngestError):
        decode("正文".encode() + b"\xe6\x8a", "x.txt")


# ---------------------------------------------------------------- provenance


def test_sha256_and_content_addressed_doc_id(tmp_path: Path) -> None:
    data = SAMPLE.encode()
    a = ingest(_write(tmp_path, "a.txt", data))
    b = ingest(_write(tmp_path, "copy of a.txt", data))
    c = ingest(_write(tmp_path, "c.txt", data + b" "))
    assert a.sha256 == hashlib.sha256(data).hexdigest()
    assert a.doc_id == a.sha256[:16] == b.doc_id
    assert c.doc_id != a.doc_id
    assert (a.file_name, a.byte_count) == ("a.txt", len(data))


def test_report_year_override_and_masked(tmp_path: Path) -> None:
    assert ingest(REPORTS / "full_report_digits.txt").report_year == 2023
    assert ingest(REPORTS / "news_summary_digits.txt").report_year == 2022
    assert ingest(REPORTS / "full_report_digits.txt", report_year=2019).report_year == 2019
    masked = "标题\n****年工作回顾 全年增长*.*%。"
    assert ingest(_write(tmp_path, "m.txt", masked.encode())).report_year is None
    plan_only = "某区2025年政府工作报告\n正文。"
    assert ingest(_write(tmp_path, "p.txt", plan_only.encode())).report_year == 2024


# ---------------------------------------------------------------- boilerplate


def test_full_report_header_lines_are_bylines() -> None:
    doc = ingest(REPORTS / "full_report_digits.txt")
    kinds = [b.kind for b in doc.boilerplate]
    assert kinds == ["title", "byline", "byline"]
    assert doc.title == "成都市锦川区2024年政府工作报告"
    assert doc.byline is not None and "林晓峰" in doc.byline and doc.byline.startswith("——")
    assert doc.text[doc.body_start :].startswith("各位代表：")
    assert doc.text[: doc.body_end].endswith("而努力奋斗！")
    assert doc.source_url is None


def test_news_summary_boilerplate() -> None:
    doc = ingest(REPORTS / "news_summary_digits.txt")
    spans = {b.kind: doc.text[b.start : b.end] for b in doc.boilerplate}
    assert spans["paywall"] == "查看隐藏内容(3)需先登录"
    assert spans["byline"] == "湘江日报记者周明远/文 李然/摄"
    assert spans["source_url"].startswith("不全的图片或内容请点击网址查看https://")
    assert doc.source_url == "https://news.example.cn/2023/01/12/yuewan-report.html"
    assert doc.text[doc.body_start :].startswith("2022 答卷")
    assert doc.text[: doc.body_end].endswith("更美好。")


def test_body_without_title_or_tail(tmp_path: Path) -> None:
    text = "全年地区生产总值增长5.2%，就业稳定。"
    doc = ingest(_write(tmp_path, "one.txt", text.encode()))
    assert doc.title is None and doc.boilerplate == ()
    assert (doc.body_start, doc.body_end) == (0, len(text))


def test_url_inside_a_sentence_stays_body(tmp_path: Path) -> None:
    text = "标题\n详见区政府网站https://gov.example.cn/a 公布的名单。"
    doc = ingest(_write(tmp_path, "u.txt", text.encode()))
    assert doc.source_url is None
    assert doc.text[: doc.body_end].endswith("名单。")


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not present")
def test_seed_boilerplate() -> None:
    doc = ingest(SEED)
    raw = SEED.read_bytes()
    assert doc.text == raw.decode("utf-8")  # same text as the scorer reads
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    by_kind = {b.kind: doc.text[b.start : b.end] for b in doc.boilerplate}
    assert by_kind["title"].startswith("辽宁沈阳和平区:")
    assert by_kind["paywall"] == "查看隐藏内容(*)需先登录"
    assert by_kind["byline"] == "沈阳日报、沈报全媒体记者杜一鸣/文 袁野/制图"
    assert by_kind["source_url"].startswith("不全的图片或内容请点击网址查看http://")
    assert doc.text[doc.body_start :].startswith("**** 交卷")
    assert doc.text[: doc.body_end].endswith("开展爱国主义教育。")
    assert doc.report_year is None  # every digit is masked


# ---------------------------------------------------------------- news header


NEWS = (
    "某区政府工作报告提出：今年经济增长6%左右\n"
    "稳增长 惠民生 奋力建设活力新城\n"
    "\n"
    "本报讯（记者 李某）2月2日，某区第五届人民代表大会第三次会议开幕。\n"
    "过去一年 交出发展新答卷\n"
    "全区地区生产总值增长6.1%。\n"
)


def test_news_subtitle_and_dateline_are_boilerplate(tmp_path: Path) -> None:
    doc = ingest(_write(tmp_path, "n.txt", NEWS.encode("utf-8")))
    got = [(b.kind, NEWS[b.start : b.end]) for b in doc.boilerplate]
    assert got == [
        ("title", "某区政府工作报告提出：今年经济增长6%左右"),
        ("subtitle", "稳增长 惠民生 奋力建设活力新城"),
        ("byline", "本报讯（记者 李某）"),
    ]
    assert NEWS[doc.body_start :].startswith("2月2日，某区第五届")
    assert doc.title == "某区政府工作报告提出：今年经济增长6%左右"


@pytest.mark.parametrize(
    "text",
    [
        "某区政府工作报告\n\n经济运行稳中向好\n全年增长5%。\n",  # blank line: body began
        "某区政府工作报告\n一、2023年工作回顾\n\n全年增长5%。\n",  # a numbered heading
        "某区政府工作报告\n经济运行稳中向好\n全年增长5%。\n",  # body follows directly
    ],
)
def test_second_line_that_is_no_subtitle(tmp_path: Path, text: str) -> None:
    doc = ingest(_write(tmp_path, "s.txt", text.encode("utf-8")))
    assert [b.kind for b in doc.boilerplate] == ["title"]
    assert text[doc.body_start :].lstrip().startswith(("经济运行", "一、"))
