"""Shared paths and fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The evaluation folder outside the repository (gold, scorer, real reports, peer suites).
#: ``HEPING_SHARED`` points elsewhere; set it to a missing folder to run the suite as a
#: contributor's clone without ``../shared`` would (those tests skip with their reason).
SHARED = Path(os.environ.get("HEPING_SHARED") or ROOT.parent / "shared")
SEED = ROOT / "input" / "000_696758e3d0fa223f.txt"
REPORTS = ROOT / "tests" / "data" / "reports"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED
