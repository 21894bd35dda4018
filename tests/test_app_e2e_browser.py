"""End to end: start the app with `streamlit run`, drive it in headless Chromium, save screenshots.

Uses Debian's Chromium (``apt-get install chromium``; ``.ci/run`` installs it)
through Playwright's Python package with ``executable_path``: no browser
download.  Skipped, saying why, only when there is no Chromium or no
Playwright.  Screenshots (desktop, and ``*_phone.png`` at 390×844) go to a
temporary folder, or to ``$POLICYKG_SCREENSHOTS`` when set (``docs/screenshots``
for the README), with ``hosts.txt``: every host the browser asked for.

Privacy is tested, not assumed: a request to any host but the app's is
refused and fails the test that made it.  So is English on screen, outside
the documents' own text (:func:`english_on`).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((p for p in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
NEW_DOC = (
    "山西省能源局关于开展分布式光伏试点工作的通知\n\n晋能源新发〔2031〕7号\n\n"
    "一、工作目标\n（一）到2032年，全省分布式光伏试点装机达到200万千瓦。\n"
    "二、支持政策\n（二）省财政厅对分布式光伏试点项目给予一次性资金补助，省能源局负责组织实施。\n"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: install Debian's package (apt-get install chromium), as .ci/run does"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("POLICYKG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def app_url(built_data, tmp_path_factory):
    """`streamlit run app/ui/Home.py … -- --data DIR` on a free port, over a copy of the built data (uploads go there)."""
    tmp = tmp_path_factory.mktemp("e2e")
    (tmp / ".data.versions").mkdir()
    shutil.copytree(built_data.resolve(), tmp / ".data.versions" / "v-e2e")
    os.symlink(".data.versions/v-e2e", tmp / "data")
    port = _free_port()
    log = open(tmp / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app/ui/Home.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--", "--data", str(tmp / "data")],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={k: v for k, v in os.environ.items() if k != "POLICYKG_DATA"},
    )
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() - started > 90:
                pytest.fail(f"streamlit did not start:\n{(tmp / 'streamlit.log').read_text()[-3000:]}")
            time.sleep(0.3)
        print(f"app answering after {time.monotonic() - started:.1f} s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


HOSTS: dict[str, int] = {}       # every host the browser asked for → requests
FOREIGN: list[str] = []          # requests refused: not to the app's host


@pytest.fixture(scope="module")
def browser(app_url, shots, tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed (pip install playwright)")
    own = urlsplit(app_url).netloc

    def guard(route):
        url = route.request.url
        host = urlsplit(url).netloc or url.split(":", 1)[0]
        HOSTS[host] = HOSTS.get(host, 0) + 1
        if host == own or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            FOREIGN.append(url)
            route.abort()

    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        context.route("**/*", guard)
        yield context
        context.close()
    (shots / "hosts.txt").write_text(
        "".join(f"{h}\t{n}\n" for h, n in sorted(HOSTS.items())) + "".join(f"REFUSED\t{u}\n" for u in FOREIGN),
        encoding="utf-8")


@pytest.fixture(scope="module")
def app(app_url, browser):
    """The app's URL once a first visitor has come in through a deep link (``/matrix``).

    Before the page files left a folder named ``pages/`` (which Streamlit also
    reads as old-style pages), that first visit showed "Page not found" over the
    right page; :func:`test_a_deep_link_as_the_first_visit_opens_that_page` checks
    the text this fixture saw.
    """
    first = browser.new_page()
    first.goto(f"{app_url}/matrix")
    settle(first, "任务分工")
    FIRST_VISIT["text"] = first.inner_text("body")
    first.close()
    return app_url


FIRST_VISIT: dict[str, str] = {}


def test_a_deep_link_as_the_first_visit_opens_that_page(app):
    assert "牵头" in FIRST_VISIT["text"] or "任务分工" in FIRST_VISIT["text"]
    assert "Page not found" not in FIRST_VISIT["text"]


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_default_timeout(60_000)
    before = len(FOREIGN)
    yield page
    page.close()
    assert FOREIGN[before:] == [], f"the page asked hosts other than the app's: {FOREIGN[before:]}"


@pytest.fixture
def phone(browser):
    """A page at a phone's size (390×844)."""
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(60_000)
    before = len(FOREIGN)
    yield page
    page.close()
    assert FOREIGN[before:] == [], f"the page asked hosts other than the app's: {FOREIGN[before:]}"


# Words that may stay: names of formats and of the product.
LATIN_OK = {"PolicyKG", "Excel", "Markdown", "SPARQL", "CSV", "PDF", "JSON", "GraphML", "Turtle", "txt", "md", "docx",
            "pdf", "html", "xlsx", "csv", "MB", "KB", "km", "kV", "Vega"}


def english_on(page) -> list[str]:
    """Latin words on screen, outside document text, icons, ids (``sx-nyj-2024-195#一.3``) and code (SPARQL)."""
    words = page.evaluate("""() => {
      const out = [];
      const skip = '[data-testid="stIconMaterial"], [translate="no"], .pk-clause, .pk-context, .pk-doc, code, pre, svg, textarea, [data-testid="stDataFrame"]';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest(skip) || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        out.push(n.data);
      }
      for (const el of document.querySelectorAll('[placeholder]')) out.push(el.getAttribute('placeholder'));
      return out;
    }""")
    found = set()
    for text in words:
        text = re.sub(r"[A-Za-z0-9_.\-]*\d[A-Za-z0-9_.#\-]*", " ", text)     # ids, numbers with units
        found.update(w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in LATIN_OK and not w.isupper())
    return sorted(found)


def settle(page, text: str | None = None, timeout: float = 60_000) -> None:
    """Wait for the script run to finish (and for ``text`` to be on the page)."""
    page.wait_for_timeout(300)  # a click reaches the server before the app says it is running
    if text:
        page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=timeout)
    page.wait_for_timeout(600)  # charts and fonts finish drawing


def snap(page, path: Path, anchor: str | None = None, height: int | None = None) -> None:
    """Screenshot, with the first element showing ``anchor`` scrolled to the top of a ``height``-pixel view."""
    size = page.viewport_size
    if height:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(400)
    if anchor:
        page.get_by_text(anchor).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).first.click()
    settle(page)


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def narrow(page, path: Path, anchor: str | None = None) -> None:
    """The same page at 390×844: a screenshot of the top (or from ``anchor``), then back to the desktop size."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    if anchor:
        page.get_by_text(anchor).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    page.wait_for_timeout(400)


def no_english(page) -> None:
    words = english_on(page)
    assert words == [], f"English on screen at {page.url}: {words}"


def test_search_from_the_box_and_share_the_url(app, page, shots):
    page.goto(f"{app}/")
    settle(page, "输入检索词")
    box = page.get_by_label("检索词")
    box.fill("绿电直连 接入电压等级")
    box.press("Enter")
    settle(page, "找到")
    assert "q=" in page.url and quote("绿电直连") in page.url
    page.locator("mark.pk").first.wait_for()
    assert page.get_by_text("高度相关").count() >= 1                # a strength label, not a raw similarity
    assert page.get_by_text("语义相似度").count() == 0
    page.get_by_text("在文件中的位置").first.click()
    settle(page)
    no_english(page)
    page.screenshot(path=str(shots / "search.png"))
    narrow(page, shots / "search_phone.png", "在文件中的位置")

    # the citation line of a clause, copied with its button
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app)
    code = page.locator('[data-testid="stCode"]').first
    line = code.inner_text().strip()
    assert line.startswith("《") and "》" in line
    code.hover()
    code.get_by_role("button", name="复制").click()
    assert page.evaluate("navigator.clipboard.readText()").strip() == line

    shared = page.context.new_page()           # the URL alone brings the same results back
    shared.goto(page.url)
    settle(shared, "找到")
    expect(shared.get_by_label("检索词")).to_have_value("绿电直连 接入电压等级", timeout=20_000)
    first = shared.locator('[class="pk-crumb"]').first.inner_text()
    assert first == page.locator('[class="pk-crumb"]').first.inner_text()
    shared.close()


def test_a_question_the_corpus_cannot_answer_says_so(app, page, shots):
    page.goto(f"{app}/?q={quote('月球基地 宇航员 薪酬')}")
    settle(page, "没有找到直接回答这个问题的条款")
    page.screenshot(path=str(shots / "search_nothing_relevant.png"))


def test_open_the_document_at_the_cited_clause(app, page, shots):
    page.goto(f"{app}/?q={quote('以绿电吸引外资及供应链项目')}")
    settle(page, "找到")
    page.get_by_role("link", name="打开整份文件").first.click()
    settle(page, "阅读文件")
    assert "clause=" in page.url
    anchor = page.locator(".pk-anchor")
    anchor.wait_for()
    page.wait_for_timeout(1500)                     # the page scrolls itself to the clause
    box = anchor.bounding_box()
    assert box and 0 <= box["y"] <= page.viewport_size["height"] - 20, f"the clause is off screen: {box}"
    page.screenshot(path=str(shots / "document_at_clause.png"))


def test_project_check(app, page, shots):
    page.goto(f"{app}/project")
    settle(page, "填写后点击")
    page.get_by_role("button", name="填入示例项目").click()
    settle(page)
    page.get_by_role("button", name="检查适用政策").click()
    settle(page, "适用条款")
    unmet = page.locator('[data-testid="stMetric"]').filter(has_text="条件不满足").inner_text()
    assert int(re.findall(r"\d+", unmet)[-1]) >= 1          # 60 km of direct line against a 50 km limit
    assert page.get_by_text("直连线路长度").count() >= 1
    page.locator('[data-testid="stCode"]').filter(has_text="《广西推动绿电直连发展实施方案》").first.wait_for()
    assert "direct_line_km=60" in page.url
    assert not re.search(r"[a-z]+_[a-z_]+=", page.locator('[data-testid="stMain"]').inner_text())  # no raw field names
    snap(page, shots / "project.png", "按行业分类识别为")
    narrow(page, shots / "project_phone.png", "按行业分类识别为")

    page.get_by_role("tab", name=re.compile("情形条件与目标")).click()
    settle(page)
    assert page.get_by_text("情形条件", exact=False).count() >= 1
    page.screenshot(path=str(shots / "project_situations.png"))
    no_english(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Markdown").click()
    assert download.value.suggested_filename.endswith(".md")

    again = page.context.new_page()                # the link alone brings the filled form and its check back
    again.goto(page.url)
    settle(again, "适用条款")
    expect(again.get_by_role("spinbutton", name="直连线路长度（公里）")).to_have_value("60", timeout=20_000)
    assert again.locator('[data-testid="stMetric"]').filter(has_text="条件不满足").inner_text() == unmet
    again.close()


def test_incentives_for_an_industry(app, page, shots):
    page.goto(f"{app}/incentives")
    settle(page, "措施")
    choose(page, "行业", "钢铁")
    assert "industry=steel" in page.url
    page.get_by_text("限制", exact=True).first.click()
    settle(page)
    assert "stance=" in page.url
    no_english(page)
    page.screenshot(path=str(shots / "incentives.png"))
    narrow(page, shots / "incentives_phone.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(600)
    assert page.locator('[class*="st-key-pk-wide-incentives"]').is_hidden()        # no clipped chart on a phone
    assert page.locator('[class*="st-key-pk-narrow-incentives"]').is_visible()
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.reload()
    settle(page, "措施")
    assert "industry=steel" in page.url and "stance=" in page.url


def test_agency_task_matrix(app, page, shots):
    page.goto(f"{app}/matrix")
    settle(page, "部门任务")
    choose(page, "文件", "推动绿电资源就地转化")
    heat = page.locator('[data-testid="stVegaLiteChart"]').first
    heat.locator('path[aria-label*="agency: 山西省商务厅;"]').first.click()   # click the agency in the heat map
    settle(page, "山西省商务厅：牵头")
    assert "focus=" in page.url and "doc=jnygf-2024-195" in page.url
    no_english(page)
    page.screenshot(path=str(shots / "matrix.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    assert page.locator('[class*="st-key-pk-wide-matrix"]').is_hidden()           # a list, not one squeezed column
    assert page.locator('[class*="st-key-pk-narrow-matrix"]').is_visible()
    page.screenshot(path=str(shots / "matrix_phone.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})

    shared = page.context.new_page()
    shared.goto(page.url)
    settle(shared, "山西省商务厅：牵头")
    shared.close()


def test_targets_timeline(app, page, shots):
    page.goto(f"{app}/targets")
    settle(page, "时间轴")
    choose(page, "地区", "山西省")
    assert "region=" in page.url
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    no_english(page)
    page.screenshot(path=str(shots / "targets.png"))
    narrow(page, shots / "targets_phone.png")
    page.reload()
    settle(page, "时间轴")
    assert "region=" in page.url


def test_graph_neighbourhood_and_sparql(app, page, shots):
    page.goto(f"{app}/graph?node={quote('agency:山西省商务厅')}")
    settle(page, "关系图")
    page.locator('[data-testid="stGraphVizChart"] svg').first.wait_for()
    assert page.locator('[data-testid="stGraphVizChart"] svg g.node').count() > 5
    page.screenshot(path=str(shots / "graph.png"))
    page.get_by_role("tab", name="SPARQL 查询").click()
    page.get_by_role("button", name="运行查询").click()
    page.get_by_text(re.compile(r"^\d+ 行$")).wait_for()
    settle(page)
    no_english(page)
    page.screenshot(path=str(shots / "graph_sparql.png"))


def test_document_list_filters(app, page, shots):
    page.goto(f"{app}/documents")
    settle(page, "上传新文件")
    page.get_by_label("按文号或标题查找").fill("晋能源规发")
    page.get_by_label("按文号或标题查找").press("Enter")
    settle(page, "符合条件 1 份")
    no_english(page)
    page.screenshot(path=str(shots / "documents_filtered.png"))


# Two incremental rebuilds in a browser (over 90 s): opt in with -m slow.  The default run covers the
# same steps without a browser: test_ui_documents.py (upload, refusal, search) and
# test_app_remove_document.py (upload, remove, rebuild).
@pytest.mark.slow
def test_upload_a_document_find_it_and_remove_it(app, page, shots, tmp_path):
    page.goto(f"{app}/documents")
    settle(page, "上传新文件")
    no_english(page)
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    settle(page)
    page.get_by_role("button", name="解析并加入语料库").click()
    settle(page, "未添加")
    assert page.get_by_text("这是 PNG 图片，不是可以读取的政策文件", exact=False).count() >= 1

    good = tmp_path / "分布式光伏试点.txt"
    good.write_bytes(NEW_DOC.encode("gb18030"))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(good))
    settle(page)
    page.get_by_role("button", name="解析并加入语料库").click()
    settle(page, "已添加《山西省能源局关于开展分布式光伏试点工作的通知》", timeout=300_000)
    snap(page, shots / "documents_upload.png", "阅读文件", height=1500)

    other = page.context.new_page()   # another user's session sees the new document too
    other.goto(f"{app}/?q={quote('分布式光伏试点 一次性资金补助')}")
    settle(other, "找到")
    assert "分布式光伏试点" in other.locator('[class="pk-crumb"]').first.inner_text()
    other.close()

    # remove it again, through the confirmation dialog
    page.get_by_role("button", name="移除这份文件…").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    go = dialog.get_by_role("button", name="移除并重建索引")
    assert go.is_disabled()                        # nothing happens before the user confirms
    dialog.get_by_text("我确认移除这份文件").click()
    page.wait_for_timeout(500)
    go.click()
    settle(page, "已移除《山西省能源局关于开展分布式光伏试点工作的通知》", timeout=300_000)
    page.screenshot(path=str(shots / "documents_removed.png"))
    gone = page.context.new_page()
    gone.goto(f"{app}/documents")
    settle(gone, "上传新文件")
    assert "共 5 份文件" in gone.locator('[data-testid="stMain"]').inner_text()
    gone.close()

    page.goto(f"{app}/documents?doc=jnygf-2024-195&clause={quote('jnygf-2024-195#一.2')}")
    settle(page, "阅读文件")
    page.screenshot(path=str(shots / "documents.png"))
    narrow(page, shots / "documents_phone.png")


def test_two_users_search_at_once(app, browser):
    pages = [browser.new_page() for _ in range(2)]
    queries = ["零碳产业示范区", "可再生能源消纳责任权重"]
    for p, q in zip(pages, queries):
        p.goto(f"{app}/?q={quote(q)}")
    for p, q in zip(pages, queries):
        settle(p, "找到")
        expect(p.get_by_label("检索词")).to_have_value(q, timeout=20_000)
        p.close()


def test_only_the_apps_own_host_was_contacted(app, shots):
    """Run last: every request of every test above went to the app and nowhere else."""
    own = urlsplit(app).netloc
    (shots / "hosts.txt").write_text("".join(f"{h}\t{n}\n" for h, n in sorted(HOSTS.items())), encoding="utf-8")
    assert FOREIGN == [] and set(HOSTS) == {own}, f"hosts asked: {sorted(HOSTS)}; refused: {FOREIGN}"
