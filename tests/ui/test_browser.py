"""The UI in Debian's headless Chromium: streamed answers with linked, highlighted citation cards,
context on demand, refusals, friendly errors, upload, escaping, and the input-method Enter guard."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (`make browser`); a browser is never downloaded
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOUMA = "侯马市2023年GDP增速排全省第几？"
HOSTILE_REPORT = """梅岭县2024年政府工作报告
——2024年1月10日在梅岭县第十八届人民代表大会第三次会议上
各位代表：
现在，我代表县人民政府，向大会报告工作，请予审议。
一、2023年工作回顾
2023年，全县地区生产总值完成66.6亿元，同比增长7.7%。<script>alert('x')</script><img src=x onerror=alert(1)>${alert(2)}
全县粮食总产量达到12.3万吨，增长2.1%。
二、2024年工作安排
主要预期目标是：地区生产总值增长6%左右。
"""


# -- serving and driving -----------------------------------------------------------------------
@contextmanager
def serving(service):
    """The API app with the UI mounted at "/", on a free port of 127.0.0.1; yields its base URL."""
    import uvicorn

    from qa.serve.api import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(service.settings, service), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page; JS dialogs (an injected alert would open one) are recorded and dismissed."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


@pytest.fixture(scope="module")
def fake_url(tmp_path_factory):
    """The bundled reports behind the hash encoder and the extractive answerer: real app, fast."""
    from embeddings.encoder import HashEncoder
    from qa.library import Library
    from qa.serve.service import Service
    from qa.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("ui-data"), llm_backend="extractive")
    library = Library(settings, encoder=HashEncoder(256))
    library.ingest(None)
    with serving(Service(settings, library=library)) as url:
        yield url


def open_app(page, url):
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=60_000)


def finished(page) -> int:
    return page.locator("#transcript .turn-a:not(.pending)").count()


def wait_answers(page, n: int, timeout_s: float = 120) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#transcript .turn-a:not(.pending)').length >= n"
        " && !document.querySelector('#transcript .pending')", arg=n, timeout=timeout_s * 1000)


def ask(page, question: str, timeout_s: float = 120):
    """Type a question, press Enter, wait for its answer to finish streaming; returns that answer."""
    n = finished(page) + 1
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    wait_answers(page, n, timeout_s)
    return page.locator("#transcript .turn-a").nth(n - 1)


def check_cards(page, answer, gold: str) -> None:
    """The gold paragraph is cited; its [n] link jumps to its card; its context opens."""
    card = answer.locator(".card", has_text=gold).first
    assert card.locator(".quote").count() and card.locator("mark.fig").count()
    card_id = card.get_attribute("id")
    link = answer.locator(f'.answer a.cite[href="#{card_id}"]')
    if link.count():
        link.first.click()
        page.wait_for_function("id => location.hash === '#' + id", arg=card_id)
        assert page.evaluate("id => document.getElementById(id).matches(':target')", card_id)
    card.locator("details.ctx summary").click()
    context = card.locator("details.ctx .ctx-para").first
    context.wait_for(state="visible")
    assert context.inner_text().strip()


# -- tests ------------------------------------------------------------------------------------
def test_enter_while_composing_with_an_input_method_does_not_submit(page, fake_url):
    open_app(page, fake_url)
    page.fill("#question textarea", "代县2022年地区生产")
    press = """([composing, code]) => { const el = document.querySelector('#question textarea');
        for (const type of ['keydown', 'keypress'])
          el.dispatchEvent(new KeyboardEvent(type, {key: 'Enter', code: 'Enter', keyCode: code,
                                                    isComposing: composing, bubbles: true, cancelable: true})); }"""
    page.evaluate(press, [True, 229])
    page.wait_for_timeout(1500)
    assert page.locator("#transcript .turn-q").count() == 0
    assert page.input_value("#question textarea") == "代县2022年地区生产"
    page.evaluate(press, [False, 13])  # the same synthetic Enter, composition over: submits
    wait_answers(page, 1)
    assert page.locator("#transcript .turn-q").inner_text() == "代县2022年地区生产"


def test_example_question_answers_with_linked_highlighted_cards(page, fake_url):
    open_app(page, fake_url)
    page.get_by_role("button", name=HOUMA).click()
    wait_answers(page, 1)
    answer = page.locator("#transcript .turn-a").first
    assert "第2" in answer.locator(".answer").inner_text()
    check_cards(page, answer, "增速全省第2")


def test_follow_up_refusal_and_errors_are_shown_not_crashed(page, fake_url):
    open_app(page, fake_url)
    ask(page, "通渭县2023年一般公共预算收入是多少？")
    follow = ask(page, "那侯马市呢？")  # the earlier question travels as history
    assert "理解为：侯马市2023年一般公共预算收入是多少" in follow.inner_text()
    assert follow.locator(".card", has_text="侯马市").count()
    refused = ask(page, "火星上的县2023年有多少个机场？")
    assert refused.locator(".refusal").count() and "已检索" in refused.inner_text()
    assert refused.locator(".card").count() == 0
    error = ask(page, "长" * 2001)
    assert "2000 字以内" in error.locator(".error").inner_text()
    page.get_by_role("button", name="新对话").click()
    page.wait_for_function("() => !document.querySelector('#transcript .turn-q')")


def test_uploaded_report_is_listed_filterable_answerable_and_escaped(page, fake_url, tmp_path):
    report = tmp_path / "梅岭县2024年政府工作报告.txt"
    report.write_bytes(HOSTILE_REPORT.encode("gb18030"))
    open_app(page, fake_url)
    page.get_by_role("tab", name="报告库").click()
    page.set_input_files("#upload input[type=file]", str(report))
    page.locator(".upload-status .ok").wait_for(timeout=60_000)
    assert "梅岭县" in page.locator("#documents").inner_text()
    page.get_by_role("tab", name="问答").click()
    page.locator("#county input").click()
    assert page.get_by_role("option", name="梅岭县").count() == 1
    page.keyboard.press("Escape")
    answer = ask(page, "梅岭县2023年地区生产总值是多少？")
    assert "66.6亿元" in answer.locator(".answer").inner_text()
    card_text = answer.locator(".card", has_text="66.6亿元").first.inner_text()
    assert "<script>alert('x')</script><img src=x onerror=alert(1)>${alert(2)}" in card_text
    assert page.locator("#transcript script, #transcript img").count() == 0
    assert page.dialogs == []


@pytest.mark.slow
def test_real_models_answer_in_the_browser(page, real_settings):
    from qa.serve.service import Service
    from qa.settings import Settings

    service = Service(Settings(data_dir=real_settings.data_dir, llm_model="qwen-0.5b"))
    with serving(service) as url:
        open_app(page, url)
        answer = ask(page, HOUMA, timeout_s=120)
        text = answer.locator(".answer").inner_text()
        assert "第2" in text or "第二" in text, text
        check_cards(page, answer, "增速全省第2")
        ARTIFACTS.mkdir(exist_ok=True)
        # a viewport as tall as the page, so the sticky question box sits at the bottom of the picture
        page.set_viewport_size({"width": 1200, "height": page.evaluate("document.documentElement.scrollHeight")})
        page.screenshot(path=str(ARTIFACTS / "ui-answer.png"))


def test_indicator_tab_table_cells_chart_and_csv(page, fake_url):
    import csv
    import io

    open_app(page, fake_url)
    page.get_by_role("tab", name="指标").click()
    table = page.locator("#indicator-table table.indicators")
    table.wait_for(timeout=30_000)
    rows = {(r.get_attribute("data-county"), r.get_attribute("data-year")): r
            for r in table.locator("tbody tr").all()}
    assert set(rows) >= {("代县", "2022"), ("侯马市", "2023"), ("绛县", "2021"), ("通渭县", "2023")}
    assert "90.2亿元" in rows[("代县", "2022")].inner_text()
    assert "189亿元" in rows[("侯马市", "2023")].inner_text()
    assert "78.9亿元" in rows[("绛县", "2021")].inner_text()
    cell = rows[("代县", "2022")].locator("details.cell").first
    cell.locator("summary").click()
    card = cell.locator(".card")
    card.wait_for(state="visible")
    assert "daixian-2023#p" in card.inner_text() and "90.2亿元" in card.locator("mark").inner_text()
    page.locator("#bars").wait_for(state="visible")
    with page.expect_download() as download:
        page.locator("#export").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode())
    read_back = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert any(r["county"] == "代县" and r["value"] == "90.2" and r["indicator"] == "地区生产总值" for r in read_back)
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1200, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.screenshot(path=str(ARTIFACTS / "ui-indicators.png"))


def test_an_answer_from_facts_links_to_the_indicator_table(page, fake_url):
    open_app(page, fake_url)
    answer = ask(page, "代县2022年GDP是多少？")
    assert "90.2亿元" in answer.locator(".answer").inner_text()
    link = answer.locator("a.badge.link", has_text="在指标表中查看")
    href = link.get_attribute("href")
    assert "view=indicators" in href
    page.goto(fake_url + href)
    table = page.locator("#indicator-table table.indicators")
    table.wait_for(timeout=30_000)
    counties = {r.get_attribute("data-county") for r in table.locator("tbody tr").all()}
    assert counties == {"代县"} and "90.2亿元" in table.inner_text()


@pytest.fixture(scope="module")
def targets_url(tmp_path_factory):
    """Two national and two Guangdong reports (the whole texts), so targets meet next year's actuals."""
    from embeddings.encoder import HashEncoder
    from qa.library import Library
    from qa.serve.service import Service
    from qa.settings import Settings

    reports = Path(__file__).resolve().parents[2] / "eval" / "whole" / "reports"
    settings = Settings(data_dir=tmp_path_factory.mktemp("ui-targets"), llm_backend="extractive")
    library = Library(settings, encoder=HashEncoder(256))
    library.ingest([reports / f"{n}.txt" for n in ("national-2021", "national-2022", "guangdong-2025", "guangdong-2026")])
    with serving(Service(settings, library=library)) as url:
        yield url


def test_targets_tab_table_paragraphs_chart_and_the_link_into_it(page, targets_url):
    open_app(page, targets_url)
    page.get_by_role("tab", name="目标与完成").click()
    page.locator("#target-place input").click()
    page.get_by_role("option", name="广东省").click()
    gdp = page.locator('#target-table tr[data-indicator="地区生产总值"][data-year="2025"]')
    gdp.wait_for(timeout=30_000)
    assert "5%左右" in gdp.inner_text() and "3.9%" in gdp.inner_text()
    assert gdp.locator('.badge.verdict[data-verdict="missed"]').inner_text() == "未完成"
    actual = gdp.locator("details.cell").nth(1)
    actual.locator("summary").click()
    card = actual.locator(".card")
    card.wait_for(state="visible")
    assert "guangdong-2026#p" in card.inner_text() and "3.9%" in card.locator("mark").inner_text()
    chart = page.locator("#target-chart-0")
    chart.wait_for(state="visible", timeout=30_000)
    chart.locator("img").first.wait_for(timeout=30_000)  # the matplotlib figure, as an image
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1200, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.screenshot(path=str(ARTIFACTS / "ui-targets.png"))
    # an answer about a target links to the tab, opened on its place and indicator
    page.get_by_role("tab", name="问答").click()
    answer = ask(page, "全国2021年GDP目标实现了吗？")
    assert "8.1%" in answer.locator(".answer").inner_text()
    href = answer.locator("a.badge.link", has_text="在目标与完成中查看").get_attribute("href")
    assert "view=targets" in href
    page.goto(targets_url + href)
    row = page.locator('#target-table tr[data-indicator="地区生产总值"][data-year="2021"]')
    row.wait_for(timeout=30_000)
    assert row.locator('.badge.verdict[data-verdict="met"]').count() == 1
    assert page.locator("#target-table tr[data-year='2025']").count() == 0  # 全国, not 广东省
    assert page.get_by_role("tab", name="目标与完成").get_attribute("aria-selected") == "true"
    page.locator("#target-chart-0 img").first.wait_for(timeout=30_000)
