"""Messages from the layers below (ingest, build, SPARQL) in Chinese for the page.

Those layers speak English to scripts and logs.  A page shows :func:`zh` of a
message: the known kinds of message rewritten in Chinese (file kinds, sizes
and offsets kept), anything else as a plain Chinese sentence, with the
original kept for :func:`technical` (a collapsed detail for the administrator).
"""
from __future__ import annotations

import re

KINDS = {"PNG image": "PNG 图片", "JPEG image": "JPEG 图片", "GIF image": "GIF 图片", "ZIP archive": "ZIP 压缩包",
         "executable": "可执行程序", "old Word .doc": "旧版 Word（.doc）文件", "Excel workbook": "Excel 表格"}

# (pattern, Chinese): the first that matches a message rewrites it; groups go into the Chinese.
RULES: list[tuple[str, str]] = [
    (r"binary file \((.+?)\), not a supported document.*", "这是 {kind}，不是可以读取的政策文件（支持 .txt、.md、.docx、.pdf、.html）"),
    (r"binary file, not a supported document.*", "这是二进制文件，不是可以读取的政策文件（支持 .txt、.md、.docx、.pdf、.html）"),
    (r"no text layer: scanned PDF.*", "PDF 没有文字层，可能是扫描件：请先做文字识别（OCR）"),
    (r"encrypted PDF.*", "PDF 已加密，需要密码才能打开"),
    (r"damaged PDF.*", "PDF 文件已损坏"),
    (r"PDF has no pages", "PDF 没有页面"),
    (r"damaged \.docx.*", "Word 文件（.docx）已损坏"),
    (r"no text in this (\w+) file.*", "文件中没有文字"),
    (r"no text found after clean-up.*", "清理页码等内容后没有剩下正文"),
    (r"text is (\d+%) replacement or control characters.*", "{0} 的字符是乱码：编码不对或文件损坏"),
    (r"not valid UTF-8 or GB18030 text.*", "不是有效的 UTF-8 或 GB18030 编码文本"),
    (r"starts with a .+ byte-order mark but is not valid.*", "文件的编码标记与内容不符"),
    (r"(?:the )?file is empty|empty file", "文件是空的"),
    (r"file is (.+), over the (.+) limit", "文件大小 {0}，超过 {1} 的上限"),
    (r".*same content as 《(.+?)》.*", "内容与已有的《{0}》相同"),
    (r".*document id (\S+) is taken by 《(.+?)》.*", "与已有的《{1}》是同一份文件（文号或标题相同）"),
    (r".*another build is writing.*", "另一位用户正在更新语料库，请稍后再试"),
    (r"update queries are refused.*", "只能查询，不能修改图谱（不接受 INSERT、DELETE 等更新语句）"),
    (r"only SELECT, ASK, CONSTRUCT and DESCRIBE are run.*", "只运行 SELECT、ASK、CONSTRUCT 和 DESCRIBE 查询"),
    (r"not a valid SPARQL 1\.1 query.*", "查询语句有语法错误，请检查拼写、括号和前缀"),
    (r"empty query", "查询语句是空的"),
    (r"the query ran longer than the (\S+) s limit.*", "查询超过 {0} 秒被停止：请加 LIMIT 或缩小查询范围"),
    (r"the query process ended without a result.*", "查询意外中止，没有结果"),
]
# Build progress lines (shown while a document is added or removed).
PROGRESS: list[tuple[str, str]] = [
    (r"Reading (\d+) files from .*", "读取 {0} 个文件"),
    (r"\s*\[(\d+)/(\d+)\] (\S+) → (\S+) \((\d+) clauses, (\w+)\)", "　第 {0}/{1} 个：{3}（{4} 条条款）"),
    (r"\s*graph …", "　构建知识图谱…"),
    (r"\s*search indexes …", "　构建检索索引…"),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _rewrite(message: str, rules: list[tuple[str, str]]) -> str | None:
    for pattern, chinese in rules:
        m = re.fullmatch(pattern, message.strip(), flags=re.S)
        if m:
            groups = [KINDS.get(g, g) for g in m.groups()]
            kind = KINDS.get(groups[0], groups[0]) if groups else ""
            return chinese.format(*groups, kind=kind)
    return None


def zh(message: str) -> str:
    """``message`` in Chinese: a known kind rewritten, a message already Chinese kept, else a general sentence."""
    text = str(message)
    body = text.split(": ", 1)[1] if re.match(r"^[^\s:：]+\.\w+: ", text) else text   # "name.pdf: problem"
    found = _rewrite(body, RULES)
    if found:
        return found
    if _CJK.search(text) and not re.search(r"[A-Za-z]{4,}", re.sub(r"《.*?》", "", text)):
        return text
    return "处理时出错（详情见下方“技术细节”）"


def technical(message: str) -> str | None:
    """The original message, for a collapsed detail an administrator can open, when it is not all Chinese."""
    text = str(message)
    return text if re.search(r"[A-Za-z]{4,}", re.sub(r"《.*?》", "", text)) else None


def progress_zh(line: str) -> str:
    """A build progress line in Chinese (no server paths)."""
    found = _rewrite(line, PROGRESS)
    if found:
        return found
    return line if _CJK.search(line) else "　处理中…"
