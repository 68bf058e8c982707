"""End to end in a real browser: Debian's Chromium, headless, driven by
Playwright, against ``khuyenhoc serve``'s app on a real port with the demo
province recorded (SQLite: the page and form logic is the same on
PostgreSQL, which the other tests of this folder cover).

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``
(``.ci/web-setup`` installs it). Without it these tests skip — except with
``CI=true``, where they fail. The run leaves screenshots of the public page,
of a voucher and of the desk and journal on a phone in a temporary folder;
``make screenshots`` (``KHUYENHOC_SCREENSHOTS=docs/screenshots``) refreshes
the committed ones for the README.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader

from api.auth.tokens import Role
from api.http.app import create_app
from api.http.service import HttpService
from api.ops.demo import load_demo
from api.settings import Settings
from tests.ci import in_ci

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = Path(
    os.environ.get("KHUYENHOC_SCREENSHOTS")
    or tempfile.mkdtemp(prefix="khuyenhoc-screenshots-")
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COMMUNE = "NA-DC-DH"


@dataclass
class Live:
    base: str
    service: HttpService
    treasurer: str

    def api(self, path: str) -> dict[str, object]:
        with urllib.request.urlopen(self.base + path, timeout=10) as answer:  # noqa: S310 -- our own server
            found: dict[str, object] = json.load(answer)
        return found


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The service on a free port, with the demo province and a treasurer of
    Diễn Châu (whose scope holds Diễn Hoa)."""
    database = tmp_path_factory.mktemp("browser") / "ledger.sqlite3"
    app = create_app(Settings(database_url=f"sqlite:///{database}"))
    # The server takes the socket bound here: no other process can take the
    # port between finding it free and listening on it.
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listening]}, daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        service: HttpService = app.state.service
        load_demo(service.ledger)
        service.read_models.catch_up()
        treasurer = service.tokens.create(
            Role.TREASURER, "NA-DC", "Nguyễn Thị Lan"
        ).secret
        yield Live(f"http://127.0.0.1:{port}", service, treasurer)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        listening.close()


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""A font with every Vietnamese letter (.ci/web-setup installs it): without
one, Chromium's printed PDF spells "Hội" as "H ộ i" and the print test fails."""


def missing_browser_setup() -> str:
    """What the browser tests need and this machine lacks ('' if nothing)."""
    if not Path(CHROMIUM).exists():
        return f"Debian's Chromium is not installed ({CHROMIUM}): run .ci/web-setup"
    if not FONT.exists():
        return f"the font {FONT.name} is not installed: run .ci/web-setup"
    return ""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    message = missing_browser_setup()
    if message:
        if in_ci():
            pytest.fail(message + " (in CI: the browser tests must run)")
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1000, "height": 900}, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, live: Live) -> None:
    page.goto(f"{live.base}/desk")
    assert "/signin" in page.url
    page.fill("#token", live.treasurer)
    page.click("button.primary")
    assert page.url == f"{live.base}/desk/NA-DC"
    page.click("text=Hội Khuyến học xã Diễn Hoa")
    assert page.url == f"{live.base}/desk/{COMMUNE}"


def shown(page: Page, name: str) -> int:
    """A figure on the page, as a number (its digits)."""
    text = page.locator(f'[data-figure="{name}"]').first.inner_text()
    return int("".join(c for c in text if c.isdigit()))


def journal_count(page: Page, live: Live, voucher: str) -> int:
    page.goto(f"{live.base}/journal/{COMMUNE}")
    return page.locator(f'tr[data-voucher="{voucher}"]').count()


def fill_donation(page: Page, voucher: str, amount: str) -> None:
    page.click("text=Phiếu thu (ủng hộ)")
    page.fill("#voucher_no", voucher)
    page.fill("#business_date", "15/03/2022")
    page.fill("#amount_vnd", amount)
    page.fill("#donor", "Phạm Thị Hoa")


def test_the_public_page_shows_the_apis_figures(page: Page, live: Live) -> None:
    page.goto(live.base + "/")
    page.click("text=Hội Khuyến học tỉnh Nghệ An")
    assert page.url == f"{live.base}/o/NA"
    assert page.locator("h1").inner_text() == "Hội Khuyến học tỉnh Nghệ An"
    assert "Huy động năm 2022" in page.locator(".cards").inner_text()
    summary = live.api("/v1/organisations/NA/summary?year=2022&subtree=true")
    balance = live.api("/v1/organisations/NA/balance?subtree=true")
    assert shown(page, "balance_vnd") == balance["balance_vnd"]
    for name in ("raised_vnd", "scholarships_vnd", "awards_vnd", "recipients"):
        assert shown(page, name) == summary[name], name
    assert shown(page, "per_capita_vnd") == summary["per_capita_vnd"]
    assert shown(page, "members") == summary["members"] == 775_276
    assert page.locator('[data-figure="member_ratio"]').inner_text() == "23,2%"
    assert page.locator("svg").count() == 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "public-page.png"), full_page=True)


def test_a_treasurer_records_a_donation_and_prints_its_voucher(
    page: Page, live: Live
) -> None:
    sign_in(page, live)
    before = shown(page, "balance_vnd")
    fill_donation(page, "PT-E2E-001", "5.000.000")
    page.click("#submit")
    assert page.url.startswith(f"{live.base}/desk/{COMMUNE}?done=")
    notice = page.locator("#recorded").inner_text()
    assert "Đã ghi phiếu thu số PT-E2E-001: 5.000.000 đ." in notice
    assert shown(page, "balance_vnd") == before + 5_000_000
    page.click("#recorded >> text=In phiếu")
    assert page.locator("#words").inner_text() == "Năm triệu đồng"
    assert page.locator("#amount").inner_text() == "5.000.000 đồng"
    page.locator("#voucher").screenshot(path=str(SCREENSHOTS / "voucher.png"))
    with page.expect_download() as download:
        page.click("text=Tải PDF")
    path = download.value.path()
    downloaded = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert "(Viết bằng chữ): Năm triệu đồng" in downloaded
    page.emulate_media(media="print")
    printed = PdfReader(io.BytesIO(page.pdf(format="A5"))).pages
    assert len(printed) == 1
    words = " ".join(printed[0].extract_text().split())
    assert "PHIẾU THU" in words
    assert "(Viết bằng chữ): Năm triệu đồng" in words
    assert "Sổ quỹ Khuyến học" not in words  # the page's header is not printed
    page.emulate_media(media="screen")
    assert journal_count(page, live, "PT-E2E-001") == 1
    row = page.locator('tr[data-voucher="PT-E2E-001"]').inner_text()
    assert "5.000.000" in row
    assert "Phạm Thị Hoa" in row


def test_a_bad_amount_shows_the_error_beside_the_field(page: Page, live: Live) -> None:
    sign_in(page, live)
    fill_donation(page, "PT-E2E-BAD", "0")
    page.click("#submit")
    field = page.locator("#field-amount_vnd")
    assert field.locator(".error").inner_text() == "Phải lớn hơn 0."
    assert field.locator("input").get_attribute("aria-invalid") == "true"
    assert page.locator("#voucher_no").input_value() == "PT-E2E-BAD"
    assert page.locator("#field-voucher_no .error").count() == 0
    assert journal_count(page, live, "PT-E2E-BAD") == 0


def test_a_double_click_records_once(page: Page, live: Live) -> None:
    sign_in(page, live)
    before = shown(page, "balance_vnd")
    posts: list[str] = []
    page.on(
        "request",
        lambda request: posts.append(request.url) if request.method == "POST" else None,
    )
    fill_donation(page, "PT-E2E-002", "2.000.000")
    page.dblclick("#submit")
    page.wait_for_url(f"{live.base}/desk/{COMMUNE}?done=*")
    assert posts  # the form went at least once
    # The same form sent twice at the very same moment, as a browser does
    # when it retries: both copies reach the server.
    page.goto(f"{live.base}/desk/{COMMUNE}")
    fill_donation(page, "PT-E2E-003", "1.000.000")
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form.entry");
            const send = () => fetch(form.action, {method: "POST",
                body: new URLSearchParams(new FormData(form)), redirect: "manual"});
            const answers = await Promise.all([send(), send()]);
            return answers.map((answer) => answer.type);
        }"""
    )
    assert statuses == ["opaqueredirect", "opaqueredirect"]
    assert journal_count(page, live, "PT-E2E-002") == 1
    assert journal_count(page, live, "PT-E2E-003") == 1
    page.goto(f"{live.base}/desk/{COMMUNE}")
    assert shown(page, "balance_vnd") == before + 3_000_000


@pytest.mark.parametrize("width", [390, 1280])
def test_the_key_figures_stay_on_screen_on_a_phone(
    browser: Browser, live: Live, width: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    try:
        phone = context.new_page()
        sign_in(phone, live)

        def on_screen(selector: str) -> bool:
            box = phone.locator(selector).first.bounding_box()
            assert box is not None, selector
            return box["x"] >= 0 and box["x"] + box["width"] <= width

        assert on_screen('[data-figure="balance_vnd"]')
        assert on_screen('[data-figure="balance"]')
        assert phone.evaluate("document.documentElement.scrollWidth") <= width
        phone.screenshot(path=str(SCREENSHOTS / f"desk-{width}.png"), full_page=True)
        phone.goto(f"{live.base}/journal/{COMMUNE}")
        changes = phone.locator('[data-figure="change"]')
        assert changes.count() > 3
        for index in range(changes.count()):
            box = changes.nth(index).bounding_box()
            assert box is not None
            assert box["x"] + box["width"] <= width, index
        phone.screenshot(path=str(SCREENSHOTS / f"journal-{width}.png"), full_page=True)
    finally:
        context.close()


def test_a_machine_without_the_font_skips_saying_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(f"{__name__}.CHROMIUM", str(tmp_path))  # a path that is
    monkeypatch.setattr(f"{__name__}.FONT", tmp_path / "DejaVuSans.ttf")
    assert missing_browser_setup() == (
        "the font DejaVuSans.ttf is not installed: run .ci/web-setup"
    )
    monkeypatch.setattr(f"{__name__}.FONT", tmp_path)
    assert missing_browser_setup() == ""
