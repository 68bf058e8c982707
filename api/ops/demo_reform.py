"""The sample province through the 2025 reform (``khuyenhoc demo --reform``,
which ``make run`` uses), so a newcomer sees both trees.

On 2025-07-01 the districts end (they merge into the province), the commune
Diễn Hoa takes the name of the new commune Diễn Châu and moves under the
province, and Quỳnh Thạch merges into the new commune Quỳnh Văn. A gift to
Quỳnh Thạch in March 2025 counts in its district's 2025 figures; the gifts
and the scholarships of September 2025 count on the new tree. Dates and
voucher numbers are fixed and the plan is applied all or nothing, so running
it again records nothing new.
"""

from __future__ import annotations

from datetime import date

from api.books.restructuring import apply_plan
from ledger import Ledger, errors

REFORM_ON = date(2025, 7, 1)
PLAN = """\
op,code,name,level,parent_code,into_code,fund,amount_vnd,effective_on
register,NA-QV,Hội Khuyến học xã Quỳnh Văn,commune,NA,,,,2025-07-01
merge,NA-QL-QT,,,,NA-QV,,,2025-07-01
rename,NA-DC-DH,Hội Khuyến học xã Diễn Châu,,,,,,2025-07-01
move,NA-DC-DH,,,NA,,,,2025-07-01
merge,NA-DC,,,,NA,,,2025-07-01
merge,NA-QL,,,,NA,,,2025-07-01
"""


class DemoReformFailed(errors.LedgerError):
    code = "demo_reform_failed"


def load_reform(ledger: Ledger) -> list[str]:
    """Take the demo province (``load_demo``) through the reform; returns the
    codes it registers."""
    actor = "demo"
    ledger.receive_donation(
        "NA-QL-QT",
        voucher_no="PT-2025-003",
        amount=3_000_000,
        business_date=date(2025, 3, 10),
        donor_kind="anonymous",
        recorded_by=actor,
    )
    outcome = apply_plan(ledger, PLAN, recorded_by=actor)
    if outcome.errors:
        raise DemoReformFailed("; ".join(str(e) for e in outcome.errors))
    for code, voucher_no, amount in (
        ("NA-QV", "PT-2025-101", 5_000_000),
        ("NA-DC-DH", "PT-2025-101", 7_000_000),
    ):
        ledger.receive_donation(
            code,
            voucher_no=voucher_no,
            amount=amount,
            business_date=date(2025, 9, 5),
            donor_kind="anonymous",
            recorded_by=actor,
        )
    ledger.disburse(
        "NA-DC-DH",
        voucher_no="PC-2025-102",
        amount=4_000_000,
        business_date=date(2025, 10, 1),
        category="scholarship",
        recipients=8,
        recorded_by=actor,
    )
    return ["NA-QV"]
