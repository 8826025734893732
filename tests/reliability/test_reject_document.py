"""One report whose rows fail a per-document rule is set aside whole; the others publish.

The failing report is a real report text with one figure that breaks a rule added through
the library API (``validate.add_rule``), in process for the library and in a driver
script for the real command: no extractor is patched.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from heping_data.errors import ValidationFailed
from heping_data.run import corpus, sequence
from heping_data.validate import checks as validate

from ..conftest import REPORTS, ROOT
from ..procs import prefect_env
from ..runs import extracted
from .cases import report
from .test_crash import verify

RULE = "value below one trillion"
BAD_LINE = "全区重大项目总投资12000亿元。\n"  # 1.2e12: breaks the added rule


def _below_a_trillion(df: pd.DataFrame) -> pd.Series:
    return df.value.isna() | (df.value < 1e12)


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(report(41), encoding="utf-8")
    (folder / "bad.txt").write_text(report(42) + BAD_LINE, encoding="utf-8")
    return folder


@pytest.fixture
def rule():
    validate.add_rule("numeric_facts", RULE, _below_a_trillion)
    yield
    validate.clear_rules()


def _report_rows(output: Path) -> list[dict[str, str]]:
    with corpus.validation_report_path(output).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_a_table_wide_rule_is_one_failure_per_row():
    merged = extracted([REPORTS / "small_report.txt"])
    frames = {k: v.copy() for k, v in corpus.frames_of(merged).items()}
    facts = frames["numeric_facts"]
    facts.loc[facts.index[1], "value_min"] = facts.value_max.max() + 1
    fails = [f for f in validate.validate(frames, merged.texts) if f["row"] == facts.index[1]]
    by_rule = [f for f in fails if f["check"] == "value_min <= value_max"]
    assert len(by_rule) == 1, fails  # not once per column of the row
    assert by_rule[0]["column"] is None and "value_min=" in by_rule[0]["value"]


def test_the_failing_document_is_rejected_whole_and_the_others_publish(tmp_path, rule):
    folder = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    rel, _ = sequence.publish_corpus([folder], out, version="x")
    verify(rel)
    rejected = pd.read_csv(rel / "rejected.csv")
    assert list(rejected.source_path.map(lambda p: Path(p).name)) == ["bad.txt"]
    reason = rejected.reason.iloc[0]
    assert "table numeric_facts" in reason and RULE in reason and "fact_id=" in reason
    docs = pd.read_csv(rel / "documents.csv")
    assert list(docs.file_name) == ["good.txt"]
    facts = pd.read_csv(rel / "numeric_facts.csv")
    assert set(facts.doc_id) == set(docs.doc_id)  # none of the rejected report's rows
    rows = _report_rows(out)
    assert rows and {r["outcome"] for r in rows} == {"document rejected"}
    assert {r["check"] for r in rows} == {RULE} and rows[0]["source_path"].endswith("bad.txt")


def test_strict_stops_the_run_and_lists_every_failure(tmp_path, rule):
    folder = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as exc:
        sequence.publish_corpus([folder], out, version="x", strict=True)
    assert [f["check"] for f in exc.value.failures] == [RULE]
    assert not (out / "latest").exists()
    assert [r["outcome"] for r in _report_rows(out)] == ["run stopped"]


_DRIVER = f"""
import sys
from heping_data.validate import checks as validate
from heping_flows.cli import main
validate.add_rule("numeric_facts", {RULE!r}, lambda df: df.value.isna() | (df.value < 1e12))
sys.exit(main(sys.argv[1:]))
"""


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **prefect_env(tmp_path),
        "PYTHONPATH": os.pathsep.join(map(str, (ROOT / "src", ROOT / "flows", ROOT))),
    }
    cmd = [sys.executable, "-c", _DRIVER, "run", "--output", "out", *args, "in"]
    return subprocess.run(
        cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_command_rejects_the_report_exits_3_and_strict_stops(tmp_path):
    _corpus(tmp_path / "in")
    res = _cli(tmp_path)
    assert res.returncode == 3, res.stderr[-3000:]
    assert "1 document(s)" in res.stdout and "1 input(s) rejected" in res.stdout, res.stdout
    assert "Traceback" not in res.stderr
    rel = (tmp_path / "out" / "latest").resolve()
    verify(rel)
    rejected = pd.read_csv(rel / "rejected.csv")
    assert rejected.source_path.str.endswith("bad.txt").tolist() == [True]
    assert RULE in rejected.reason.iloc[0]
    assert [r["check"] for r in _report_rows(tmp_path / "out")] == [RULE]
    logs = "".join(p.read_text("utf-8") for p in (tmp_path / "out" / ".logs").glob("run-*.log"))
    assert "document rejected: table numeric_facts, row fact_id=" in logs  # the full list

    strict = _cli(tmp_path, "--strict")
    assert strict.returncode == 1, strict.stderr[-3000:]
    assert "nothing published" in strict.stderr and "validation_report.csv" in strict.stderr
    assert [r["outcome"] for r in _report_rows(tmp_path / "out")] == ["run stopped"]
    assert (tmp_path / "out" / "latest").resolve() == rel  # the release is untouched
