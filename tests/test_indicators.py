"""Indicator names: subject phrases taken from the clause, and canonical names from the packs."""

import pytest

from edu_metrics import extract_text, load_rules
from edu_metrics.indicators import Indicator, canonicalise


@pytest.mark.parametrize(
    ("text", "quantity", "indicator"),
    [
        ("全县普惠性幼儿园覆盖率提升至88.36%，", "88.36%", "普惠性幼儿园覆盖率"),
        ("新增省市优质园53所。", "53所", "新增省市优质园数"),
        ("新增9个三年制中职专业。", "9个", "新增三年制中职专业数"),
        ("组织240人参加全省中小学班主任网络研修。", "240人", "参加全省中小学班主任网络研修人数"),
        ("学科竞赛成绩突出，41人获省赛一等奖。", "41人", "获省赛一等奖人数"),
        # People counted by a word for people are that word's 数, as in statistical yearbooks.
        ("举办暑期托班，服务学生1.2万余人。", "1.2万余人", "服务学生数"),
        ("2023年全年印发文件56件，同比减少18.4%。", "56件", "印发文件数"),
        # A measure word counts its head: what follows the head is said of the things counted.
        ("全面排查217所中小学校安全隐患、整改落实情况。", "217所", "排查中小学校数"),
        ("安排25位骨干班主任全天候为家长提供咨询服务。", "25位", "提供咨询服务骨干班主任数"),
        ("表彰师德标兵34名。", "34名", "表彰师德标兵数"),
        ("上万名学生受益。", "上万名", "受益学生数"),
        ("已完成8轮检测，检测人数达52万余人次。", "52万余人次", "检测人次"),
        # 项 counts items of a contest or a list (项数), but a programme or action by itself.
        ("每年至少举办市级20项体育竞赛。", "20项", "举办市级体育竞赛项数"),
        ("梳理形成60项问题清单。", "60项", "梳理形成问题清单项数"),
        ("实施十项行动。", "十项", "实施行动数"),
        ("印发宣传手册12.5万份。", "12.5万份", "印发宣传手册份数"),
        ("严格按照每周抽取10%学生进行体质监测。", "10%", "每周抽取学生占比"),
        # What was added this year is no population a bare rate is of.
        ("新增公办幼儿园学位3600个，普惠率提高到88%。", "88%", "普惠率"),
        ("公开招聘教师210名，其中研究生学历35名。", "35名", "公开招聘教师数（研究生学历）"),
        ("调整区属学校副校长46人。", "46人", "调整区属学校副校长数"),
        ("全县注册志愿服务家长达2860人。", "2860人", "注册志愿服务家长数"),
        ("资助困难学生300人，发放资助金50万元。", "50万元", "困难学生发放资助金"),
        ("组织开展理论中心组学习23次。", "23次", "开展理论中心组学习次数"),
        ("参培老师达24万人次。", "24万人次", "参培老师人次"),
        ("文林中学、华士中学等23所学校创成智慧校园。", "23所", "创成智慧校园学校数"),
        ("义务教育阶段参与课后服务学生96200人，参与率97.42%。", "97.42%", "义务教育阶段课后服务参与率"),
        ("全县41207名学生参保，参保率98.60%。", "98.60%", "学生参保率"),
        ("全年印发文件56件，同比减少18.4%；", "18.4%", "印发文件数"),
        ("我县义务教育优质均衡达标比例76.5%，列全市第三。", "三", "义务教育优质均衡达标比例全市排名"),
        ("学生艺术素质测评优秀率全市第一。", "一", "学生艺术素质测评优秀率全市排名"),
        ("综合排名由全省第15位上升至第8位。", "15位", "综合全省排名"),
        ("综合排名由全省第15位上升至第8位。", "8位", "综合全省排名"),
        # A comparison with an average names the rate compared.
        ("本科上线率比全省平均高出3.2个百分点。", "3.2个百分点", "本科上线率"),
        ("近视率较上年同期下降了1.5个百分点。", "1.5个百分点", "近视率"),
        ("教育经费投入3000万元，下降幅度达到12%。", "12%", "教育经费投入"),
        ("学科类培训机构由95家压减至4家。", "4家", "学科类培训机构数"),
        ("今年新增省级课程基地4个，累计达到37个。", "37个", "累计省级课程基地数"),
        # 分别: the k-th thing listed names the k-th figure; a shorter item shares the head.
        ("巩固率、毛入学率和合格率分别达到99.5%、98%和100%。", "98%", "毛入学率"),
        ("巩固率、毛入学率和合格率分别达到99.5%、98%和100%。", "100%", "合格率"),
        ("小学、初中在校生分别为2.1万人和1.2万人。", "2.1万人", "小学在校生数"),
        # 其中 breaks a figure down: the share is named in brackets after it.
        ("新增学位5800个，其中小学3200个、初中2600个。", "3200个", "新增学位数（小学）"),
        ("新增学位5800个，其中小学3200个、初中2600个。", "2600个", "新增学位数（初中）"),
        ("评选先进集体10个、先进个人20名。", "20名", "评选先进个人数"),  # the list's verb is every item's
        # Praise after 的 (好成绩) is not what is counted; a verb before 先进 is part of an award.
        ("获得2个第一名的好成绩。", "2个", "获得第一名数"),
        ("评选20所平安校园建设先进学校。", "20所", "评选平安校园建设先进学校数"),
        ("确定50名骨干教师培养对象。", "50名", "确定骨干教师培养对象数"),
        # Money paid out after a count of people is theirs.
        ("资助家庭经济困难学生1.2万人次，发放助学金1500万元。", "1500万元", "家庭经济困难学生发放助学金"),
        ("新建学校3所，投入资金1.5亿元。", "1.5亿元", "投入资金"),
        # A short aside in brackets inside the noun after a number is skipped.
        ("打造120个中小学（幼儿园）心理辅导室。", "120个", "打造中小学心理辅导室数"),
        # The noun after a list's last figure is every item's.
        ("创建省级3个、市级5个、县级8个示范家长学校。", "5个", "市级示范家长学校数"),
        ("评选骨干教师工作室30个左右、班主任工作室8个左右。", "30个左右", "评选骨干教师工作室数"),
        ("学前教育资助3200人次、资金480万元。", "3200人次", "学前教育资助人次"),
        # Speeches: the speaker and the modal verbs are not the indicator.
        ("过去一年，我们新建学校7所。", "7所", "新建学校数"),
        # The reporting place is the region column's (我县, 本区), but 本县招生 (local intake) is a share.
        ("我县新建幼儿园6所。", "6所", "新建幼儿园数"),
        ("本区高考本科上线率为82.6%。", "82.6%", "高考本科上线率"),
        ("职业学校招生共计900人，其中本县招生600人。", "600人", "职业学校招生数（本县招生）"),
        ("全县仍有56人以上大班额23个。", "23个", "56人以上大班额数"),
        ("今年，我们要确保新建学校12所。", "12所", "新建学校数"),
        # A clause that says nothing of what is counted takes the clause before it.
        ("配齐专职心理健康教师，每校至少1名。", "至少1名", "配齐专职心理健康教师数"),
        ("完成农村订单式教师培养任务80名（学前教育20名、小学教育45名）。", "45名", "完成农村订单式教师培养任务数（小学教育）"),
        ("获评省示范性实训基地（全省40个，苏州市4个）。", "4个", "获评省示范性实训基地数（苏州市）"),
        ("梳理审批事项40项（35项网上办理，5项窗口办理）。", "5项", "梳理审批事项数（窗口办理）"),
        # A share keeps its scope (全省), and the actor before the verb is not the indicator.
        ("实验中学王明入选省特级教师（全省120人，无锡大市15人）。", "120人", "入选省特级教师数（全省）"),
        ("评选出优秀奖56名，三等奖98名；", "98名", "三等奖数"),
        ("2名科级干部晋升一级主任科员，3人晋升二级主任科员。", "3人", "晋升二级主任科员人数"),
        ("对全县6所外来务工子女较多的民办学校的8600名在校生实行政府购买学位。", "6所", "民办学校数"),
        ("下达县级学前教育奖补资金418万元。", "418万元", "下达县级学前教育奖补资金"),
        # An aside in brackets before the number is skipped.
        ("现有校外活动场所（含青少年宫）12个。", "12个", "校外活动场所数"),
        # A list of named items is what is counted; before a noun, the items are its examples.
        ("年内开工新建小学、初中8所。", "8所", "开工新建小学、初中数"),
        ("新增护理、康复治疗2个专业。", "2个", "新增专业数"),
        ("8所学校创成省、市文明校园。", "8所", "创成省、市文明校园学校数"),
        ("2023年计划新建、改扩建学校10所。", "10所", "新建、改扩建学校数"),
        # Measure words and units decide how a name ends.
        ("完成全员核酸检测5轮。", "5轮", "完成全员核酸检测轮次"),
        ("全年组织各类考试12场次。", "12场次", "考试场次"),
        ("累计建设校舍3.2万平方米。", "3.2万平方米", "建设校舍面积"),
        ("购置图书设备120万元。", "120万元", "购置图书设备资金"),
        ("承诺件的办结时限均在5天以内。", "5天以内", "承诺件的办结时限"),
        # The basis of a standard (每生每年) is its unit, not its name.
        ("小学生均公用经费标准提高到每生每年720元。", "720元", "小学生均公用经费标准"),
        # A level given per group names the group in brackets; a per-unit basis is no noun.
        ("生均公用经费提高到小学720元/生·年、初中920元/生·年。", "720元", "生均公用经费（小学）"),
        ("生均公用经费提高到小学720元/生·年、初中920元/生·年。", "920元", "生均公用经费（初中）"),
        ("生均教学仪器设备值4850元。", "4850元", "生均教学仪器设备值"),
        # A ratio's basis stays: 每百名学生拥有.
        ("每百名学生拥有计算机22.5台。", "22.5台", "每百名学生拥有教学用计算机数"),
        ("普通高中每百名学生拥有计算机23台。", "23台", "普通高中每百名学生拥有教学用计算机数"),
        # A short phrase borrows the contest or programme an earlier clause names; a campaign
        # lends nothing, what it did stands on its own.
        ("开展全市青年教师基本功竞赛活动，评选出一等奖12名，二等奖20名。", "20名", "青年教师基本功竞赛二等奖数"),
        ("组织8所学校参加首届校园足球联赛，3所获一等奖。", "3所", "校园足球联赛一等奖数"),
        ("推进薄弱学校改造工程，投入资金3000万元，建设校舍2万平方米。", "2万平方米", "薄弱学校改造工程建设校舍面积"),
        ("开展暑期护苗专项行动，检查培训机构120家。", "120家", "检查培训机构数"),
        # 校 of 校医 and 园 of 校园 begin other words: the schools counted end before them.
        ("全市235所学校配备校医120名。", "235所", "学校数"),
        ("新建校舍的12所学校校园面积扩大。", "12所", "新建校舍学校数"),
        # A long name is cut at its start, never inside a number.
        ("全区新录用教师中全球排名500强大学和国内一流学科建设高校毕业生占比为35%。", "35%",
         "500强大学和国内一流学科建设高校毕业生占比"),
        # 省、市级: levels written short are one noun, not a list of two.
        ("新增3所国家、省级特色学校。", "3所", "新增国家、省级特色学校数"),
        ("共计拨付资金120万元。", "120万元", "拨付资金"),
        # The figure a bracket follows is no part of the name of the figure in the bracket; a
        # change in the bracket (here against a requirement) is named after that figure.
        ("市级统筹经费中列支86万元（高出要求12万元）。", "12万元", "市级统筹经费中列支资金"),
        # A programme's name may carry a number; a count of programmes lends nothing.
        ("扎实推进“3+2”中高职衔接试点，遴选学校9所。", "9所", "3+2中高职衔接试点遴选学校数"),
        ("深化“5G+智慧教育”应用试点，遴选学校9所。", "9所", "5G+智慧教育应用试点遴选学校数"),
        ("实施领航、领学两项工程，评选出骨干教师40名。", "40名", "评选出骨干教师数"),
        # A platform lends its name too; a verb right before 平台 is part of that name.
        ("升级打造“学易通”入学服务平台，实现入学一网办，服务学生12万名。", "12万名", "学易通入学服务平台服务学生数"),
        ("建成区域教研监测平台，覆盖学校86所。", "86所", "区域教研监测平台覆盖学校数"),
        ("推进重点项目建设，投入资金3亿元。", "3亿元", "重点项目建设投入资金"),
        # A clause of verbs alone does them to what the figure before it counted; 落实 only moves
        # the work along, and a bare rate after them is the rate of that work.
        ("受理群众投诉120件，办结118件。", "118件", "办结群众投诉数"),
        ("排查安全隐患85处，落实整改80处。", "80处", "整改安全隐患数"),
        ("录入隐患40条，整改40条，整改率100%。", "100%", "隐患整改率"),
        # A bare rate with nothing before it is the rate of the topic the sentence opens with;
        # an opening that is an action or a fact is no topic.
        ("体育工作更加扎实，加大训练力度，达标率达到95%。", "95%", "体育工作达标率"),
        ("校园安全体系日益健全，合格率为100%。", "100%", "校园安全体系合格率"),
        ("全面开展视力筛查，筛查率达到100%。", "100%", "筛查率"),
        # An aside that defines the measure keeps its words (one that notes what is included does not).
        ("专任教师学历合格率100%，初中高学历（本科及以上）教师比例达到92.3%。", "92.3%", "初中高学历本科及以上教师比例"),
        ("建成青少年科技馆（站）项目9个。", "9个", "建成青少年科技馆站项目数"),
        # A slogan in quotes after the programme's name is not part of it.
        ("深化校园足球试点“提质增效”，新增8所特色学校。", "8所", "校园足球试点新增特色学校数"),
        # The batch or edition changes every year, so it is no part of the name.
        ("成立第四批市级名师工作室30个。", "30个", "成立市级名师工作室数"),
        # Verbs of holding a level (稳定在, 保持在), 仅为 and list markers (二是) are not the subject.
        ("普惠性幼儿园覆盖率稳定在90%以上。", "90%以上", "普惠性幼儿园覆盖率"),
        ("二是结构性缺编约300人，男教师占比仅为18.7%。", "18.7%", "男教师占比"),
        ("二是结构性缺编约300人，男教师占比仅为18.7%。", "约300人", "结构性缺编人数"),
        ("本科上线人数首次突破1万人。", "突破1万人", "本科上线人数"),
        ("办结率100%，群众满意度达98.5%。", "98.5%", "群众满意度"),
        ("教育系统共有在职教职工1.8万人。", "1.8万人", "在职教职工人数"),
        ("全县教育系统共完成校舍维修1.2万平方米。", "1.2万平方米", "完成校舍维修面积"),
        ("校外培训机构由原来的46家压减至5家，压减率89.1%。", "89.1%", "校外培训机构压减率"),
        # Names are read from folded text, so traditional forms line up with simplified ones.
        ("專任教師1.5萬人，研究生學歷教師佔比12.3%。", "12.3%", "研究生学历专任教师比例"),
        ("巩固率保持100%，本科达线率力争达到90%。", "90%", "本科上线率"),
        ("招聘新教师800名，其中研究生学历不低于30%。", "不低于30%", "研究生学历占比"),
        # A share of a whole named after 占 is the part's 占比, as when it follows the part's count.
        ("民办学校在校生占全市在校生总数的12.3%。", "12.3%", "民办学校在校生占比"),
        ("民办学校在校生3.2万人，占全市在校生的12.3%。", "12.3%", "民办学校在校生占比"),
        # A share with no subject before it is named by what follows: the things and what they did.
        ("九成以上学校建成标准化实验室。", "九成以上", "建成标准化实验室学校占比"),
        ("毕业生就业率98.2%，对口就业率76.5%。", "76.5%", "对口就业率"),
        # How much of the plan the figure before it is.
        ("新增学位5200个，完成年度目标的104%。", "104%", "新增学位完成率"),
        # 占…的 names the share of the figure before it.
        ("民办学校在校生3.8万人，占全市在校生总数的12.5%。", "12.5%", "民办学校在校生占比"),
        # A change of a rate named in its own clause is that rate's, not the one before.
        ("体质健康达标率95%，近视率降低0.5个百分点。", "0.5个百分点", "近视率"),
        # A rate with a subject of its own keeps it, whatever stands before it.
        ("普惠性幼儿园覆盖率92.65%，公办园覆盖率62.85%。", "62.85%", "公办园覆盖率"),
        # Bodies chosen or sent are named by what they then do, unless they are sent somewhere.
        ("遴选52家社会机构参与课后服务。", "52家", "参与课后服务社会机构数"),
        ("选派30名骨干教师赴西部地区支教。", "30名", "选派骨干教师数"),
        ("安排20名教师为留守儿童提供课业辅导。", "20名", "提供课业辅导教师数"),
        # Named examples before 等 give way to what they are examples of; 中等职业 is a word.
        ("开展法治教育等专题讲座30余场。", "30余场", "开展专题讲座场次"),
        ("新增中等职业学校2所。", "2所", "新增中等职业学校数"),
        # Light verbs and modifiers ending in 的 are not the action.
        ("统筹超编学校20位教师进行全市范围内的交流轮岗。", "20位", "交流轮岗教师数"),
        # What a review was done to: 对 + the things counted + 的 + the review.
        ("完成对12所中小学、30所幼儿园的专项督导。", "30所", "专项督导幼儿园数"),
        # 在 starts a noun (在校生, 在园幼儿) as often as a place.
        ("全市3000名在校生参加意外伤害保险。", "3000名", "参加意外伤害保险在校生数"),
        # 在 + a one-character place (在锡, 在宁) before 高校 is part of the name.
        ("在苏高校毕业生就业率达95%。", "95%", "在苏高校毕业生就业率"),
        # 目前的 is when, not what: the rate's own subject stays.
        ("民办高中在校生占比降至目前的6.2%。", "6.2%", "民办高中在校生占比"),
        # Nouns joined by 和 are one thing counted.
        ("认定8个市级和省级名师工作室。", "8个", "认定市级和省级名师工作室数"),
        # Where something was done is not what was done; where it was published is.
        ("在市教育云平台录入问题线索56条。", "56条", "录入问题线索数"),
        ("依托市青少年宫开设兴趣班120个。", "120个", "开设兴趣班数"),
        ("在省教育厅网站发布信息23篇。", "23篇", "省教育厅网站发布信息数"),
        ("向省教育厅推荐优秀课例40节。", "40节", "推荐优秀课例数"),
        # 工作 after an action is a filler: 完成抽检工作 is 完成抽检.
        ("完成6轮全体学生视力筛查工作。", "6轮", "完成全体学生视力筛查轮次"),
        # The frame around a contest is not part of its prize.
        ("我市在全省职业院校技能大赛中获一等奖6个。", "6个", "职业院校技能大赛一等奖数"),
        # A verb before a noun head is part of the noun (培训机构, 服务点).
        ("今年新增5家培训机构。", "5家", "新增培训机构数"),
        ("新增9个中高职贯通培养专业。", "9个", "新增中高职贯通培养专业数"),
        ("组建8个名师培养工作室。", "8个", "组建名师培养工作室数"),
        # A conjunction left at the start by the clause break is no part of the name.
        ("推荐优秀教师3人及团队2个。", "2个", "团队数"),
        # 现有的 and 各 say nothing about what is counted.
        ("关停现有的6家无证机构。", "6家", "关停无证机构数"),
        ("表彰各学校优秀班主任120名。", "120名", "表彰学校优秀班主任数"),
        # ... but in 各项目 the 项 is the noun's: only 各 goes.
        ("截至年底，各项目累计到位资金3500万元。", "3500万元", "项目累计到位资金"),
        # A verb that only moves work along gives way to the work, which follows the noun.
        ("推进10所中小学校建设。", "10所", "推进建设中小学校数"),
    ],
)
def test_subject_phrases(rules, text, quantity, indicator):
    rows = {q.text: q.indicator for q in extract_text(text, rules)}
    assert rows[quantity] == indicator


def test_change_names_the_indicator_it_changes(rules):
    level, change = extract_text("公办园覆盖率58.4%，同比提升2.6个百分点。", rules)
    assert change.kind == "change" and change.indicator == level.indicator == "公办园覆盖率"


@pytest.mark.parametrize(
    ("text", "quantity", "indicator"),
    [
        # A change counted in places, people or money names what grew and how.
        ("新增幼儿园3所，增加公办学位1500个。", "1500个", "公办学位增加数"),
        ("5所高职院校扩招800人。", "800人", "高职院校扩招人数"),
        # A change of a figure that is already a count names that count.
        ("在校生人数12000人，较上年增加300人。", "300人", "在校生数"),
        # A change said in brackets is of the figure before them.
        ("全年招收新生5000人（比上年增加300人）。", "300人", "招生数"),
        ("安排奖补资金120万元（高出要求20万元）。", "20万元", "奖补资金"),
        # How far a figure is above or below a standard is a change of that figure.
        ("全县生均公用经费为1200元，高出省定标准200元。", "200元", "生均公用经费"),
        ("人均培训经费达到900元，比规定标准高出100元。", "100元", "人均培训经费"),
    ],
)
def test_changes_in_counts(rules, text, quantity, indicator):
    row = next(q for q in extract_text(text, rules) if q.text == quantity)
    assert (row.kind, row.indicator) == ("change", indicator)


def test_every_row_has_an_indicator_on_the_seeds(rules):
    from edu_metrics import extract_paths

    from .conftest import SEEDS

    for outcome in extract_paths([SEEDS], rules):
        for q in outcome.quantities:
            assert q.indicator, (q.doc, q.text, q.sentence)
            # 20 characters, and a few more where a cut would fall inside a word
            assert len(q.indicator.split("（")[0]) <= 28 and q.indicator != q.sentence


def test_names_are_words_in_simplified_characters_on_the_seeds_and_dev_set(rules):
    """No symbols, footnote marks, spaces, pinyin or traditional characters in any name."""
    import regex

    from edu_metrics import extract_paths
    from edu_metrics.numerals import fold

    from .conftest import DEV_DOCS, SEEDS

    word = regex.compile(r"[\p{Han}0-9A-Za-z（）()、+%—–~\-]+")
    rows = [q for outcome in extract_paths([SEEDS, DEV_DOCS], rules) for q in outcome.quantities]
    assert len(rows) > 700
    for q in rows:
        assert word.fullmatch(q.indicator), (q.doc, q.text, q.indicator)
        assert fold(q.indicator) == q.indicator, (q.doc, q.text, q.indicator)
        assert not regex.search(r"[a-z]{2,}", q.indicator), (q.doc, q.text, q.indicator)  # no pinyin
        # no figure: a name carries a number of a name (1+X, 12345热线, 前100名) but no decimal, no money
        assert not regex.search(r"[0-9]\.[0-9]|[0-9](?:万|亿)?元", q.indicator), (q.doc, q.text, q.indicator)


def test_canonical_name_replaces_a_synonym_inside_the_phrase():
    indicators = [Indicator("普惠性幼儿园覆盖率", ("普惠园覆盖率", "普惠幼儿园覆盖率"))]
    assert canonicalise("全市普惠园覆盖率", indicators) == "全市普惠性幼儿园覆盖率"
    assert canonicalise("普惠性幼儿园覆盖率", indicators) == "普惠性幼儿园覆盖率"
    assert canonicalise("公办园覆盖率", indicators) == "公办园覆盖率"


def test_canonical_name_does_not_repeat_the_words_before_the_synonym():
    indicators = [Indicator("学生体质健康优良率", ("体质健康测试优良率",))]
    assert canonicalise("学生体质健康测试优良率", indicators) == "学生体质健康优良率"
    assert canonicalise("初中体质健康测试优良率", indicators) == "初中学生体质健康优良率"


def test_builtin_synonyms_give_the_canonical_name(rules):
    [row] = extract_text("全市普惠园覆盖率达到93.5%。", rules)
    assert row.indicator == "普惠性幼儿园覆盖率"


def test_coverage_and_participation_stay_apart(rules):
    covered, took_part = extract_text("课后服务覆盖面达100%，参与率95%。", rules)
    assert (covered.indicator, took_part.indicator) == ("课后服务覆盖率", "课后服务参与率")


def write_pack(tmp_path, text):
    pack = tmp_path / "names.toml"
    pack.write_text(text, encoding="utf-8")
    return pack


def test_pack_indicators_are_loaded(tmp_path):
    pack = write_pack(tmp_path, '[[indicators]]\nname = "生师比"\nsynonyms = ["师生比"]\n')
    assert load_rules([pack], builtin=False).indicators == (Indicator("生师比", ("师生比",)),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[indicators]]\nname = "甲"\ncolour = "red"\n', "names.toml:2: indicator 1: needs exactly 'name'"),
        ('[[indicators]]\nname = "甲"\nsynonyms = "乙"\n', "'synonyms' a list of strings"),
        ('[[indicators]]\nname = "甲"\nsynonyms = ["乙"]\n[[indicators]]\nname = "丙"\nsynonyms = ["乙"]\n',
         "names.toml:5: indicator 2: '乙' already names the indicator '甲'"),
    ],
)
def test_broken_indicator_entries(tmp_path, text, message):
    from edu_metrics import RulePackError

    with pytest.raises(RulePackError) as error:
        load_rules([write_pack(tmp_path, text)], builtin=False)
    assert message in str(error.value)


def test_a_percentage_of_a_target_is_no_share_of_people(rules):
    [rate] = [q for q in extract_text("达标率提升至91.37%，完成90%的既定目标。", rules) if q.text == "90%"]
    assert "占比" not in rate.indicator
