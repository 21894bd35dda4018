"""Reader for saved government web pages (BeautifulSoup + lxml).

A policy page is a site frame (menus, breadcrumbs, share buttons, footer)
around one article, often with a metadata table (索引号, 发文字号, 成文日期 …)
above it.  The reader:

1. decodes the bytes (BOM, then UTF-8, then the declared charset, then GB18030);
2. takes out the metadata label/value pairs and emits them first, as
   ``标题: …`` lines;
3. drops the frame: scripts, nav/header/footer/aside/form elements and
   elements whose id/class name says navigation or boilerplate — but never an
   element holding most of the page's Chinese text (ASP.NET sites wrap the
   whole page in a <form>);
4. picks the article container: a known CMS id/class (zoom, TRS_Editor,
   pages_content …) or, failing that, the smallest block holding nearly all
   the remaining Chinese text;
5. renders it as lines: block elements and <br> break lines, simple table rows
   become one tab-separated line, runs of blank lines collapse to one.
"""
from __future__ import annotations

import re
from pathlib import Path

from .docx import CELL_SEP
from .text import decode, normalize_newlines

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# Never article text.
_DROP_TAGS = [
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed",
    "svg", "canvas", "select", "button", "input", "textarea", "link", "meta",
]
_FRAME_TAGS = ["nav", "header", "footer", "aside", "form", "menu"]
# id/class fragments that mean site frame, matched anywhere in the name ...
_FRAME_NAME = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|share|sidebar|copyright|toolbar|topbar|print|dayin|"
    r"guanbi|close|qrcode|erweima|weixin|wechat|weibo|gotop|backtop|totop|skip|advert|"
    r"friendlink|yqlj|related|xgwj|xgxx|comment|打印|关闭|分享|位置",
    re.IGNORECASE,
)
# ... and words that mean it only as a whole token ("head" but not "heading").
_FRAME_TOKENS = {
    "head", "header", "foot", "top", "bottom", "side", "banner", "search", "login",
    "position", "location", "dqwz", "ad", "ads", "links", "tools",
}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Article containers of the CMSs government sites run on (TRS, Hanweb, UCAP …),
# most specific first; matched against id and class, case-insensitively.
_CONTENT_NAMES = [
    "ucap-content", "zoom", "trs_editor", "trs_ueditor", "custom_unionstyle",
    "pages_content", "pages-content", "article-content", "article_content",
    "articlecontent", "art_con", "news_content", "newscontent", "detail-content",
    "detail_content", "xxgk_content", "content", "article", "main-content",
    "main_content", "con",
]
_CONTAINER_TAGS = {"div", "section", "article", "main", "table", "tbody", "tr", "td", "th", "center", "form", "font"}
_KNOWN_SHARE = 0.5    # a known container must hold this share of the text ...
_DENSE_SHARE = 0.9    # ... a guessed one nearly all of it

# Line breaks around these; table rows and cells are handled separately.
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}
# A row whose cells hold any of these is layout, not data: render it as blocks.
_LAYOUT_IN_CELL = _BLOCK_TAGS - {"td", "th", "tr", "caption", "center"}

# Whitespace rules of CSS: runs collapse to a space, and a line break between
# two East Asian characters disappears (the source wraps long Chinese lines).
_WIDE = r"[\u2e80-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
_WIDE_BREAK = re.compile(rf"(?<={_WIDE})[ \t\r\f]*\n\s*(?={_WIDE})")
_SPACES = re.compile(r"[ \t\n\r\f]+")
# Stripped from line ends: all but the tab, which separates (possibly empty) cells.
_EDGE_SPACE = " \xa0\u3000\u2002\u2003\u200b\r\f\v"

# Lines made only of page furniture: 【打印本页】【关闭窗口】, 字号：大 中 小 …
_FURNITURE = re.compile(
    r"[【\[（(]?\s*(?:打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|分享到|分享|收藏本页|收藏|"
    r"字号|字体|默认|[大中小]|扫一扫在手机打开当前页|扫一扫|保存本页|我要纠错|纠错|上一篇|下一篇)"
    r"\s*[】\]）)]?\s*[:：|]?\s*"
)

# Metadata labels of government information-disclosure (信息公开) pages.
_META_LABELS = [
    "索引号", "主题分类", "主题词", "发文机关", "发布机构", "发文单位", "成文日期",
    "发布日期", "发文日期", "印发日期", "生效日期", "实施日期", "废止日期", "有效期",
    "标题", "名称", "文件名称", "发文字号", "文号", "有效性", "是否有效", "时效性",
    "体裁分类", "公文种类", "文种", "组配分类", "信息来源", "发布时间", "来源",
]
# Labels are often spaced out to align them: 标　　题：
_LABEL = "(?:" + "|".join(
    r"\s*".join(map(re.escape, label)) for label in sorted(_META_LABELS, key=len, reverse=True)
) + ")"
_PAIR_START = re.compile(rf"^\s*{_LABEL}\s*[:：]")
_PAIR = re.compile(rf"({_LABEL})\s*[:：]")
_LABEL_ONLY = re.compile(rf"^\s*({_LABEL})\s*[:：]?\s*$")
_META_MAX = 300   # longer elements are article text, not a metadata cell


def read(path: str | Path, data: bytes):
    from bs4 import BeautifulSoup

    from . import SourceText

    declared = _CHARSET.search(data[:4096])
    text, encoding = decode(path, data, declared.group(1).decode("ascii") if declared else "")
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception:  # bs4.FeatureNotFound when lxml is missing
        soup = BeautifulSoup(text, "html.parser")

    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    meta = _take_metadata(soup)
    root = soup.body or soup
    _drop_frame(root)
    container = _pick_container(root)

    lines = [f"{label}: {value}" for label, value in meta]
    if lines:
        lines.append("")
    title = soup.find("h1")
    if title is not None and not _inside(title, container):
        lines.append(_inline_text(title))
    lines.extend(_render(container))
    return SourceText(normalize_newlines(_tidy(lines)), "html", encoding)


# -- metadata ---------------------------------------------------------------

def _take_metadata(soup) -> list[tuple[str, str]]:
    """Remove the metadata pairs from ``soup``; return them in page order."""
    order = {id(el): n for n, el in enumerate(soup.find_all(True))}
    found: list[tuple[int, str, str]] = []

    # Tables: label cell, value cell (标题 | 关于…的通知), or "标题：…" cells.
    # Without colons a lone pair could be a data table's header row, so a
    # table counts only with two pairs or more.
    for table in soup.find_all("table"):
        if table.decomposed:  # inside a row already taken
            continue
        rows = [(tr, _row_pairs(tr)) for tr in table.find_all("tr")]
        rows = [(tr, pairs) for tr, pairs in rows if pairs]
        if sum(len(pairs) for _, pairs in rows) >= 2:
            for tr, pairs in rows:
                found += [(order[id(tr)], label, value) for label, value in pairs]
                tr.decompose()

    # Anything else: "发布时间：2024-07-08 来源：省能源局" in spans, li, p, dd ...
    # The innermost element with a value wins, so siblings split cleanly.
    candidates = {}
    for el in soup.find_all(True):
        text = _inline_text(el)
        if len(text) <= _META_MAX and _PAIR_START.match(text):
            candidates[id(el)] = (el, _text_pairs(text))
    for el, pairs in candidates.values():
        if el.decomposed or any(
            candidates.get(id(d), (None, []))[1] for d in el.descendants if getattr(d, "name", None)
        ):
            continue
        if len(pairs) == 1 and not pairs[0][1]:
            # <dt>标题：</dt><dd>关于…</dd>: the value is the next element.
            sibling = el.find_next_sibling()
            value = _inline_text(sibling) if sibling is not None else ""
            if not value or len(value) > _META_MAX or _LABEL_ONLY.match(value):
                continue
            pairs = [(pairs[0][0], value)]
            sibling.decompose()
        found += [(order[id(el)], label, value) for label, value in pairs if value]
        el.decompose()

    out, seen = [], set()
    for _, label, value in sorted(found, key=lambda f: f[0]):
        if label not in seen:
            seen.add(label)
            out.append((label, value))
    return out


def _row_pairs(tr) -> list[tuple[str, str]]:
    cells = [_inline_text(c) for c in tr.find_all(["td", "th"], recursive=False)]
    pairs, k = [], 0
    while k < len(cells):
        text = cells[k]
        if len(text) > _META_MAX:
            return []
        label = _LABEL_ONLY.match(text)
        if label and k + 1 < len(cells) and cells[k + 1] and not _LABEL_ONLY.match(cells[k + 1]):
            pairs.append((_squash(label.group(1)), cells[k + 1]))
            k += 2
            continue
        if _PAIR_START.match(text):
            pairs += [p for p in _text_pairs(text) if p[1]]
        k += 1
    return pairs


def _text_pairs(text: str) -> list[tuple[str, str]]:
    marks = list(_PAIR.finditer(text))
    return [
        (_squash(m.group(1)), text[m.end(): nxt.start() if nxt else len(text)].strip())
        for m, nxt in zip(marks, marks[1:] + [None])
    ]


def _squash(label: str) -> str:
    return re.sub(r"\s+", "", label)


# -- frame and container --------------------------------------------------------

def _drop_frame(root) -> None:
    total = _han(root)
    doomed = []
    for el in root.find_all(True):
        if not _is_frame(el):
            continue
        # Guard: an element with most of the text is the page, whatever it is called.
        if total and _han(el) > _KNOWN_SHARE * total:
            continue
        doomed.append(el)
    for el in doomed:
        if not el.decomposed:
            el.decompose()


def _is_frame(el) -> bool:
    if el.name in _FRAME_TAGS or el.has_attr("hidden") or _HIDDEN.search(el.get("style", "")):
        return True
    names = " ".join([el.get("id", "")] + list(el.get("class", [])))
    if not names.strip():
        return False
    if _FRAME_NAME.search(names):
        return True
    tokens = re.split(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])", names)
    return any(t.lower() in _FRAME_TOKENS for t in tokens)


def _is_known_container(el) -> bool:
    names = {el.get("id", "").lower(), *(c.lower() for c in el.get("class", []))}
    return bool(names & set(_CONTENT_NAMES)) or el.name in ("article", "main")


def _pick_container(root):
    total = _han(root)
    if not total:
        return root
    known = [el for el in root.find_all(_is_known_container) if _han(el) >= _KNOWN_SHARE * total]
    if known:
        def rank(el):
            names = [el.get("id", "").lower(), *(c.lower() for c in el.get("class", []))]
            ranks = [_CONTENT_NAMES.index(n) for n in names if n in _CONTENT_NAMES]
            return min(ranks, default=len(_CONTENT_NAMES)), -_han(el)
        return min(known, key=rank)
    # No known name: walk down while one child block holds nearly all the text.
    node = root
    while True:
        blocks = [(_han(c), c) for c in node.find_all(True, recursive=False) if c.name in _CONTAINER_TAGS]
        han, best = max(blocks, key=lambda b: b[0], default=(0, None))
        if best is None or han < _DENSE_SHARE * total:
            return node
        node = best


def _han(el) -> int:
    return len(_HAN.findall(el.get_text()))


def _inside(el, container) -> bool:
    return el is container or container in el.parents


# -- rendering -------------------------------------------------------------------

class _Lines:
    """Accumulates text; block boundaries start a new line, <br> always does."""

    def __init__(self):
        self.parts: list[str] = []
        self.open = False  # the current line has visible text

    def text(self, s: str) -> None:
        self.parts.append(s)
        self.open = self.open or not s.isspace()

    def block(self) -> None:
        if self.open:
            self.br()

    def br(self) -> None:
        self.parts.append("\n")
        self.open = False

    def lines(self) -> list[str]:
        return "".join(self.parts).split("\n")


def _render(container) -> list[str]:
    out = _Lines()
    _walk(container, out)
    return out.lines()


def _walk(el, out: _Lines) -> None:
    from bs4 import NavigableString

    for child in el.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, doctype, CDATA ...
                out.text(_collapse(str(child)))
        elif child.name == "br":
            out.br()
        elif child.name == "pre":
            out.block()
            for line in child.get_text().split("\n"):
                out.text(line)
                out.br()
        elif child.name == "tr" and not child.find(_LAYOUT_IN_CELL):
            cells = [_inline_text(c) for c in child.find_all(["td", "th"], recursive=False)]
            if any(cells):
                out.block()
                out.text(CELL_SEP.join(cells))
                out.block()
        elif child.name in _BLOCK_TAGS:
            out.block()
            _walk(child, out)
            out.block()
        else:
            _walk(child, out)


def _inline_text(el) -> str:
    """``el``'s text on one line, spaces collapsed, as a browser shows it."""
    out = _Lines()
    _walk(el, out)
    return " ".join(line.strip() for line in out.lines() if line.strip())


def _collapse(s: str) -> str:
    return _SPACES.sub(" ", _WIDE_BREAK.sub("", s))


def _tidy(lines: list[str]) -> str:
    kept: list[str] = []
    for line in lines:
        line = line.strip(_EDGE_SPACE)
        if line and not _FURNITURE.sub("", line):
            continue
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)
