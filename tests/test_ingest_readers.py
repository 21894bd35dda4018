"""File readers: encoding detection, format sniffing, per-format text, errors.

Every fixture is built here in ``tmp_path``; nothing is read from the repo.
"""
from __future__ import annotations

import random

import pytest

from ingest.errors import IngestError
from ingest.readers import MAX_BYTES, SourceText, read_source

POLICY = "关于印发推动绿电资源就地转化助力产业绿色低碳转型工作方案的通知\n一、总体要求\n（一）到2025年，绿电消纳能力明显提升。\n"


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def error_of(path, **kwargs) -> str:
    with pytest.raises(IngestError) as info:
        read_source(path, **kwargs)
    message = str(info.value)
    assert str(path) in message, "the error must name the file"
    return message


# -- plain text ------------------------------------------------------------------

@pytest.mark.parametrize("name, fmt", [("policy.txt", "txt"), ("policy.md", "md")])
def test_gb18030_text_is_detected_whatever_the_extension(tmp_path, name, fmt):
    path = write(tmp_path, name, POLICY.encode("gb18030"))
    source = read_source(path)
    assert source == SourceText(POLICY, fmt, "gb18030")


def test_gbk_only_characters_decode_as_gb18030(tmp_path):
    # 镕 and 堃 are in GBK but not GB2312: a GB2312 decoder would fail on them.
    text = "朱镕基同志和王堃同志出席会议。\n"
    source = read_source(write(tmp_path, "names.txt", text.encode("gbk")))
    assert (source.text, source.encoding) == (text, "gb18030")


def test_utf8_bom_is_stripped_and_reported(tmp_path):
    source = read_source(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + POLICY.encode()))
    assert source.text == POLICY
    assert source.encoding == "utf-8-sig"


def test_plain_utf8_is_read_as_utf8(tmp_path):
    source = read_source(write(tmp_path, "plain.md", POLICY))
    assert (source.text, source.format, source.encoding) == (POLICY, "md", "utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path, codec):
    data = POLICY.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    source = read_source(write(tmp_path, "wide.txt", data))
    assert source.text == POLICY
    assert source.encoding == "utf-16"


def test_utf16_without_bom_is_not_mistaken_for_binary(tmp_path):
    text = "Notice 2025: 一、绿电直连 plan\n"  # 一 is U+4E00: a zero byte on the other side
    source = read_source(write(tmp_path, "wide.txt", text.encode("utf-16-le")))
    assert source.text == text


def test_big5_is_not_misread_as_gb18030(tmp_path):
    text = "關於推動綠色電力發展的通知，各縣市政府應依照本辦法辦理。"
    source = read_source(write(tmp_path, "big5.txt", text.encode("big5")))
    assert (source.text, source.encoding) == (text, "big5")


def test_line_endings_are_the_only_change_to_text(tmp_path):
    raw = "　　第一行  \r\n第二行\t\r第三行\n\n  （末行）  "
    source = read_source(write(tmp_path, "crlf.txt", raw.encode("gb18030")))
    assert source.text == "　　第一行  \n第二行\t\n第三行\n\n  （末行）  "


def test_file_without_extension_is_read_as_text(tmp_path):
    source = read_source(write(tmp_path, "README", POLICY))
    assert (source.text, source.format) == (POLICY, "txt")


def test_odd_file_names_just_work(tmp_path):
    name = "-关于 \"印发\" 'the plan' (2025) 通知.txt"
    source = read_source(write(tmp_path, name, POLICY))
    assert source.text == POLICY
    message = error_of(write(tmp_path, "-空 \"文件\" '.txt", b""))
    assert message.endswith("-空 \"文件\" '.txt: empty file")


# -- docx ------------------------------------------------------------------------

def make_docx(path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("山西省能源局关于印发工作方案的通知")
    document.add_heading("一、总体要求", level=1)
    item = document.add_paragraph("　　")
    item.add_run("（一）适用范围。").bold = True
    item.add_run("本方案适用于绿电直连项目。")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("序号", "项目", "牵头单位"), ("1", "绿电园区", "省能源局")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    table.rows[1].cells[1].add_paragraph("（续）")
    after = document.add_paragraph("表后段落，")
    after.add_run("这里加粗不在段首").bold = True
    document.save(path)


def test_docx_keeps_body_order_tables_and_bold_openings(tmp_path):
    path = tmp_path / "方案.docx"
    make_docx(path)
    source = read_source(path)
    assert (source.format, source.encoding) == ("docx", "")
    assert source.text.split("\n") == [
        "山西省能源局关于印发工作方案的通知",
        "**一、总体要求**",                      # bold from the Heading 1 style
        "　　**（一）适用范围。**本方案适用于绿电直连项目。",
        "序号\t项目\t牵头单位",
        "1\t绿电园区 （续）\t省能源局",
        "表后段落，这里加粗不在段首",
    ]


def test_docx_is_recognised_by_content_not_name(tmp_path):
    path = tmp_path / "misnamed.txt"
    make_docx(path)
    assert read_source(path).format == "docx"


def test_zip_that_is_not_a_docx_is_refused(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    message = error_of(write(tmp_path, "table.docx", buffer.getvalue()))
    assert "binary file (Excel workbook), not a supported document" in message


# -- pdf -------------------------------------------------------------------------

def make_pdf(*contents: bytes) -> bytes:
    """A minimal PDF, one page per content stream.

    /F1 is Helvetica; /F2 is the non-embedded Adobe-GB1 font STSong-Light
    with the UCS-2 CMap, so CJK text is written as UTF-16BE hex strings.
    """
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
           b" /DescendantFonts [5 0 R] >>",
        5: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
           b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 6 0 R >>",
        6: b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
           b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    }
    kids = []
    for n, content in enumerate(contents):
        page, stream = 7 + 2 * n, 8 + 2 * n
        kids.append(b"%d 0 R" % page)
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % stream
        )
        objects[stream] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(contents))

    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def latin(text: str, y: int = 720) -> bytes:
    return b"BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (y, text.encode("latin-1"))


def cjk(text: str, y: int = 700) -> bytes:
    return b"BT /F2 12 Tf 72 %d Td <%s> Tj ET" % (y, text.encode("utf-16-be").hex().encode())


def test_pdf_text_layer_is_read_page_by_page(tmp_path):
    data = make_pdf(latin("Green power plan 2025") + b"\n" + cjk("绿电直连实施方案"), latin("Page two"))
    source = read_source(write(tmp_path, "plan.pdf", data))
    assert (source.format, source.encoding, source.warnings) == ("pdf", "", ())
    assert source.text.split("\n") == ["Green power plan 2025", "绿电直连实施方案", "Page two"]


def test_scanned_pdf_without_text_layer_is_refused(tmp_path):
    image_only = b"0 0 1 rg 72 72 400 600 re f"  # a filled rectangle: paint, no text
    message = error_of(write(tmp_path, "scan.pdf", make_pdf(image_only, image_only)))
    assert "no text layer: scanned PDF? run OCR first" in message


def test_pdf_with_some_scanned_pages_warns_which(tmp_path):
    data = make_pdf(latin("Text page"), b"0 0 1 rg 72 72 400 600 re f")
    source = read_source(write(tmp_path, "mixed.pdf", data))
    assert source.text.startswith("Text page")
    assert source.warnings == ("pages without a text layer (scanned?): 2",)


def test_damaged_pdf_is_refused_with_the_reason(tmp_path):
    message = error_of(write(tmp_path, "broken.pdf", b"%PDF-1.4\n" + bytes(range(32, 127)) * 3))
    assert "PDF" in message


# -- html ------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>通知_山西省人民政府</title>
<script>var menu = "脚本里的中文不应出现";</script><style>.x {}</style></head>
<body>
<div class="header"><h1 class="logo">山西省人民政府门户网站</h1></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政策文件</div>
<table class="xxgk">
<tr><td>索 引 号：</td><td>11140000MB1957843B/2024-00195</td><td>主题分类：</td><td>电力</td></tr>
<tr><td>标　　题：</td><td colspan="3">山西省能源局关于印发推动绿电资源就地转化工作方案的通知</td></tr>
<tr><td>发文字号：</td><td>晋能源规发〔2024〕195号</td><td>成文日期：</td><td>2024年07月08日</td></tr>
</table>
<div class="pages_content" id="UCAP-CONTENT">
<p>各市人民政府，省直有关部门：</p>
<p>&nbsp;&nbsp;现将《推动绿电资源就地转化工作方案》印发给你们，
请认真贯彻落实。</p>
<p><strong>一、总体要求</strong></p>
<p>到2025年，全省绿电就地消纳能力明显提升。</p>
<table><tr><td>序号</td><td>任务</td><td>牵头单位</td></tr>
<tr><td>1</td><td>建设<b>绿电</b>园区</td><td>省能源局</td></tr></table>
<p>山西省能源局<br>2024年7月8日</p>
<div class="share">分享到：微信 微博</div>
<p><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></p>
</div>
<div class="footer">版权所有：山西省人民政府办公厅</div>
</body></html>
"""


def test_html_keeps_article_and_metadata_and_drops_the_site_frame(tmp_path):
    source = read_source(write(tmp_path, "通知.html", PAGE.encode("gb18030")))
    assert (source.format, source.encoding) == ("html", "gb18030")
    assert source.text.split("\n") == [
        "索引号: 11140000MB1957843B/2024-00195",
        "主题分类: 电力",
        "标题: 山西省能源局关于印发推动绿电资源就地转化工作方案的通知",
        "发文字号: 晋能源规发〔2024〕195号",
        "成文日期: 2024年07月08日",
        "",
        "各市人民政府，省直有关部门：",
        "现将《推动绿电资源就地转化工作方案》印发给你们，请认真贯彻落实。",
        "一、总体要求",
        "到2025年，全省绿电就地消纳能力明显提升。",
        "序号\t任务\t牵头单位",
        "1\t建设绿电园区\t省能源局",
        "山西省能源局",
        "2024年7月8日",
    ]


def test_html_without_known_container_uses_the_densest_block(tmp_path):
    page = """<html><body>
    <div class="top-links"><a>首页</a> <a>机构设置</a> <a>政务公开</a></div>
    <div class="wrap"><div class="left"><a>通知公告</a></div>
      <div class="right"><h1>关于开展绿电直连试点的通知</h1>
        <div>各有关单位：为推动新能源就近消纳，现就开展绿电直连试点有关事项通知如下。</div>
        <div>一、试点范围<br>二、工作要求</div>
        <div>发布时间：2025-06-01　来源：省发展改革委</div>
      </div></div>
    <div id="bottom">主办单位：省人民政府办公厅</div></body></html>"""
    source = read_source(write(tmp_path, "page.htm", page))
    assert source.text.split("\n") == [
        "发布时间: 2025-06-01",
        "来源: 省发展改革委",
        "",
        "关于开展绿电直连试点的通知",
        "各有关单位：为推动新能源就近消纳，现就开展绿电直连试点有关事项通知如下。",
        "一、试点范围",
        "二、工作要求",
    ]


def test_html_is_recognised_by_content_even_when_named_pdf(tmp_path):
    # Sites answer a failed download with an HTML page, saved under the PDF's name.
    page = "<!DOCTYPE html><html><body><p>您访问的页面不存在或已删除。</p></body></html>"
    source = read_source(write(tmp_path, "plan.pdf", page))
    assert (source.format, source.text) == ("html", "您访问的页面不存在或已删除。")


# -- refusals --------------------------------------------------------------------

def test_empty_file_is_refused(tmp_path):
    assert "empty file" in error_of(write(tmp_path, "空文件.txt", b""))


def test_whitespace_only_file_is_refused(tmp_path):
    assert "no text" in error_of(write(tmp_path, "blank.txt", "\n\n　　\n"))


def test_random_binary_is_refused(tmp_path):
    data = random.Random(7).randbytes(4096)
    message = error_of(write(tmp_path, "data.txt", data))
    assert "binary file, not a supported document (.txt .md .docx .pdf .html)" in message


def test_known_binary_formats_are_named(tmp_path):
    message = error_of(write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)))
    assert "legacy Office/WPS file" in message and "save it as .docx" in message


def test_undecodable_bytes_are_refused_with_byte_and_offset(tmp_path):
    data = "政策文本".encode("utf-8") + b"\x80\xff\x80" + "更多内容".encode("utf-8")
    message = error_of(write(tmp_path, "broken.txt", data))
    assert "not valid UTF-8 or GB18030 text (byte 0x80 at offset 12)" in message


def test_text_of_replacement_characters_is_refused(tmp_path):
    message = error_of(write(tmp_path, "mojibake.txt", "\ufffd" * 40 + "锟斤拷\n"))
    assert "replacement or control characters" in message


def test_a_few_replacement_characters_only_warn(tmp_path):
    source = read_source(write(tmp_path, "some.txt", POLICY + "\ufffd\n"))
    assert source.text == POLICY + "\ufffd\n"
    assert source.warnings == ("1 replacement or control characters in the text",)


def test_oversize_file_is_refused_before_reading(tmp_path):
    message = error_of(write(tmp_path, "big.txt", "字" * 1000), max_bytes=1024)
    assert "file is 2.9 KB, over the 1 KB limit" in message


def test_default_limit_is_50_mb():
    assert MAX_BYTES == 50 * 1024 * 1024


def test_missing_file_and_directory_are_refused(tmp_path):
    assert "no such file" in error_of(tmp_path / "nope.txt")
    assert "is a directory" in error_of(tmp_path)


def test_importing_ingest_does_not_load_heavy_libraries():
    import subprocess
    import sys

    code = "import sys, ingest.readers; print(sorted({'docx', 'pypdf', 'bs4', 'charset_normalizer'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
