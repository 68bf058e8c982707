"""The audit page in words an auditor reads: events and their fields named
in Vietnamese, organisations by code (no ids), the seal's time written the
Vietnamese way, and no "chain holds" when nothing is sealed yet."""

from __future__ import annotations

import inspect
import re

from eventsourcing.domain import DomainEvent

from api.web.audit import LEFT_OUT, ORG_IDS
from api.web.i18n import CATALOGUE
from ledger import organisation, restructuring
from ledger.seals import SealedLog
from tests.web.conftest import COMMUNE, Site

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def events_table(html: str) -> str:
    found = re.search(r'<table class="events">(.*?)</table>', html, re.DOTALL)
    assert found is not None
    return found.group(1)


def test_the_event_history_is_in_words(site: Site) -> None:
    site.sign_in("auditor")
    events = events_table(site.get(f"/audit/{COMMUNE}").text)
    assert "<td>Thành lập</td>" in events
    assert "<td>Phiếu thu (ủng hộ)</td>" in events
    assert "DonationReceived" not in events
    assert "Registered" not in events
    assert UUID.search(events) is None
    assert "cấp trên</span>: NA-DC;" in events  # the parent, by its code
    assert "cấp</span>: Xã;" in events
    assert "quỹ</span>: Quỹ chung;" in events
    assert "hình thức</span>: Ngân hàng (chuyển khoản)" in events
    assert "tài khoản</span>: Tiền mặt" in events
    assert re.search(r"ngày chứng từ</span>: \d{2}/\d{2}/2022", events)
    site.get("/lang/en")
    english = events_table(site.get(f"/audit/{COMMUNE}").text)
    assert "<td>Donation received</td>" in english


def test_nothing_sealed_is_said_and_the_seal_time_is_readable(site: Site) -> None:
    site.sign_in("auditor")
    page = site.client.post(f"/audit/{COMMUNE}/verify").text
    assert "Chưa niêm phong lần nào" in page
    assert "Chuỗi niêm phong khớp" not in page
    SealedLog(site.service.ledger).seal()
    page = site.client.post(f"/audit/{COMMUNE}/verify").text
    seal = re.search(r'<p id="seal">(.*?)<br>', page, re.DOTALL)
    assert seal is not None
    assert ISO_MOMENT.search(seal.group(1)) is None, seal.group(1)
    assert re.search(r"lúc \d{2}:\d{2}:\d{2} \d{2}/\d{2}/\d{4}\.", seal.group(1))
    assert 'id="chain-result">Chuỗi niêm phong khớp' in page


def _event_classes() -> set[type[DomainEvent]]:
    found: set[type[DomainEvent]] = set()
    for module in (organisation, restructuring):
        for item in vars(module).values():
            inner = vars(item).values() if inspect.isclass(item) else ()
            for candidate in (item, *inner):
                if inspect.isclass(candidate) and issubclass(candidate, DomainEvent):
                    found.add(candidate)
    return found


def test_every_field_an_event_shows_has_a_name_in_both_languages() -> None:
    """Whatever fact a later change adds, the audit page (an organisation's
    events) names its fields in words; an organisation's id is shown as its
    code, under its name."""
    events = _event_classes()
    assert len(events) > 20
    shown = set()
    for event in events:
        for klass in event.__mro__:
            if klass.__module__.startswith("eventsourcing"):
                continue  # the library's own: left out or never shown
            for name, kind in getattr(klass, "__annotations__", {}).items():
                if name in LEFT_OUT or name == "recorded_by":
                    continue
                if "UUID" in str(kind) and name not in ORG_IDS:
                    continue  # an internal id: the page leaves it out
                shown.add(name.removesuffix("_id") if name in ORG_IDS else name)
    for lang in ("vi", "en"):
        missing = {
            name for name in shown if f"event_field.{name}" not in CATALOGUE[lang]
        }
        assert missing == set(), (lang, sorted(missing))
