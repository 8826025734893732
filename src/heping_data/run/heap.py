"""Keep the cyclic garbage collector off what a warm worker holds for its whole life.

Why: after its first document a worker holds every compiled rule, gazetteer and memo table
it will ever load. CPython's full collections re-walk all of them each time, although none
can ever be garbage; measured on the throughput corpus, those walks took one pass in six.
Freezing them (``gc.freeze``) moves them to the permanent generation once; later documents'
own objects are collected as before.

A settled worker also collects its youngest generation less often (``YOUNG_THRESHOLD``
allocations instead of CPython's 700): a document makes hundreds of thousands of
short-lived, acyclic objects (mentions, facts, row tuples) that reference counting frees
anyway, and each young collection re-walks the survivors. Measured on the throughput corpus
(60 reports, 500k characters), the default thresholds spent 3-4% of the CPU in the
collector (about 255 young and 23 middle collections per pass; 7 and 0 after); cyclic garbage, if
any, is still collected within a document's allocations.
"""

from __future__ import annotations

import gc
import threading
import warnings

_lock = threading.Lock()
_settled = False
#: Allocations between young collections once settled (CPython's default: 700); the older
#: generations keep their default ratios.
YOUNG_THRESHOLD = 10_000


def settle() -> bool:
    """Freeze what is alive now, once per process; True the one time it does.

    Call it after a document has been extracted (every rule file is loaded by then).
    """
    global _settled
    if _settled:
        return False
    with _lock:
        if _settled:
            return False
        gc.collect()  # what is garbage now must not be frozen with the rest
        # Frozen objects are invisible to gc.get_referrers, which Hypothesis (a dev tool,
        # when installed) uses to vet a PRNG that a module imported meanwhile by another
        # thread registers (trio's): its "could be garbage collected" warning is then false.
        warnings.filterwarnings("ignore", message="It looks like `register_random`")
        gc.freeze()
        young, older, oldest = gc.get_threshold()
        if young:  # 0: automatic collection was turned off on purpose; leave it off
            gc.set_threshold(max(young, YOUNG_THRESHOLD), older, oldest)
        _settled = True
        return True
