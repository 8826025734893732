"""One way to read the YAML rule and schema files.

Why: the C loader parses the larger rule files (the indicator registry, the entity and
fact rules) several times faster than the pure-Python one, and start-up pays for each
file once; every reader goes through here so none falls back to the slow path by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_text(text: str) -> Any:
    """Parse YAML text with the fastest safe loader available."""
    return yaml.load(text, Loader=_LOADER)


def load_path(path: Path | Any) -> Any:
    """Parse a YAML file (a path or an importlib.resources traversable)."""
    return load_text(path.read_text(encoding="utf-8"))
