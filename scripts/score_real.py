#!/usr/bin/env python3
"""Score a release against the blind gold of the real reports, one line per report.

Why: the real texts stay in ``../shared/corpus/real`` and their gold in ``tests/data/real``;
this joins the two through the shared scorer so a developer sees every report's figures at
once (the same numbers the floors in ``tests/test_real_reports.py`` hold).

    .venv/bin/heping-data run ../shared/corpus/real --output /tmp/real
    .venv/bin/python scripts/score_real.py /tmp/real/latest [--skip STEM ...]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "data" / "real"
COLUMNS = ("numeric_f1", "fully", "kind", "nonq", "headings_f1", "ent_strict", "ent_overlap")


def texts_of(name: str) -> Path:
    """Where a set's texts are, as ``tests/test_real_reports.py`` looks for them: reports found
    later live in the folder ``HEPING_FOUND_CORPUS`` names (``../shared`` may be read-only)."""
    found = os.environ.get("HEPING_FOUND_CORPUS")
    return Path(found) if name == "found" and found else SHARED / "corpus" / name


def _scorer():
    spec = importlib.util.spec_from_file_location("heping_score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["heping_score"] = mod
    spec.loader.exec_module(mod)
    return mod


def _figures(res: dict) -> tuple[float, ...]:
    num, sec, ent = res["numeric"], res["sections"], res["entities"]
    return (num["f1"], num["fully_correct_recall"], num["attribute_accuracy"]["kind"],
            num["non_quantity_reported_as_fact"], sec["f1"], ent["strict"]["f1"],
            ent["overlap_span"]["f1"])  # fmt: skip


def score(
    release: Path, stem: str, corpus: Path = SHARED / "corpus" / "real", gold: Path = GOLD
) -> dict:
    """The shared scorer's JSON for one report of the release."""
    out = io.StringIO()
    src = corpus / f"{stem}.txt"
    args = ["--output", str(release), "--source", str(src), "--gold-dir", str(gold), "--json"]
    with contextlib.redirect_stdout(out):
        _scorer().main(args)
    return json.loads(out.getvalue()[out.getvalue().index("{") :])[stem]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("release", type=Path)
    ap.add_argument("--skip", nargs="*", default=[], help="stems to leave out (untouched sets)")
    ap.add_argument("--set", default="real", help="real (../shared/corpus/real) or found "
                    "(texts in $HEPING_FOUND_CORPUS, gold in tests/data/found)")  # fmt: skip
    ap.add_argument("--corpus", type=Path, help="the texts' folder (default: where the tests "
                    "read the set from)")  # fmt: skip
    a = ap.parse_args()
    corpus, gold = a.corpus or texts_of(a.set), ROOT / "tests" / "data" / a.set
    stems = sorted(p.name.split(".")[0] for p in gold.glob("*.numeric.csv"))
    print(f"{'report':24}" + "".join(f"{c:>12}" for c in COLUMNS))
    for stem in (s for s in stems if s not in a.skip):
        figures = _figures(score(a.release, stem, corpus, gold))
        print(f"{stem:24}" + "".join(f"{v:>12.3f}" for v in figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
