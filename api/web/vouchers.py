"""Voucher pages: every entry's printable phiếu thu / phiếu chi
(``api.web.voucher_sheet``) at ``/vouchers/{code}/{entry_id}``, and the same
as a PDF at ``….pdf``.

A voucher names the payer or payee, so it follows the journal's rule
(``api.auth.access.entries_reader``): an auditor, or a treasurer whose scope holds
the organisation.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.auth import access
from api.http.deps import ServiceDep
from api.web import pdf
from api.web.pages import NotFound, page, render
from api.web.session import WebPrincipalDep
from api.web.voucher_sheet import VoucherSheet, voucher_of

router = APIRouter()


def _find(service: ServiceDep, code: str, entry_id: str) -> VoucherSheet:
    try:
        wanted = UUID(entry_id)
    except ValueError:
        raise NotFound(f"no entry {entry_id!r}") from None
    found = service.queries.entry(code, wanted)
    if found is None:
        raise NotFound(f"{code} has no entry {entry_id}")
    sheet = voucher_of(service.queries, code, found)
    return replace(sheet, approved_by=service.ledger.approver(wanted))


@router.get("/vouchers/{code}/{entry_id}.pdf")
@page
def voucher_pdf(
    request: Request,
    code: str,
    entry_id: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
) -> Response:
    access.entries_reader(code, service, principal)
    voucher = _find(service, code, entry_id)
    name = f"{'phieu-thu' if voucher.receipt else 'phieu-chi'}-{entry_id}.pdf"
    return Response(
        pdf.voucher_pdf(voucher),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/vouchers/{code}/{entry_id}")
@page
def voucher_page(
    request: Request,
    code: str,
    entry_id: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
) -> Response:
    access.entries_reader(code, service, principal)
    voucher = _find(service, code, entry_id)
    return render(
        request,
        "voucher.html",
        principal=principal,
        private=True,
        voucher=voucher,
        entry_id=entry_id,
    )
