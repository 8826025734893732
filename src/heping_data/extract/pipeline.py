"""The library's whole data flow for one document, with no orchestration."""

from __future__ import annotations

from pathlib import Path

from heping_data.extract.entities import extract_entities
from heping_data.extract.facts import extract_facts
from heping_data.extract.numbers import find_mentions
from heping_data.extract.outline import outline, sentences
from heping_data.records import Document, Extraction
from heping_data.sources.ingest import ingest

#: Boilerplate kinds whose digits are not report content (masked URL parts, paywall marks).
NUMBER_BOILERPLATE = frozenset({"paywall", "source_url"})


def extract(doc: Document) -> Extraction:
    """ingest → outline → mentions → facts, entities for one decoded document."""
    secs = outline(doc)
    sents = sentences(doc, secs)
    # Numbers in the title and header lines are classed like any other (a year, a date);
    # only the paywall notice and the source URL are boilerplate for the number layer.
    noise = tuple(b for b in doc.boilerplate if b.kind in NUMBER_BOILERPLATE)
    mentions = tuple(find_mentions(doc.text, noise))
    facts = extract_facts(doc, secs, sents, mentions)
    ents = extract_entities(doc, secs)
    return Extraction(doc, secs, sents, mentions, facts, ents)


def extract_path(path: str | Path, *, report_year: int | None = None) -> Extraction:
    """Read and extract one report file."""
    return extract(ingest(path, report_year=report_year))
