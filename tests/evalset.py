"""One evaluation set (a folder of reports with hand-made gold) as the eval tests read it.

Why: every evaluation set is scored the same way (the shared scorer, frames from the
in-memory corpus path, gold CSVs read with the same options); ``test_eval_sets.py`` keeps
only the floors (``tests/data/eval*/floors.csv``) and the checks particular to a report.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from heping_data.run import corpus

from .conftest import SHARED
from .runs import extracted

ENTITY_COLS = ["char_start", "char_end", "mention", "entity_type", "canonical"]


def frames_for(paths: Iterable[Path]) -> dict[str, pd.DataFrame]:
    """The tables the pipeline makes from these reports, in memory, none rejected.

    The one place the eval tests call the corpus stage: when its functions change, only
    this body does.
    """
    merged = extracted(list(paths))
    assert not merged.rejected
    return corpus.frames_of(merged)


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up while being defined
    spec.loader.exec_module(mod)
    return mod


def _fast_match(gold: pd.DataFrame, pred: pd.DataFrame) -> list[tuple[int, int]]:
    """score.match without iterrows: same candidates, same stable order, same greedy pairs."""
    gs, ge = gold.char_start.to_numpy(dtype=float), gold.char_end.to_numpy(dtype=float)
    ps, pe = pred.char_start.to_numpy(dtype=float), pred.char_end.to_numpy(dtype=float)
    ov = np.minimum(ge[:, None], pe[None, :]) - np.maximum(gs[:, None], ps[None, :])
    gi, pi = np.nonzero(ov > 0)  # row-major: gold order, then pred order, as score.py
    order = np.argsort(-ov[gi, pi], kind="stable")
    used_g, used_p, pairs = set(), set(), []
    for k in order:
        g, p = gold.index[gi[k]], pred.index[pi[k]]
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def _doc_rows(frames: dict[str, pd.DataFrame], table: str, stem: str) -> pd.DataFrame:
    docs = frames["documents"]
    doc_id = docs[docs.source_path.str.endswith(f"{stem}.txt")].doc_id.iloc[0]
    df = frames[table]
    return df[df.doc_id == doc_id].reset_index(drop=True)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Nulls as None: score.py's metric check cannot take pd.NA."""
    return df.astype(object).where(df.notna(), None)


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

    @cache  # noqa: B019 - one instance per evaluation folder, alive for the session anyway
    def frames(self) -> dict[str, pd.DataFrame]:
        return frames_for(self.texts / f"{stem}.txt" for stem in self.stems)

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
