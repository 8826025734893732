"""Build an evaluation set's texts and gold from ``annotated/*.ann``: ``build_gold.py`` plus masked digits.

Why a wrapper: the shared builder reads only written digits, and the news summaries of
eval4, eval6 and eval7 mask digits in the seed's style. A masked span is read as if every ``*``
were a digit (for unit, multiplier and comparator), then given the DESIGN.md bounds
(n masked integer digits span [10^(n-1), 10^n - 1], or [0, 9] for one; d masked
decimals add up to 1 - 10^-d), no value, and ``is_masked`` true.

Run ``python tests/data/build_masked.py tests/data/eval6`` (any set with masks).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent  # tests/data
MASK = re.compile(r"(\*+)(?:\.(\*+))?")


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "heping_masked_build_gold", HERE / "build_gold.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up here
    spec.loader.exec_module(mod)
    return mod


build = _load_builder()
_read = build.read_quantity
_record = build._record


def read_quantity(span: str) -> dict:
    """Unit and multiplier as for digits; bounds from the mask pattern."""
    m = MASK.search(span)
    if not m:
        return _read(span)
    q = _read(span.replace("*", "1"))
    n, d = len(m.group(1)), len(m.group(2) or "")
    lo = Decimal(10) ** (n - 1) if n >= 2 else Decimal(0)
    hi = Decimal(10) ** n - 1 + (1 - Decimal(10) ** -d if d else 0)
    q.update(value=None, value_min=lo * q["multiplier"], value_max=hi * q["multiplier"])
    return q


def record(res: object, a: dict, span: str) -> None:
    """The shared recorder, then ``is_masked`` for spans with ``*``."""
    _record(res, a, span)
    if a["type"] == "q" and "*" in span:
        res.numeric[-1]["is_masked"] = "true"  # type: ignore[attr-defined]


build.read_quantity = read_quantity
build._record = record
outputs = build.outputs


def main() -> int:
    folder = Path(sys.argv[1])
    for ann in sorted((folder / "annotated").glob("*.ann")):
        for name, content in outputs(ann).items():
            (folder / name).write_text(content, encoding="utf-8", newline="")
        print(ann.stem, len(build.parse(ann.read_text(encoding="utf-8")).text), "chars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
