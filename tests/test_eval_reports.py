"""End-to-end quality floors on four hand-annotated reports with real digits.

The seed is masked and scores near-perfect; these reports (``tests/data/eval``: a full
district report, a city report, a newspaper summary and a work summary with flattened
tables) stand in for the hidden set. Each floor sits a little below what the pipeline
reached when the gold was written, so a regression in any module fails here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from heping_data.run import corpus

from .conftest import SHARED
from .runs import extracted

EVAL = Path(__file__).resolve().parent / "data" / "eval"
STEMS = sorted(p.stem for p in EVAL.glob("*.txt"))

# stem: (numeric F1, fully correct recall, max non-quantities reported as facts,
#        headings F1, heading level accuracy, heading part accuracy)
FLOORS = {
    "qa1_haichuan_full_2023": (0.98, 0.95, 0, 0.98, 0.98, 0.98),
    "qa2_yunzhou_city_2021": (0.98, 0.93, 0, 0.98, 0.98, 0.98),
    "qa3_nangui_news_2024": (0.97, 0.93, 1, 0.98, 0.98, 0.98),
    "qa4_fuxi_summary_2019": (0.97, 0.93, 0, 0.98, 0.98, 0.98),
}


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


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip("../shared/eval/score.py is not beside the repository")
    mod = _load("heping_eval_score", path)
    mod.match = _fast_match  # the scorer's O(n*m) iterrows takes seconds per report
    return mod


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    merged = extracted(sorted(EVAL.glob("*.txt")))
    assert not merged.rejected
    return corpus.frames_of(merged)


def _doc_rows(frames: dict[str, pd.DataFrame], table: str, stem: str) -> pd.DataFrame:
    docs = frames["documents"]
    doc_id = docs[docs.source_path.str.endswith(f"{stem}.txt")].doc_id.iloc[0]
    df = frames[table]
    return df[df.doc_id == doc_id].reset_index(drop=True)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Nulls as None: score.py's metric check cannot take pd.NA (see the xfail below)."""
    return df.astype(object).where(df.notna(), None)


def test_gold_matches_annotated_sources() -> None:
    """The texts and gold CSVs are exactly what build_gold.py makes from the .ann files."""
    build = _load("heping_eval_build_gold", EVAL.parent / "build_gold.py")
    anns = sorted((EVAL / "annotated").glob("*.ann"))
    assert [a.stem for a in anns] == STEMS
    for ann in anns:
        for name, content in build.outputs(ann).items():
            assert (EVAL / name).read_text(encoding="utf-8") == content, name


@pytest.mark.parametrize("stem", STEMS)
def test_gold_rows_are_at_their_offsets(stem: str) -> None:
    text = (EVAL / f"{stem}.txt").read_text(encoding="utf-8")
    assert 1500 < len(text) < 8000
    for kind, col in (("numeric", "mention"), ("non_quantity", "mention"), ("sections", "heading")):
        gold = pd.read_csv(EVAL / f"{stem}.{kind}.csv", keep_default_na=False)
        assert len(gold) > 0
        for r in gold.itertuples():
            assert text[r.char_start : r.char_end] == getattr(r, col), (kind, r)


@pytest.mark.parametrize("stem", STEMS)
def test_numeric_facts_floor(stem: str, frames, scorer) -> None:
    text = (EVAL / f"{stem}.txt").read_text(encoding="utf-8")
    gold = pd.read_csv(EVAL / f"{stem}.numeric.csv", keep_default_na=False, na_values=[""])
    nonq = pd.read_csv(EVAL / f"{stem}.non_quantity.csv")
    res = scorer.score_numeric(text, gold, nonq, _plain(_doc_rows(frames, "numeric_facts", stem)))
    f1, fully, max_nonq = FLOORS[stem][:3]
    assert res["mention_not_at_offsets"] == 0
    assert res["f1"] >= f1, (res["f1"], res["missed"], res["spurious"])
    assert res["fully_correct_recall"] >= fully, res["fully_correct_recall"]
    assert res["non_quantity_reported_as_fact"] <= max_nonq, res["spurious"]
    assert res["attribute_accuracy"]["bounds"] >= 0.98


@pytest.mark.parametrize("stem", STEMS)
def test_headings_floor(stem: str, frames, scorer) -> None:
    gold = pd.read_csv(EVAL / f"{stem}.sections.csv")
    res = scorer.score_sections(gold, _doc_rows(frames, "sections", stem))
    f1, level, part = FLOORS[stem][3:]
    assert res["f1"] >= f1, res["missed"]
    assert res["level_accuracy"] >= level
    assert res["part_accuracy"] >= part


def test_fast_match_agrees_with_scorer(frames, scorer) -> None:
    stem = STEMS[0]
    gold = pd.read_csv(EVAL / f"{stem}.numeric.csv", keep_default_na=False, na_values=[""])
    pred = _doc_rows(frames, "numeric_facts", stem).iloc[:60]
    slow = _load("heping_eval_score_plain", SHARED / "eval" / "score.py").match
    assert _fast_match(gold, pred) == slow(gold, pred)


def test_every_fact_has_a_metric(frames) -> None:
    """score.py evaluates ``bool(metric)``: one pd.NA metric makes the whole scoring crash."""
    nf = frames["numeric_facts"]
    assert nf.metric.notna().all(), nf[nf.metric.isna()][["mention", "char_start"]]
