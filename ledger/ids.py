"""Deterministic ids: an organisation's, a campaign's and a voucher's id derive
from their codes, so the event store's uniqueness of (id, version 1) makes
"this code is taken" an atomic fact of the write model.
"""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6f1d1c52-4b63-5a0e-9a53-6b6875796568")
"""The namespace of every derived id (a fixed random-looking UUID)."""
ID_CACHE = 65_536
"""Codes whose ids are kept computed (a uuid5 is a SHA-1: an import asks for
the same organisation's id for each of its entries)."""


def voucher_id(org_id: UUID, voucher_no: str) -> UUID:
    """The id of an organisation's voucher, which is also its entry's id."""
    return uuid5(org_id, f"voucher:{voucher_no}")


def reversal_id(entry_id: UUID) -> UUID:
    """The id of the entry that reverses ``entry_id`` (there is at most one)."""
    return uuid5(entry_id, "reversal")


def received_voucher_no(sender_code: str, voucher_no: str) -> str:
    """The number a transfer goes by at the receiver: ``<sender>:<number>``.

    The receiver's voucher of that number is reserved in the same save, so the
    receiver cannot use it for an entry of its own.
    """
    return f"{sender_code}:{voucher_no}"
