"""Streamlit's own interface words in Chinese, and the app's shared page styles.

Streamlit has no translations: its widgets say "Press Enter to submit form",
"Select all", "Upload", "Running...", and so on.  :func:`install` puts a small
script in the page that rewrites those words (text, placeholders, tooltips) as
they appear, from :data:`WORDS`; it runs in the browser only and contacts
nothing.  The same call adds the CSS the pages share, including the rules
that switch wide and narrow layouts (:func:`wide_only` / :func:`narrow_only`).
"""
from __future__ import annotations

import json

import streamlit as st

# Whole texts Streamlit shows, as they appear (after trimming), → Chinese.
WORDS = {
    "Press Enter to submit form": "按回车键提交",
    "Press Enter to apply": "按回车键确认",
    "Press ⌘+Enter to apply": "按 ⌘+回车键确认",
    "Press Ctrl+Enter to apply": "按 Ctrl+回车键确认",
    "Select all": "全选",
    "Clear all": "全部清除",
    "Clear": "清除",
    "No results": "没有匹配的选项",
    "No options to select": "没有可选项",
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Upload": "选择文件",
    "Browse files": "选择文件",
    "Drag and drop file here": "将文件拖到这里",
    "Drag and drop files here": "将文件拖到这里",
    "Remove file": "移除文件",
    "Running...": "正在运行…",
    "Stop": "停止",
    "Download as CSV": "下载为 CSV",
    "Download": "下载",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Show/hide columns": "显示/隐藏列",
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Format": "格式",
    "Pin column": "固定此列",
    "Unpin column": "取消固定",
    "Hide column": "隐藏此列",
    "Autosize": "自动列宽",
    "Copy to clipboard": "复制",
    "Copied to clipboard": "已复制",
    "Copied": "已复制",
    "View fullscreen": "全屏查看",
    "Exit fullscreen": "退出全屏",
    "Show data": "显示数据",
    "Save as SVG": "保存为 SVG",
    "Save as PNG": "保存为 PNG",
    "View Source": "查看源码",
    "View Compiled Vega": "查看 Vega 代码",
    "Open in Vega Editor": "在 Vega 编辑器中打开",
    "Skip to main content": "跳到正文",
    "Main menu": "主菜单",
    "Close": "关闭",
    "Open sidebar": "展开侧栏",
    "Close sidebar": "收起侧栏",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "展开侧栏",
    "View more": "更多",
    "View less": "收起",
    "Something went wrong": "出错了",
    "Connecting": "正在连接",
    "Connection error": "连接中断",
    "Please wait...": "请稍候…",
    "Page not found": "找不到页面",
    "file upload": "上传文件",
}
# Texts with a number or name inside: (regular expression, replacement).
PATTERNS = [
    (r"^Limit (\S+) per file(.*)$", "单个文件不超过 $1$2"),
    (r"^(\S+) per file(.*)$", "单个文件不超过 $1$2"),
    (r"^(\d+) selected$", "已选 $1 项"),
    (r"^Help for (.+)$", "“$1”的说明"),
    # what the select boxes tell screen readers (a live region)
    (r"^(\d+) options? available\.?$", "共 $1 个选项"),
    (r"^(\d+) results? available.*$", "共 $1 个结果"),
    (r"^option (.+), selected\.?$", "已选择 $1"),
    (r"^option (.+), deselected\.?$", "已取消 $1"),
    (r"^option (.+) focused, (\d+) of (\d+)\..*$", "第 $2/$3 项：$1"),
    (r"^\+(\d+) more$", "另有 $1 项"),
    (r"^This app has encountered an error.*$", "页面出错了，请刷新重试；如果问题仍在，请联系管理员。"),
]

_CSS = """
<style>
/* wide and narrow layouts: st.container(key="pk-wide-…") / key="pk-narrow-…" */
@media (max-width: 640px) { div[class*="st-key-pk-wide-"] { display: none !important; } }
@media (min-width: 641px) { div[class*="st-key-pk-narrow-"] { display: none !important; } }
/* on a phone, a row of figures stays two abreast instead of one per screen line */
@media (max-width: 640px) {
  div[data-testid="stHorizontalBlock"]:has(> div > div > div > div[data-testid="stMetric"]),
  div[data-testid="stHorizontalBlock"]:has(div[data-testid="stMetric"]) { flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important; }
  div[data-testid="stHorizontalBlock"]:has(div[data-testid="stMetric"]) > div[data-testid="stColumn"] { flex: 1 1 40% !important; min-width: 40% !important; }
  div[data-testid="stMetricValue"] { font-size: 1.6rem !important; }
}
div.st-key-pk-localize, div.st-key-pk-scroll { display: none !important; }
/* the highlighted clause of an opened document */
.pk-anchor { background:#fff7d6; border-left:3px solid #f0b400; padding:4px 8px; scroll-margin-top: 40vh; }
</style>
"""

_SCRIPT = """
<script>
(function () {
  const root = window.parent && window.parent.document;
  if (!root || window.parent.__pkLocalized) return;
  window.parent.__pkLocalized = true;
  const WORDS = %(words)s;
  const PATTERNS = %(patterns)s.map(([p, r]) => [new RegExp(p), r]);
  const ICON = '[data-testid="stIconMaterial"], [translate="no"]';
  function translate(text) {
    const trimmed = text.trim();
    if (!trimmed || !/[A-Za-z]/.test(trimmed)) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, trimmed)) return text.replace(trimmed, WORDS[trimmed]);
    for (const [re, to] of PATTERNS) if (re.test(trimmed)) return text.replace(trimmed, trimmed.replace(re, to));
    return null;
  }
  function fixText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest(ICON) || parent.closest('.pk-clause, .pk-context')) return;
    const to = translate(node.data);
    if (to !== null && to !== node.data) node.data = to;
  }
  function fixAttributes(node) {
    for (const attr of ['placeholder', 'aria-label', 'title']) {
      const value = node.getAttribute(attr);
      if (value) { const to = translate(value); if (to !== null && to !== value) node.setAttribute(attr, to); }
    }
  }
  function fixTree(node) {
    if (node.nodeType === 3) { fixText(node); return; }
    if (node.nodeType !== 1) return;
    fixAttributes(node);
    const walker = root.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) fixText(n); else fixAttributes(n);
    }
  }
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') fixText(r.target);
      else if (r.type === 'attributes') fixAttributes(r.target);
      else r.addedNodes.forEach(fixTree);
    }
  }).observe(root.body, {subtree: true, childList: true, characterData: true, attributes: true,
                         attributeFilter: ['placeholder', 'aria-label', 'title']});
  fixTree(root.body);
  root.documentElement.lang = 'zh-CN';
})();
</script>
"""


def install() -> None:
    """Rewrite Streamlit's English in this browser tab, and add the shared styles; call once per script run."""
    st.html(_CSS)
    script = _SCRIPT % {"words": json.dumps(WORDS, ensure_ascii=False), "patterns": json.dumps(PATTERNS)}
    with st.container(key="pk-localize", border=False):   # hidden by the CSS; the script still runs
        st.iframe(script, height=1)
