"""Issue 14: every real text under ``../shared/corpus`` publishes in one run, none set aside.

Why one run over all of them: a single bad header line (``时间：2026-02-01``) once stopped a
whole corpus, so the check is the corpus as a user would run it, without ``--quarantine``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from heping_flows import cli

from .conftest import SHARED

CORPUS = SHARED / "corpus"

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus (the real report texts) is not beside the repo"
)


def test_every_real_text_publishes_in_one_run(tmp_path: Path) -> None:
    texts = sorted(p.name for p in CORPUS.rglob("*.txt"))
    code = cli.main(["run", str(CORPUS), "--output", str(tmp_path)])
    assert code == 0
    release = tmp_path / "latest"
    assert pd.read_parquet(release / "rejected.parquet").empty
    assert sorted(pd.read_parquet(release / "documents.parquet").file_name) == texts
