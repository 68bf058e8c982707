"""Who may open which page: signing in and out, and every caller against the
desk, the forms, the journal, the audit view and the vouchers — the rules of
``api.auth.access``, asserted as one table."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from api.web import submissions
from ledger.seals import SealedLog
from storage.schema import drop_guards
from tests.web.conftest import COMMUNE, FORM_KEY, Site, error_beside

CALLERS = ("none", "public", "treasurer", "outsider", "auditor", "admin")
SIGN_IN = 303
"""No token: the page sends the browser to the sign-in page."""


def entry_id(site: Site, voucher: str) -> str:
    auditor = {"Authorization": f"Bearer {site.tokens['auditor']}"}
    entries = site.client.get(
        f"/v1/organisations/{COMMUNE}/entries", headers=auditor
    ).json()["data"]
    found: str = next(e["entry_id"] for e in entries if e["voucher_no"] == voucher)
    return found


def test_every_caller_against_every_page(site: Site) -> None:
    voucher = f"/vouchers/{COMMUNE}/{entry_id(site, 'PT-2022-001')}"
    readers = {"none": SIGN_IN, "treasurer": 200, "auditor": 200}
    recorders = {"none": SIGN_IN, "treasurer": 200}
    table: dict[tuple[str, str], dict[str, int]] = {
        ("GET", f"/desk/{COMMUNE}"): recorders,
        ("GET", f"/desk/{COMMUNE}/donation"): recorders,
        ("GET", f"/desk/{COMMUNE}/reversal"): recorders,
        ("POST", f"/desk/{COMMUNE}/donation"): {"none": SIGN_IN, "treasurer": 303},
        ("GET", f"/journal/{COMMUNE}"): readers,
        ("GET", f"/audit/{COMMUNE}"): readers,
        ("POST", f"/audit/{COMMUNE}/verify"): {"none": SIGN_IN, "auditor": 200},
        ("GET", voucher): readers,
        ("GET", f"{voucher}.pdf"): readers,
    }
    found: dict[tuple[str, str], dict[str, int]] = {}
    for (method, path), allowed in table.items():
        for who in CALLERS:
            site.sign_in(who)
            if method == "GET":
                answer = site.get(path)
            else:
                data = {
                    "voucher_no": f"PT-{who}",
                    "business_date": "2022-03-01",
                    "amount_vnd": "1000",
                    "form_key": own_key(site, who),
                }
                answer = site.client.post(path, data=data, follow_redirects=False)
            found.setdefault((method, path), {})[who] = answer.status_code
            if answer.status_code == SIGN_IN and who == "none":
                assert answer.headers["location"].startswith("/signin?next=/")
            if answer.status_code == 403:
                assert "Vinamilk" not in answer.text
        expected = {who: allowed.get(who, 403) for who in CALLERS}
        assert found[(method, path)] == expected, (method, path)


def own_key(site: Site, who: str) -> str:
    """A form key as the signed-in caller's own page would carry it (a
    caller who may not open the form gets one anyway, to show that the key
    is not what refuses them)."""
    if who == "none":
        return "no-key"
    return submissions.new_key(site.tokens[who])


def test_only_the_treasurers_own_entry_was_recorded(site: Site) -> None:
    path = f"/desk/{COMMUNE}/donation"
    for who in CALLERS:
        site.sign_in(who)
        site.client.post(
            path,
            data={
                "voucher_no": f"PT-{who}",
                "business_date": "2022-03-01",
                "amount_vnd": "1000",
                "form_key": own_key(site, who),
            },
        )
    site.sign_in("auditor")
    tried = {f"PT-{who}" for who in CALLERS}
    assert tried & set(site.journal_lines(COMMUNE)) == {"PT-treasurer"}


def test_signing_in_keeps_the_token_in_a_strict_http_only_cookie(site: Site) -> None:
    answer = site.sign_in("treasurer")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/desk/NA-DC"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"khuyenhoc_token={site.tokens['treasurer']};")
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= attributes
    assert site.get("/desk").headers["location"] == "/desk/NA-DC"
    signed_out = site.client.post("/signout", follow_redirects=False)
    assert signed_out.status_code == 303
    assert 'khuyenhoc_token=""' in signed_out.headers["set-cookie"]
    assert "max-age=0" in signed_out.headers["set-cookie"].lower()
    assert site.get(f"/desk/{COMMUNE}").status_code == SIGN_IN


def test_a_wrong_token_is_refused_beside_the_field(site: Site) -> None:
    answer = site.client.post("/signin", data={"token": "khk_nope_nope"})
    assert answer.status_code == 401
    assert error_beside(answer.text, "token") == (
        "Mã truy cập không đúng hoặc chưa nhập. unauthenticated"
    )
    assert "set-cookie" not in answer.headers
    # A cookie whose token is unknown counts as signed out.
    site.client.cookies.set("khuyenhoc_token", "khk_gone_gone")
    assert site.get(f"/journal/{COMMUNE}").status_code == SIGN_IN


def test_signing_in_returns_to_the_page_asked_on_this_site_only(site: Site) -> None:
    for asked, landing in (
        ("/journal/NA-DC-DH", "/journal/NA-DC-DH"),
        ("https://elsewhere.example/", "/audit"),
        ("//elsewhere.example/", "/audit"),
    ):
        answer = site.client.post(
            "/signin",
            data={"token": site.tokens["auditor"], "next": asked},
            follow_redirects=False,
        )
        assert answer.headers["location"] == landing, asked


def test_verify_is_run_by_an_auditor_and_checks_the_seals(site: Site) -> None:
    site.sign_in("auditor")
    page = site.client.post(f"/audit/{COMMUNE}/verify").text
    assert 'id="verify-result">Khớp: đã so' in page
    assert "Chưa có niêm phong nào." in page
    site.sign_in("treasurer")
    audit = site.get(f"/audit/{COMMUNE}").text
    assert "Chỉ kiểm toán viên được chạy kiểm tra." in audit
    assert f'action="/audit/{COMMUNE}/verify"' not in audit

    (seal,) = SealedLog(site.service.ledger).seal()
    assert seal.seal_hash in site.get(f"/audit/{COMMUNE}").text
    site.sign_in("auditor")
    page = site.client.post(f"/audit/{COMMUNE}/verify").text
    assert f"Niêm phong số 1: đến vị trí {seal.position} của nhật ký" in page
    assert 'id="chain-result">Chuỗi niêm phong khớp' in page

    # Someone who owns the database drops the append-only triggers and changes
    # a sealed event's bytes (trailing whitespace: it still decodes, so only
    # the seal can tell).
    engine = create_engine(site.service.settings.database_url)
    with engine.begin() as conn:
        drop_guards(conn)
        state = conn.execute(
            text("SELECT state FROM ledger_events WHERE id = 3")
        ).scalar_one()
        conn.execute(
            text("UPDATE ledger_events SET state = :s WHERE id = 3"),
            {"s": bytes(state) + b" "},
        )
    engine.dispose()
    page = site.client.post(f"/audit/{COMMUNE}/verify").text
    assert "chỗ khác đầu tiên ở vị trí 3." in page
    assert "position 3: " in page


def test_a_form_from_another_sites_page_is_refused(site: Site) -> None:
    elsewhere = {"Origin": "https://elsewhere.example"}
    answer = site.client.post(
        "/signin", data={"token": site.tokens["treasurer"]}, headers=elsewhere
    )
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers
    site.sign_in("treasurer")
    refused = site.client.post(
        f"/desk/{COMMUNE}/donation",
        data={"voucher_no": "PT-X", "business_date": "2022-03-01", "amount_vnd": "1"},
        headers=elsewhere,
    )
    assert refused.status_code == 403
    assert "PT-X" not in site.journal_lines(COMMUNE)
    here = {"Origin": "http://testserver"}
    assert site.client.post("/signout", headers=here).status_code == 200


def test_signing_in_is_slowed_down_like_the_api(site: Site) -> None:
    limit = site.service.settings.auth_failures
    for _ in range(limit):
        wrong = site.client.post("/signin", data={"token": "khk_not_a_token"})
        assert wrong.status_code == 401
    right = site.client.post(
        "/signin", data={"token": site.tokens["auditor"]}, follow_redirects=False
    )
    assert right.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in right.text
    assert "set-cookie" not in right.headers
    # A cookie is not looked up either meanwhile: the page sees nobody signed in.
    site.client.cookies.set("khuyenhoc_token", site.tokens["auditor"])
    assert site.get(f"/audit/{COMMUNE}").status_code == 303
    # The API's bearer path shares the count.
    bearer = {"Authorization": f"Bearer {site.tokens['auditor']}"}
    entries = site.client.get(f"/v1/organisations/{COMMUNE}/entries", headers=bearer)
    assert entries.status_code == 429


def test_a_stale_cookie_is_cleared_and_counted_once(site: Site) -> None:
    """A token another database made (or a revoked one) in the cookie: the
    first page clears it, so browsing on does not lock the address out."""
    site.sign_in("treasurer")  # the browser holds the cookie as the site set it
    (kept,) = site.client.cookies.jar
    site.client.cookies.set(
        "khuyenhoc_token", "khk_00000000_" + "s" * 43, domain=kept.domain
    )

    first = site.get("/o/NA")
    for _ in range(site.service.settings.auth_failures + 2):
        assert site.get("/o/NA").status_code == 200

    assert first.status_code == 200
    assert 'khuyenhoc_token=""' in first.headers["set-cookie"]
    assert "khuyenhoc_token" not in site.client.cookies
    assert site.service.throttle.failures("testclient") == 1
    bearer = {"Authorization": f"Bearer {site.tokens['auditor']}"}
    entries = site.client.get(f"/v1/organisations/{COMMUNE}/entries", headers=bearer)
    assert entries.status_code == 200


def test_a_form_behind_a_reverse_proxy_is_accepted(site: Site) -> None:
    """nginx's proxy_pass sends its own Host; the site's name comes in
    X-Forwarded-Host. Another site's page still cannot post."""
    proxied = {
        "Origin": "https://khuyenhoc.example.vn",
        "Host": "127.0.0.1:8000",
        "X-Forwarded-Host": "khuyenhoc.example.vn",
    }
    answer = site.client.post(
        "/signin",
        data={"token": site.tokens["treasurer"]},
        headers=proxied,
        follow_redirects=False,
    )
    assert answer.status_code == 303
    elsewhere = proxied | {"Origin": "https://elsewhere.example"}
    refused = site.client.post(
        "/signin", data={"token": site.tokens["treasurer"]}, headers=elsewhere
    )
    assert refused.status_code == 403


def test_a_form_key_not_made_for_this_sign_in_records_nothing(site: Site) -> None:
    """What a page elsewhere could post in a browser that sends neither
    SameSite cookies nor Origin: no key, a made-up one, another token's."""
    site.sign_in("treasurer")
    path = f"/desk/{COMMUNE}/donation"
    fields = {"voucher_no": "PT-X1", "business_date": "2022-03-01", "amount_vnd": "1"}
    for key in ("", "abc.def", submissions.new_key(site.tokens["auditor"])):
        refused = site.client.post(
            path, data={**fields, "form_key": key}, follow_redirects=False
        )
        assert refused.status_code == 422
        assert "Biểu mẫu này đã cũ" in refused.text
    assert "PT-X1" not in site.journal_lines(COMMUNE)
    # The form comes back with a key of this sign-in: sending it records.
    refused_page = site.client.post(path, data=fields, follow_redirects=False).text
    found = FORM_KEY.search(refused_page)
    assert found is not None
    again = site.client.post(
        path, data={**fields, "form_key": found.group(1)}, follow_redirects=False
    )
    assert again.status_code == 303
    assert "PT-X1" in site.journal_lines(COMMUNE)
