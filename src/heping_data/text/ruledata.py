"""One way to find and load the rule data every stage reads.

Why: rule files (cue words, units, suffixes, gazetteers) are data, validated on load. Each
stage describes its file once as a frozen pydantic model; this module locates the file
inside the installed package (so a wheel runs from any folder), parses it with the one
YAML reader and names the file in the error when the data does not fit the model.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from heping_data.text.yamlio import load_text

M = TypeVar("M", bound=BaseModel)


class RuleModel(BaseModel):
    """Base of every rule-file model: frozen, and unknown keys are an error (a typo in a
    rule file must not be silently ignored)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def data_file(*parts: str) -> Traversable:
    """A file under the package's ``data/`` folder, e.g. ``data_file("facts", "rules.yaml")``."""
    return resources.files("heping_data").joinpath("data", *parts)


def schema_file(name: str) -> Traversable:
    """A file of the ``schemas/`` folder shipped inside the package."""
    return resources.files("heping_data").joinpath("schemas", name)


def read_yaml(*parts: str) -> Any:
    """Parse a YAML file under ``data/``."""
    return load_text(data_file(*parts).read_text(encoding="utf-8"))


def read_csv(*parts: str) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file under ``data/`` as dicts (header line = keys)."""
    text = data_file(*parts).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def load_rules(model: type[M], *parts: str, raw: Any = None) -> M:
    """Validate a rule file (or ``raw`` data read from it) against ``model``.

    Raises ``ValueError`` naming the file and the first problems, so a bad edit to the
    rule data fails at start-up with one clear line, not deep inside extraction.
    """
    data = read_yaml(*parts) if raw is None else raw
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where = "/".join(("data", *parts))
        first = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise ValueError(f"{where}: {first}") from exc
