"""Local and generic agency names: find them in text and name them in full.

Documents of cities, counties and districts write their bodies short —
市经信局, 区财政局, 县委人才办, plain 商务局 in a （经信局、财政局） tag, or
only the function in a list (由旅游、交通、公安等部门…).  Laws assign duties to
generic departments (县级以上人民政府卫生行政部门, 市科学技术行政部门,
公安机关).  This module finds such names and gives the canonical one,
resolved against the document's jurisdiction (:mod:`ingest.regions`):

* 市经信局 in a 临海 document → 临海市经济和信息化局; 区商务局 in a 北仑区 one →
  宁波市北仑区商务局; 县委人才办 → 中共文成县委人才工作领导小组办公室;
* a generic department stays generic, only its level made explicit:
  市科学技术行政部门 in a 上海 law → 上海市科学技术行政部门; 财政部门 stays
  财政部门 — never 财政部 (a ministry is named only when the text names it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Function stems as written → the full function word of a bureau (局) or commission (委员会).
STEMS: dict[str, str] = {
    "经信": "经济和信息化", "经济和信息化": "经济和信息化", "经济信息化": "经济和信息化",
    "发改": "发展和改革", "发展改革": "发展和改革", "发展和改革": "发展和改革",
    "财政": "财政", "财税": "财税", "商务": "商务", "科技": "科学技术", "科学技术": "科学技术",
    "国税": "国家税务", "地税": "地方税务", "税务": "税务", "统计": "统计",
    "市场监管": "市场监督管理", "市场监督管理": "市场监督管理", "工商": "工商行政管理",
    "交通": "交通运输", "交通运输": "交通运输", "旅游": "旅游", "文旅": "文化和旅游",
    "人力社保": "人力资源和社会保障", "人社": "人力资源和社会保障", "人力资源和社会保障": "人力资源和社会保障",
    "住建": "住房和城乡建设", "住房和城乡建设": "住房和城乡建设", "建设": "建设",
    "农林": "农林", "农业": "农业", "农业农村": "农业农村", "林业": "林业", "水务": "水务", "水利": "水利",
    "环保": "环境保护", "环境保护": "环境保护", "生态环境": "生态环境",
    "国土": "国土资源", "国土资源": "国土资源", "自然资源": "自然资源", "规划": "规划", "城乡规划": "城乡规划",
    "质监": "质量技术监督", "文广新": "文化广电新闻出版", "文广": "文化广电", "体育": "体育",
    "教育": "教育", "公安": "公安", "司法": "司法", "民政": "民政", "卫生": "卫生", "卫计": "卫生和计划生育",
    "卫健": "卫生健康", "审计": "审计", "应急": "应急管理", "应急管理": "应急管理",
    "投合": "投资合作", "招商": "招商", "综合执法": "综合行政执法", "综合行政执法": "综合行政执法",
    "新兴产业与服务业": "新兴产业与服务业", "经合": "经济合作", "外事": "外事", "粮食": "粮食",
    "安监": "安全生产监督管理", "物价": "物价", "档案": "档案", "知识产权": "知识产权",
    "金融服务": "金融服务", "国有资产管理": "国有资产管理", "国资": "国有资产监督管理",
    "农经": "农村经济", "信访": "信访", "退役军人事务": "退役军人事务", "医保": "医疗保障",
    # more of the short forms county and city documents use
    "文广旅体": "文化广电旅游体育", "文广旅": "文化广电旅游", "文化旅游": "文化和旅游", "自规": "自然资源和规划",
    "资规": "自然资源和规划", "大数据": "大数据发展管理", "城管": "城市管理", "港航": "港航管理", "气象": "气象",
    "民宗": "民族宗教事务", "商务粮食": "商务粮食", "经信科技": "经济信息化和科技", "教体": "教育体育",
    "市监": "市场监督管理", "生态环境保护": "生态环境保护", "海洋渔业": "海洋与渔业",
}
# Party and government offices written by their short name: 短名 → (中共?, full name).
OFFICES: dict[str, tuple[bool, str]] = {
    "组织部": (True, "组织部"), "宣传部": (True, "宣传部"), "统战部": (True, "统战部"),
    "人才办": (True, "人才工作领导小组办公室"), "农办": (True, "农村工作办公室"),
    "人才工作领导小组": (True, "人才工作领导小组"), "政法委": (True, "政法委员会"),
    "编办": (False, "机构编制委员会办公室"), "文明办": (False, "精神文明建设委员会办公室"),
    "金融办": (False, "人民政府金融工作办公室"), "贸促会": (False, "国际贸易促进委员会"),
    "政府办": (False, "人民政府办公室"), "政府": (False, "人民政府"), "人民政府": (False, "人民政府"),
    "委": (True, ""), "管委会": (False, "管理委员会"),
}
_STEM_ALT = "|".join(sorted(map(re.escape, STEMS), key=len, reverse=True))
_OFFICE_ALT = "|".join(sorted(map(re.escape, OFFICES), key=len, reverse=True))
_LEVEL = r"(?:市和区、?县|区、县|市、区两级|所在区、县|所在乡、镇|乡、镇|县级以上(?:地方)?(?:各级)?人民政府|市|区|县|省|镇|乡|当地|地方)"

# 市经信局 / 区商务局 / 经信局 / 市发改委 / 市经信委 / 县财政 (with a level only)
BUREAU = re.compile(rf"(?P<level>{_LEVEL})?(?P<stem>{_STEM_ALT})(?P<suffix>局|委(?!员|托|派)|厅|(?:行政)?(?:主管)?部门|机关)"
                    rf"|(?P<level2>市|区|县|当地)(?P<stem2>{_STEM_ALT})(?![\u4e00-\u9fff]{{0,1}}(?:局|委|部|厅|机))")
# 市委组织部 / 县委人才办 / 市政府 / 金融办 / 宣传部 / 市委
OFFICE = re.compile(rf"(?P<level>市和区、?县|区、县|市|区|县|镇|乡)?(?P<party>委)?(?P<office>{_OFFICE_ALT})")
# What may not follow an office: then it names a person or a meeting (市委书记, 市委常委会议,
# 市委市政府主要领导), not the body.
OFFICE_NOT_AFTER = re.compile(r"[\u4e00-\u9fff]?(?:书记|副|常委|主要领导|领导|会议|全会)|(?:、|和)?(?:市|县|区)?(?:政府|委)(?:主要)?领导")
# Generic departments and organs of laws: 县级以上人民政府卫生行政部门, 公安机关, 人民法院 …
GENERIC = re.compile(
    rf"(?P<level>{_LEVEL})?(?P<body>(?:[\u4e00-\u9fff]{{2,12}}?)(?:行政主管部门|主管部门|行政部门|管理部门|经营管理部门|行政管理机关|机关|仲裁委员会|部门))"
)
_GENERIC_BAD = re.compile(r"^(?:有关|相关|其他|其它|各|本|该|上级|同级|职能|行政|主管|国家|政府|单位|党政|用人|责任|主办|业务|多|个别"
                          r"|的|和|或|与|及|在|向|由|经|对|按)|[的和或与及，、。；]|级$")
# The State Council's ministries and commissions, named only as themselves (财政部 is
# not 财政部门: the ministry names are matched with 门 refused after them).
MINISTRIES = """外交部 国防部 国家发展和改革委员会 国家发展改革委 教育部 科学技术部 科技部 工业和信息化部 工信部
国家民族事务委员会 公安部 国家安全部 民政部 司法部 财政部 人力资源和社会保障部 人力资源社会保障部 自然资源部
生态环境部 住房和城乡建设部 住房城乡建设部 交通运输部 水利部 农业农村部 商务部 文化和旅游部 国家卫生健康委员会
国家卫生健康委 退役军人事务部 应急管理部 审计署 海关总署 国家税务总局 国家市场监督管理总局 市场监管总局
国家统计局 国家能源局 国家林业和草原局 国家知识产权局 国家外汇管理局""".split()
# A central-bank branch keeps its own name: 人民银行嘉兴市中心支行 is not 中国人民银行.
BANK_BRANCH = re.compile(r"(?:中国)?人民银行[\u4e00-\u9fff]{2,10}?(?:中心支行|支行|分行|营业管理部)")
NAMED_ORGANS = ["中国人民银行", "国务院", "人民法院", "人民检察院", "公安机关", "审计机关", "公证机关", "公证处",
                "工商行政管理机关", "科学技术协会", "海关"]


@dataclass(frozen=True)
class Jurisdiction:
    """Where a document's bodies sit: its region path split by level."""

    province: str = ""      # 浙江省 / 上海市
    prefecture: str = ""    # 宁波市
    county: str = ""        # 北仑区 / 临海市 / 文成县

    @classmethod
    def from_path(cls, names: tuple[str, ...] | list[str]) -> "Jurisdiction":
        names = list(names) + ["", "", ""]
        return cls(names[0], names[1], names[2])

    @property
    def own(self) -> str:
        """How the document's own government is named: 宁波市北仑区, 临海市, 嘉兴市, 上海市."""
        if self.county:
            return self.prefecture + self.county if self.county.endswith("区") else self.county
        return self.prefecture or self.province

    def at(self, level: str) -> str:
        """The jurisdiction a level word means here (市 in a 北仑区 document is 宁波市)."""
        if level in ("", "当地", "地方"):
            return self.own
        if level == "省":
            return self.province
        if level == "市":
            if self.county.endswith("市"):
                return self.county
            return self.prefecture or (self.province if self.province.endswith("市") else "")
        if level == "区":
            return self.own if self.county.endswith("区") else ""
        if level == "县":
            return self.county if self.county.endswith("县") else ""
        return ""


def bureau_name(level: str, stem: str, suffix: str, where: Jurisdiction, generic: bool) -> str:
    """市经信局 → 临海市经济和信息化局; 财政部门 in a law → 财政部门."""
    full = STEMS.get(stem, stem)
    if suffix.endswith(("部门", "机关")):
        if generic:                                  # a functional department kept generic
            if level in ("当地", "地方") or (not level and (where.prefecture or where.county)):
                return "当地" + stem + suffix        # a city's rule on its counties' departments
            if "、" in level or "和" in level:       # 区、县 / 市和区、县 in a 上海 law
                place = where.province or where.own
                return place + (level[1:] if place.endswith("市") and level.startswith("市") else level) + stem + suffix
            place = where.at(level) if level else ""
            return (place or level) + stem + suffix  # 县级以上人民政府卫生行政部门 stays as written
        place = where.at(level)
        return place + full + "局" if place else stem + suffix
    place = where.at(level)
    kind = {"委": "委员会"}.get(suffix, suffix or "局")
    return (place + full + kind) if place else (level + stem + suffix)


def office_name(level: str, party: str, office: str, where: Jurisdiction) -> str:
    """县委人才办 → 中共文成县委人才工作领导小组办公室; 市政府 → 永康市人民政府."""
    is_party, full = OFFICES[office]
    if "、" in level or "和" in level:               # 区、县人民政府 in a 上海 law
        place = where.province or where.own
        if place.endswith("市") and level.startswith("市"):
            level = level[1:]                           # 上海市 + 市和区、县 → 上海市和区、县
        return place + level + full
    place = where.at(level)
    if not place:
        return level + party + office
    if office == "委":
        return f"中共{place}委"
    if is_party or party:
        return f"中共{place}委{full}"
    return place + full
