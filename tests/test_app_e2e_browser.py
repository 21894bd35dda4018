"""End to end: start the app with `streamlit run`, drive it in headless Chromium, save screenshots.

Uses Debian's Chromium (``apt-get install chromium``; ``.ci/run`` installs it)
through Playwright's Python package with ``executable_path``: no browser
download.  Skipped, saying why, only when there is no Chromium or no
Playwright.  Screenshots go to a temporary folder, or to
``$POLICYKG_SCREENSHOTS`` when set (``docs/screenshots`` for the README).
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
from urllib.parse import quote

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


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        yield context
        context.close()


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
    yield page
    page.close()


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


def test_search_from_the_box_and_share_the_url(app, page, shots):
    page.goto(f"{app}/")
    settle(page, "输入检索词")
    box = page.get_by_label("检索词")
    box.fill("绿电直连 接入电压等级")
    box.press("Enter")
    settle(page, "找到")
    assert "q=" in page.url and quote("绿电直连") in page.url
    page.locator("mark.pk").first.wait_for()
    page.get_by_text("在文件中的位置").first.click()
    settle(page)
    page.screenshot(path=str(shots / "search.png"))

    shared = page.context.new_page()           # the URL alone brings the same results back
    shared.goto(page.url)
    settle(shared, "找到")
    assert shared.get_by_label("检索词").input_value() == "绿电直连 接入电压等级"
    first = shared.locator('[class="pk-crumb"]').first.inner_text()
    assert first == page.locator('[class="pk-crumb"]').first.inner_text()
    shared.close()


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
    assert page.get_by_text("出处：《广西推动绿电直连发展实施方案》").count() >= 1
    snap(page, shots / "project.png", "按行业分类识别为")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Markdown").click()
    assert download.value.suggested_filename.endswith(".md")


def test_incentives_for_an_industry(app, page, shots):
    page.goto(f"{app}/incentives")
    settle(page, "措施")
    choose(page, "行业", "钢铁")
    assert "industry=steel" in page.url
    page.get_by_text("限制", exact=True).first.click()
    settle(page)
    page.screenshot(path=str(shots / "incentives.png"))


def test_agency_task_matrix(app, page, shots):
    page.goto(f"{app}/matrix")
    settle(page, "部门任务")
    choose(page, "文件", "推动绿电资源就地转化")
    heat = page.locator('[data-testid="stVegaLiteChart"]').first
    heat.locator('path[aria-label*="agency: 山西省商务厅;"]').first.click()   # click the agency in the heat map
    settle(page, "山西省商务厅：牵头")
    page.screenshot(path=str(shots / "matrix.png"))


def test_targets_timeline(app, page, shots):
    page.goto(f"{app}/targets")
    settle(page, "时间轴")
    choose(page, "地区", "山西省")
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    page.screenshot(path=str(shots / "targets.png"))


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
    page.screenshot(path=str(shots / "graph_sparql.png"))


def test_upload_a_document_and_find_it(app, page, shots, tmp_path):
    page.goto(f"{app}/documents")
    settle(page, "上传新文件")
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    settle(page)
    page.get_by_role("button", name="解析并加入语料库").click()
    settle(page, "未添加")
    assert page.get_by_text("PNG image").count() >= 1

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

    page.goto(f"{app}/documents?doc=jnygf-2024-195&clause={quote('jnygf-2024-195#一.2')}")
    settle(page, "阅读文件")
    page.screenshot(path=str(shots / "documents.png"))


def test_two_users_search_at_once(app, browser):
    pages = [browser.new_page() for _ in range(2)]
    queries = ["零碳产业示范区", "可再生能源消纳责任权重"]
    for p, q in zip(pages, queries):
        p.goto(f"{app}/?q={quote(q)}")
    for p, q in zip(pages, queries):
        settle(p, "找到")
        assert p.get_by_label("检索词").input_value() == q
        p.close()
