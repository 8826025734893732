"""Fixed patterns of the fact layer: punctuation, digits and quotes (no rule data).

Why here: the cleaner, the clause scan and the rule compiler all build on them.
"""

from __future__ import annotations

import re

# Clause ends: full- and half-width punctuation and whitespace (news summaries glue
# headlines to the body with spaces).
HARD = re.compile(r"[，,；;。！？!?：:\s（）()]")
DUN = "、"
QUOTES = re.compile(r"“[^“”]{0,80}”|「[^「」]{0,80}」|《[^《》]{0,60}》")
# Quotes, masks, list marks, endnote brackets (`[12]`, `^[3]`) and digit runs; a digit run
# touching a Latin letter is part of a name (`5G基站`, `4A级景区`) and stays. `\x00` marks blanked year/date mentions.
NOISE_CHARS = re.compile(r"[“”「」《》‘’\"'*＊+＋·•\s、,，%％.．\x00（）()\[\]［］^]")
# a short aside in brackets (`执业（助理）医师`, `细颗粒物（PM2.5）浓度`); the character before
# it is checked in code: a leading literal lets the scan skip ahead
ASIDE = re.compile(r"[（(](?:[\u4e00-\u9fff]{1,4}|[A-Za-z]+[0-9.]*)[）)](?=[\u4e00-\u9fff])")
DIGIT = re.compile(r"[0-9０-９]")
NOISE_SPACE = re.compile(r"\s+")
CODE = re.compile(r"[A-Za-z]+[0-9]+[.．][0-9]+")
# either of the two above: a piece with none of these characters is left as it is
NOISE_OR_DIGIT = re.compile(r"[“”「」《》‘’\"'*＊+＋·•\s、,，%％.．\x00０-９0-9（）()\[\]［］^]")
DIGIT_RUN = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])[0-9０-９]+(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])")
NUM_OR_DUN = re.compile(r"[0-9０-９*＊、]")
LINE_END = re.compile(r"[\n。！？!?]")
HAS_NUM = re.compile(r"[0-9０-９*＊]")
PAIR_SPLIT = re.compile("[和及与]")
LIST_INTRO = re.compile(r"[^，,。；;]{0,8}[，,：:]\s*即?")
LIST_END = re.compile(r"[。；;]")
LEAD_YEAR = re.compile(r"^(?:19|20)\d{2}年")
YEAR = re.compile(r"((?:19|20)\d{2})年")
LAST_COMMA = re.compile("[，,；;：:]")
LIST_STOP = re.compile("[“”「」《》，,；;：:]")
CN_NUM_TAIL = re.compile("[一二三四五六七八九十两]+$")
LEAD_NUMERAL = re.compile(r"^[第约近超逾]?[0-9０-９*＊.．,，/零〇一二两三四五六七八九十百]+")
