"""``khuyenhoc report``: an organisation's year as the province prints it.

The figures are the yearly summary's (``Queries.summary``): raised, the
fund per inhabitant, scholarships and awards paid and to how many, members
and their share of the population, and transfers across the organisation's
(or subtree's) boundary when there were any. ``render`` writes them for
people, in Vietnamese or English (``api.books.figures``); ``as_json`` gives the
very figures of the HTTP summary (``SummaryPublic``), plain numbers. Both
end with the event log's last seal, so a printed report anchors the log it
came from (``docs/sealed-log.md``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from api.books import learning_report
from api.books.figures import Lang, day, money, percent, whole
from ledger.seals import Seal
from ledger.types import Level
from projections.answers import YearSummary
from projections.queries.learning import LearningModels

LABEL_WIDTH = 30

_TEXT: dict[Lang, dict[str, str]] = {
    "vi": {
        "title": "BÁO CÁO KẾT QUẢ CÔNG TÁC KHUYẾN HỌC NĂM {year}",
        "subtree": "{name} ({code}) và các tổ chức trực thuộc",
        "own": "{name} ({code})",
        "period": "Từ ngày {start} đến ngày {end}",
        "raised": "Quỹ khuyến học huy động",
        "of_which": "  trong đó ",
        "per_capita": "Bình quân quỹ/người",
        "no_population": "chưa có số liệu dân số",
        "other_income": "Thu khác (không phải tài trợ)",
        "income_interest": "  lãi tiền gửi",
        "income_dues": "  hội phí",
        "income_unit_contribution": "  đơn vị hội viên đóng góp",
        "income_other_income": "  thu khác",
        "disbursed": "Chi học bổng, khen thưởng",
        "scholarships": "  học bổng",
        "awards": "  khen thưởng",
        "other": "  chi khác",
        "recipients": "Số đối tượng được nhận",
        "recipients_value": "{count} đối tượng",
        "members": "Hội viên",
        "members_value": "{count} hội viên",
        "members_share": "{count} hội viên, đạt {share} dân số",
        "population": "Dân số",
        "population_value": "{count} người",
        "transfers_in": "Nhận chuyển từ nơi khác",
        "transfers_out": "Chuyển cho nơi khác",
        "footer": "Số liệu ghi sổ đến vị trí {position} của nhật ký; lập ngày {today}.",
        "sealed": "Niêm phong nhật ký số {no}, đến vị trí {position}, mã băm:",
        "unsealed": "Nhật ký chưa được niêm phong.",
    },
    "en": {
        "title": "STUDY PROMOTION: SUMMARY OF {year}",
        "subtree": "{name} ({code}) and every organisation under it",
        "own": "{name} ({code})",
        "period": "From {start} to {end}",
        "raised": "Raised for the fund",
        "of_which": "  of which ",
        "per_capita": "Fund per inhabitant",
        "no_population": "no population reported",
        "other_income": "Other income (not gifts)",
        "income_interest": "  bank interest",
        "income_dues": "  members' dues",
        "income_unit_contribution": "  member units' contributions",
        "income_other_income": "  other income",
        "disbursed": "Scholarships and awards paid",
        "scholarships": "  scholarships",
        "awards": "  awards",
        "other": "  other",
        "recipients": "Recipients",
        "recipients_value": "{count}",
        "members": "Members",
        "members_value": "{count} members",
        "members_share": "{count} members, {share} of the population",
        "population": "Population",
        "population_value": "{count} people",
        "transfers_in": "Transfers received",
        "transfers_out": "Transfers sent",
        "footer": "Figures as recorded up to log position {position}; printed {today}.",
        "sealed": "Log seal no. {no}, up to position {position}, hash:",
        "unsealed": "The log has not been sealed yet.",
    },
}
LEVEL_NAMES: dict[Lang, dict[str, str]] = {
    "vi": {
        "central": "trung ương",
        "province": "cấp tỉnh",
        "district": "cấp huyện",
        "commune": "cấp xã",
        "branch": "chi hội",
        "clan": "dòng họ",
        "agency": "cơ quan, đơn vị",
        "hometown": "hội đồng hương",
    },
    "en": {level.value: f"{level.value} level" for level in Level},
}


def render(
    summary: YearSummary,
    *,
    name: str,
    position: int,
    today: date,
    lang: Lang,
    seal: Seal | None = None,
    learning: LearningModels | None = None,
) -> str:
    """The report as text, one figure per line, then the learning models
    reported that year (``api.books.learning_report``); at the foot, the
    event log's last seal (its hash anchors the log the figures came from)."""
    t = _TEXT[lang]
    year = summary.year
    scope = t["subtree" if summary.subtree else "own"]
    head = [
        t["title"].format(year=year),
        scope.format(name=name, code=summary.organisation),
        t["period"].format(
            start=day(date(year, 1, 1), lang), end=day(date(year, 12, 31), lang)
        ),
        "",
    ]
    rows = [(t["raised"], money(summary.raised_vnd, lang))]
    levels = [
        (lvl, amount) for lvl, amount in summary.raised_by_level.items() if amount
    ]
    if len(levels) > 1:
        for n, (level, amount) in enumerate(levels):
            lead = t["of_which"] if n == 0 else " " * len(t["of_which"])
            rows.append((lead + LEVEL_NAMES[lang][level], money(amount, lang)))
    per_capita = summary.per_capita_vnd
    rows.append(
        (
            t["per_capita"],
            t["no_population"] if per_capita is None else money(per_capita, lang),
        )
    )
    rows.extend(_other_income(summary, lang))
    rows.append((t["disbursed"], money(summary.disbursed_vnd, lang)))
    for key, amount in (
        ("scholarships", summary.scholarships_vnd),
        ("awards", summary.awards_vnd),
        ("other", summary.other_disbursed_vnd),
    ):
        if amount:
            rows.append((t[key], money(amount, lang)))
    count = whole(summary.recipients, lang)
    rows.append((t["recipients"], t["recipients_value"].format(count=count)))
    rows.append((t["members"], _members(summary, lang)))
    if summary.population is not None:
        people = whole(summary.population, lang)
        rows.append((t["population"], t["population_value"].format(count=people)))
    for key, amount in (
        ("transfers_in", summary.transfers_in_vnd),
        ("transfers_out", summary.transfers_out_vnd),
    ):
        if amount:
            rows.append((t[key], money(amount, lang)))
    body = [f"{label:<{LABEL_WIDTH}} {value}".rstrip() for label, value in rows]
    if learning is not None:
        body.extend(learning_report.lines(learning, lang))
    footer = t["footer"].format(position=whole(position, lang), today=day(today, lang))
    if seal is None:
        sealed = [t["unsealed"]]
    else:
        sealed = [
            t["sealed"].format(no=seal.seal_no, position=whole(seal.position, lang)),
            seal.seal_hash,
        ]
    return "\n".join([*head, *body, "", footer, *sealed]) + "\n"


def _other_income(summary: YearSummary, lang: Lang) -> list[tuple[str, str]]:
    """Receipts that are not gifts, apart from raised, which counts gifts only
    (and so does per capita); by kind. None: no rows (issue 15)."""
    if not summary.other_income_vnd:
        return []
    t = _TEXT[lang]
    rows = [(t["other_income"], money(summary.other_income_vnd, lang))]
    for kind, amount in summary.income_by_kind.items():
        if amount:
            rows.append((t[f"income_{kind}"], money(amount, lang)))
    return rows


def _members(summary: YearSummary, lang: Lang) -> str:
    t = _TEXT[lang]
    count = whole(summary.members, lang)
    if summary.member_ratio is None:
        return t["members_value"].format(count=count)
    share = percent(summary.member_ratio, lang)
    return t["members_share"].format(count=count, share=share)


def as_json(
    summary: YearSummary,
    *,
    position: int,
    seal: Seal | None = None,
    learning: LearningModels | None = None,
) -> str:
    """The HTTP summary's JSON (``GET /v1/organisations/{code}/summary``).

    Its schemas (pydantic, under ``api.http``) are imported here, so that a
    printed report does not load them (docs/benchmarks.md, start-up)."""
    from api.http.schemas.learning import LearningFiguresPublic  # noqa: PLC0415
    from api.http.schemas.organisations import SealPublic, SummaryPublic  # noqa: PLC0415

    fields = asdict(summary)
    fields["raised_by_level"] = dict(summary.raised_by_level)
    fields["learning_models"] = (
        LearningFiguresPublic.all_of(learning) if learning is not None else []
    )
    answer = SummaryPublic(**fields, position=position, seal=SealPublic.of(seal))
    return answer.model_dump_json(indent=2)
