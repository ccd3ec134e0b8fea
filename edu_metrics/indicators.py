"""Indicator names: what a quantity measures, as a statistician would title the column.

A rate names itself (`普惠性幼儿园覆盖率提升至92.65%`). A count is a verb and the thing
counted, which may stand before the number (`新增省市优质园53所`) or after it (`组织43名党员
干部参与…`, `梳理394所中小学校`). A change or a ranking is about the quantity before it in
the sentence (`发文42件，同比减少32.3%`; `达标比例82.81%，列全省第二`). Synonyms from the
rule packs turn local wording into one canonical name (`普惠园覆盖率` → `普惠性幼儿园覆盖率`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import regex

# A subject never reaches back past these; quotes and book-title marks are part of names.
_AFTER_BREAK = regex.compile(r"[，,；;：:（）()\s。！？!?]")
# The same breaks (with 、) searched from the end: the last one before a number is found at once.
_LAST_CLAUSE_BREAK = regex.compile(r"[，,；;：:、（）()\s。！？!?]", regex.REVERSE)
_LAST_AFTER_BREAK = regex.compile(_AFTER_BREAK.pattern, regex.REVERSE)
_QUOTES = regex.compile(r"[“”‘’《》〈〉「」\"']")
# 在 as "at": not the start of 在校生, 在园幼儿, nor of 在锡高校 (在 + a place's one-character name).
_AT = r"在(?![园校职编岗读]|\p{Han}(?:高校|院校|企业|单位))"
# Context words around a subject that are not part of it.
_LEADING = regex.compile(
    r"^(?:[一二三四五六七八九十]是|仍有|尚有|还有|仍|我们|咱们|要(?![求素点闻])|必须|务必|其中|全市|全县|全区|全省|全年|我市|本市|目前|现有|共有|拥有|已|共|累计|并|均|还|又|再|对(?![口象外标接比应照])|向|为|" + _AT + r"|将|年内|今年"
    r"|共计|组织|安排|协调|指导|督促|帮助|吸引了|先后|分别|同时|[0-9]{4}年|全部|总计|合计|另有|此外|首批|新一批"
    r"|全面|认真|严格|扎实|积极|深入|持续|有效|大力|按照|进一步|不断|切实|高质量|圆满|稳步|加快|着力|努力|力争|确保|预计"
    r"|纳入统计(?:范围)?的?|计划|争取|每年|至少|年均|平均|包括|含|采取|进行|以及|及(?!时)|与(?!会)|和(?!谐|美))+"
)
_TRAILING = regex.compile(
    r"(?:提升至|提高至|提高到|提升到|增加到|增长到|降低至|下降至|降至|减少到|达到了|达到|达|为|是|至|到|有|共计|共"
    r"|累计|约|近|超过|超|逾|均|在|总|合计|总计|分别|了|的|已|计|突破|和|及|与|或|等|从|由|目前|当前|现在|现有"
    r"|稳定|保持|控制|维持|仅|只有|每年|首次|再次|力争|确保|争取|预计|力求|原来|原有)+$"
)
# Verbs whose object, the thing counted, follows the number (新增14个专业, 梳理394所学校).
_VERB = regex.compile(
    r"新增|新建|建成|开设|设立|评选|评出|命名|遴选|选派|选送|培育|创建|创成|打造|获批|获评|获得|招录|招聘|招收"
    r"|引进|资助|服务|接待|检查|查处|关停|整改|录入|发放|推荐|推进|落实|征集|梳理|培训|举办|组建|成立|支持|完成"
    r"|开展|实施|投入|争取|提供|制作|推出|录制|编发|刊登|发布|收集|签订|护送|确定|划分|形成|启动|扩招|增加|减少"
    r"|建设|改扩建|扩建|开工|覆盖|惠及|培养|表彰|认定|纳入|立项|入选|晋升|提拔|调整|发展|开发|厘清|消除|规范"
)
# Named examples before 等 (南菁高中、江阴高中等): 一等奖 and 中等职业 are words, not lists.
_EXAMPLES = regex.compile(r"^.*(?:、[^、]*?等(?![奖级次])|(?<![中高初平同均对一二三特])等(?![奖级次职教学院于同]))")
_REACHES = regex.compile(r"(?:至|到)$")
_LIST_JOIN = regex.compile(r"(?:等|和|及|与|、)$")
_LISTED = regex.compile(r"[^、]+、|.+等$")
# A verb before one of these is part of a noun: 培训机构, 服务点, 建设项目.
_NOUN_HEAD = r"机构|中心|基地|平台|项目|班|点|站|室|课程|资金|经费|体系|先进|示范|标兵|对象"
# What ends the noun after a number and starts what is said of it (394所中小学校|参加…).
_NOUN_END = regex.compile(
    r"[0-9]|扩容|增加|提升|减少|压减|降至|增至|至|参加|参与|获|入选|成为|开展|进行|的|" + _AT + r"|被|实现|完成|提供|做好|共|均|全部|顺利|通过|列入|接受|签订|赴|到"
    r"|为|和|与|及|晋级|晋升|确认|正在|得到|受到|达|成功|全面|采取|开设|作为|登上|担任|申报|前往|参训|参培|参保|参赛|受益|学习|、"
    r"|评为|荣获|入围|落户|(?:" + _VERB.pattern + r")(?!" + _NOUN_HEAD + ")"
)
_RATE_NOUN = regex.compile(r"(?:率|比例|比重|占比|覆盖面|水平|指数|满意度|知晓度|参与度|覆盖度|达成度|完成度|认可度)$")
_BARE_RATE = regex.compile(r"^\p{Han}{0,2}(?:率|占比|比例)$")
_SUFFIX = regex.compile(r"(?:数|量|额|人次|次数|人数|总数|率|比例|占比)$")
# Endings that already say "how many" or "how much"; 大班额 is a kind of class, not an amount.
_COUNT_SUFFIX = regex.compile(r"(?:数|量|(?<!班)额|规模|人次|次数|人数|总数|场次|轮次|周次|时长|面积|资金|经费|天数)$")
_RANK_VERB = regex.compile(r"(?:均|继续)?(?:列|居|位居|位列|排名|名列|保持|提升至)$")
_AREAS = r"全国|全省|全市|全区|全县|大市"
_RANK_SCOPE = regex.compile(_AREAS + r"|全球|世界|国内|省内")
# Wording of a change that is not its subject: 同比减少, 较2021年提升, 增幅.
_CHANGE_WORDS = regex.compile(
    r"(?:(?:同比|环比|同期|较上年|比上年|较去年|比去年|(?:较|比)[0-9]{4}年)(?:同期)?"
    r"|增幅|降幅|增速|涨幅|增长幅度|下降幅度|增长率|下降率"
    r"|(?:较|比)(?:全国|全省|全市|全区|全县|省|市)?(?:平均水平|平均|均值))?"
    r"(?:提升|提高|增长|增加|上升|下降|减少|降低|压减|扩容|扩招|回落|高出|超出|高于|低于)?(?:至|到|了|达到|达|为)?$"
)
# A change counted in people, places or money is named by what grew and how: 中职学校扩招人数,
# 公办园学位增加数, 教育经费增加额. A change in percent or points names the rate it changes.
_SHARES = ("%", "‰", "pp")
# 完成年度目标的104%, 占年度任务的77.5%: how much of the plan the figure before it is.
_OF_TARGET = regex.compile(r"(?:完成|占)(?:年度|全年|既定)?(?:目标|任务|计划)(?:任务)?的?$")
_ACTOR = 3  # a school or a person's name before a verb has at least this many characters
# Where a share in brackets counts (全省50人，无锡大市5人) is what tells the shares apart.
_SHARE_SCOPE = regex.compile(_AREAS)
_CHANGE_VERB = regex.compile(r"增加|减少|扩招|净增|压减|缩减|削减|增长|下降|降低|提高|提升")
_CHANGE_SUFFIX = {"人": "人数", "人次": "人次", "元": "额"}
# A measure word decides how a count's name ends: 人次 stays, 23次 is a 次数, 63人 a 人数
# (but 学生1.2万人 is a 学生数, as statistical yearbooks write it).
_UNIT_SUFFIX = {
    "人次": "人次", "周次": "周次", "场次": "场次", "批次": "批次", "课次": "课次", "户次": "户次",
    "次": "次数", "轮": "轮次", "场": "场次", "人": "人数", "份": "份数", "项": "项数",
}
# An amount is named for what its unit measures (校舍10.97万平方米 → 校舍面积), unless its
# phrase already names it (奖补资金626万元, 开放达160天数).
_AMOUNT_SUFFIX = {"元": "资金", "平方米": "面积", "亩": "面积", "公顷": "面积", "天": "天数", "小时": "时长"}
_AMOUNT_NOUN = regex.compile(
    r"(?:资金|经费|金|费|额|款|值|投入|投资|预算|收入|支出|补助|补贴|奖励|津贴|标准|面积|天数|时长|期限|时限|时间|周期)$"
)
_OWN_SUBJECT = 4
# Verbs of sending or choosing people and bodies: what they then do names them better.
_MOBILISE = regex.compile(r"(?:遴选|选派|选送|组织|安排|动员|吸引|带领|引导|鼓励)$")
# Verbs that only move work along; the work itself is said after the noun.
_LIGHT_VERB = regex.compile(r"推进|推动|完成|做好|抓好|实施|启动")
_GOING = regex.compile(r"赴|到|前往")  # 选送110名教师赴新疆: sent somewhere, still 选送
# Contests and programmes whose name a short phrase after them borrows (竞赛, 评比, 工程,
# 试点). Campaigns (专项行动) don't lend theirs: what they did stands on its own (检查培训机构).
_EVENT = regex.compile(r"(?:工程|试点|赛|评比)$")
_EVENT_WORD = regex.compile(r"活动$")
# A slogan in quotes right after a programme says how it went, not what it is: 品格提升工程“扩面创优”.
_EVENT_SLOGAN = regex.compile(r"(?<=工程|试点|赛|评比)“[^“”]{1,12}”(?!\p{Han})")
_TOPIC_START = regex.compile(_VERB.pattern + r"|参加|参与|举办|开展|推进|推动|实施|加强|深化|做好|抓好|在|对")
# Which batch or edition changes every year; left in, the same indicator would not line up
# across years (第三批新优质学校 in one report, 第四批 in the next).
_ORDINAL = regex.compile(r"首届|首批|新一批|新一轮|第[0-9一二三四五六七八九十]+[届批期轮]")
# 各学校, 各级各类: "every" says nothing about what is counted.
_EACH = regex.compile(r"(?<!各级)各(?!级各类)(?:级|类|项|个|种|所|学段)?")  # 各级各类学校 is a statistical scope
# The basis of a standard (每生每年720元) is its unit, not its name.
_PER = regex.compile(r"按?每(?:生|人|校|班|位|名|所)(?:每(?:年|月|天|日|学期|学年))?")
_TOPIC_CLAUSES = 3
_TOPIC_BREAK = regex.compile(r"[，,：:（）()]")
_LIST_OR_NUMBER = regex.compile(r"[、等0-9零一二两三四五六七八九十]")
_DIGIT = regex.compile(r"[0-9]")
_NUMBER_AND_UNIT = regex.compile(r"[0-9.]+[余多]?\p{Han}?")
_TRAILING_NUMBER = regex.compile(r"[0-9.]+\p{Han}?$")
# 对 + the things counted + 的 + a review: 对14所中小学、35所幼儿园的综合督导.
_DONE_TO = regex.compile(r"对(?:[^对]*、)?$")
_REVIEW = regex.compile(r"(?:督导|督查|检查|评估|考核|验收|审核|审计|认定|调研|指导|走访|评审|监测)$")
# Once the contest is named, the verb of winning adds nothing (…竞赛评选出一等奖 → …竞赛一等奖).
_AWARDED = regex.compile(r"^(?:评选出|评出|评选|获得|荣获|获)(?=.*(?:奖|名)$)")
_SHORT = 8
_YEARS = regex.compile(r"[0-9]{4}年?")
# Where the next quantity begins: a digit, or a list item that starts with a number (、35所);
# other list items are part of the phrase (创成省、无锡市智慧校园).
_NEXT_ITEM = regex.compile(r"[0-9]|、(?=[0-9零〇一二两三四五六七八九十百千万])")
_JOINS = ("和", "与", "及")
_ITEM_SEP = regex.compile(r"[、和及与]")
# Money paid out after a count of people is theirs: 资助困难学生9万人，发放资助金5千万元.
_PAID = regex.compile(r"(?:发放|拨付|兑现)\p{Han}{1,4}$")
# A count of people ends in 人数, or in 数 after a word for people (学生数).
_PERSONS = r"生|师(?![德范资])|人员|干部|党员|人才|幼儿|儿童|家长|校长|人口"
_PERSON_NOUN = regex.compile(rf"(?:{_PERSONS})$")
# The heads a measure word counts (所 counts schools, 名 people).
_PERSON_HEADS = rf"{_PERSONS}|员|者|代表|人|骨干|对象|标兵|先进|模范|能手|新秀|楷模"
_SCHOOL_HEADS = r"校|园|院|中学|小学|初中|高中|大学|机构|中心"
_HEADS = {  # greedy: up to the last head in the noun
    "所": regex.compile(rf".*(?:{_SCHOOL_HEADS})"),
    **dict.fromkeys(("名", "位", "人"), regex.compile(rf".*(?:{_PERSON_HEADS})")),
}
_HEADED = regex.compile(rf"(?:{_PERSON_HEADS}|{_SCHOOL_HEADS})$")
# 四项工程 counts 工程 (工程数), but 体育竞赛10项 and 任务清单100项 count items (项数).
_ITEMS = regex.compile(r"(?:项|项目|事项|工程|行动|计划|任务|措施|举措|职责|改革|制度|机制|政策|工作|成果|课题|标准|指标)$")
# What was added this year is no population a rate is of: 新增学位3600个，普惠率提高到88%.
_ADDED = regex.compile(r"新增|新建|改扩建|扩建|增加")
_PEOPLE = regex.compile(rf"(?:人数|人次|(?<={_PERSONS})数)$")
_PRAISE = regex.compile(r"(?:好|优异|优秀)?(?:成绩|佳绩|成效|效果)$")
_ASIDE = regex.compile(r"(?<=\p{Han})[（(][^（）()，,。；;]{1,12}[）)](?=\p{Han})")
_AFTER_LENGTH = 40
_ASIDE_BEFORE = regex.compile(r"(?<=\p{Han})[（(][^（）()，,。；;]{1,12}[）)]$")
# A level given per group: 生均公用经费提高到小学720元、初中920元 → 生均公用经费（小学）.
_LABELLED = regex.compile(r"^(?P<what>.{2,}?)(?:提高到|提高至|提升到|提升至|增加到|达到|分别为|为)(?P<label>\p{Han}{1,3})$")
_PER_UNIT = regex.compile(r"^[/／][生人校班年月天日次·・/／]{1,6}")  # 720元/生·年: the basis, not a noun
# The next item of a list of figures: 、 then a short label and a number (its unit is checked apart).
_NEXT_FIGURE = regex.compile(r"、[^、，,；;。0-9]{0,8}?[0-9.]+[余多]?")
_QUALIFIER_AFTER = regex.compile(r"左右|以上|以下|以内")
# A place, a recipient or a means before the verb (在…, 向…, 为…, 通过…).
_PLACE = regex.compile(r"^(?:我市|全市|全县|全区|各地)?(?:" + _AT + r"|向|为(?![主期止])|给|通过|依托|借助)")
# What an actor has or did in all (教育系统共有…, 全县共完成…) starts after these words.
_OWNS = regex.compile(r"(?<=\p{Han})(?:共有|拥有|(?:共计|累计|共)(?=" + _VERB.pattern + "))")
_PUBLISHED = regex.compile(r"发布|发表|刊登|刊发|报道|播出")
# 在…大赛中获一等奖: the frame around the contest's name is not part of the prize.
_WON_IN = regex.compile(r"(?<=赛|会|展|评比|评选|评审|活动|考试)中(?:荣获|获得|获)")
_MAX_LENGTH = 20
_SHARE_NAME = 6  # 小学, 骨干教师, 研究生学历: a share named in a word or two
_SHARE_LENGTH = 8  # a share in brackets gets at least this much of _MAX_LENGTH, and what its parent leaves
_REACH = 200


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


def name_indicator(
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
    before = _without_frame(_QUOTES.sub("", _clause_before(text, clause_start, start)))
    noun, said = (part.removesuffix("工作") for part in _after(_QUOTES.sub("", _clause_after(text, end))))
    noun = _headed(noun, unit)
    if not (noun or said):
        noun = _shared_noun(text, end, unit)
    subject = _clean(before)
    if item := _respective(text, sentence_start, start):
        return _cap(_with_suffix(item, kind, unit))
    if part := _parenthesis(text, clause_start, start):
        parent = _with_suffix(_parent(part, previous), kind, unit)
        # （学前教育10名）, （22项采取网络办理）; the scope of a share (全省, 全国) is kept.
        scope = _SHARE_SCOPE.match(before)
        share = (scope[0] + _clean(before[scope.end():]) if scope else subject) or noun or said
        return _with_share(parent, share)
    if (labelled := _LABELLED.match(subject)) and not _VERB.search(labelled["label"]):
        return _with_share(_with_suffix(labelled["what"], kind, unit), labelled["label"])  # 标准提高到小学720元
    if kind in ("count", "amount") and previous and _is_share(text, before, subject, noun, clause_start, start, previous):
        return _with_share(previous.split("（", 1)[0], subject)  # 新增学位5800个，其中小学3200个
    if kind == "change":
        return _cap(_change_name(before, unit, previous))
    if kind == "rank":
        return _cap(_rank_name(before, previous))
    if kind == "rate":
        return _cap(_rate_name(before, subject, noun, said, previous))
    listed = _list_before(text, clause_start, start)
    if previous and _REACHES.search(before) and len(subject) < 3 and not listed:
        if "累计" in before and (verb := _VERB.match(previous)):
            return _cap("累计" + previous[verb.end():])  # 新增基地4个，累计达到37个: the total
        return previous  # 由176家压减至2家: the second figure is the same indicator
    own = "" if _LIST_JOIN.search(before) else subject
    if not (own or noun or said or listed or previous):
        own = _earlier_clause(text, sentence_start, start)  # 配齐专职心理教师，每校至少1名
    phrase = _done_to(text, start, end) or _counted(text, start, end, own, listed, noun, said, previous)
    if kind == "amount" and previous and _PAID.match(phrase) and (people := _PEOPLE.search(previous)):
        verb = _VERB.match(previous)
        phrase = previous[verb.end() if verb else 0:people.start()] + phrase  # 资助学生9万人，发放资助金…
    if len(phrase) <= _SHORT and (topic := _topic(text, sentence_start, start)) and topic not in phrase:
        phrase = topic + _AWARDED.sub("", phrase)  # 开展教师优质课竞赛活动，评选出一等奖87名
    return _cap(_with_suffix(phrase, kind, unit))


def _change_name(before: str, unit: str, previous: str | None) -> str:
    """A change names the indicator it changes; a change counted in people, places or money
    names what grew and how (增加公办园学位2700个 → 公办园学位增加数)."""
    own = _clean(_CHANGE_WORDS.sub("", before))
    if unit not in _SHARES and (verb := _CHANGE_VERB.search(before)) and not _COUNT_SUFFIX.search(own):
        grown = _clean(_CHANGE_WORDS.sub("", before[:verb.start()]) + before[verb.end():])
        if len(grown) >= _OWN_SUBJECT:
            return grown + verb[0] + _CHANGE_SUFFIX.get(unit, "数")
    if len(own) >= _OWN_SUBJECT or not previous or (_RATE_NOUN.search(own) and not previous.endswith(own)):
        return own  # 近视率降低0.5个百分点 after another rate: a rate of its own
    return previous


def _rank_name(before: str, previous: str | None) -> str:
    """What is ranked, then the scope, then 排名 (全国理工类院校第1名 → …全国理工类院校排名)."""
    scopes = list(_RANK_SCOPE.finditer(before))
    own = before[:scopes[-1].start()] if scopes else before.removesuffix("第")
    named = _clean(own).endswith("排名")  # 综合排名由全省第15位: a ranking named as such
    own = _clean(_RANK_VERB.sub("", _clean(own)))
    base = own if len(own) >= _OWN_SUBJECT or (named and own) or not previous else previous
    if base.endswith("排名"):
        return base  # 由第15位上升至第8位: the ranking before it
    scope = before[scopes[-1].start():].removesuffix("第") if scopes else ""
    return base + scope + "排名"


def _rate_name(before: str, subject: str, noun: str, said: str, previous: str | None) -> str:
    if not subject and noun:
        return said + noun + "占比"  # 九成以上学校建成标准化实验室: the share of schools that did
    if noun and subject and not _RATE_NOUN.search(subject) and _HEADED.search(noun):
        return subject + noun + "占比"  # 每天抽取20%师生进行核酸检测: the share of 师生 drawn
    if previous and _OF_TARGET.search(before):
        return _COUNT_SUFFIX.sub("", previous) + "完成率"  # 新增学位5200个，完成年度目标的104%
    if previous and subject.startswith("占") and not _RATE_NOUN.search(subject):
        return _COUNT_SUFFIX.sub("", previous) + "占比"  # 在校生3.8万人，占全市在校生的12.5%
    if before.startswith("其中") and subject and not _RATE_NOUN.search(subject):
        return subject + "占比"  # 招聘新教师800名，其中研究生学历不低于30%
    return _rate_subject(subject, previous) or noun


def _counted(
    text: str, start: int, end: int, subject: str, listed: str | None, noun: str, said: str, previous: str | None
) -> str:
    """A count's or an amount's phrase: what was done to what, before the suffix."""
    if listed:
        if noun and (verb := _VERB.search(listed)):
            return verb[0] + noun  # 新增人工智能、健康管理2个专业
        if not noun and not said:
            return _trim(listed)  # 开工新建中小学、幼儿园30所
    if previous and not (subject or noun or said):
        subject = _COUNT_SUFFIX.sub("", previous)  # 托管20周次、40余天: the list goes on
    if noun and said and _MOBILISE.search(subject) and not _GOING.search(_clause_after(text, end)):
        return said + noun  # 遴选244家第三方机构参与课后服务: what they take part in
    if noun and said and _LIGHT_VERB.fullmatch(subject):
        return subject + said + noun  # 推进32所新优质学校培育建设: the work pushed on names it
    if noun and subject and (verb := _VERB.search(subject)):
        return subject[verb.start():] + noun  # the actor before the verb is not the subject
    if noun:
        return (said or subject) + noun
    return subject or said or _words_of(text, start, end)


def _done_to(text: str, start: int, end: int) -> str | None:
    """`完成对14所中小学、35所幼儿园的综合督导`: what was counted is what the review was done to."""
    low = max(0, start - _REACH)
    if not _DONE_TO.search(text, _last_break(_LAST_AFTER_BREAK, text, low, start), start):
        return None
    noun, _, action = _QUOTES.sub("", _clause_after(text, end)).partition("的")
    if not _REVIEW.search(action) or _DIGIT.search(action):
        return None
    return _trim(action) + noun.split("、")[0]


def _topic(text: str, sentence_start: int, start: int) -> str:
    """The event or programme an earlier clause of the sentence names, for a short phrase.

    `开展全市教师优质课竞赛活动，评选出一等奖87名`: the prize is the contest's. Only clauses
    after the last `；` count, and only the part after their last verb (the event itself).
    """
    low = max(sentence_start, start - _REACH)
    segment = text[low:start]
    segment = segment[max(segment.rfind("；"), segment.rfind(";")) + 1:]
    clauses = _TOPIC_BREAK.split(_QUOTES.sub("", _EVENT_SLOGAN.sub("", segment)))[:-1]
    for clause in reversed(clauses[-_TOPIC_CLAUSES:]):
        clause = _EVENT_WORD.sub("", clause)
        if not _EVENT.search(clause):
            continue
        verbs = list(_TOPIC_START.finditer(clause))
        event = _trim(clause[verbs[-1].end():] if verbs else clause)
        named = len(event) >= _OWN_SUBJECT and not _LIST_OR_NUMBER.search(event)
        return event if named else ""  # not a list of programmes (领航、领学和强基四项工程)
    return ""


def _shared_noun(text: str, end: int, unit: str) -> str:
    """`市级20项、区级10项、学校10项体育竞赛`: the noun after a list's last figure is every item's.

    Only a list of figures in the same unit shares one: `3200人次、资金480万元` measures two things.
    """
    pos = end
    while unit and (m := _NEXT_FIGURE.match(text, pos, pos + _REACH)) and text.startswith(unit, m.end()):
        pos = m.end() + len(unit)
        if qualifier := _QUALIFIER_AFTER.match(text, pos):
            pos = qualifier.end()
    if pos == end:
        return ""
    noun, _ = _after(_QUOTES.sub("", _clause_after(text, pos)))
    return noun


def _is_share(
    text: str, before: str, subject: str, noun: str, clause_start: int, start: int, previous: str
) -> bool:
    """`其中小学3200个、初中2600个`: a short subject after 其中, or after 、 or ， in such a list."""
    if noun or not 0 < len(subject) <= _SHARE_NAME:
        return False
    if before.startswith("其中"):
        return True
    begins = _last_break(_LAST_CLAUSE_BREAK, text, clause_start, start)
    after_comma = text[begins - 1:begins] in ("，", ",") and not _VERB.search(subject)
    return "（" in previous and before == subject and (text[begins - 1:begins] == "、" or after_comma)


def _with_share(parent: str, share: str) -> str:
    """`parent（share）` in at most `_MAX_LENGTH` characters, the share keeping some room."""
    room = max(_SHARE_LENGTH, _MAX_LENGTH - 2 - len(parent))
    bracket = f"（{share[-room:]}）" if share else ""
    return _cap(parent, _MAX_LENGTH - len(bracket)) + bracket


def _respective(text: str, sentence_start: int, start: int) -> str | None:
    """The k-th of the things listed before 分别 names the k-th figure after it.

    `学前教育毛入园率、义务教育巩固率和高中阶段毛入学率分别达到98.5%、100%和99.1%`. An item
    shorter than the last one shares its head: `小学、初中在校生分别为…` → 小学在校生.
    """
    segment = text[max(sentence_start, start - _REACH):start]
    at = segment.rfind("分别")
    if at < 0 or _AFTER_BREAK.search(segment, at):
        return None  # no 分别 in the quantity's own clause
    k = len(_ITEM_SEP.findall(segment, at + 2))
    listed = _QUOTES.sub("", segment[_last_break(_LAST_AFTER_BREAK, segment, 0, at):at])
    items = [item for item in _ITEM_SEP.split(listed) if item]
    if len(items) < 2 or k >= len(items):
        return None
    item, last = _clean(items[k]), _clean(items[-1])
    if k < len(items) - 1 and len(item) < len(last):
        item += last[len(item):]
    return item


def _earlier_clause(text: str, sentence_start: int, start: int) -> str:
    """The clause before the quantity's own, when its own says nothing of what is counted."""
    clauses = _TOPIC_BREAK.split(_QUOTES.sub("", text[max(sentence_start, start - _REACH):start]))
    earlier = _clean(clauses[-2]) if len(clauses) > 1 else ""
    return "" if _LIST_OR_NUMBER.search(earlier) else earlier


def _with_suffix(phrase: str, kind: str, unit: str) -> str:
    if kind == "count" and unit == "人次" and phrase.endswith("人数"):
        return phrase.removesuffix("人数") + "人次"  # 抽检人数达73万人次: the unit says what was counted
    if kind == "count" and phrase and not _COUNT_SUFFIX.search(phrase):
        if (unit == "人" and _PERSON_NOUN.search(phrase)) or (unit == "项" and _ITEMS.search(phrase)):
            return phrase + "数"
        return phrase + _UNIT_SUFFIX.get(unit, "数")
    if kind == "amount" and phrase and unit in _AMOUNT_SUFFIX and not _AMOUNT_NOUN.search(phrase):
        return phrase + _AMOUNT_SUFFIX[unit]
    return phrase


def _words_of(text: str, start: int, end: int) -> str:
    """Last resort, never an empty cell: the clause's words with its numbers taken out."""
    after = _NUMBER_AND_UNIT.sub("", _clause_after(text, end))
    return _clean(after) or text[start:end]


def _parenthesis(text: str, clause_start: int, start: int) -> str | None:
    """The words before an open bracket the quantity stands in: 培养计划100名（学前教育10名.

    Only the last `_REACH` characters are read, so the cost per quantity never grows with the
    document.
    """
    low = max(0, start - _REACH)
    opened = max(text.rfind("（", low, start), text.rfind("(", low, start))
    if opened < 0 or max(text.rfind("）", low, start), text.rfind(")", low, start)) > opened:
        return None
    return _QUOTES.sub("", text[_last_break(_LAST_CLAUSE_BREAK, text, max(low, opened - _REACH), opened):opened])


def _parent(part: str, previous: str | None) -> str:
    own = _clean(_TRAILING_NUMBER.sub("", part))
    if len(own) >= _OWN_SUBJECT:
        verb = _VERB.search(own)
        return own[verb.start():] if verb and verb.start() >= _ACTOR else own  # 某校某人入选…（全省50人）: not the actor
    return previous.split("（", 1)[0] if previous else own


def _rate_subject(subject: str, previous: str | None) -> str:
    """A bare rate noun (参与率, 占比) borrows its subject from the quantity before it."""
    if previous and (not subject or not _RATE_NOUN.search(subject)):
        return previous
    if previous and _BARE_RATE.match(subject) and not _ADDED.match(previous):
        stem = _RATE_NOUN.sub("", _SUFFIX.sub("", previous))
        for overlap in range(len(subject) - 1, 0, -1):
            if stem.endswith(subject[:overlap]):
                stem = stem[:-overlap]
                break
        else:
            if previous.endswith("率"):
                stem = stem[:-2]  # 课后服务覆盖率 + 参与率 → 课后服务参与率: another measure of it
            stem = stem.replace(_RATE_NOUN.sub("", subject), "", 1)  # 参与学生 + 参与率 → 学生参与率
        return stem + subject
    return subject


def _clause_before(text: str, clause_start: int, start: int) -> str:
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
    while begins > low and text[begins - 1] in "）)" and (aside := _ASIDE_BEFORE.search(text, low, begins)):
        begins = _last_break(_LAST_CLAUSE_BREAK, text, clause_start, aside.start())
        clause = text[begins:aside.start()] + clause
    return clause


def _last_break(breaks: regex.Pattern, text: str, low: int, high: int) -> int:
    """Where the last clause break in text[low:high] ends, else `low`; `breaks` searches backwards."""
    m = breaks.search(text, low, high)
    return m.end() if m else low


def _list_before(text: str, clause_start: int, start: int) -> str | None:
    """A list of named items that ends at the number (`中小学、幼儿园30所`, `A、B等10名`).

    Items with numbers of their own (`市级20项、区级10项`) are other quantities, not a list.
    """
    low = max(clause_start, start - _REACH)
    begins = _last_break(_LAST_AFTER_BREAK, text, low, start)
    if begins == low and low > 0 and not _AFTER_BREAK.match(text, low - 1):
        return None  # the first item is the noun of the quantity before (8个专业、在校生规模)
    clause = text[begins:start]
    if not _LISTED.match(clause) or _DIGIT.search(_YEARS.sub("", clause)):
        return None  # a year before the list (2023年计划新建、改扩建) is no item's number
    return _QUOTES.sub("", clause).removesuffix("等")


def _clause_after(text: str, end: int) -> str:
    """The words from `end` to the next clause break; a short aside in brackets is skipped
    (`234个中小学（幼儿园）校门口幸福空间`)."""
    after = _PER_UNIT.sub("", _ASIDE.sub("", text[end:end + 2 * _AFTER_LENGTH]), count=1)
    m = _AFTER_BREAK.search(after, 0, _AFTER_LENGTH)
    return after[:m.start() if m else _AFTER_LENGTH]


def _after(after: str) -> tuple[str, str]:
    """The noun right after a number, and what the clause then says of it (its verb phrase).

    A modifier ending in 的 gives way to its head (占比较高的民办学校 → 民办学校); the verb
    phrase stops at the next number or list item, which belong to another quantity.
    """
    m = _NOUN_END.search(after)
    while m and m[0] == "的":
        head = _NOUN_END.search(after, m.end())
        if (head.start() if head else len(after)) == m.end():
            break  # nothing after 的: the noun is what stood before it
        if _PRAISE.match(after, m.end(), head.start() if head else len(after)):
            break  # 3个第五名的好成绩: the place is counted, not the praise
        after = after[m.end():]
        m = _NOUN_END.search(after)
    if m and m[0] in _JOINS and not _NOUN_END.search(after, m.end()):
        return after, ""  # 42个国家级和省级一流本科专业建设点: one noun, joined
    if not m:
        return after, ""
    if m[0] in "、0123456789" or m[0] == "的":
        return after[:m.start()], ""
    said = _NEXT_ITEM.split(_YEARS.sub("", after[m.start():]), maxsplit=1)[0]
    said = _clean(_without_frame(said))  # 18位教师为全市学生提供心理援助 → 提供心理援助
    head = said.rsplit("的", 1)[-1]  # 进行全市范围内的单向交流 → 单向交流
    return after[:m.start()], (head if len(head) >= 2 else said)[:_MAX_LENGTH]


def _headed(noun: str, unit: str) -> str:
    """The noun a measure word counts ends at its head: 394所中小学校党员规模 counts 中小学校."""
    head = _HEADS[unit].match(noun) if unit in _HEADS else None
    return noun[:head.end()] if head else noun


def _without_frame(before: str) -> str:
    """What was done, without who had it all, where or for whom it was done.

    `教育系统共有在职教职工` → 在职教职工; `在市安全监管平台录入隐患` → 录入隐患;
    `向省厅推荐候选人` → 推荐候选人. Where something is published stays: 在市活动办发布报道.
    """
    if (owned := _OWNS.search(before)) and not before.startswith("每"):
        before = before[owned.end():]  # 教育系统共有在职教职工1.8万人 (but 每百名学生拥有计算机)
    if (place := _PLACE.match(before)) and (verb := _VERB.search(before, place.end())) and not _PUBLISHED.search(before):
        return before[verb.start():]
    return before


def _clean(phrase: str) -> str:
    """Strip context words from both ends, and named examples before 等 (A、B等C → C).

    A verb before the examples stays: 开展新时代党的创新理论等专题宣讲 → 开展专题宣讲.
    """
    phrase = _WON_IN.sub("", phrase)
    if m := _EXAMPLES.search(phrase):
        verb = _VERB.match(phrase)
        phrase = (verb[0] if verb and verb.end() < m.end() else "") + phrase[m.end():]
    return _trim(phrase)


def _trim(phrase: str) -> str:
    phrase = _PER.sub("", _EACH.sub("", _ORDINAL.sub("", phrase.replace("了", ""))))
    previous = None
    while phrase != previous:
        previous = phrase
        phrase = _LEADING.sub("", _TRAILING.sub("", phrase))
    return phrase


def _cap(phrase: str, limit: int = _MAX_LENGTH) -> str:
    """At most `limit` characters: the head noun at the end, and the verb at the start."""
    if len(phrase) <= limit:
        return phrase
    verb = _TOPIC_START.match(phrase)
    kept = verb.end() if verb and verb.end() <= 3 else 0
    return phrase[:kept] + phrase[len(phrase) - limit + kept:]
