"""A corpus worker freezes its warm heap once, after its first document."""

from __future__ import annotations

import subprocess
import sys

from heping_data.run import heap

from .conftest import ROOT, SEED

_SCRIPT = """
import gc
from heping_data.run import corpus, heap
before = gc.get_freeze_count()
prep = corpus.prepare_batch(corpus.discover([{seed!r}]))
res = corpus.extract_batch(prep.prepared)
assert res.stats["extracted"] == 1, res.stats
print(before, gc.get_freeze_count(), heap.settle(), gc.get_threshold()[0])
"""


def test_the_first_document_freezes_the_warm_heap_once() -> None:
    # A fresh interpreter: freezing is once per process, and must not touch the test run's.
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT.format(seed=str(SEED))],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    before, after, again, young = out.stdout.split()
    assert before == "0" and int(after) > 10_000  # the rule data, not a handful of objects
    assert again == "False"  # a second call freezes nothing more
    assert int(young) == heap.YOUNG_THRESHOLD  # young collections made rarer once settled
