"""Fuzzing the CSV importer: arbitrary bytes and mutated valid files. Every
input ends in success or in errors the importer reports (``RowError``: file,
line, message) — never another exception — and an import that reports an
error writes nothing: the log's head is where it was.

One ledger serves every example of a test (on SQLite and on PostgreSQL), so
a later example meets what an earlier successful one wrote, as a real
ledger would. Example counts are bounded for CI's time; in CI the ``ci``
profile draws the same examples every run, then a short random pass from the
session's printed seed explores others (``tests/ci.py``).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.books.csv_import import Importer, RowError
from ledger import Ledger
from tests.conftest import LedgerFactory

VALID = {
    "organisations.csv": (
        "code,name,level,parent_code,registered_on\n"
        "NA,Hội Khuyến học tỉnh Nghệ An,province,,2010-01-01\n"
        "NA-DC,Hội Khuyến học huyện Diễn Châu,district,NA,01/01/2010\n"
        "NA-DC-DH,Hội Khuyến học xã Diễn Hoa,commune,NA-DC,2010-01-01\n"
    ),
    "membership.csv": (
        "org_code,year,members,population\nNA-DC,2022,1.200,10000\nNA-DC-DH,2022,300,4000\n"
    ),
    "campaigns.csv": (
        "code,name,kind,edition,organiser_code,starts_on,ends_on\n"
        "NA-THANG-19,Tháng Khuyến học,thang,19,NA,2022-08-20,2022-10-02\n"
    ),
    "entries.csv": (
        "\ufefforg_code,voucher_no,kind,date,amount_vnd,fund,campaign_code,"
        "counterparty,category,recipients,note\n"
        "NA-DC,PT-1,donation,2022-03-01,5000000,,,Ông A,cash,,\n"
        "NA-DC,PT-2,donation,2022-09-01,2.000.000,,NA-THANG-19,"
        '"\'=Bà B, xã Diễn Hoa",bank,,ghi chú\n'
        "NA-DC,PC-1,disbursement,05/09/2022,3000000,,,,scholarship,3,\n"
        "NA-DC,CK-1,transfer,2022-09-06,1000000,,,NA-DC-DH,,,\n"
        "NA-DC-DH,PC-1,disbursement,2022-09-07,500000,,,,award,1,\n"
    ),
}

EXAMPLES = 150
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Outcome:
    """Runs one import set and checks the rule: success, or reported errors
    and nothing written."""

    def __init__(self, ledger: Ledger, folder: Path) -> None:
        self.ledger = ledger
        self.folder = folder
        self.runs = itertools.count()
        self.committed = 0
        self.refused = 0

    def check(self, files: dict[str, bytes]) -> None:
        where = self.folder / str(next(self.runs))
        where.mkdir()
        paths = []
        for name, data in files.items():
            path = where / name
            path.write_bytes(data)
            paths.append(path)
        before = self.ledger.recorder.max_notification_id() or 0
        reported: list[RowError] = []
        try:
            report = Importer(self.ledger, on_error=reported.append).run(paths)
        except Exception as crash:  # the point of the test
            pytest.fail(f"the importer crashed on {files!r}: {crash!r}")
        after = self.ledger.recorder.max_notification_id() or 0
        if report.committed:
            self.committed += 1
            assert reported == []
            assert after - before == report.events
        else:
            self.refused += 1
            assert after == before, "a refused import wrote events"
            assert report.errors == len(reported) > 0
            names = set(files)
            for error in reported:
                assert error.file in names
                assert error.line >= 1
                assert error.message.strip()
                assert str(error).startswith(f"{error.file} line {error.line}")


@pytest.fixture
def outcome(open_ledger: LedgerFactory, tmp_path: Path) -> Outcome:
    return Outcome(open_ledger(), tmp_path)


def encoded() -> dict[str, bytes]:
    return {name: text.encode() for name, text in VALID.items()}


def test_the_valid_set_imports(outcome: Outcome) -> None:
    outcome.check(encoded())
    outcome.check(encoded())  # and again: nothing new

    assert outcome.committed == 2
    assert (
        outcome.ledger.balance("NA-DC") == 5_000_000 + 2_000_000 - 3_000_000 - 1_000_000
    )


@FUZZ
@given(
    name=st.sampled_from(sorted(VALID)),
    data=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(str.encode),
        # a known header over arbitrary bytes
        st.tuples(st.sampled_from(sorted(VALID)), st.binary(max_size=400)).map(
            lambda pair: VALID[pair[0]].split("\n", 1)[0].encode() + b"\n" + pair[1]
        ),
    ),
)
def test_arbitrary_bytes_are_imported_or_refused_cleanly(
    outcome: Outcome, name: str, data: bytes
) -> None:
    files = encoded()
    files[name] = data
    outcome.check(files)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, bytes]:
    """The valid set, maybe with new voucher numbers, and up to three files
    changed by one to three edits each."""
    files = encoded()
    if draw(st.booleans()):  # new voucher numbers: new entries to write
        tag = draw(st.integers(1, 10**6))
        files["entries.csv"] = (
            files["entries.csv"]
            .replace(b",P", f",{tag}-P".encode())
            .replace(b",CK", f",{tag}-CK".encode())
        )
    for name in draw(st.lists(st.sampled_from(sorted(VALID)), max_size=3)):
        data = bytearray(files[name])
        for _ in range(draw(st.integers(1, 3))):
            edit = draw(
                st.sampled_from(
                    ["flip", "delete", "insert", "duplicate", "swap", "cell", "cut"]
                )
            )
            at = draw(st.integers(0, max(0, len(data) - 1)))
            lines = bytes(data).split(b"\n")
            if edit == "flip" and data:
                data[at] = draw(st.integers(0, 255))
            elif edit == "delete":
                data[at : at + draw(st.integers(1, 20))] = b""
            elif edit == "insert":
                data[at:at] = draw(
                    st.one_of(
                        st.binary(min_size=1, max_size=12),
                        st.sampled_from(
                            [
                                b",",
                                b'"',
                                b"\n",
                                b"\r",
                                b"\x00",
                                b"'=",
                                b"-",
                                b"\xef\xbb\xbf",
                            ]
                        ),
                    )
                )
            elif edit == "duplicate":
                i = draw(st.integers(0, len(lines) - 1))
                lines.insert(i, lines[i])
                data = bytearray(b"\n".join(lines))
            elif edit == "swap":
                i, j = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
                lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
            elif edit == "cell":
                i = draw(st.integers(0, len(lines) - 1))
                cells = lines[i].split(b",")
                k = draw(st.integers(0, len(cells) - 1))
                cells[k] = draw(
                    st.one_of(
                        st.text(max_size=12).map(str.encode),
                        st.sampled_from(
                            [
                                b"",
                                b"0",
                                b"-5",
                                b"99999999999999999999999",
                                b"1.000,5",
                                b"31/02/2022",
                                b"2999-01-01",
                                b"NA-NONE",
                                b"transfer",
                                b"in_kind",
                            ]
                        ),
                    )
                )
                lines[i] = b",".join(cells)
                data = bytearray(b"\n".join(lines))
            elif edit == "cut":
                del data[at:]
        files[name] = bytes(data)
    return files


@FUZZ
@given(files=mutated())
def test_mutated_valid_files_are_imported_or_refused_cleanly(
    outcome: Outcome, files: dict[str, bytes]
) -> None:
    outcome.check(files)
