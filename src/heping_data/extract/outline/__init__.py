"""Headings, levels, parts and sentences of a report body.

Three layouts are recognised with general rules (cue words and patterns live in
``data/outline/outline.yaml``):

* Full reports: numbered headings at line starts in the styles ``一、`` ``（一）``
  ``1.`` ``（1）`` ``①`` (their conventional nesting order). A heading's level is its
  nesting depth among the styles the document uses, so ``（1）`` right under ``（一）``
  is level 3. A heading is either its own line or the first phrase of a paragraph
  after the marker; its span excludes the marker (kept in ``numbering``) and ends
  before the first ``。！？；：``. A numbered line that reads as a sentence of figures
  is a list item, not a heading. Run-in headings sit one level below the heading they
  fall under: ``一是/二是…``, ``一要…``, ``第一，…`` leads in sequence, and paragraph-opening
  topic sentences that read as a topic (short, no figure, not a reported result) with
  siblings under the same heading; when no numbered heading is a part, unnumbered
  heading lines (``2022年政府工作回顾``) are the parts.
* Newspaper summaries: one long line where headings are short segments between
  spaces and body segments end with sentence punctuation. A main section is a
  pair of short phrases given as one heading (always so when it opens ``以X为Y``);
  single phrases are sub-sections; a year with one short word (``2024 蓝图``) is a
  part heading wherever it stands. A sub-heading may run into its body with no
  space: it is cut off by a listed evaluative tail (``稳健运行``), or by its shape (a
  directive verb first, a doubled state last) and length (the document's own
  sub-headings) when the rest opens a clause (``推行``, ``全年``).
* Line layout (reports and stories that keep one paragraph a line, headings unnumbered
  on lines of their own: ``【经济运行稳中向好】``, a bare ``先进制造业``, a news subhead
  ``新的一年 锚定目标加油干``): a line that opens a part is level 1, the others take
  their level from their style (bracket, phrase pair, bare) in order of first use.

Sections partition ``[body_start, body_end)``: consecutive ``span_start`` /
``span_end`` tile it exactly, with an untitled level-0 preamble when text comes
before the first heading. A heading's part comes from the years it names (up to
the reviewed year: review; later: plan), then from cue words. The plan part starts
at the first plan heading, or at a body paragraph that announces the plan (a work
conference, 下一步…); later sections stay plan unless a top-level heading is clearly
a review again.

One module per layout: ``numbered`` (full reports), ``runins`` (their run-in headings),
``news`` (newspaper summaries), ``lines`` (one heading a line); ``common`` holds what
they share, ``rules`` the validated rule data, ``sections`` the order they are tried in
and the sentences of each section.
"""

from heping_data.extract.outline.sections import outline, plan_start, sentences

__all__ = ["outline", "plan_start", "sentences"]
