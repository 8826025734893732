"""Build entity gold CSVs from sequential context lists (blind annotation).

Usage: ``python tests/data/build_entities.py tests/data/eval3 STEM...``: reads
``<folder>/annotated/entities/STEM.lst`` (each line ``pre[mention]post|type|canonical``, found
in text order so repeated mentions land on the right occurrence) and writes
``<folder>/STEM.entities.csv``. One builder for every evaluation set.
"""

import csv
import itertools
import sys
from pathlib import Path

T = {
    "org": "organization",
    "place": "place",
    "prog": "program",
    "event": "event",
    "honor": "honor",
    "ind": "industry",
    "person": "person",
    "company": "company",
    "project": "project",
}
EVAL = Path(sys.argv[1])
HERE = EVAL / "annotated" / "entities"
for stem in sys.argv[2:]:
    text = (EVAL / f"{stem}.txt").read_text(encoding="utf-8")
    rows, cur = [], 0
    for ln, line in enumerate((HERE / f"{stem}.lst").read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("|")
        ctx, typ = parts[0], T[parts[1]]
        if "[" in ctx:
            pre, rest = ctx.split("[", 1)
            mention, post = rest.split("]", 1)
        else:
            pre, mention, post = "", ctx, ""
        canon = parts[2] if len(parts) > 2 and parts[2] else mention
        i = text.find(pre + mention + post, cur)
        if i < 0:
            sys.exit(f"{stem}:{ln}: not found after {cur}: {ctx}")
        s = i + len(pre)
        e = s + len(mention)
        assert text[s:e] == mention
        rows.append((s, e, mention, typ, canon))
        cur = e
    rows.sort()
    for a, b in itertools.pairwise(rows):
        assert a[1] <= b[0], (a, b)
    with open(EVAL / f"{stem}.entities.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["char_start", "char_end", "mention", "entity_type", "canonical"])
        w.writerows(rows)
    print(stem, len(rows))
