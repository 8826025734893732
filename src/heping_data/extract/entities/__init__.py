"""Named things a report mentions: organisations, places, programmes, events, honours,
industries and persons, each with a canonical form.

Rules, not a model: quoted names, head-word suffixes (街道, 公司, 大赛, 示范区 …) with the
name's left edge found by walking back over jieba tokens, a curated gazetteer, industry
terms, honour verbs, 、-enumerations that pass a type from typed items (or a trailing
``等企业`` cue) to untyped ones, and bylines. Names built on a place stay whole: the report's
own jurisdiction before a facility head (石羊古城), a city before its body (南宁市委), places
joined by a dash in an event (中国—东盟博览会), fixed national shapes (中国（广西）自由贸易
试验区…, 中欧班列…号, 河长制), natural features (祁连山, 心圩江), and a grade before a named
head makes an honour (省级乡村振兴示范村). The home is the jurisdiction the title opens
with (else the one most named); its bare name is a place, and a compound on it keeps its head
(桐溪（上海）科创飞地, 松澜智慧物流港). A name once quoted is the same name unquoted; quotes
written back to back share a type; broad sectors (制造业, 服务业) are not named industries,
following most golds. People are named after a job or honour title (全国劳动模范韩德明,
surnames in data); firms may go by brand and trade before a company cue (雪域硅业等龙头
企业). All rule data lives in ``data/entities/``; jieba only ever sees a few characters left
of a head word, never the whole text, so extraction stays fast.

One module per decision: ``rules`` (the rule files, validated and compiled), ``words``
(the jieba walk), ``gazetteer``, ``suffixes``, ``quotes``, ``terms`` (industries and
honours), ``places``, ``districts``, ``divisions``, ``persons``, ``projects``,
``enumerations``, ``resolve`` (choosing among overlaps) and ``extract`` (the order they run).
"""

from heping_data.extract.entities.base import entity_types
from heping_data.extract.entities.extract import extract_entities

__all__ = ["entity_types", "extract_entities"]
