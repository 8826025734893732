"""Building frozen-dataclass records without their ``__init__``.

Why: on digit-dense reports building records was a third of the scan time; the keyword
``__init__`` of a frozen dataclass costs one ``object.__setattr__`` per field. A record
made here from a complete field dict (every field, in declaration order) is an ordinary
instance: equality, hash and repr are those of the class.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")

#: ``object.__new__`` and ``object.__setattr__``, bound once: hot loops call them inline.
NEW = object.__new__
SET_ATTR = object.__setattr__


def from_fields(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of the frozen dataclass ``cls`` whose ``__dict__`` is ``fields``.

    ``fields`` must hold every field of ``cls`` in declaration order, and nothing else.
    """
    rec = NEW(cls)
    SET_ATTR(rec, "__dict__", fields)
    return rec
