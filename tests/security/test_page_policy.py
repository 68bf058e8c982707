"""The pages' Content-Security-Policy fits the pages: in a real browser
(the web tests' Chromium), walking the public pages, signing in, recording a
donation and printing its voucher raises no CSP violation, and the one inline
handler (the print button) still runs. Without the browser these skip, as the
web tests do (with ``CI=true`` they fail)."""

from __future__ import annotations

import base64
import hashlib
import re

from playwright.sync_api import ConsoleMessage, Page

from api.http.hardening import PAGE_POLICY
from tests.web.test_browser import (
    COMMUNE,
    ROOT,
    Live,
    browser,
    fill_donation,
    live,
    page,
    sign_in,
)

__all__ = ["browser", "live", "page"]  # the web tests' fixtures


def test_every_inline_handler_of_the_templates_is_allowed_by_its_hash() -> None:
    templates = (ROOT / "api" / "web" / "templates").glob("*.html")
    handlers = {
        handler
        for template in templates
        for handler in re.findall(r'\son[a-z]+="([^"]*)"', template.read_text())
    }

    assert handlers  # the print button
    for handler in handlers:
        digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in PAGE_POLICY, handler
    assert not re.search(
        r"<script|\sstyle=",
        "".join(
            t.read_text() for t in (ROOT / "api" / "web" / "templates").glob("*.html")
        ),
    )


def test_the_pages_run_under_their_policy_without_a_violation(
    page: Page, live: Live
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    page.add_init_script("window.print = () => { window.__printed = true; };")
    page.goto(live.base + "/")
    page.click("text=Hội Khuyến học tỉnh Nghệ An")
    assert page.locator("svg").count() == 2
    sign_in(page, live)
    fill_donation(page, "PT-CSP-001", "1.000.000")
    page.click("#submit")
    page.click("#recorded >> text=In phiếu")
    assert page.locator("#words").inner_text() == "Một triệu đồng"
    page.click("button[onclick]")
    printed = page.evaluate("window.__printed === true")
    page.goto(f"{live.base}/journal/{COMMUNE}")

    assert printed
    assert violations == []
