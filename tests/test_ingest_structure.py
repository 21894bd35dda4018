"""Golden structure of the five real documents: parts, items, paths, headings, metadata."""
from __future__ import annotations

import pytest

from ingest.normalize import maps_to
from ingest.pipeline import parse_document, parse_text


@pytest.fixture(scope="module")
def docs(corpus_files):
    return {key: parse_document(path, extract=False) for key, path in corpus_files.items()}


def by_path(doc):
    return {c.path: c for c in doc.clauses}


def test_notice_with_numbered_tasks_000(docs):
    doc = docs["000"]
    m = doc.meta
    assert m.id == "jnygf-2024-195"
    assert m.number == "晋能源规发〔2024〕195号"
    assert m.title == "山西省能源局关于印发推动绿电资源就地转化助力产业绿色低碳转型工作方案的通知"
    assert (m.region, m.issuers, m.date_written, m.date_published, m.valid) == ("山西省", ["山西省能源局"], "2024-07-08", "2024-07-08", True)
    assert m.recipients[:3] == ["各市人民政府", "省发展改革委", "省工信厅"] and "山西电力交易中心" in m.recipients
    clauses = by_path(doc)
    items = [c for c in doc.clauses if c.kind == "item"]
    assert [c.path for c in items] == [f"{part}.{n}" for part, ns in
                                       [("一", range(1, 5)), ("二", range(5, 7)), ("三", range(7, 10)), ("四", range(10, 14)), ("五", range(14, 17))]
                                       for n in ns]
    assert clauses["一.1"].heading == "以绿电集聚出口型新兴制造业项目"
    assert clauses["一.1"].parents == ["壮大绿色产业招项目，培育发展新动能"]
    assert clauses["五.16"].text.endswith("（省生态环境厅、省工信厅、省市场监管局、省能源局）")
    # The closing paragraph after the last task is not glued onto task 16.
    assert clauses["五.p1"].text.startswith("省直各相关部门要按照任务分工")
    # Front matter (number line, recipients, signature, date) is metadata, not clauses.
    assert not any(c.text.startswith(("晋能源规发", "各市人民政府，", "2024年7月8日", "（此件")) for c in doc.clauses)


def test_pdf_extracted_opinion_001(docs):
    doc = docs["001"]
    m = doc.meta
    assert m.title == "中共山西省委 山西省人民政府关于完整准确全面贯彻新发展理念切实做好碳达峰碳中和工作的实施意见"
    assert m.issuers == ["中共山西省委", "山西省人民政府"] and m.region == "山西省"
    clauses = by_path(doc)
    assert len([c for c in doc.clauses if c.kind == "item"]) == 47
    target = clauses["一.(三)"]
    assert target.heading == "主要目标"
    # Lines broken by the PDF, page numbers and full-width digits are all repaired.
    assert "风电、光伏发电总装机达到1.2亿千瓦左右" in target.text
    assert "—" not in target.text.replace("——", "")
    assert clauses["一.(二).p1"].heading == "突出特色，统筹推进"
    assert clauses["四.(二十二)"].text.startswith("（二十二）坚决遏制高耗能高排放低水平项目盲目发展。\n坚持“上大压小")
    assert clauses["十一.(四十八)"].heading == "严格监督考核"


def test_plan_with_sidebars_and_unnumbered_paragraphs_002(docs):
    doc = docs["002"]
    assert doc.meta.title == "山西省零碳（近零碳）产业示范区创建工作实施方案"
    clauses = by_path(doc)
    assert clauses["二.(一).p2"].heading == "推进矿区节能降碳增效"
    sidebar = clauses["二.(一).专栏1.p1"]
    assert (sidebar.kind, sidebar.heading, sidebar.parents[-1]) == ("sidebar", "节能降耗减碳", "煤炭矿山低碳零碳负碳技术")
    assert clauses["二.(三).专栏3.p5"].heading == "煤化工行业"
    # Word bookmarks are gone; the bookmarked heading still opens its part.
    assert clauses["二.(二).p1"].text.startswith("遴选5个左右")
    assert not any("bookmark" in c.text for c in doc.clauses)
    assert "固碳等技术示范" in clauses["三.(四).专栏4.p3"].text


def test_two_level_implementation_plan_003(docs):
    clauses = by_path(docs["003"])
    assert clauses["二.(四).1"].heading == "优化绿色低碳产业布局"
    assert clauses["三.(十).1"].heading == "钢铁"
    assert clauses["二.(四).p1"].kind == "paragraph"
    # A responsibility list on its own line belongs to the item above it.
    assert clauses["二.(七).3"].text.endswith("（省发展改革委、省工信厅、省市场监管局等按职责分工负责）")


def test_markdown_attachment_with_bold_headings_004(docs):
    doc = docs["004"]
    assert doc.meta.title == "广西推动绿电直连发展实施方案" and doc.meta.region == "广西壮族自治区"
    clauses = by_path(doc)
    scope = clauses["附件1.一.(一)"]
    assert scope.heading == "适用范围" and scope.parents == ["附件1", "总体要求"]
    # A bold heading line broken before its body is rejoined.
    assert "支持尚未开展电网接入工程建设" in clauses["附件1.二.(三)"].text
    assert clauses["附件1.三.(四)"].heading == "直连线路建设及并网要求"
    assert "不超过220千伏" in clauses["附件1.三.(四)"].text
    assert clauses["附件1.p2"].kind == "closing"


def test_rebuilding_an_unchanged_document_gives_the_same_ids(corpus_files):
    first = [c.id for c in parse_document(corpus_files["003"], extract=False).clauses]
    again = [c.id for c in parse_document(corpus_files["003"], extract=False).clauses]
    assert first == again and len(set(first)) == len(first)


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_every_clause_span_maps_back_to_the_source_text(docs, key):
    doc = docs[key]
    for clause in doc.clauses:
        assert_subsequence(clause.text, doc.source_text[clause.span.start: clause.span.end])


def assert_subsequence(clean: str, source: str) -> None:
    """Every cleaned character comes, in order, from a source character it may be folded from."""
    i = 0
    for ch in clean:
        while i < len(source) and not maps_to(source[i], ch):
            i += 1
        assert i < len(source), f"{ch!r} of {clean[:30]!r} not found in its source span"
        i += 1


@pytest.mark.parametrize(
    "text, paths",
    [
        ("第一章 总则\n第一条 为规范管理，制定本办法。\n第二条 本办法适用于全省。\n第二章 附则\n第三条 本办法自印发之日起施行。\n",
         ["第一章.第一条", "第一章.第二条", "第二章.第三条"]),
        ("一、任务\n（一）重点\n1.甲项。内容。\n（1）细项。内容。\n①子项。内容。\n", ["一.(一).1", "一.(一).1.(1)", "一.(一).1.(1).①"]),
        # Numbering that skips a level still nests by rank.
        ("一、任务\n1.甲项。内容。\n2.乙项。内容。\n", ["一.1", "一.2"]),
        ("没有任何编号的一段文字，讲的是政策内容。\n\n另一段文字，也是政策内容。\n", ["p1", "p2"]),
    ],
)
def test_numbering_of_official_documents_nests_by_rank(text, paths):
    doc = parse_text(text, extract=False)
    assert [c.path for c in doc.clauses] == paths
