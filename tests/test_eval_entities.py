"""Entity quality floors on the four evaluation reports, against independent gold.

The entity rules were tuned on the seed and on reports their own developer wrote; the
gold here (``tests/data/eval/*.entities.csv``) was annotated blind, following the seed
gold's conventions, so it measures how the rules carry over to unseen districts, years
and layouts. Each floor sits a little below what the module reached when the gold was
written: a regression fails here, an improvement should raise the floor.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from heping_data.extract.pipeline import extract_path

from .conftest import SHARED

EVAL = Path(__file__).resolve().parent / "data" / "eval"
STEMS = sorted(p.name.removesuffix(".entities.csv") for p in EVAL.glob("*.entities.csv"))
COLUMNS = ["char_start", "char_end", "mention", "entity_type", "canonical"]
TYPES = {"organization", "place", "program", "event", "honor", "industry", "person", "project"}

# stem: (strict F1, overlap F1, type accuracy over overlapping pairs). qa1's gold splits
# 区人大及其常委会 into 区人大 + 常委会; the later blind sets (eval3, eval4) keep it one body,
# which the rules now follow, so qa1 loses those two rows (0.974 → 0.946). Round 5 follows
# the later sets' majority on two more conventions: the congress without 党的 (二十大: eval4,
# eval5; qa1 alone writes 党的二十大, 0.946 → 0.911) and a named sector without 产业
# (电子信息: seed 大数据/人工智能, eval3, eval4, eval5; qa4 alone keeps 电子信息产业,
# 0.981 → 0.906). Round 6 leaves the broad sectors out (制造业, 服务业, 先进制造业,
# 高新技术产业): across all golds they are annotated in a minority of their mentions
# (制造业 3 of 11, 服务业 3 of 15; eval4, eval5, eval6 never), so qa1 (0.911 → 0.881,
# overlap 0.95 → 0.936) and qa4 (0.906 → 0.863, overlap 0.98 → 0.941) lose those rows.
# Round 7 follows tests/data/ENTITY_GUIDE.md (every mention, every time): 人大 and 政协 are
# marked in 人大代表 and 政协委员, which qa1's gold leaves unmarked (four rows), and 省市 in
# 中央和省市 is no longer found, so qa1 goes 0.881 → 0.839 (overlap 0.936 → 0.893).
# Round 16 types built works as projects (ENTITY_GUIDE; the gold follows it): qa1 0.839 → 0.804
# (type 0.96: the rules keep 智能家电产业园, 风电装备产业园 before 二期建设 places) and qa4
# 0.863 → 0.846 (overlap 0.923: the rules keep 区中医院 beside 区中医院迁建工程, nested).
# Round 17 follows the real golds (tests/data/real, ENTITY_GUIDE rule 2, flat and longest)
# on a later phase and a campus: 京雄高速二期, 环城水系二期, 鲁岗污水处理厂二期,
# 华北电力大学新校区, 高阳中学南校区 are one name each there, while these composed golds stop
# before 二期 (qa1 智能家电产业园, 风电装备产业园; qa3 佛江高速南延线; qa4 涪西电子信息产业园)
# and 新院区 (qa1, qa3): qa1 0.804 → 0.786, qa3 0.961 → 0.930, qa4 0.846 → 0.808.
FLOORS = {
    "qa1_haichuan_full_2023": (0.78, 0.88, 0.95),
    "qa2_yunzhou_city_2021": (0.92, 0.96, 0.93),
    "qa3_nangui_news_2024": (0.92, 0.95, 0.97),
    "qa4_fuxi_summary_2019": (0.80, 0.91, 0.97),
}


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip("../shared/eval/score.py is not beside the repository")
    spec = importlib.util.spec_from_file_location("heping_eval_score_entities", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while being defined
    spec.loader.exec_module(mod)
    return mod


def _gold(stem: str) -> pd.DataFrame:
    return pd.read_csv(EVAL / f"{stem}.entities.csv", keep_default_na=False)


def _pred(stem: str) -> pd.DataFrame:
    ents = extract_path(EVAL / f"{stem}.txt").entities
    rows = [(e.start, e.end, e.text, e.entity_type, e.canonical) for e in ents]
    return pd.DataFrame(rows, columns=COLUMNS)


def test_every_report_has_entity_gold() -> None:
    assert sorted(FLOORS) == STEMS
    assert sorted(p.stem for p in EVAL.glob("*.txt")) == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_gold_is_well_formed(stem: str) -> None:
    """Offsets are exact, types are the contract's, rows do not overlap, canonicals exist."""
    text = (EVAL / f"{stem}.txt").read_text(encoding="utf-8")
    gold = _gold(stem)
    assert len(gold) >= 20
    assert list(gold.columns) == COLUMNS
    for r in gold.itertuples():
        assert text[r.char_start : r.char_end] == r.mention, r
        assert r.entity_type in TYPES, r
        assert r.canonical, r
        assert not set(r.mention) & set("“”「」"), r  # spans exclude quotes, as in the seed gold
    starts, ends = gold.char_start.tolist(), gold.char_end.tolist()
    assert starts == sorted(starts)
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))


@pytest.mark.parametrize("stem", STEMS)
def test_entities_floor(stem: str, scorer: ModuleType) -> None:
    res = scorer.score_entities(_gold(stem), _pred(stem))
    strict, overlap, typed = FLOORS[stem]
    assert res["strict"]["f1"] >= strict, res
    assert res["overlap_span"]["f1"] >= overlap, res
    assert res["type_accuracy"] >= typed, res
