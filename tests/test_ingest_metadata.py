"""Front matter of the kinds of documents users bring: local notices pasted from web pages,
laws with promulgation lines, work reports; and the structure around it."""
from __future__ import annotations

import pytest

from ingest.metadata import normalize_number, split_orgs
from ingest.pipeline import parse_text

GLUED_NOTICE = (
    "温岭市人民政府文件温政发202057号温岭市人民政府关于加快质量提升的若干意见各镇人民政府，各街道办事处，市政府直属各单位：\n"
    "为推动我市经济转型升级，特制定本意见。\n"
    "一、加强质量强市建设\n"
    "（一）鼓励企业推行质量管理。对获得省政府质量奖的企业，给予50万元奖励。\n"
    "（二）支持品牌建设。对新认定的品牌给予奖励。\n"
    "本意见自2021年1月1日起施行。\n"
    "温岭市人民政府2020年12月31日（此件公开发布）抄送：\n"
    "市委各部门，市人大常委会办公室，市政协办公室。\n"
    "温岭市人民政府办公室2020年12月31日印发\n"
)


def test_a_header_run_into_one_line_gives_every_field():
    doc = parse_text(GLUED_NOTICE, extract=False)
    m = doc.meta
    assert m.title == "温岭市人民政府关于加快质量提升的若干意见"
    assert m.number == "温政发〔2020〕57号"
    assert m.issuers == ["温岭市人民政府"]
    assert m.recipients == ["各镇人民政府", "各街道办事处", "市政府直属各单位"]
    assert m.date_written == "2020-12-31"
    assert m.region == "浙江省台州市温岭市"
    assert m.level == "规范性文件"


def test_signature_and_copy_list_are_not_glued_onto_the_last_clause():
    doc = parse_text(GLUED_NOTICE, extract=False)
    assert all("抄送" not in c.text and "温岭市人民政府2020" not in c.text for c in doc.clauses)
    assert doc.clauses[-1].kind == "closing" and doc.clauses[-1].text == "本意见自2021年1月1日起施行。"


LAW = (
    "# 中华人民共和国船员条例\n\n"
    "2007年4月14日 中华人民共和国国务院令第494号公布\n\n"
    "2013年7月18日 《国务院关于废止和修改部分行政法规的决定》第一次修订\n\n"
    "2019年3月2日 《国务院关于修改部分行政法规的决定》第五次修订\n\n"
    "<!-- INFO END -->\n\n"
    "## 第一章 总则\n\n"
    "第一条 为了加强船员管理，制定本条例。\n\n"
    "第二条 船员有下列情形之一的，不得在船上任职：\n\n"
    "（一）未取得适任证书的；\n\n"
    "（二）健康状况不适任\n\n"
    "第三条 国务院交通主管部门主管全国船员管理工作。\n"
)


def test_a_law_reads_its_promulgation_lines():
    m = parse_text(LAW, extract=False).meta
    assert (m.title, m.number, m.issuers) == ("中华人民共和国船员条例", "中华人民共和国国务院令第494号", ["国务院"])
    assert m.date_written == "2019-03-02"   # the latest revision, not the first promulgation
    assert (m.region, m.level) == ("全国", "行政法规")


def test_list_items_without_a_full_stop_are_clauses_with_their_lead_in():
    clauses = {c.path: c for c in parse_text(LAW, extract=False).clauses}
    assert "下列情形之一" in clauses["第一章.第二条"].text
    assert clauses["第一章.第二条.(一)"].text == "（一）未取得适任证书的；"
    assert clauses["第一章.第二条.(二)"].text == "（二）健康状况不适任"
    assert "第一章.第三条" in clauses


def test_a_local_regulation_is_issued_by_its_peoples_congress():
    source = (
        "# 宁波市出租汽车客运管理条例\n\n"
        "2012年10月26日 宁波市第十四届人民代表大会常务委员会第四次会议修订\n\n"
        "2012年11月29日 浙江省第十一届人民代表大会常务委员会第三十六次会议批准\n\n"
        "2012年12月11日 宁波市第十四届人民代表大会常务委员会公告第2号公布\n\n"
        "2013年1月1日 施行\n\n"
        "<!-- INFO END -->\n\n"
        "第一条 为了加强出租汽车客运管理，制定本条例。\n"
    )
    m = parse_text(source, extract=False).meta
    assert m.issuers == ["宁波市人民代表大会常务委员会"]
    assert m.number == "宁波市第十四届人民代表大会常务委员会公告第2号"
    assert (m.date_written, m.region, m.level) == ("2012-12-11", "浙江省宁波市", "地方性法规")


REPORT = (
    "**2025年宁夏政府工作报告**\n"
    "来源：宁夏日报\n"
    "——2025年1月19日在宁夏回族自治区第十三届人民代表大会第三次会议上\n"
    "自治区主席 张雨浦\n"
    "各位代表：\n"
    "现在，我代表自治区人民政府，向大会报告工作，请予审议。\n"
    "\u2003\u2003一、2024年工作回顾\n"
    "\u2003\u2003过去一年，我们学习上海自由贸易试验区经验，经济持续向好。\n"
    "\u2003\u2003（一）着力稳增长。地区生产总值增长5.4%。\n"
    "\u3000\u3000各位代表，让我们更加紧密地团结在以习近平同志为核心的党中央周围，奋力谱写新篇章！\n"
)


def test_a_work_report_takes_title_date_and_issuer_from_its_first_lines():
    m = parse_text(REPORT, extract=False).meta
    assert m.title == "2025年宁夏政府工作报告"
    assert m.date_written == "2025-01-19"
    assert m.issuers == ["宁夏回族自治区人民政府"]
    assert (m.region, m.level) == ("宁夏回族自治区", "工作报告")   # not 上海市, named in passing


def test_em_space_indentation_still_shows_numbering_and_the_closing_stands_alone():
    clauses = parse_text(REPORT, extract=False).clauses
    paths = [c.path for c in clauses]
    assert "一.(一)" in paths
    assert clauses[-1].kind == "closing" and clauses[-1].text.startswith("各位代表，让我们")


@pytest.mark.parametrize("raw, number", [
    ("温政发202057号", "温政发〔2020〕57号"),
    ("玉政发[2017]19号", "玉政发〔2017〕19号"),
    ("国能发监管规（2023）48 号", "国能发监管规〔2023〕48号"),
    ("中华人民共和国国务院令第494号", "中华人民共和国国务院令第494号"),
])
def test_document_numbers_get_their_brackets_back(raw, number):
    assert normalize_number(raw) == number


def test_agency_names_run_together_are_split_where_a_place_begins():
    assert split_orgs("嘉兴市科学技术局嘉兴市财政局嘉兴市人民政府金融工作办公室") == [
        "嘉兴市科学技术局", "嘉兴市财政局", "嘉兴市人民政府金融工作办公室"]
    assert split_orgs("中共嵊州市委嵊州市人民政府") == ["中共嵊州市委", "嵊州市人民政府"]


def test_a_district_agency_is_named_with_its_city():
    source = "★中共黄岩区委黄岩区人民政府关于促进企业上市的若干意见各乡镇党委和政府：\n一、设立基金。区政府设立扶持基金。\n"
    m = parse_text(source, extract=False).meta
    assert m.issuers == ["中共台州市黄岩区委", "台州市黄岩区人民政府"]
    assert m.region == "浙江省台州市黄岩区"


@pytest.mark.parametrize("occasion, region, issuer", [
    ("——2025年3月5日在第十四届全国人民代表大会第三次会议上", "全国", "国务院"),
    ("——2025年1月15日在辽宁省第十四届人民代表大会第三次会议上", "辽宁省", "辽宁省人民政府"),
])
def test_a_report_whose_title_names_no_place_takes_it_from_the_congress(occasion, region, issuer):
    source = (f"政府工作报告\n{occasion}\n各位代表：\n现在，我代表政府向大会报告工作。\n"
              "一、2024年工作回顾\n上海自由贸易试验区建设取得进展，上海市、上海市、上海市。\n")
    m = parse_text(source, extract=False).meta
    assert (m.region, m.issuers, m.level) == (region, [issuer], "工作报告")


def test_a_short_place_name_inside_a_title_is_a_word_not_a_place():
    m = parse_text("关于推进平安建设和港口建设的意见\n各有关单位：\n一、总体要求\n（一）目标。到2025年完成。\n", extract=False).meta
    assert m.region == ""


def test_the_number_code_names_the_issuer_when_no_line_does():
    source = ("仙政发〔2017〕185号\n关于促进新材料产业发展的若干意见\n各乡镇人民政府、街道办事处，县政府直属各单位：\n"
              "为加快仙居县新材料产业发展，提出如下意见：\n一、政策扶持\n（一）支持仙居县企业。给予奖励。\n（二）仙居县财政安排资金。\n")
    m = parse_text(source, extract=False).meta
    assert m.region == "浙江省台州市仙居县"
    assert m.issuers == ["仙居县人民政府"]


def test_validity_is_read_where_the_text_says_it():
    assert parse_text(LAW, extract=False).meta.validity == "2019-03-02修订"
    notice = GLUED_NOTICE.replace("本意见自2021年1月1日起施行。", "本意见自2021年1月1日起施行，有效期至2023年12月31日。")
    assert parse_text(notice, extract=False).meta.validity == "有效期至2023年12月31日"
    repealed = parse_text("关于加强管理的通知（已废止）\n各有关单位：\n一、要求。加强管理。\n", extract=False).meta
    assert (repealed.title, repealed.validity, repealed.valid) == ("关于加强管理的通知", "已废止", False)


@pytest.mark.parametrize("line, issuers, region, level", [
    ("2022年1月21日 浙江省人民政府令第394号公布", ["浙江省人民政府"], "浙江省", "地方政府规章"),
    ("2020年12月19日 中华人民共和国国家发展和改革委员会 中华人民共和国商务部令第37号公布",
     ["国家发展和改革委员会", "商务部"], "全国", "部门规章"),
])
def test_rules_take_their_issuers_from_the_order_that_made_them(line, issuers, region, level):
    m = parse_text(f"# 某某管理办法\n\n{line}\n\n<!-- INFO END -->\n\n第一条 为了规范管理，制定本办法。\n", extract=False).meta
    assert (m.issuers, m.region, m.level) == (issuers, region, level)


def test_recipients_split_outside_brackets():
    source = "关于印发办法的通知\n各县（市、区）科技局、财政局，嘉兴港区管委会：\n一、办法。现印发。\n"
    assert parse_text(source, extract=False).meta.recipients == ["各县（市、区）科技局", "财政局", "嘉兴港区管委会"]


def test_a_judicial_interpretation_reads_its_adoption_line_but_not_its_effective_date():
    source = ("# 最高人民法院关于审理某类案件适用法律若干问题的解释\n\n"
              "（2020年12月23日最高人民法院审判委员会第1823次会议通过，自2021年1月1日起施行 法释〔2020〕17号）\n\n"
              "<!-- INFO END -->\n\n第一条 人民法院审理案件，适用本解释。\n")
    m = parse_text(source, extract=False).meta
    assert (m.number, m.date_written, m.issuers, m.level) == ("法释〔2020〕17号", "2020-12-23", ["最高人民法院"], "司法解释")


def test_long_report_prose_is_cut_into_a_clause_per_paragraph():
    body = "推进产业升级，加快建设现代化产业体系，" * 30 + "实现新突破。"
    source = ("2025年某省政府工作报告\n各位代表：\n现在，我代表省人民政府报告工作。\n二、2025年重点工作\n"
              f"（一）坚持以产业为支撑，在高质量发展上实现新突破。{body}\n{body}\n{body}\n")
    clauses = parse_text(source, extract=False).clauses
    assert [c.path for c in clauses if c.path.startswith("二")] == ["二.(一)", "二.(一).p1", "二.(一).p2"]
    assert max(len(c.text) for c in clauses) < 1000
