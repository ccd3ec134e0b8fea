"""Indicator names: what a quantity measures, as a statistician would title the column.

A rate names itself (`普惠性幼儿园覆盖率提升至92.65%`). A count is a verb and the thing
counted, which may stand before the number (`新增省市优质园53所`) or after it (`组织43名党员
干部参与…`, `梳理394所中小学校`). A change or a ranking is about the quantity before it in
the sentence (`发文42件，同比减少32.3%`; `达标比例82.81%，列全省第二`). Synonyms from the
rule packs turn local wording into one canonical name (`普惠园覆盖率` → `普惠性幼儿园覆盖率`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import regex

from . import kept
from .cues import Cues

# Patterns that need nothing of `regex` (no \p{Han}, no reverse search, no \s, whose class differs
# between the two) are the standard library's `re`, which runs a short search in about two thirds
# of the time; both read them alike.
# A subject never reaches back past these; quotes and book-title marks are part of names.
_AFTER_BREAK = kept.compiled(r"[，,；;：:（）()\s。！？!?]")
# The same breaks (with 、) searched from the end: the last one before a number is found at once.
_LAST_CLAUSE_BREAK = kept.compiled(r"(?r)[，,；;：:、（）()\s。！？!?]")
_LAST_AFTER_BREAK = kept.compiled("(?r)" + _AFTER_BREAK.pattern)
_QUOTES = re.compile(r"[“”‘’《》〈〉「」\"']")
_LISTED = re.compile(r"[^、]+、|.+等$")
# A change counted in people, places or money is named by what grew and how: 中职学校扩招人数,
# 公办园学位增加数, 教育经费增加额. A change in percent or points names the rate it changes.
_SHARES = ("%", "‰", "pp")
_ACTOR = 3  # a school or a person's name before a verb has at least this many characters
_OWN_SUBJECT = 4
_TOPIC_CLAUSES = 3
_TOPIC_BREAK = re.compile(r"[，,：:（）()]")
_LIST_OR_NUMBER = re.compile(r"[、等0-9零一二两三四五六七八九十]")
# A programme's name may carry a number (“1+X”证书制度试点, “5G+教育”试点); a count of programmes may not.
_LIST_OR_COUNT = re.compile(r"[、等]|[0-9零一二两三四五六七八九十]+[项个类批大]")
_DIGIT = re.compile(r"[0-9]")
_ALNUM = re.compile(r"[0-9A-Za-z.]{2}")
_NUMBER_AND_UNIT = kept.compiled(r"[0-9.]+[余多]?\p{Han}?")
_TRAILING_NUMBER = kept.compiled(r"[0-9.]+[余多]?\p{Han}{0,3}$")  # 列支151.5万元（…）: the figure before the bracket
_SHORT = 8
_YEARS = re.compile(r"[0-9]{4}年?")
# Where the next quantity begins: a digit, or a list item that starts with a number (、35所);
# other list items are part of the phrase (创成省、无锡市智慧校园).
_NEXT_ITEM = re.compile(r"[0-9]|、(?=[0-9零〇一二两三四五六七八九十百千万])")
_DEFINING = kept.compiled(r"(?<=\p{Han})[（(](?P<words>[^（）()，,。；;]{1,12})[）)]$")
_HAN = kept.compiled(r"\p{Han}")
_ASIDE = kept.compiled(r"(?<=\p{Han})[（(][^（）()，,。；;]{1,12}[）)](?=\p{Han})")
_AFTER_LENGTH = 40
# The next item of a list of figures: 、 then a short label and a number (its unit is checked apart).
_NEXT_FIGURE = re.compile(r"、[^、，,；;。0-9]{0,8}?[0-9.]+[余多]?")
_MAX_LENGTH = 20
_WORD_REACH = 8  # how far a cut may move back to the start of a word
_SHARE_NAME = 6  # 小学, 骨干教师, 研究生学历: a share named in a word or two
# 民办学校在校生占…: what a share is of (not 占地, 占用, 占有: words of their own)
_SHARE_OF = kept.compiled(r"(?<=\p{Han}{2})占(?![地用有据])")
_SHARE_LENGTH = 8  # a share in brackets gets at least this much of _MAX_LENGTH, and what its parent leaves
_REACH = 200
# Parallel rates of one subject (教职员工全程接种率95%，加强针接种率90%): the second shares a rate
# word of at least three characters with the first and swaps a modifier of a word or so.
_PARALLEL_RATE = 3
_PARALLEL_MODIFIER = 2


@dataclass(frozen=True)
class Indicator:
    """A canonical indicator name and the other ways reports write it."""

    name: str
    synonyms: tuple[str, ...] = ()


def canonicalise(phrase: str, indicators: Sequence[Indicator]) -> str:
    """Replace the longest synonym found in `phrase` by its canonical name."""
    best: tuple[int, str, str] | None = None
    for indicator in indicators:
        for synonym in indicator.synonyms:
            if synonym in phrase and indicator.name not in phrase and (best is None or len(synonym) > best[0]):
                best = (len(synonym), synonym, indicator.name)
    if best is None:
        return phrase
    before, _, after = phrase.partition(best[1])
    name = best[2]
    overlap = next((k for k in range(len(name), 0, -1) if before.endswith(name[:k])), 0)
    return before[:len(before) - overlap] + name + after  # 学生 + 体质健康测试优良率: one 学生


# Each attribute of a Namer and the cue role that gives it (rules/naming.toml).
_ROLES = {
    "_LEADING": "name-leading", "_TRAILING": "name-trailing", "_VERB": "name-verb", "_EXAMPLES": "name-examples",
    "_REACHES": "name-reaches", "_LIST_JOIN": "name-list-join", "_NOUN_END": "name-noun-end",
    "_RATE_NOUN": "name-rate-noun", "_BARE_RATE": "name-bare-rate", "_SUFFIX": "name-measure-suffix",
    "_COUNT_SUFFIX": "name-count-suffix", "_RANK_VERB": "name-rank-verb", "_RANK_SCOPE": "name-rank-scope",
    "_CHANGE_WORDS": "name-change-words", "_OF_TARGET": "name-of-target", "_SHARE_SCOPE": "name-share-scope",
    "_CHANGE_VERB": "name-change-verb", "_AMOUNT_NOUN": "name-amount-noun", "_MOBILISE": "name-mobilise",
    "_LIGHT_VERB": "name-light-verb", "_GOING": "name-going", "_EVENT": "name-event", "_EVENT_WORD": "name-event-word",
    "_EVENT_SLOGAN": "name-event-slogan", "_TOPIC_START": "name-topic-start", "_ORDINAL": "name-ordinal",
    "_EACH": "name-each", "_PER": "name-per", "_DONE_TO": "name-done-to", "_REVIEW": "name-review",
    "_AWARDED": "name-awarded", "_PAID": "name-paid", "_PERSON_NOUN": "name-person-noun", "_ITEMS": "name-items",
    "_ADDED": "name-added", "_PEOPLE": "name-people", "_PRAISE": "name-praise", "_PER_UNIT": "name-per-unit",
    "_QUALIFIER_AFTER": "name-qualifier-after", "_PLACE": "name-place", "_OWNS": "name-owns",
    "_PUBLISHED": "name-published", "_WON_IN": "name-won-in", "_ASIDE_BEFORE": "name-aside",
    "_LEVELS": "name-levels", "_COMPARE": "name-compare", "_TIME": "name-time", "_DEGREE": "name-degree",
}


def _by_value(cues: Cues, role: str) -> dict[str, str]:
    """A unit-to-ending map from cues whose pattern is the unit and whose value the ending."""
    return {unit: cue.value for cue in cues.of(role) for unit in cue.pattern.split("|")}


def _shared_ending(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their ends."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def clause_begins(text: str, low: int, high: int) -> int:
    """Where the clause that ends at `high` begins: after its last break (a list's 、 is none)."""
    return _last_break(_LAST_AFTER_BREAK, text, low, high)


def _last_break(breaks: regex.Pattern, text: str, low: int, high: int) -> int:
    """Where the last clause break in text[low:high] ends, else `low`; `breaks` searches backwards."""
    m = breaks.search(text, low, high)
    return m.end() if m else low


class Namer:
    """Names built from a figure's clause, with the words of the packs' naming cues.

    The attributes are the cue roles of `rules/naming.toml`; the methods are the mechanism:
    where a subject starts and ends, how a list, a breakdown, a change or a rank is read.
    """

    def __init__(self, cues: Cues) -> None:
        for attribute, role in _ROLES.items():
            setattr(self, attribute, cues[role])
        self._CHANGE_SUFFIX = _by_value(cues, "name-change-suffix")
        self._UNIT_SUFFIX = _by_value(cues, "name-unit-suffix")
        self._AMOUNT_SUFFIX = _by_value(cues, "name-amount-suffix")
        self._HEADS = {unit: cue.compiled for cue in cues.of("name-head") for unit in cue.value.split()}
        heads = "|".join(f"(?:{cue.pattern})" for cue in cues.of("name-head")) or "(?!)"
        self._HEADED = kept.compiled(f"(?:{heads})$")
        self._LABELLED = kept.compiled(
            rf"^(?P<what>.{{2,}}?)(?:{cues['name-labelled-verb'].pattern})(?P<label>\p{{Han}}{{1,3}})$"
        )
        self._JOIN = cues["name-conjunction"]
        self._ITEM_SEP = kept.compiled(f"、|{self._JOIN.pattern}")
        self._WORD = cues["name-word"]
        self._VERBS = kept.compiled(f"(?:{cues['name-verb'].pattern})+")

    def name(
        self,
        text: str,
        start: int,
        end: int,
        *,
        kind: str,
        unit: str,
        sentence_start: int,
        clause_start: int,
        previous: str | None,
    ) -> str:
        """The indicator of the quantity at text[start:end].

        `clause_start` is where its subject may begin (the sentence, or the end of the quantity
        before it); `previous` is that quantity's indicator when it stands in the same sentence.
        """
        before = self._without_frame(_QUOTES.sub("", self._clause_before(text, clause_start, start)))
        before = self._TIME.sub("", before)  # 由2019年的1.2万人增加到2020年的1.5万人: the years are no subject
        noun, said = (part.removesuffix("工作") for part in self._after(_QUOTES.sub("", self._clause_after(text, end))))
        noun = self._headed(noun, unit)
        if not (noun or said):
            noun = self._shared_noun(text, end, unit)
        subject = self._clean(before)
        if item := self._respective(text, sentence_start, start):
            return self._cap(self._with_suffix(item, kind, unit))
        if part := self._parenthesis(text, clause_start, start):
            parent = self._with_suffix(self._parent(part, previous), kind, unit)
            if kind == "change" and not self._clean(self._CHANGE_WORDS.sub("", before)):
                return parent  # 招生5000人（比上年增加300人）: a change said in brackets is of the figure before them
            # （学前教育10名）, （22项采取网络办理）; the scope of a share (全省, 全国) is kept.
            scope = self._SHARE_SCOPE.match(before)
            share = (scope[0] + self._clean(before[scope.end():]) if scope else subject) or noun or said
            return self._with_share(parent, share)
        if (labelled := self._LABELLED.match(subject)) and not self._VERB.search(labelled["label"]):
            return self._with_share(self._with_suffix(labelled["what"], kind, unit), labelled["label"])  # 标准提高到小学720元
        if kind in ("count", "amount") and previous and self._is_share(text, before, subject, noun, clause_start, start, previous):
            return self._with_share(previous.split("（", 1)[0], subject)  # 新增学位5800个，其中小学3200个
        if kind == "change":
            return self._cap(self._change_name(before, unit, previous))
        if kind == "rank":
            return self._cap(self._rank_name(before, previous))
        if kind == "rate":
            rate = self._rate_name(before, subject, noun, said, previous)
            if not previous and self._BARE_RATE.match(rate) and (opening := self._opening(text, sentence_start, start)):
                rate = opening + rate  # 义务教育更加优质均衡，……，达标率提升至87.5%: whose rate it is
            return self._cap(rate)
        listed = self._list_before(text, clause_start, start)
        if previous and self._REACHES.search(before) and len(subject) < 3 and not listed:
            if "累计" in before and (verb := self._VERB.match(previous)):
                return self._cap("累计" + previous[verb.end():])  # 新增基地4个，累计达到37个: the total
            return previous  # 由176家压减至2家: the second figure is the same indicator
        own = "" if self._LIST_JOIN.search(before) else subject
        if not (own or noun or said or listed or previous):
            own = self._earlier_clause(text, sentence_start, start)  # 配齐专职心理教师，每校至少1名
        if shared := self._list_verb(text, clause_start, start, own, noun, previous):
            own = shared + own  # 开工新建义务教育学校19所、幼儿园12所: the list's verb is every item's
        phrase = self._done_to(text, start, end) or self._counted(text, start, end, own, listed, noun, said, previous)
        if kind == "amount" and previous and self._PAID.match(phrase) and (people := self._PEOPLE.search(previous)):
            verb = self._VERB.match(previous)
            phrase = previous[verb.end() if verb else 0:people.start()] + phrase  # 资助学生9万人，发放资助金…
        if len(phrase) <= _SHORT and (topic := self._topic(text, sentence_start, start)) and topic not in phrase:
            phrase = topic + self._AWARDED.sub("", phrase)  # 开展教师优质课竞赛活动，评选出一等奖87名
        return self._cap(self._with_suffix(phrase, kind, unit))

    def _change_name(self, before: str, unit: str, previous: str | None) -> str:
        """A change names the indicator it changes; a change counted in people, places or money
        names what grew and how (增加公办园学位2700个 → 公办园学位增加数)."""
        own = self._clean(self._CHANGE_WORDS.sub("", before))
        if unit not in _SHARES and (verb := self._CHANGE_VERB.search(before)) and not self._COUNT_SUFFIX.search(own):
            grown = self._clean(self._CHANGE_WORDS.sub("", before[:verb.start()]) + before[verb.end():])
            if len(grown) >= _OWN_SUBJECT:
                return grown + verb[0] + self._CHANGE_SUFFIX.get(unit, "数")
        if len(own) >= _OWN_SUBJECT or not previous or (self._RATE_NOUN.search(own) and not previous.endswith(own)):
            return own  # 近视率降低0.5个百分点 after another rate: a rate of its own
        return previous

    def _rank_name(self, before: str, previous: str | None) -> str:
        """What is ranked, then the scope, then 排名 (全国理工类院校第1名 → …全国理工类院校排名)."""
        scopes = list(self._RANK_SCOPE.finditer(before))
        own = before[:scopes[-1].start()] if scopes else before.removesuffix("第")
        named = self._clean(own).endswith("排名")  # 综合排名由全省第15位: a ranking named as such
        own = self._clean(self._RANK_VERB.sub("", self._clean(own)))
        base = own if len(own) >= _OWN_SUBJECT or (named and own) or not previous else previous
        if base.endswith("排名"):
            return base  # 由第15位上升至第8位: the ranking before it
        scope = before[scopes[-1].start():].removesuffix("第") if scopes else ""
        return base + scope + "排名"

    def _rate_name(self, before: str, subject: str, noun: str, said: str, previous: str | None) -> str:
        if not subject and noun:
            return said + noun + "占比"  # 九成以上学校建成标准化实验室: the share of schools that did
        if noun and subject and not self._RATE_NOUN.search(subject) and self._HEADED.search(noun):
            return subject + noun + "占比"  # 每天抽取20%师生进行核酸检测: the share of 师生 drawn
        if previous and self._OF_TARGET.search(before):
            return self._COUNT_SUFFIX.sub("", previous) + "完成率"  # 新增学位5200个，完成年度目标的104%
        if previous and subject.startswith("占") and not self._RATE_NOUN.search(subject):
            return self._COUNT_SUFFIX.sub("", previous) + "占比"  # 在校生3.8万人，占全市在校生的12.5%
        if before.startswith("其中") and subject and not self._RATE_NOUN.search(subject):
            return subject + "占比"  # 招聘新教师800名，其中研究生学历不低于30%
        if (share := _SHARE_OF.search(subject)) and not self._RATE_NOUN.search(subject):
            return subject[:share.start()] + "占比"  # 民办学校在校生占全市在校生总数的12.3%: as 民办学校在校生占比
        return self._rate_subject(subject, previous) or noun

    def _counted(
            self,
        text: str, start: int, end: int, subject: str, listed: str | None, noun: str, said: str, previous: str | None
    ) -> str:
        """A count's or an amount's phrase: what was done to what, before the suffix."""
        if listed:
            if noun and (verb := self._VERB.search(listed)):
                return verb[0] + noun  # 新增人工智能、健康管理2个专业
            if not noun and not said:
                return self._trim(listed)  # 开工新建中小学、幼儿园30所
        if previous and not (subject or noun or said):
            subject = self._COUNT_SUFFIX.sub("", previous)  # 托管20周次、40余天: the list goes on
        if previous and not (noun or said) and self._VERBS.fullmatch(subject) and (done := self._VERBS.match(previous)):
            light = self._LIGHT_VERB.match(subject)
            work = subject[light.end():] if light and light.end() < len(subject) else subject
            return work + self._COUNT_SUFFIX.sub("", previous[done.end():])  # 录入隐患301条，落实整改301条: 整改隐患
        if noun and said and self._MOBILISE.search(subject) and not self._GOING.search(self._clause_after(text, end)):
            return said + noun  # 遴选244家第三方机构参与课后服务: what they take part in
        if noun and said and self._LIGHT_VERB.fullmatch(subject):
            return subject + said + noun  # 推进32所新优质学校培育建设: the work pushed on names it
        if noun and subject and (verb := self._VERB.search(subject)):
            return subject[verb.start():] + noun  # the actor before the verb is not the subject
        if noun:
            return (said or subject) + noun
        return subject or said or self._words_of(text, start, end)

    def _done_to(self, text: str, start: int, end: int) -> str | None:
        """`完成对14所中小学、35所幼儿园的综合督导`: what was counted is what the review was done to."""
        low = max(0, start - _REACH)
        if not self._DONE_TO.search(text, _last_break(_LAST_AFTER_BREAK, text, low, start), start):
            return None
        noun, _, action = _QUOTES.sub("", self._clause_after(text, end)).partition("的")
        if not self._REVIEW.search(action) or _DIGIT.search(action):
            return None
        return self._trim(action) + noun.split("、")[0]

    def _topic(self, text: str, sentence_start: int, start: int) -> str:
        """The event or programme an earlier clause of the sentence names, for a short phrase.

        `开展全市教师优质课竞赛活动，评选出一等奖87名`: the prize is the contest's. Only clauses
        after the last `；` count, and only the part after their last verb (the event itself).
        """
        low = max(sentence_start, start - _REACH)
        segment = text[low:start]
        segment = segment[max(segment.rfind("；"), segment.rfind(";")) + 1:]
        clauses = _TOPIC_BREAK.split(_QUOTES.sub("", self._EVENT_SLOGAN.sub("", segment)))[:-1]
        for clause in reversed(clauses[-_TOPIC_CLAUSES:]):
            clause = self._EVENT_WORD.sub("", clause)
            if not (event_word := self._EVENT.search(clause)):
                continue
            # a verb right before the event word is part of its name (服务平台, 监测平台)
            verbs = [verb for verb in self._TOPIC_START.finditer(clause) if verb.end() < event_word.start()]
            event = self._trim(clause[verbs[-1].end():] if verbs else clause)
            named = len(event) >= _OWN_SUBJECT and not _LIST_OR_COUNT.search(event)
            return event if named else ""  # not a list of programmes (领航、领学和强基四项工程)
        return ""

    def _opening(self, text: str, sentence_start: int, start: int) -> str:
        """The topic a sentence opens with (`学前教育更加普惠，` → 学前教育), if its first clause names one.

        A clause with a verb or a number is an action or a fact, not a topic.
        """
        first = _TOPIC_BREAK.search(text, sentence_start, start)
        if first is None:
            return ""
        topic = self._trim(_QUOTES.sub("", text[sentence_start:first.start()]))
        if degree := self._DEGREE.search(topic):
            topic = topic[:degree.start()]  # 体育工作更加扎实: what follows the degree word says how it is
        plain = not (_DIGIT.search(topic) or self._VERB.search(topic) or self._TOPIC_START.search(topic))
        return topic if plain and _OWN_SUBJECT <= len(topic) <= _MAX_LENGTH // 2 else ""

    def _shared_noun(self, text: str, end: int, unit: str) -> str:
        """`市级20项、区级10项、学校10项体育竞赛`: the noun after a list's last figure is every item's.

        Only a list of figures in the same unit shares one: `3200人次、资金480万元` measures two things.
        """
        pos = end
        while unit and (m := _NEXT_FIGURE.match(text, pos, pos + _REACH)) and text.startswith(unit, m.end()):
            pos = m.end() + len(unit)
            if qualifier := self._QUALIFIER_AFTER.match(text, pos):
                pos = qualifier.end()
        if pos == end:
            return ""
        noun, _ = self._after(_QUOTES.sub("", self._clause_after(text, pos)))
        return noun

    def _list_verb(self, text: str, clause_start: int, start: int, own: str, noun: str, previous: str | None) -> str:
        """The verbs a list's first figure was named with, for a later item that has none (、幼儿园12所)."""
        if not previous or noun or not 0 < len(own) <= _SHARE_NAME or "（" in previous or self._VERB.search(own):
            return ""
        begins = _last_break(_LAST_CLAUSE_BREAK, text, clause_start, start)
        if text[begins - 1:begins] != "、":
            return ""
        verbs = self._VERBS.match(previous)
        return verbs[0] if verbs else ""

    def _is_share(
            self,
        text: str, before: str, subject: str, noun: str, clause_start: int, start: int, previous: str
    ) -> bool:
        """`其中小学3200个、初中2600个`: a short subject after 其中, or after 、 or ， in such a list."""
        if noun or not 0 < len(subject) <= _SHARE_NAME:
            return False
        if before.startswith("其中"):
            return True
        begins = _last_break(_LAST_CLAUSE_BREAK, text, clause_start, start)
        after_comma = text[begins - 1:begins] in ("，", ",") and not self._VERB.search(subject)
        return "（" in previous and before == subject and (text[begins - 1:begins] == "、" or after_comma)

    def _with_share(self, parent: str, share: str) -> str:
        """`parent（share）` in at most `_MAX_LENGTH` characters, the share keeping some room."""
        room = max(_SHARE_LENGTH, _MAX_LENGTH - 2 - len(parent))
        bracket = f"（{share[-room:]}）" if share else ""
        return self._cap(parent, _MAX_LENGTH - len(bracket)) + bracket

    def _respective(self, text: str, sentence_start: int, start: int) -> str | None:
        """The k-th of the things listed before 分别 names the k-th figure after it.

        `学前教育毛入园率、义务教育巩固率和高中阶段毛入学率分别达到98.5%、100%和99.1%`. An item
        shorter than the last one shares its head: `小学、初中在校生分别为…` → 小学在校生.
        """
        segment = text[max(sentence_start, start - _REACH):start]
        at = segment.rfind("分别")
        if at < 0 or _AFTER_BREAK.search(segment, at):
            return None  # no 分别 in the quantity's own clause
        k = len(self._ITEM_SEP.findall(segment, at + 2))
        listed = _QUOTES.sub("", segment[_last_break(_LAST_AFTER_BREAK, segment, 0, at):at])
        items = [item for item in self._ITEM_SEP.split(listed) if item]
        if len(items) < 2 or k >= len(items):
            return None
        item, last = self._clean(items[k]), self._clean(items[-1])
        if k < len(items) - 1 and len(item) < len(last):
            item += last[len(item):]
        return item

    def _earlier_clause(self, text: str, sentence_start: int, start: int) -> str:
        """The clause before the quantity's own, when its own says nothing of what is counted."""
        clauses = _TOPIC_BREAK.split(_QUOTES.sub("", text[max(sentence_start, start - _REACH):start]))
        earlier = self._clean(clauses[-2]) if len(clauses) > 1 else ""
        return "" if _LIST_OR_NUMBER.search(earlier) else earlier

    def _with_suffix(self, phrase: str, kind: str, unit: str) -> str:
        if kind == "count" and unit == "人次" and phrase.endswith("人数"):
            return phrase.removesuffix("人数") + "人次"  # 抽检人数达73万人次: the unit says what was counted
        if kind == "count" and phrase and not self._COUNT_SUFFIX.search(phrase):
            if (unit == "人" and self._PERSON_NOUN.search(phrase)) or (unit == "项" and self._ITEMS.search(phrase)):
                return phrase + "数"
            return phrase + self._UNIT_SUFFIX.get(unit, "数")
        if kind == "amount" and phrase and unit in self._AMOUNT_SUFFIX and not self._AMOUNT_NOUN.search(phrase):
            return phrase + self._AMOUNT_SUFFIX[unit]
        return phrase

    def _words_of(self, text: str, start: int, end: int) -> str:
        """Last resort, never an empty cell: the clause's words with its numbers taken out."""
        after = _NUMBER_AND_UNIT.sub("", self._clause_after(text, end))
        return self._clean(after) or text[start:end]

    def _parenthesis(self, text: str, clause_start: int, start: int) -> str | None:
        """The words before an open bracket the quantity stands in: 培养计划100名（学前教育10名.

        Only the last `_REACH` characters are read, so the cost per quantity never grows with the
        document.
        """
        low = max(0, start - _REACH)
        opened = max(text.rfind("（", low, start), text.rfind("(", low, start))
        if opened < 0 or max(text.rfind("）", low, start), text.rfind(")", low, start)) > opened:
            return None
        return _QUOTES.sub("", text[_last_break(_LAST_CLAUSE_BREAK, text, max(low, opened - _REACH), opened):opened])

    def _parent(self, part: str, previous: str | None) -> str:
        if previous and _DIGIT.search(part):
            return previous.split("（", 1)[0]  # 45所高中学校（公办27所…: the figure before the bracket is its parent
        own = self._clean(_TRAILING_NUMBER.sub("", part))
        if len(own) >= _OWN_SUBJECT:
            verb = self._VERB.search(own)
            return own[verb.start():] if verb and verb.start() >= _ACTOR else own  # 某校某人入选…（全省50人）: not the actor
        return previous.split("（", 1)[0] if previous else own

    def _rate_subject(self, subject: str, previous: str | None) -> str:
        """A bare rate noun (参与率, 占比) borrows its subject from the quantity before it."""
        if previous and (not subject or not self._RATE_NOUN.search(subject)):
            return previous
        if previous and self._BARE_RATE.match(subject) and not self._ADDED.match(previous):
            stem = self._RATE_NOUN.sub("", self._SUFFIX.sub("", previous))
            for overlap in range(len(subject) - 1, 0, -1):
                if stem.endswith(subject[:overlap]):
                    stem = stem[:-overlap]
                    break
            else:
                if previous.endswith("率"):
                    stem = stem[:-2]  # 课后服务覆盖率 + 参与率 → 课后服务参与率: another measure of it
                stem = stem.replace(self._RATE_NOUN.sub("", subject), "", 1)  # 参与学生 + 参与率 → 学生参与率
            return stem + subject
        if previous and (shared := _shared_ending(subject, previous)) >= _PARALLEL_RATE and self._RATE_NOUN.search(subject):
            own, stem = subject[:-shared], previous[:-shared]
            # 公办园覆盖率 after 普惠性幼儿园覆盖率 names a group of its own (a noun with a head)
            noun = subject[:len(own) + 1]  # 公办园覆盖率 and 幼儿园覆盖率 share 园覆盖率: 公办园 is a noun
            parallel = not (self._COMPARE.search(own) or self._NOUN_END.search(own) or self._HEADED.search(noun)
                            or stem.endswith(own))
            if parallel and 0 < len(own) <= _PARALLEL_MODIFIER + 1 and len(stem) >= _PARALLEL_MODIFIER + 2:
                return stem[:-_PARALLEL_MODIFIER] + subject  # 疫苗全程接种率95%，加强针接种率90% → 疫苗加强针接种率
        return subject

    def _clause_before(self, text: str, clause_start: int, start: int) -> str:
        """The words between the last clause break and `start`.

        An aside in brackets right before the number is skipped: the subject of
        `社会实践基地（含劳动教育实践基地）34家` stands before it.
        """
        if start > clause_start and text[start - 1] in "）)":
            low = max(clause_start, start - _REACH)
            opened = max(text.rfind("（", low, start), text.rfind("(", low, start))
            if opened >= 0:
                start = opened
        begins = _last_break(_LAST_CLAUSE_BREAK, text, clause_start, start)
        clause = text[begins:start]
        # An aside inside the subject is skipped too: 就读中等职业学校（含高职、卫校）人数583人.
        low = max(clause_start, start - _REACH)
        # One that defines the measure keeps its words: 小学高学历（专科及以上）教师比例.
        while begins > low and text[begins - 1] in "）)" and _HAN.match(text, begins):
            if aside := self._ASIDE_BEFORE.search(text, low, begins):
                words = ""
            elif aside := _DEFINING.search(text, low, begins):
                words = aside["words"]
            else:
                break
            begins = _last_break(_LAST_CLAUSE_BREAK, text, clause_start, aside.start())
            clause = text[begins:aside.start()] + words + clause
        return clause

    def _list_before(self, text: str, clause_start: int, start: int) -> str | None:
        """A list of named items that ends at the number (`中小学、幼儿园30所`, `A、B等10名`).

        Items with numbers of their own (`市级20项、区级10项`) are other quantities, not a list.
        """
        low = max(clause_start, start - _REACH)
        begins = _last_break(_LAST_AFTER_BREAK, text, low, start)
        if begins == low and low > 0 and not _AFTER_BREAK.match(text, low - 1):
            return None  # the first item is the noun of the quantity before (8个专业、在校生规模)
        clause = text[begins:start]
        if not _LISTED.match(self._LEVELS.sub("", clause)) or _DIGIT.search(_YEARS.sub("", clause)):
            return None  # a year before the list (2023年计划新建、改扩建) is no item's number
        return _QUOTES.sub("", clause).removesuffix("等")

    def _clause_after(self, text: str, end: int) -> str:
        """The words from `end` to the next clause break; a short aside in brackets is skipped
        (`234个中小学（幼儿园）校门口幸福空间`)."""
        after = self._PER_UNIT.sub("", _ASIDE.sub("", text[end:end + 2 * _AFTER_LENGTH]), count=1)
        m = _AFTER_BREAK.search(after, 0, _AFTER_LENGTH)
        return after[:m.start() if m else _AFTER_LENGTH]

    def _after(self, after: str) -> tuple[str, str]:
        """The noun right after a number, and what the clause then says of it (its verb phrase).

        A modifier ending in 的 gives way to its head (占比较高的民办学校 → 民办学校); the verb
        phrase stops at the next number or list item, which belong to another quantity.
        """
        m = self._NOUN_END.search(after)
        while m and m[0] == "的":
            head = self._NOUN_END.search(after, m.end())
            if (head.start() if head else len(after)) == m.end():
                break  # nothing after 的: the noun is what stood before it
            if self._PRAISE.match(after, m.end(), head.start() if head else len(after)):
                break  # 3个第五名的好成绩: the place is counted, not the praise
            after = after[m.end():]
            m = self._NOUN_END.search(after)
        if m and self._JOIN.fullmatch(m[0]) and not self._NOUN_END.search(after, m.end()):
            return after, ""  # 42个国家级和省级一流本科专业建设点: one noun, joined
        if not m:
            return after, ""
        if m[0] in "、0123456789" or m[0] == "的":
            return after[:m.start()], ""
        said = _NEXT_ITEM.split(_YEARS.sub("", after[m.start():]), maxsplit=1)[0]
        said = self._clean(self._without_frame(said))  # 18位教师为全市学生提供心理援助 → 提供心理援助
        head = said.rsplit("的", 1)[-1]  # 进行全市范围内的单向交流 → 单向交流
        return after[:m.start()], (head if len(head) >= 2 else said)[:_MAX_LENGTH]

    def _headed(self, noun: str, unit: str) -> str:
        """The noun a measure word counts ends at its head: 394所中小学校党员规模 counts 中小学校."""
        head = self._HEADS[unit].match(noun) if unit in self._HEADS else None
        return noun[:head.end()] if head else noun

    def _without_frame(self, before: str) -> str:
        """What was done, without who had it all, where or for whom it was done.

        `教育系统共有在职教职工` → 在职教职工; `在市安全监管平台录入隐患` → 录入隐患;
        `向省厅推荐候选人` → 推荐候选人. Where something is published stays: 在市活动办发布报道.
        """
        if (owned := self._OWNS.search(before)) and "每" not in before[:owned.start()]:
            before = before[owned.end():]  # 教育系统共有在职教职工1.8万人 (but 普通高中每百名学生拥有计算机)
        if (place := self._PLACE.match(before)) and (verb := self._VERB.search(before, place.end())) and not self._PUBLISHED.search(before):
            return before[verb.start():]
        return before

    def _clean(self, phrase: str) -> str:
        """Strip context words from both ends, and named examples before 等 (A、B等C → C).

        A verb before the examples stays: 开展新时代党的创新理论等专题宣讲 → 开展专题宣讲.
        """
        phrase = self._WON_IN.sub("", phrase)
        if m := self._EXAMPLES.search(phrase):
            verb = self._VERB.match(phrase)
            phrase = (verb[0] if verb and verb.end() < m.end() else "") + phrase[m.end():]
        return self._trim(phrase)

    def _trim(self, phrase: str) -> str:
        phrase = self._PER.sub("", self._EACH.sub("", self._ORDINAL.sub("", phrase.replace("了", ""))))
        previous = None
        while phrase != previous:
            previous = phrase
            phrase = self._LEADING.sub("", self._TRAILING.sub("", phrase))
        return phrase

    def _cap(self, phrase: str, limit: int = _MAX_LENGTH) -> str:
        """At most about `limit` characters: the head noun at the end, and the verb at the start.

        A cut never falls inside a word the `name-word` cues know, a number or a Latin word: it
        moves back to the word's start (务教育薄弱学校… → 义务教育薄弱学校…), so a name may run a
        few characters over.
        """
        if len(phrase) <= limit:
            return phrase
        verb = self._TOPIC_START.match(phrase)
        kept = verb.end() if verb and verb.end() <= 3 else 0
        cut = len(phrase) - limit + kept
        for word in self._WORD.finditer(phrase, max(kept, cut - _WORD_REACH), cut + _WORD_REACH, overlapped=True):
            if word.start() < cut < word.end():
                cut = word.start()
                break
        while cut > kept and _ALNUM.match(phrase, cut - 1, cut + 1):
            cut -= 1  # nor inside a number or a Latin word: 世界排名200强 → 200强, not 00强
        return phrase[:kept] + phrase[cut:]


@cache
def namer_for(cues: Cues) -> Namer:
    """One Namer per set of cues: the built-in one, or a RuleSet's with a user's packs."""
    return Namer(cues)
