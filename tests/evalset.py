"""One evaluation set (a folder of reports with hand-made gold) as the eval tests read it.

Why: every ``test_eval*_reports.py`` scores its folder the same way (the shared scorer,
frames from the in-memory corpus path, gold CSVs read with the same options); the tests
keep only their floors and the checks that are particular to their reports.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from heping_data.run import corpus

from .conftest import SHARED
from .runs import extracted
from .test_eval_reports import _doc_rows, _fast_match, _load, _plain

ENTITY_COLS = ["char_start", "char_end", "mention", "entity_type", "canonical"]


def load_scorer(name: str) -> ModuleType:
    """The shared ``score.py`` with its O(n*m) matcher replaced by the same greedy pairs."""
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip("../shared/eval/score.py is not beside the repository")
    mod = _load(name, path)
    mod.match = _fast_match
    return mod


class EvalSet:
    """Texts, gold and scores of the reports in one evaluation folder."""

    def __init__(self, folder: Path, texts: Path | None = None) -> None:
        """``texts``: where the reports are when they may not live in the repo (real ones)."""
        self.folder = folder
        self.texts = texts or folder
        self.stems = sorted(p.name.split(".")[0] for p in folder.glob("*.numeric.csv"))

    def text(self, stem: str) -> str:
        return (self.texts / f"{stem}.txt").read_text(encoding="utf-8")

    def gold(self, stem: str, kind: str) -> pd.DataFrame:
        path = self.folder / f"{stem}.{kind}.csv"
        if kind == "numeric":
            return pd.read_csv(path, keep_default_na=False, na_values=[""])
        if kind == "entities":
            return pd.read_csv(path, keep_default_na=False)
        return pd.read_csv(path)

    @cache  # noqa: B019 - one instance per test module, alive for the session anyway
    def frames(self) -> dict[str, pd.DataFrame]:
        files = [self.texts / f"{stem}.txt" for stem in self.stems]
        merged = extracted(files)
        assert not merged.rejected
        return corpus.frames_of(merged)

    def numeric(self, stem: str, frames: dict[str, pd.DataFrame], scorer: ModuleType) -> dict:
        pred = _plain(_doc_rows(frames, "numeric_facts", stem))
        return scorer.score_numeric(
            self.text(stem), self.gold(stem, "numeric"), self.gold(stem, "non_quantity"), pred
        )

    def sections(self, stem: str, frames: dict[str, pd.DataFrame], scorer: ModuleType) -> dict:
        return scorer.score_sections(
            self.gold(stem, "sections"), _doc_rows(frames, "sections", stem)
        )

    def entity_pred(self, stem: str, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        pred = _doc_rows(frames, "entities", stem)[ENTITY_COLS].copy()
        pred[["char_start", "char_end"]] = pred[["char_start", "char_end"]].astype("int64")
        return pred

    def entities(self, stem: str, frames: dict[str, pd.DataFrame], scorer: ModuleType) -> dict:
        return scorer.score_entities(self.gold(stem, "entities"), self.entity_pred(stem, frames))
