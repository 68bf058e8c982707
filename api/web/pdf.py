"""A voucher as a PDF: one A5 page laid out like the printed C40-BB / C41-BB.

Drawn with fpdf2 in DejaVu Serif, a TrueType font with every Vietnamese
letter, shipped in ``api/web/fonts`` (Bitstream Vera licence, which allows
it; see ``LICENSE-DejaVu.txt``). fpdf2 embeds only the glyphs used and a
ToUnicode map, so the text can be searched and copied from the PDF.
"""

from __future__ import annotations

import unicodedata
from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.web.voucher_sheet import VoucherSheet

FAMILY = "DejaVuSerif"
STYLES = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
}
MARGIN = 10.0
WIDTH = 148.0 - 2 * MARGIN
LINE = 5.5


def _text(value: str) -> str:
    """Composed Vietnamese letters (NFC): the font's glyphs are composed."""
    return unicodedata.normalize("NFC", value)


def voucher_pdf(voucher: VoucherSheet) -> bytes:
    doc = FPDF(orientation="portrait", unit="mm", format=(148, 210))  # A5
    doc.set_margins(MARGIN, MARGIN, MARGIN)
    doc.set_auto_page_break(auto=True, margin=MARGIN)
    fonts = resources.files("api.web").joinpath("fonts")
    for style, name in STYLES.items():
        with resources.as_file(fonts.joinpath(name)) as path:
            doc.add_font(FAMILY, style, str(path))
    doc.set_title(_text(f"{voucher.title} {voucher.number}"))
    doc.set_creator("khuyenhoc-ledger")
    doc.add_page()

    def write(
        text: str, *, style: str = "", size: float = 10, align: str = "L"
    ) -> None:
        doc.set_font(FAMILY, style, size)
        doc.multi_cell(
            WIDTH,
            LINE * size / 10,
            _text(text),
            align=align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    _head(doc, voucher)
    doc.ln(3)
    write(voucher.title, style="B", size=16, align="C")
    write(voucher.date_line, style="I", align="C")
    write(f"Quyển số: {voucher.book}    Số: {voucher.number}", align="R", size=9.5)
    write("Nợ: ........   Có: ........", align="R", size=9.5)
    if voucher.reversed:
        write("ĐÃ HỦY", style="B", size=11)
    doc.ln(2)
    write(f"{voucher.person_label}: {voucher.person or '....................'}")
    write("Địa chỉ: ..........................................................")
    write(f"Nội dung: {voucher.reason}")
    write(f"Số tiền: {voucher.digits} đồng", style="B")
    write(f"(Viết bằng chữ): {voucher.words}", style="I")
    write(f"Quỹ: {voucher.fund}    Kèm theo: ........ chứng từ gốc")
    doc.ln(3)
    _signatures(doc, voucher)
    doc.ln(16)
    if voucher.approved_by:
        write(f"Người duyệt chi: {voucher.approved_by}", size=9.5)
    write(f"Đã nhận đủ số tiền (viết bằng chữ): {voucher.words}", size=9.5)
    write(
        f"Ghi sổ lúc {voucher.recorded_line} bởi {voucher.recorded_by} "
        "· khuyenhoc-ledger",
        size=7.5,
    )
    return bytes(doc.output())


def _head(doc: FPDF, voucher: VoucherSheet) -> None:
    half = WIDTH / 2
    top = doc.get_y()
    doc.set_font(FAMILY, "", 8.5)
    lines = [voucher.parent] if voucher.parent else []
    lines += [f"Đơn vị: {voucher.organisation}", f"Mã đơn vị: {voucher.org_code}"]
    doc.multi_cell(half, 4.2, _text("\n".join(lines)))
    left_bottom = doc.get_y()
    doc.set_xy(MARGIN + half, top)
    doc.set_font(FAMILY, "B", 8.5)
    doc.cell(half, 4.2, _text(f"Mẫu số: {voucher.form}"), align="C")
    doc.set_xy(MARGIN + half, top + 4.2)
    doc.set_font(FAMILY, "I", 7.5)
    doc.multi_cell(
        half,
        3.6,
        _text(f"(Ban hành kèm theo {voucher.circular})"),
        align="C",
    )
    doc.set_xy(MARGIN, max(left_bottom, doc.get_y()))


def _signatures(doc: FPDF, voucher: VoucherSheet) -> None:
    width = WIDTH / len(voucher.signatures)
    top = doc.get_y()
    for index, who in enumerate(voucher.signatures):
        doc.set_xy(MARGIN + index * width, top)
        doc.set_font(FAMILY, "B", 7.5)
        doc.multi_cell(width, 3.6, _text(who.upper()), align="C")
        doc.set_x(MARGIN + index * width)
        doc.set_font(FAMILY, "I", 6.5)
        note = "(Ký, họ tên, đóng dấu)" if index == 0 else "(Ký, họ tên)"
        doc.multi_cell(width, 3.2, _text(note), align="C")
    doc.set_xy(MARGIN, top + 12)
