"""Quantities to numeric facts: what each number measures (metric), whether it was done or
planned (kind), whether it measures, ranks or defines a category (role), the year it refers
to, and a value the text itself pins when the digits are masked.

One module per decision: ``kind``, ``role``, ``metric`` (with ``borrow``, ``rank``,
``context``, ``threshold`` and ``passes`` for metrics completed from the sentence),
``year``, ``inferred``; ``extract`` runs them in order. Everything is local: each quantity
looks only at its own clause and sentence, found by bisect on offsets precomputed in one
pass over the text (``scan``), so the step stays linear. Cue words live in
``data/facts/rules.yaml``, validated by ``model`` and compiled by ``rules``.
"""

from heping_data.extract.facts.extract import extract_facts

__all__ = ["extract_facts"]
