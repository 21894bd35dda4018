"""Extractors over real clause text from the five corpus documents.

000 山西省能源局 绿电就地转化方案 (responsibility lists), 001 山西碳达峰碳中和实施意见,
002 山西零碳产业示范区方案, 003 山西工业领域碳达峰方案, 004 广西绿电直连方案.
"""
from __future__ import annotations

import re

import pytest

from ingest.extract import (
    classify_measures, find_agencies, find_citations, find_industries, find_targets,
)
from ingest.extract.lexicon import domain_terms, load_agency_lexicon, load_industry_scheme

SX = "山西省"
GX = "广西壮族自治区"


def agencies(text, region):
    found = find_agencies(text, region)
    for a in found:
        assert text[a.span.start:a.span.end] == a.as_written
    return found


def roles(text, region):
    return [(a.name, a.role) for a in agencies(text, region)]


def targets(text):
    found = find_targets(text)
    for t in found:
        assert text[t.span.start:t.span.end] == t.text
    return found


# ======================================================================= agencies

DOC000_ITEM1 = (
    "1.以绿电集聚出口型新兴制造业项目。以工业类开发区为载体，聚焦出口型电动汽车、动力电池、无人机、"
    "机器人、智能家电等新兴制造业和消费品行业，瞄准相关头部企业的绿电消费需求，开展绿电供应专项招商，"
    "全力打造绿色低碳制造园区。（省商务厅、省工信厅、省投促局，省综改示范区管委会、各市人民政府，"
    "各单位按职责分工负责，下同）"
)


def test_plain_responsibility_list_is_listed_without_an_invented_lead():
    assert roles(DOC000_ITEM1, SX) == [
        ("山西省商务厅", "listed"),
        ("山西省工业和信息化厅", "listed"),
        ("山西省投资促进局", "listed"),
        ("山西转型综合改革示范区管理委员会", "listed"),
        ("山西省各设区市人民政府", "listed"),
    ]


def test_generic_addressees_in_a_list_are_not_agencies():
    written = [a.as_written for a in agencies(DOC000_ITEM1, SX)]
    assert "各单位" not in "".join(written)


@pytest.mark.parametrize("text, expected", [
    ("（省能源局、国网山西省电力公司）",
     [("山西省能源局", "listed"), ("国网山西省电力公司", "listed")]),
    ("（省能源局，山西电力交易中心）",
     [("山西省能源局", "listed"), ("山西电力交易中心", "listed")]),
    ("（省能源局、省发改委）",
     [("山西省能源局", "listed"), ("山西省发展和改革委员会", "listed")]),
    ("（省发展改革委、省工信厅、省财政厅、省生态环境厅、中国人民银行太原中心支行、省地方金融监管局、"
     "山西银保监局、山西证监局、山西省金控集团等按职责分工负责）",
     [("山西省发展和改革委员会", "listed"), ("山西省工业和信息化厅", "listed"),
      ("山西省财政厅", "listed"), ("山西省生态环境厅", "listed"),
      ("中国人民银行太原中心支行", "listed"), ("山西省地方金融监督管理局", "listed"),
      ("中国银行保险监督管理委员会山西监管局", "listed"),
      ("中国证券监督管理委员会山西监管局", "listed"),
      ("山西金融投资控股集团有限公司", "listed")]),
])
def test_responsibility_list_names_resolve_to_canonical(text, expected):
    assert roles(text, SX) == expected


@pytest.mark.parametrize("text, expected", [
    ("（省发展改革委牵头，省能源局配合）",
     [("山西省发展和改革委员会", "lead"), ("山西省能源局", "support")]),
    ("（省能源局、省工信厅配合，省发展改革委牵头）",
     [("山西省能源局", "support"), ("山西省工业和信息化厅", "support"),
      ("山西省发展和改革委员会", "lead")]),
    ("省发展改革委牵头会同省能源局、省工信厅研究制定支持政策。",
     [("山西省发展和改革委员会", "lead"), ("山西省能源局", "support"),
      ("山西省工业和信息化厅", "support")]),
])
def test_explicit_lead_and_support_markers(text, expected):
    assert roles(text, SX) == expected


@pytest.mark.parametrize("text, region, expected", [
    # 004: subjects of the sentence
    ("（一）统筹规划协调。自治区能源局负责绿电直连项目的统筹规划，确保绿电直连项目有序发展。", GX,
     [("广西壮族自治区能源局", "lead")]),
    ("并网型绿电直连项目确有必要接入220千伏的，应由自治区能源局会同国家能源局南方监管局组织电网企业、"
     "项目单位等开展电力系统安全风险专项评估，确保电网安全稳定运行。", GX,
     [("广西壮族自治区能源局", "lead"), ("国家能源局南方监管局", "support")]),
    ("（四）项目组织实施。设区市发展改革委（能源局）牵头会同相关部门组织本地区绿电直连项目初审。", GX,
     [("广西壮族自治区各设区市发展和改革委员会（能源局）", "lead")]),
    ("本实施方案自印发之日起施行，由自治区能源局负责解释。", GX,
     [("广西壮族自治区能源局", "lead")]),
    # 002: 省发展改革委 as subject, 会同 makes the rest support
    ("省发展改革委牵头建立零碳（近零碳）产业示范区重点项目库，定期向金融机构推送。", SX,
     [("山西省发展和改革委员会", "lead")]),
    ("省发展改革委会同省科技厅、省工信厅、省财政厅、省生态环境厅、省商务厅、省应急管理厅、"
     "省市场监督管理局、省金融办、省能源局、人行太原中心支行等相关部门建立省级协调推动机制。", SX,
     [("山西省发展和改革委员会", "lead"), ("山西省科学技术厅", "support"),
      ("山西省工业和信息化厅", "support"), ("山西省财政厅", "support"),
      ("山西省生态环境厅", "support"), ("山西省商务厅", "support"),
      ("山西省应急管理厅", "support"), ("山西省市场监督管理局", "support"),
      ("山西省金融工作办公室", "support"), ("山西省能源局", "support"),
      ("中国人民银行太原中心支行", "support")]),
])
def test_agencies_as_sentence_subjects(text, region, expected):
    assert roles(text, region) == expected


@pytest.mark.parametrize("text, region", [
    ("各地各有关部门贯彻落实情况每年11月底前向省委、省政府报告。", SX),       # addressees
    ("科学布局一批算力中心和智算中心项目，优化数据中心运行。", SX),          # facilities
    ("完善重点用能单位能耗在线监测系统，推动高耗能企业建立能源管理中心。", SX),
    ("并将竣工验收报告报送自治区能源局和国家能源局南方监管局。", GX),        # recipients
    ("各市人民政府，省发展改革委、省工信厅，国网山西省电力公司，山西电力交易中心：", SX),  # 主送
    ("方案已经省人民政府同意，现印发给你们。", SX),
    ("山西省能源局关于印发推动绿电资源就地转化助力产业绿色低碳转型工作方案的通知", SX),
    ("各级各部门支持创建主体联合高校、科研院所开展技术联合攻关。", SX),
    ("（各有关部门按职责分工负责）", SX),
])
def test_mentions_without_responsibility_are_not_agencies(text, region):
    assert agencies(text, region) == []


@pytest.mark.parametrize("written, region, canonical", [
    ("省发改委", SX, "山西省发展和改革委员会"),
    ("省发展改革委", SX, "山西省发展和改革委员会"),
    ("省发展和改革委员会", SX, "山西省发展和改革委员会"),
    ("省投促局", SX, "山西省投资促进局"),
    ("省投资促进局", SX, "山西省投资促进局"),
    ("省工信厅", SX, "山西省工业和信息化厅"),
    ("省交通厅", SX, "山西省交通运输厅"),
    ("省住建厅", SX, "山西省住房和城乡建设厅"),
    ("省市场监管局", SX, "山西省市场监督管理局"),
    ("省税务局", SX, "国家税务总局山西省税务局"),
    ("人行太原中心支行", SX, "中国人民银行太原中心支行"),
    ("省能源局", SX, "山西省能源局"),
    ("自治区能源局", GX, "广西壮族自治区能源局"),
    ("自治区发展改革委", GX, "广西壮族自治区发展和改革委员会"),
    ("山西省发改委", GX, "山西省发展和改革委员会"),      # a written region wins
    ("国家发展改革委", SX, "国家发展和改革委员会"),       # national stays national
    ("国家能源局南方监管局", GX, "国家能源局南方监管局"),
    ("省能源局", "", "省能源局"),                        # no region: generic, not a guess
    ("各市人民政府", SX, "山西省各设区市人民政府"),
    ("各单位", SX, None),
    ("电网企业", GX, None),
    ("金融机构", SX, None),
])
def test_lexicon_resolves_aliases_against_the_issuing_region(written, region, canonical):
    assert load_agency_lexicon().resolve(written, region) == canonical


def test_suffix_rule_finds_agencies_missing_from_the_lexicon():
    text = "（省发展改革委、省广播电视局等按职责分工负责）"
    found = agencies(text, SX)
    assert [(a.name, a.role, a.known) for a in found] == [
        ("山西省发展和改革委员会", "listed", True),
        ("山西省广播电视局", "listed", False),
    ]


def test_extra_agency_file_extends_and_overrides(tmp_path):
    extra = tmp_path / "agencies.toml"
    extra.write_text(
        '[[agency]]\nname = "山西省碳中和研究院"\naliases = ["省碳中和研究院"]\n'
        'kind = "coordination-body"\nregion = "山西省"\n\n'
        '[[template]]\nname = "{region}低碳办公室"\naliases = ["低碳办"]\nkind = "department"\n',
        encoding="utf-8",
    )
    lex = load_agency_lexicon(extra)
    assert lex.resolve("省碳中和研究院", SX) == "山西省碳中和研究院"
    assert lex.resolve("省低碳办", SX) == "山西省低碳办公室"
    assert lex.resolve("省能源局", SX) == "山西省能源局"
    text = "（省低碳办、省碳中和研究院）"
    assert [a.name for a in find_agencies(text, SX, lexicon=lex)] == ["山西省低碳办公室", "山西省碳中和研究院"]


def test_lexicon_entries_have_kinds_and_resolvable_parents():
    lex = load_agency_lexicon()
    kinds = {"government", "party", "department", "vertical", "regulator", "company",
             "zone-authority", "coordination-body", "municipal-generic"}
    assert {e.kind for e in lex.entries} <= kinds
    for e in lex.entries:
        if e.parent:
            assert lex.entry(e.parent) is not None, (e.name, e.parent)
    assert lex.entry("山西省能源局").region == SX


# ======================================================================== targets

DOC001_GOALS_2025 = (
    "（三）主要目标。到2025年，绿色低碳循环发展的经济体系初步形成，重点行业能源利用效率大幅提升。"
    "单位地区生产总值能源消耗和二氧化碳排放下降确保完成国家下达目标，非化石能源消费比重达到12%，"
    "新能源和清洁能源装机占比达到50%、发电量占比达到30%，森林覆盖率力争比2020年提高2.5个百分点，"
    "为实现碳达峰、碳中和奠定坚实基础。"
)


def test_year_at_sentence_start_governs_following_sentences():
    found = [(t.year, t.indicator, t.comparator, t.value, t.unit, t.baseline_year, t.firmness)
             for t in targets(DOC001_GOALS_2025)]
    assert found == [
        (2025, "非化石能源消费比重", "达到", 12.0, "%", None, ""),
        (2025, "新能源和清洁能源装机占比", "达到", 50.0, "%", None, ""),
        (2025, "发电量占比", "达到", 30.0, "%", None, ""),
        (2025, "森林覆盖率", "提高", 2.5, "个百分点", 2020, "力争"),
    ]


@pytest.mark.parametrize("text, expected", [
    # 001
    ("到2030年，资源型经济转型任务基本完成。非化石能源消费比重达到18%，新能源和清洁能源装机占比达到60%以上，"
     "风电、光伏发电总装机达到1.2亿千瓦左右，森林覆盖率和森林蓄积量稳步增长。",
     [(2030, "非化石能源消费比重", "达到", 18.0, "%", ""),
      (2030, "新能源和清洁能源装机占比", "达到", 60.0, "%", ""),
      (2030, "风电、光伏发电总装机", "达到", 1.2, "亿千瓦", "左右")]),
    ("持续加强新能源发电并网和送出工程建设，到2025年建成10座500千伏新能源汇集站。",
     [(2025, "500千伏新能源汇集站", "建成", 10.0, "座", "")]),
    ("到2025年，全省煤电机组平均供电煤耗力争降至300克标准煤/千瓦时以下。",
     [(2025, "全省煤电机组平均供电煤耗", "降至", 300.0, "克标准煤/千瓦时", "力争")]),
    # 002
    ("强化矿井主通风机节能改造。到2025年原煤生产电耗降至20kWh/t以内，到2030年原煤生产电耗降至18kWh/t以内。",
     [(2025, "原煤生产电耗", "降至", 20.0, "kWh/t", ""),
      (2030, "原煤生产电耗", "降至", 18.0, "kWh/t", "")]),
    ("合理配置加氢站、加气站和充电桩等交通基础设施，到2025年区内低碳运输工具比例超过70%，"
     "2030年低碳运输工具比例达到100%。",
     [(2025, "区内低碳运输工具比例", "超过", 70.0, "%", ""),
      (2030, "低碳运输工具比例", "达到", 100.0, "%", "")]),
    ("以大型先进产能煤矿为重点，创建5个左右零碳矿山，其吨原煤二氧化碳排放量力争较2020年下降20%以上。"
     .join(["到2025年，零碳产业示范区创建工作初见成效。", ""]),
     [(2025, "零碳矿山", "创建", 5.0, "个", "左右"),
      (2025, "吨原煤二氧化碳排放量", "下降", 20.0, "%", "力争")]),
    # 003
    ("到2025年，水泥熟料能效标杆水平以上的比例达到30%。",
     [(2025, "水泥熟料能效标杆水平以上的比例", "达到", 30.0, "%", "")]),
    ("到2025年，大宗工业固废综合利用率达到57%，2030年进一步提升至62%。",
     [(2025, "大宗工业固废综合利用率", "达到", 57.0, "%", ""),
      (2030, "大宗工业固废综合利用率", "提升至", 62.0, "%", "")]),
    ("到2025年，锂电材料非电能源占比在7%以下。",
     [(2025, "锂电材料非电能源占比", "以下", 7.0, "%", "")]),
])
def test_targets_in_corpus_sentences(text, expected):
    got = [(t.year, t.indicator, t.comparator, t.value, t.unit, t.firmness) for t in targets(text)]
    assert got == expected


def test_distributive_targets_split_into_one_per_value():
    text = ("到2030年，当年新增新能源、清洁能源动力的交通工具比例达到40%左右，"
            "乘用车和商用车新车二氧化碳排放强度分别比2020年下降25%和20%以上。")
    found = targets(text)
    assert [(t.indicator, t.value, t.baseline_year, t.bound) for t in found[1:]] == [
        ("乘用车新车二氧化碳排放强度", 25.0, 2020, "以上"),
        ("商用车新车二氧化碳排放强度", 20.0, 2020, "以上"),
    ]
    assert found[0].indicator == "当年新增新能源、清洁能源动力的交通工具比例"


def test_baseline_that_is_not_a_year_is_kept_as_text():
    text = "焦化深度降碳示范工程。力争到2030年示范企业吨焦碳排放量较项目实施前下降10%以上。"
    (t,) = targets(text)
    assert (t.year, t.indicator, t.comparator, t.value, t.unit) == (2030, "示范企业吨焦碳排放量", "下降", 10.0, "%")
    assert t.baseline_year is None and t.baseline == "项目实施前"
    assert t.firmness == "力争" and t.bound == "以上"


@pytest.mark.parametrize("text, year, period", [
    ("“十四五”期间，争取开工10个以上抽水蓄能项目，加快储能规模化应用。", 2025, "十四五"),
    ("到“十五五”末，非化石能源消费比重达到25%。", 2030, "十五五"),
])
def test_plan_periods_give_deadline_years(text, year, period):
    (t,) = targets(text)
    assert (t.year, t.period) == (year, period)


def test_range_values_keep_both_ends():
    (t,) = targets("到2030年，电网削峰能力达到最高负荷的5%－10%。")
    assert (t.indicator, t.value, t.value_max, t.unit) == ("电网削峰能力", 5.0, 10.0, "%")


def test_explicit_aspiration_without_year_is_a_target():
    text = ("积极推进“公转铁”，煤炭主产区大型工矿企业中长距离运输（运距500公里以上）的煤炭和焦炭中，"
            "铁路运输比例力争达到90%。")
    (t,) = targets(text)
    assert (t.year, t.indicator, t.value, t.firmness) == (None, "铁路运输比例", 90.0, "力争")


def test_mid_sentence_year_does_not_leak_into_later_sentences():
    text = ("绿电直连项目整体新能源年自发自用电量占总可用发电量的比例应不低于60%，占总用电量的比例应不低于30%，"
            "并不断提高自发自用比例，2030年前不低于35%。依托新增负荷实施的并网型绿电直连项目，"
            "新能源上网电量占总可用发电量的比例不超过20%。")
    assert [(t.year, t.indicator, t.comparator, t.value) for t in targets(text)] == [
        (2030, "自发自用比例", "不低于", 35.0),
    ]


@pytest.mark.parametrize("text", [
    "晋能源规发〔2024〕195号",
    "根据《国家发展改革委国家能源局关于有序推动绿电直连发展有关事项的通知》（发改能源〔2025〕650号）",
    "山西省能源局 2024年7月8日",
    "并网型绿电直连项目接入公用电网电压等级不超过220千伏，项目整体应在同一设区市范围内。",
    "考虑技术经济性，直连线路长度原则上不超过50公里。",
    "遴选5个左右大型先进产能煤矿，通过数字化、智慧化手段推动创建主体实现二氧化碳净零排放目标。",
    "确保2023年年底前全面退出4.3米焦炉，大力推动干熄焦余热发电工程。",
    "到2025年，规模以上工业单位增加值能耗下降率达到国家设定目标。",
    "按照《供电营业规则》（2024年第14号令）相关要求及办法进行处置。",
])
def test_numbers_without_target_shape_or_deadline_are_not_targets(text):
    assert targets(text) == []


# ======================================================================= measures

@pytest.mark.parametrize("sentence, kind, subtype", [
    ("严禁对高耗能、高排放、资源型行业实施电价优惠。", "restriction", ""),
    ("未纳入国家有关领域产业规划的，一律不得新建乙烯、对二甲苯、煤制烯烃项目。", "restriction", ""),
    ("加快淘汰高耗能高排放老旧车辆。", "restriction", ""),
    ("落实工业资源综合利用税收优惠政策，积极推进煤矸石、粉煤灰等大宗工业固废规模化高值化利用。", "incentive", "tax"),
    ("对主导或参与国际标准、国家标准、行业标准制修订的单位，分别给予最高100万元、50万元、20万元的经费补助。",
     "incentive", "subsidy"),
    ("省发展改革委统筹安排省级基本建设资金支持零碳（近零碳）产业示范区建设。", "incentive", "funds"),
    ("引导金融机构扩大绿色信贷投放，利用绿色信贷加快制造业绿色低碳改造。", "incentive", "finance"),
    ("积极落实首台（套）重大技术装备、重点新材料首批次应用保险补偿机制。", "incentive", "insurance"),
    ("完善分时电价、阶梯电价等绿色电价政策，加大峰谷电价差。", "incentive", "power_price"),
    ("对开发区内重点建设项目土地出让底价可按不低于土地等别相对应《全国工业用地出让最低价标准》的70%执行。",
     "incentive", "land"),
    ("对工作突出的市、单位和个人按规定给予表彰奖励。", "incentive", "award"),
    ("考虑技术经济性，直连线路长度原则上不超过50公里。", "requirement", ""),
    ("电网企业应向满足并网条件的项目公平无歧视提供电网接入服务。", "requirement", ""),
    # levies are not incentives
    ("绿电直连项目应按规定缴纳输配电费、系统运行费、政策性交叉补贴、政府性基金及附加等费用。", "requirement", ""),
    ("依托已有燃煤燃气自备电厂的存量负荷开展绿电直连的，应足额清缴可再生能源发展基金。", "requirement", ""),
    ("其中，直连线路是指电源与电力用户直接连接的专用电力线路。", "definition", ""),
    ("到2025年原煤生产电耗降至20kWh/t以内。", "target", ""),
    ("构建中部城市群一体两翼、南北呼应的发展格局。", "task", ""),     # 呼应 is not 应
    ("加强机场一体化运营管理。", "task", ""),
])
def test_sentence_types(sentence, kind, subtype):
    (m,) = classify_measures(sentence)
    assert (m.type, m.subtype) == (kind, subtype)


def test_measures_cover_each_sentence_and_skip_the_responsibility_note():
    found = classify_measures(DOC000_ITEM1)
    assert [m.text for m in found] == [
        "1.以绿电集聚出口型新兴制造业项目。",
        DOC000_ITEM1[len("1.以绿电集聚出口型新兴制造业项目。"):DOC000_ITEM1.index("（省商务厅")],
    ]
    for m in found:
        assert DOC000_ITEM1[m.span.start:m.span.end] == m.text


# ===================================================================== industries

def links(text):
    found = find_industries(text)
    for i in found:
        assert text[i.span.start:i.span.end] == i.as_written
    return found


@pytest.mark.parametrize("text, ids", [
    ("以未来可能被纳入碳市场范围的钢铁、水泥、化工、电解铝等行业为重点，建立高载能企业绿电强制消费机制。",
     ["steel", "cement", "chemicals", "electrolytic-aluminium", "energy-intensive"]),
    ("依托离网式绿电积极布局绿电电解水制氢和绿氢制甲醇等项目。", ["green-hydrogen", "green-methanol"]),
    ("聚焦出口型电动汽车、动力电池、无人机、机器人、智能家电等新兴制造业。",
     ["new-energy-vehicles", "lithium-ion-battery", "drones", "robots", "smart-appliances", "manufacturing"]),
    ("科学布局一批算力中心和智算中心项目，优化数据中心运行。",
     ["computing-center", "computing-center", "data-center"]),
    ("围绕风电装备、光伏、新型储能等推进协同创新。", ["wind-equipment", "photovoltaics", "new-type-storage"]),
    ("探索开展CCUS（二氧化碳捕集、利用和封存）产业链项目。", ["ccus", "ccus"]),
    ("促进绿醇在交通、工业、电力等领域应用。", ["green-methanol", "transport", "power"]),
    # ambiguous short labels stay quiet inside longer words
    ("推进电力现货交易试点，构建现代电力市场体系。", []),
    ("依托镁铝资源、绿电资源优势。", []),
])
def test_industry_mentions_longest_match(text, ids):
    assert [i.id for i in links(text)] == ids


def test_industry_scheme_hierarchy_and_codes():
    s = load_industry_scheme()
    assert 60 <= len(s) <= 110
    for c in s:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", c.id)
        assert c.gbt4754 is None or re.fullmatch(r"[A-T](?:\d{2,4})?", c.gbt4754)
        assert c.id not in s.broader_closure(c.id)[1:], f"cycle at {c.id}"
    assert s.get("electrolytic-aluminium").gbt4754 == "C3216"
    assert s.get("steel").gbt4754 == "C31"
    assert s.get("data-center").gbt4754 == "I6450"
    assert "nonferrous" in s.broader_closure("electrolytic-aluminium")
    closure = s.narrower_closure("energy-intensive")
    for cid in ("steel", "nonferrous", "building-materials", "chemicals", "power", "coking",
                "electrolytic-aluminium", "cement"):
        assert cid in closure
    assert "energy-intensive" in s.broader("steel")
    assert "computing-center" in s.narrower("data-center")


@pytest.mark.parametrize("free_text, concept", [
    ("智算中心", "computing-center"),
    ("电解铝行业", "electrolytic-aluminium"),
    ("二氧化碳捕集利用与封存", "ccus"),
    ("steel", "steel"),
    ("碳达峰", None),
])
def test_industry_resolve_free_text(free_text, concept):
    assert load_industry_scheme().resolve(free_text) == concept


def test_extra_industry_file_overrides_and_extends(tmp_path):
    extra = tmp_path / "industries.toml"
    extra.write_text(
        '[[concept]]\nid = "green-ammonia"\nlabel = "绿氨"\nbroader = ["hydrogen"]\n\n'
        '[[concept]]\nid = "cement"\nlabel = "水泥"\nalt = ["水泥熟料", "熟料", "水泥行业"]\n'
        'broader = ["building-materials"]\ngbt4754 = "C3011"\n',
        encoding="utf-8",
    )
    s = load_industry_scheme(extra)
    assert "green-ammonia" in s.narrower_closure("hydrogen")
    assert [m.id for m in s.match("推进绿氨和水泥行业降碳")] == ["green-ammonia", "cement"]
    assert len(s) == len(load_industry_scheme()) + 1


# ====================================================================== citations

def test_title_followed_by_its_number_is_one_citation():
    text = ("根据《国家发展改革委 国家能源局关于有序推动绿电直连发展有关事项的通知》（发改能源〔2025〕650号）、"
            "《国家发展改革委 国家能源局关于完善价格机制促进新能源发电就近消纳的通知》（发改价格〔2025〕1192号）"
            "有关要求，结合广西实际，制定本实施方案。")
    found = find_citations(text)
    assert [(c.title, c.number) for c in found] == [
        ("国家发展改革委 国家能源局关于有序推动绿电直连发展有关事项的通知", "发改能源〔2025〕650号"),
        ("国家发展改革委 国家能源局关于完善价格机制促进新能源发电就近消纳的通知", "发改价格〔2025〕1192号"),
    ]
    assert text[found[0].span.start:found[0].span.end].endswith("（发改能源〔2025〕650号）")


@pytest.mark.parametrize("text, expected", [
    ("晋能源规发〔2024〕195号", [("", "晋能源规发〔2024〕195号")]),
    ("印发晋能源规发[2024]195号文件", [("", "晋能源规发[2024]195号")]),
    ("参照《发电机组进入及退出商业运营办法》（国能发监管规〔2023〕48 号）等国家法律法规",
     [("发电机组进入及退出商业运营办法", "国能发监管规〔2023〕48号")]),
    ("按照《供电营业规则》（2024年第14号令）相关要求", [("供电营业规则", "2024年第14号令")]),
    ("修订«山西省节约能源条例»«山西省煤炭管理条例»等", [("山西省节约能源条例", ""), ("山西省煤炭管理条例", "")]),
    ("到2025年，非化石能源消费比重达到12%。", []),
])
def test_citation_titles_and_document_numbers(text, expected):
    assert [(c.title, c.number) for c in find_citations(text)] == expected


# ========================================================================= terms

def test_domain_terms_cover_policy_vocabulary_agencies_and_industries():
    terms = domain_terms()
    assert len(terms) == len(set(terms))
    for t in ("绿电直连", "源网荷储一体化", "碳达峰", "碳中和", "绿证", "能耗双控", "新型储能",
              "省发改委", "山西省发展和改革委员会", "自治区能源局", "国家能源局", "电解铝", "智算中心"):
        assert t in terms, t


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("支持发展绿氢化工，助力化工行业实现深度脱碳。", ("incentive", "encouragement")),
        ("鼓励金融机构扩大绿色信贷投放。", ("incentive", "finance")),
        ("充分运用碳减排支持工具。", ("task", "")),
    ],
)
def test_plain_encouragement_is_an_incentive_only_when_nothing_concrete_is_named(sentence, expected):
    from ingest.extract.measures import classify_sentence

    assert classify_sentence(sentence) == expected


def test_an_agency_reported_as_the_author_of_a_document_is_not_given_a_task():
    from ingest.extract import find_agencies

    text = "为加快推进我省绿电与产业协同发展，省能源局制定了《推动绿电资源就地转化助力产业绿色低碳转型工作方案》，现印发给你们。"
    assert find_agencies(text, "山西省") == []
    assert [a.name for a in find_agencies("省能源局制定绿电交易价格政策。", "山西省")] == ["山西省能源局"]


# ------------------------------------------------------------ local and generic agencies

def _where(*names):
    from ingest.extract.agency_names import Jurisdiction
    return Jurisdiction.from_path(names)


@pytest.mark.parametrize("text, names, expected", [
    ("（责任单位：市经信局、市统计局）", ("浙江省", "台州市", "临海市"),
     [("临海市经济和信息化局", "listed"), ("临海市统计局", "listed")]),
    ("对新引进的外贸流通企业，给予补助。（商务局）", ("浙江省", "宁波市", "北仑区"),
     [("宁波市北仑区商务局", "listed")]),
    ("由县委人才办牵头落实各类人才待遇。", ("浙江省", "温州市", "文成县"),
     [("中共文成县委人才工作领导小组办公室", "lead")]),
    ("由市委组织部会同市人力社保局组建评选小组。", ("浙江省", "宁波市", "慈溪市"),
     [("中共慈溪市委组织部", "lead"), ("慈溪市人力资源和社会保障局", "support")]),
    ("市科学技术行政部门应当建立科学技术普及评估指标体系。", ("上海市",),
     [("上海市科学技术行政部门", "actor")]),
])
def test_local_agencies_named_in_full_for_the_documents_jurisdiction(text, names, expected):
    found = find_agencies(text, "", where=_where(*names))
    assert [(a.name, a.role) for a in found] == expected


def test_local_finance_department_is_not_promoted_to_the_ministry():
    found = find_agencies("由孵化器按年度向当地财政部门提出申请。", "", where=_where("浙江省", "嘉兴市"))
    assert [a.name for a in found] == ["当地财政部门"]




@pytest.mark.parametrize("text, names, expected", [
    ("由市财政部门会同水利部门负责资金拨付。", ("浙江省", "台州市", "温岭市"),
     [("温岭市财政局", "lead"), ("温岭市水利局", "support")]),
    ("市市场监管局负责质量监督。", ("浙江省", "台州市", "温岭市"), [("温岭市市场监督管理局", "lead")]),
    ("人民银行嘉兴市中心支行负责指导金融机构落实。", ("浙江省", "嘉兴市"), [("中国人民银行嘉兴市中心支行", "lead")]),
    ("市科技局协助办理相关手续。", ("浙江省", "台州市", "温岭市"), [("温岭市科学技术局", "support")]),
    ("县级以上人民政府卫生行政部门负责本行政区域内的监督管理。", (), [("县级以上人民政府卫生行政部门", "lead")]),
    ("公安部、外交部应当按照职责分工做好出入境管理。", (), [("公安部", "actor"), ("外交部", "actor")]),
    ("财政部门应当加强监督。", (), [("财政部门", "actor")]),
])
def test_agencies_at_every_level_keep_their_own_name_and_role(text, names, expected):
    found = find_agencies(text, "", where=_where(*names))
    assert [(a.name, a.role) for a in found] == expected


def test_recipients_of_a_copy_are_not_mentions():
    assert find_agencies("抄送：市人大常委会办公室，市政协办公室。", "", where=_where("浙江省", "台州市", "温岭市")) == []


def test_a_nul_character_in_the_text_is_only_a_character():
    from ingest.extract.matching import Trie

    trie = Trie([("钢铁", "steel")])
    assert trie.find_all("一、钢铁\x000钢铁") == [(2, 4, "steel"), (6, 8, "steel")]
