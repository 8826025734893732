"""Build eval7's texts and gold from ``annotated/*.ann`` with eval4's masked-digit reader.

Why reuse: eval7's news summary masks every Arabic digit like the seed; eval4's wrapper
around the shared ``build_gold.py`` already reads ``*`` spans (bounds from the mask
pattern, no value, ``is_masked`` true) and leaves written digits to the shared reader.

Run ``python tests/data/eval7/build_masked.py`` from the repository root.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _load_eval4() -> ModuleType:
    path = HERE.parent / "eval4" / "build_masked.py"
    spec = importlib.util.spec_from_file_location("eval7_build_masked", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


masked = _load_eval4()
build = masked.build
outputs = masked.outputs


def main() -> int:
    for ann in sorted((HERE / "annotated").glob("*.ann")):
        for name, content in outputs(ann).items():
            (HERE / name).write_text(content, encoding="utf-8", newline="")
        print(ann.stem, len(build.parse(ann.read_text(encoding="utf-8")).text), "chars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
