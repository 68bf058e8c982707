"""What a treasurer records carries the name of the person the token was
issued to (``token create --holder``), on the journal, the voucher and the
event log, with the token's id kept beside it."""

from __future__ import annotations

import re
from html import unescape

from api.auth.tokens import Role
from tests.web.conftest import COMMUNE, Site


def test_entries_carry_the_holders_name(site: Site) -> None:
    issued = site.service.tokens.create(Role.TREASURER, "NA-DC", "Nguyễn Thị Lan")
    site.tokens["lan"] = issued.secret
    site.sign_in("lan")
    fields = {
        "voucher_no": "PT-LAN-1",
        "business_date": "20/03/2022",
        "amount_vnd": "1.000.000",
        "donor": "Trần Văn Bình",
        "donor_kind": "individual",
        "method": "cash",
    }
    answer = site.submit(COMMUNE, "donation", fields)
    assert answer.status_code == 303
    who = f"Nguyễn Thị Lan (token:{issued.token_id})"
    journal = unescape(site.get(f"/journal/{COMMUNE}").text)
    assert who in journal
    entry = re.search(r"[?&]done=([0-9a-f-]{36})", answer.headers["location"])
    assert entry is not None
    voucher = unescape(site.get(f"/vouchers/{COMMUNE}/{entry.group(1)}").text)
    assert "Nguyễn Thị Lan" in voucher
    events = unescape(site.get(f"/audit/{COMMUNE}").text)
    assert who in events
