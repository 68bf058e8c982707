"""A plan's outcome for people: Vietnamese by default, English on request.

Each changed organisation with its name, level, parent and status before →
after; each balance that moves, from where to where, in whole đồng; the
totals before and after (equal: money is conserved); every error with its
plan line and column.
"""

from __future__ import annotations

from api.books.figures import Lang, whole
from api.books.reports import LEVEL_NAMES
from api.books.restructuring.plan import PlanError
from api.books.restructuring.run import PlanChange, PlanOutcome, Standing

_TEXT: dict[Lang, dict[str, str]] = {
    "vi": {
        "preview": "XEM TRƯỚC KẾ HOẠCH SẮP XẾP {file}: chưa ghi gì vào sổ.",
        "applied": "ĐÃ GHI KẾ HOẠCH SẮP XẾP {file}.",
        "refused": "KHÔNG GHI KẾ HOẠCH SẮP XẾP {file}: có lỗi, không ghi gì.",
        "steps": "Thứ tự thực hiện ({count} bước, {skipped} bước đã có sẵn):",
        "step": "  {n}. dòng {line}: {op} {code}{skipped}",
        "skipped": " (đã có, bỏ qua)",
        "changes": "Tổ chức thay đổi:",
        "new": "mới",
        "name": "tên",
        "level": "cấp",
        "parent": "trực thuộc",
        "status": "tình trạng",
        "none": "(không)",
        "moves": "Số dư chuyển đi:",
        "move": "  dòng {line}: {source} → {target}, quỹ {fund}: {amount} đồng",
        "no_moves": "Không có số dư nào chuyển.",
        "totals": "Tổng số dư các tổ chức liên quan: "
        "trước {before} đồng, sau {after} đồng{check}.",
        "equal": " (khớp)",
        "unequal": " (KHÔNG KHỚP)",
        "errors": "Lỗi ({count}):",
        "error": "  dòng {line}{column}: {message} [{code}]",
        "column": ", cột {column}",
        "active": "đang hoạt động",
        "merged": "đã sáp nhập",
        "dissolved": "đã giải thể",
        "split": "đã chia tách",
        "register": "thành lập",
        "rename": "đổi tên",
        "level_op": "đổi cấp",
        "move_op": "chuyển",
        "merge": "sáp nhập",
        "split_op": "chia tách",
        "dissolve": "giải thể",
    },
    "en": {
        "preview": "PREVIEW OF RESTRUCTURING PLAN {file}: nothing recorded.",
        "applied": "RESTRUCTURING PLAN {file} RECORDED.",
        "refused": "RESTRUCTURING PLAN {file} NOT RECORDED: "
        "it has errors; nothing was recorded.",
        "steps": "Order of the steps ({count} steps, {skipped} already in place):",
        "step": "  {n}. line {line}: {op} {code}{skipped}",
        "skipped": " (already done, skipped)",
        "changes": "Organisations that change:",
        "new": "new",
        "name": "name",
        "level": "level",
        "parent": "under",
        "status": "status",
        "none": "(none)",
        "moves": "Balances that move:",
        "move": "  line {line}: {source} → {target}, fund {fund}: {amount} đồng",
        "no_moves": "No balance moves.",
        "totals": "Total balance of the organisations concerned: "
        "before {before} đồng, after {after} đồng{check}.",
        "equal": " (equal)",
        "unequal": " (NOT EQUAL)",
        "errors": "Errors ({count}):",
        "error": "  line {line}{column}: {message} [{code}]",
        "column": ", column {column}",
        "active": "active",
        "merged": "merged",
        "dissolved": "dissolved",
        "split": "split",
        "register": "register",
        "rename": "rename",
        "level_op": "change level",
        "move_op": "move",
        "merge": "merge",
        "split_op": "split",
        "dissolve": "dissolve",
    },
}
_OPS = {"level": "level_op", "move": "move_op", "split": "split_op"}
PROBLEMS_VI = {
    "unknown_organisation": "không có tổ chức này",
    "organisation_closed": "tổ chức đã sáp nhập, chia tách hoặc giải thể",
    "invalid_hierarchy": "sai quan hệ giữa cấp trên và cấp dưới",
    "has_children": "tổ chức còn tổ chức trực thuộc: hãy chuyển chúng trước",
    "has_balance": "tổ chức còn tiền: hãy sáp nhập hoặc chia tách, không giải thể",
    "restricted_fund": "tiền của quỹ có mục đích chỉ sang quỹ cùng mục đích",
    "unbalanced_split": "các phần chia không cộng lại đúng số dư của quỹ",
    "unknown_fund": "tổ chức không có quỹ này",
    "invalid_date": "ngày không hợp lệ",
    "invalid_input": "giá trị không hợp lệ",
    "duplicate_organisation": "mã này đã dùng cho một tổ chức khác",
    "plan_contradiction": "trái với một dòng trước của kế hoạch",
}
"""The Vietnamese of each error code a plan may meet; the ledger's own
message follows it for the details."""


def render(outcome: PlanOutcome, *, file: str, preview: bool, lang: Lang) -> str:
    t = _TEXT[lang]
    if outcome.applied:
        head = t["applied"]
    else:
        head = t["preview"] if preview else t["refused"]
    out = [head.format(file=file), ""]
    if outcome.steps:
        skipped = sum(1 for _, done in outcome.steps if done)
        out.append(t["steps"].format(count=len(outcome.steps), skipped=skipped))
        for n, (step, done) in enumerate(outcome.steps, 1):
            op = t[_OPS.get(step.op, step.op)]
            out.append(
                t["step"].format(
                    n=n,
                    line=step.line,
                    op=op,
                    code=step.code,
                    skipped=t["skipped"] if done else "",
                )
            )
        out.append("")
    if outcome.changes:
        out.append(t["changes"])
        out.extend(_change(change, lang) for change in outcome.changes)
        out.append("")
    if outcome.moves:
        out.append(t["moves"])
        for move in outcome.moves:
            out.append(
                t["move"].format(
                    line=move.line,
                    source=move.from_code,
                    target=move.to_code,
                    fund=move.fund,
                    amount=whole(move.amount, lang),
                )
            )
    elif outcome.steps:
        out.append(t["no_moves"])
    if outcome.steps:
        equal = outcome.total_before == outcome.total_after
        out.append(
            t["totals"].format(
                before=whole(outcome.total_before, lang),
                after=whole(outcome.total_after, lang),
                check=t["equal"] if equal else t["unequal"],
            )
        )
    if outcome.errors:
        out.append("")
        out.append(t["errors"].format(count=len(outcome.errors)))
        out.extend(_error(error, lang) for error in outcome.errors)
    return "\n".join(out) + "\n"


def _change(change: PlanChange, lang: Lang) -> str:
    t = _TEXT[lang]
    after = change.after
    before = change.before
    parts = []
    for key, old, new in (
        ("name", before.name if before else None, after.name),
        ("level", _level(before, lang), _level(after, lang)),
        ("parent", before.parent if before else None, after.parent),
        ("status", _status(before, lang), _status(after, lang)),
    ):
        if before is None or old != new:
            shown_old = t["new"] if before is None else old or t["none"]
            parts.append(f"{t[key]}: {shown_old} → {new or t['none']}")
    if before is None or before.balances != after.balances:
        funds = sorted({*(before.balances if before else {}), *after.balances})
        for fund in funds:
            old_amount = before.balances.get(fund, 0) if before else 0
            new_amount = after.balances.get(fund, 0)
            if old_amount != new_amount:
                parts.append(
                    f"{fund}: {whole(old_amount, lang)} → {whole(new_amount, lang)}"
                )
    return f"  {change.code}: " + "; ".join(parts)


def _level(standing: Standing | None, lang: Lang) -> str | None:
    return LEVEL_NAMES[lang][standing.level] if standing else None


def _status(standing: Standing | None, lang: Lang) -> str | None:
    return _TEXT[lang][standing.status] if standing else None


def _error(error: PlanError, lang: Lang) -> str:
    t = _TEXT[lang]
    message = error.message
    if lang == "vi" and error.code in PROBLEMS_VI:
        message = f"{PROBLEMS_VI[error.code]} ({error.message})"
    column = t["column"].format(column=error.column) if error.column else ""
    return t["error"].format(
        line=error.line, column=column, message=message, code=error.code
    )
