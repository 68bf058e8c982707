"""The admin's restructuring page: paste a plan, read its dry run as tables
(nothing recorded), apply it with one confirmation; errors by line; only an
admin."""

from __future__ import annotations

import re
from html import unescape

from tests.web.conftest import COMMUNE, Site

PLAN = (
    "op,code,name,level,parent_code,into_code,fund,amount_vnd,effective_on\n"
    f"merge,NA-QL-QT,,,,{COMMUNE},,,2025-07-01\n"
    f"move,{COMMUNE},,,NA,,,,2025-07-01\n"
    f"rename,{COMMUNE},Hội Khuyến học xã Diễn Châu,,,,,,2025-07-01\n"
)


def key_of(html: str) -> str:
    found = re.search(r'name="form_key" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_an_admin_previews_then_applies_a_plan(site: Site) -> None:
    site.sign_in("admin")
    head = site.service.ledger.recorder.max_notification_id()
    key = key_of(site.get("/reform").text)

    preview = site.client.post(
        "/reform", data={"form_key": key, "action": "preview", "plan": PLAN}
    )

    assert preview.status_code == 200, preview.text
    page = unescape(preview.text)
    assert "Xem trước: chưa ghi gì" in page
    assert 'data-table="moves"' in page
    assert "Hội Khuyến học xã Diễn Hoa → Hội Khuyến học xã Diễn Châu" in page
    assert site.service.ledger.recorder.max_notification_id() == head
    confirm = re.search(
        r'<form method="post" action="/reform">\s*<input type="hidden" '
        r'name="form_key" value="([^"]+)">\s*<input type="hidden" name="action" '
        r'value="apply">',
        preview.text,
    )
    assert confirm is not None

    applied = site.client.post(
        "/reform",
        data={"form_key": confirm.group(1), "action": "apply", "plan": PLAN},
    )

    assert applied.status_code == 200, applied.text
    assert "Đã ghi kế hoạch vào sổ." in unescape(applied.text)
    assert site.service.ledger.organisation("NA-QL-QT").status.value == "merged"
    assert (
        site.service.ledger.organisation(COMMUNE).name == "Hội Khuyến học xã Diễn Châu"
    )


def test_a_plan_with_errors_lists_them_by_line_and_records_nothing(
    site: Site,
) -> None:
    site.sign_in("admin")
    head = site.service.ledger.recorder.max_notification_id()
    key = key_of(site.get("/reform").text)
    bad = PLAN + "merge,NA-QL,,,,NOPE,,,2025-07-01\n"

    refused = site.client.post(
        "/reform", data={"form_key": key, "action": "apply", "plan": bad}
    )

    assert refused.status_code == 422
    page = unescape(refused.text)
    assert "Kế hoạch có lỗi: không ghi gì." in page
    assert re.search(r"<td>5</td><td>into_code</td>", page)
    assert site.service.ledger.recorder.max_notification_id() == head


def test_only_an_admin_may_restructure(site: Site) -> None:
    site.sign_in("treasurer")

    assert site.get("/reform").status_code == 403
