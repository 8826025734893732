"""Every number-like span of a report, classed and parsed.

One compiled regex finds number cores (Arabic or masked digits, Chinese numerals,
URLs, formula patterns); each core is then classed by looking at a few characters
around it with small anchored regexes. All rule words (units, multipliers,
comparators, name suffixes, cue words) live in ``data/numbers/``.

Invariants, whatever the text (issue 12): a range's ends share a unit and read low to
high (or high to low after a fall, stored ascending); every quantity is finite, ordered
and within its unit's plausibility bound (``data/numbers/bounds.yaml``), else it becomes
a mention of class ``unparsed``; time is linear in the input (no rescan per match).

Speed: the scan regex also recognises the commonest shape whole (digits, optional
multiplier, unit; ``_fast_quantity``), Chinese numerals that cannot be quantities are
dropped before the chain (``_cn_dead_end``), and records are built from a field dict
without the frozen-dataclass ``__init__`` (``_build``). Everything else goes through the
``_classify`` chain, which gives the same result for the fast shapes.

Modules, in import order: ``grammar`` (character classes, the core regex), ``rules``
(rule files → compiled rules), ``values`` (numeral values), ``build`` (records and
comparators), ``ranges``, ``quantity``, ``wordforms`` (Chinese word forms), ``dates``,
``names``, ``classify`` (the chain), ``shapes`` and ``passes`` (whole-list passes),
``mentions`` (the scan loop, ``find_mentions``).
"""

from heping_data.extract.numbers.mentions import find_mentions
from heping_data.extract.numbers.rules import number_rules

__all__ = ["find_mentions", "number_rules"]
