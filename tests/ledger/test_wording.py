"""Every error the domain and the read side raise on purpose says itself in
Vietnamese with no English sentence inside, and in English on request."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import attrs
import pytest

from ledger import commands, errors
from ledger.errors import CodedError
from ledger.wording import FIELDS, PHRASES, WORDS, Saying, says
from projections import errors as read_errors

ROOT = Path(__file__).resolve().parents[2]

ENGLISH = re.compile(
    r"\b(the|is|of|not|must|has|have|and|with|already|cannot|needs|between|"
    r"before|after|under|into|from|entry|fund|date|organisation|campaign|"
    r"voucher|amount|future|required|registered|merged|dissolved|district|"
    r"province|commune|branch|recipient|recipients|members|population|"
    r"year|text|whole|number|true|false)\b",
    re.IGNORECASE,
)
"""English words no Vietnamese sentence of ours contains."""

DATES = {
    "on",
    "registered",
    "since",
    "original",
    "starts_on",
    "ends_on",
    "closed_on",
}


def sample(name: str, spec: str) -> object:
    """A value for ``{name:spec}`` in a phrase."""
    if spec == "field":
        return "recipients"
    if spec in WORDS:
        return next(iter(WORDS[spec]))
    if spec == "n":
        return 1_312_000
    if name in DATES or name == "last":
        return date(2027, 11, 16)
    return "NA-DC"


def rendered(key: str, lang: str = "vi") -> str:
    values = {
        name: sample(name, spec or "")
        for template in PHRASES[key]
        for _, name, spec, _ in string.Formatter().parse(template)
        if name
    }
    return Saying(key, values).text("vi" if lang == "vi" else "en")


def english_in(text: str) -> list[str]:
    # Quoted values ('NA-DC') and codes are not sentences: leave them out.
    return ENGLISH.findall(re.sub(r"'[^']*'", "", text))


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_phrase_is_vietnamese_without_english_inside(key: str) -> None:
    text = rendered(key)
    assert text, key
    assert english_in(text) == [], text
    assert text != rendered(key, "en")


@pytest.mark.parametrize("spec", sorted(WORDS))
def test_every_word_a_value_stands_for_is_vietnamese(spec: str) -> None:
    for value in WORDS[spec]:
        said = Saying("organisation.closed", {"org": "X", "status": value, "on": 1})
        if spec == "status":
            assert english_in(said.text("vi")) == []
        vi, en = WORDS[spec][value]
        assert english_in(vi) == [], (spec, value, vi)
        assert vi != en or spec == "level"


def command_fields() -> set[str]:
    names: set[str] = set()
    for module in vars(commands).values():
        for item in vars(module).values() if hasattr(module, "__dict__") else ():
            if isinstance(item, type) and attrs.has(item):
                names |= {a.name for a in attrs.fields(item)}
    return names


def test_every_command_field_has_a_vietnamese_label() -> None:
    fields = command_fields()
    assert {"amount", "recipients", "business_date"} <= fields
    assert fields <= set(FIELDS), sorted(fields - set(FIELDS))
    for name in fields:
        text = says("text.required", field=name).text("vi")
        assert english_in(text) == [], text


def error_classes() -> set[str]:
    found = {
        name
        for module in (errors, read_errors)
        for name, item in vars(module).items()
        if isinstance(item, type) and issubclass(item, CodedError)
    }
    assert {"InvalidDate", "UnknownOrganisation", "InvalidQuery"} <= found
    return found


def test_every_error_raised_in_the_domain_and_read_side_is_a_phrase() -> None:
    """An error built from a finished English sentence could not be said in
    Vietnamese: every one in ``ledger/`` and ``projections/`` uses ``says``."""
    classes = error_classes()
    sentences = []
    count = 0
    for package in ("ledger", "projections"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                called = node.func
                name = called.attr if isinstance(called, ast.Attribute) else None
                if isinstance(called, ast.Name):
                    name = called.id
                if name not in classes or name == "InsufficientFunds":
                    continue
                count += 1
                first = node.args[0] if node.args else None
                if not (
                    isinstance(first, ast.Call)
                    and isinstance(first.func, ast.Name)
                    and first.func.id == "says"
                ):
                    sentences.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert count > 50
    assert sentences == []


def test_a_future_date_is_said_in_vietnamese_with_a_vietnamese_date() -> None:
    error = errors.InvalidDate(
        says("date.future", what="entry", on=date(2027, 11, 16)),
        field="business_date",
    )
    assert error.text() == "Ngày chứng từ 16/11/2027 là một ngày trong tương lai."
    assert error.text("en") == "entry date 2027-11-16 is in the future"
    assert error.message == error.text("en")  # for programs and logs
    assert "invalid_date" not in error.text()


def test_insufficient_funds_names_the_fund_and_groups_the_figures() -> None:
    error = errors.InsufficientFunds(
        org="NA-DC",
        fund="general",
        fund_name="Quỹ chung",
        balance=27_500_000,
        amount=999_000_000,
    )
    assert error.text() == (
        "Quỹ chung của NA-DC chỉ còn 27.500.000 đồng; phiếu cần 999.000.000 đồng."
    )
    assert error.text("en") == (
        "fund 'general' of NA-DC holds 27,500,000 đồng; 999,000,000 đồng asked"
    )


def test_an_unknown_phrase_fails_where_it_is_raised() -> None:
    with pytest.raises(KeyError, match="no phrase"):
        says("no.such.phrase")
