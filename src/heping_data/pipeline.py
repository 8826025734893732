"""The library's whole data flow for one document, with no orchestration."""

from __future__ import annotations

from pathlib import Path

from .entities import extract_entities
from .facts import extract_facts
from .ingest import ingest
from .numbers import find_mentions
from .outline import outline, sentences
from .records import Document, Extraction


def extract(doc: Document) -> Extraction:
    """ingest → outline → mentions → facts, entities for one decoded document."""
    secs = outline(doc)
    sents = sentences(doc, secs)
    mentions = tuple(find_mentions(doc.text, doc.boilerplate))
    facts = extract_facts(doc, secs, sents, mentions)
    ents = extract_entities(doc, secs)
    return Extraction(doc, secs, sents, mentions, facts, ents)


def extract_path(path: str | Path, *, report_year: int | None = None) -> Extraction:
    """Read and extract one report file."""
    return extract(ingest(path, report_year=report_year))
