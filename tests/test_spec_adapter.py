"""Peer test suites run in-process: the span+value F1 figures may not slide back."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.spec_adapter import extract

from .conftest import SHARED

SPECS = SHARED / "peer-specs"
pytestmark = pytest.mark.skipif(not (SPECS / "run_specs.py").exists(), reason="peer specs absent")

THRESHOLDS = {
    "rts_number": 0.97,
    "rts_percent": 0.97,
    "rts_currency": 0.97,
    "rts_ordinal": 0.97,
    "rts_range": 0.90,
    "rts_dimension": 0.90,
}


@pytest.fixture(scope="module")
def run_specs():
    spec = importlib.util.spec_from_file_location("run_specs", SPECS / "run_specs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_specs", mod)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(("suite", "floor"), THRESHOLDS.items())
def test_rts_gov_suites(run_specs, suite: str, floor: float) -> None:
    tally = run_specs.run_rts(extract, suite, True)
    f1 = tally.prf(tally.full_tp)[2]
    assert tally.errors == 0
    assert f1 >= floor, (suite, f1, tally.misses[:5])


def test_cn2an_values(run_specs) -> None:
    tally = run_specs.run_cn2an(extract)
    assert tally.prf(tally.full_tp)[2] >= 0.95, tally.misses[:5]


def test_jionlp_money_parse(run_specs) -> None:
    tally = run_specs.run_money_parse(extract)
    assert tally.prf(tally.full_tp)[2] >= 0.90, tally.misses[:5]


def test_contract_shapes() -> None:
    assert extract("增长百分之十五", "percent") == [(2, 7, 15.0)]
    assert extract("投资3亿元", "currency") == [(2, 5, 300000000.0)]
    assert extract("超过300", "range") == [(0, 5, (300.0, None))]
    assert extract("第3名", "ordinal") == [(0, 2, 3.0)]
    assert extract("三千余万元", "money") == [(0, 5, (3e7, 4e7))]
    assert extract("xyz", "number") == []
    assert extract("十二", "unknown-kind") == []
