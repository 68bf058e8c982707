"""What an error says to a person: in Vietnamese first, in English on request.

An error raised on purpose carries a ``Saying`` — a key of ``PHRASES`` and
the values to fill in — rather than a finished sentence, so every door can
say it in its reader's language: the web pages and the HTTP ``detail`` in
Vietnamese unless English is asked for, the command line in Vietnamese.
Values are written the way each language writes them: a ``date`` as
16/11/2027 or 2027-11-16; ``{x:n}`` a grouped number (1.312.000 or
1,312,000); ``{x:field}`` a command field by its label on the forms
(``recipients`` → "Số người nhận"); ``{x:level}``, ``{x:status}``,
``{x:what}`` the words for a level, a status, a kind of date.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Language = Literal["vi", "en"]

# ruff: noqa: E501, RUF001 -- a catalogue reads best one entry per line
PHRASES: dict[str, tuple[str, str]] = {
    # ---- values ---------------------------------------------------------
    "amount.not_whole": (
        "Số tiền phải là một số nguyên đồng, không phải {amount!r}.",
        "an amount is a whole number of đồng, not {amount!r}",
    ),
    "amount.range": (
        "Số tiền phải từ 1 đến {maximum:n} đồng, không phải {amount:n}.",
        "an amount must be between 1 and {maximum:n} đồng, not {amount:n}",
    ),
    "code.malformed": (
        "Mục {field:field}: mã {code!r} không hợp lệ; mã gồm 1–64 chữ không dấu, chữ số, '.', '_' hoặc '-', bắt đầu bằng chữ hoặc số.",
        "{field:field} code {code!r} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    ),
    "text.required": ("Cần điền mục {field:field}.", "{field:field} is required"),
    "text.too_long": (
        "Mục {field:field} chỉ gồm chữ in được, dài tối đa {maximum:n} ký tự.",
        "{field:field} must be printable text of at most {maximum:n} characters",
    ),
    "text.not_text": (
        "Mục {field:field} phải là chữ, không phải {value!r}.",
        "{field:field} must be text, not {value!r}",
    ),
    "voucher_no.too_long": (
        "Số phiếu dài tối đa {maximum:n} ký tự.",
        "a voucher number has at most {maximum:n} characters",
    ),
    "date.malformed": (
        "Mục {field:field} phải là một ngày, không phải {value!r}.",
        "{field:field} must be a date, not {value!r}",
    ),
    "whole.too_small": (
        "Mục {field:field} phải là số nguyên không nhỏ hơn {minimum:n}, không phải {value!r}.",
        "{field:field} must be a whole number ≥ {minimum:n}, not {value!r}",
    ),
    "whole.too_big": (
        "Mục {field:field} không được lớn hơn {maximum:n} (đã nhập {value:n}).",
        "{field:field} must be at most {maximum:n}, not {value:n}",
    ),
    "choice.unknown": (
        "Mục {field:field} chỉ nhận một trong các mã {choices}, không nhận {value!r}.",
        "{field:field} must be one of {choices}, not {value!r}",
    ),
    "flag.not_flag": (
        "Mục {field:field} chỉ nhận có hoặc không, không nhận {value!r}.",
        "{field:field} is true or false, not {value!r}",
    ),
    "entry.bad_value": (
        "Giá trị {value!r} không ghi được vào một bút toán.",
        "not a value an entry can hold: {value!r}",
    ),
    # ---- dates ----------------------------------------------------------
    "date.future": (
        "{what:what} {on} là một ngày trong tương lai.",
        "{what:what} {on} is in the future",
    ),
    "date.before_registration": (
        "{what:what} {on} trước ngày {org} được thành lập ({registered}).",
        "{what:what} {on} is before {org} was registered ({registered})",
    ),
    "date.predates_parent": (
        "{what:what} {on} của {child} trước ngày {org} được thành lập ({registered}).",
        "{what:what} {on} of {child} predates {org}, registered {registered}",
    ),
    "date.before_last_event": (
        "{what:what} {on} trước sự việc có ngày gần nhất của {org} ({last}): một bút toán, một lần chuyển cấp hay một thay đổi của các tổ chức trực thuộc.",
        "{what:what} {on} predates the last dated event of {org} ({last}): an entry, a move or a change of its children",
    ),
    "move.predates_parent": (
        "Ngày chuyển {on} trước ngày {org} về dưới cấp trên hiện nay ({since}).",
        "a move effective {on} would predate the current parent, effective {since}",
    ),
    "membership.year": (
        "Năm báo cáo hội viên {year} phải từ {first} đến {last}.",
        "membership year {year} must fall between {first} and {last}",
    ),
    "reversal.predates": (
        "Bút toán hủy đề ngày {on} không được trước bút toán gốc (ngày {original}).",
        "a reversal dated {on} would predate its entry, dated {original}",
    ),
    "campaign.close_date": (
        "Đợt vận động {campaign} chỉ kết thúc được trong khoảng từ {starts_on} đến hôm nay, không phải ngày {closed_on}.",
        "campaign {campaign} can close between {starts_on} and today, not on {closed_on}",
    ),
    "campaign.ends_before": (
        "Đợt vận động {campaign} kết thúc ({ends_on}) trước khi bắt đầu ({starts_on}).",
        "campaign {campaign} ends ({ends_on}) before it starts ({starts_on})",
    ),
    "campaign.outside": (
        "Đợt vận động {campaign} diễn ra từ {starts_on} đến {ends_on}; phiếu đề ngày {on} nằm ngoài thời gian đó.",
        "campaign {campaign} runs from {starts_on} to {ends_on}; an entry dated {on} is outside it",
    ),
    # ---- entries and vouchers --------------------------------------------
    "donation.in_kind": (
        "Quà bằng hiện vật cần có mô tả và cách định giá.",
        "an in-kind gift needs a description and a valuation basis",
    ),
    "donation.anonymous_named": (
        "Ủng hộ giấu tên thì không ghi tên nhà hảo tâm.",
        "an anonymous donation names no donor",
    ),
    "donation.foreign_incomplete": (
        "Ủng hộ bằng ngoại tệ cần ghi loại ngoại tệ, số tiền ngoại tệ và tỷ giá.",
        "a foreign-currency gift needs its currency, amount and exchange rate",
    ),
    "disbursement.no_recipient": (
        "Học bổng hay phần thưởng phải có ít nhất một người nhận.",
        "a scholarship or award pays at least one recipient",
    ),
    "transfer.same_org": (
        "Chuyển quỹ cần hai tổ chức khác nhau.",
        "a transfer needs two different organisations",
    ),
    "transfer.no_receiver": (
        "Phiếu chuyển quỹ {voucher_no!r} không có bên nhận.",
        "the transfer {voucher_no!r} has no receiving side",
    ),
    "voucher.taken": (
        "Số phiếu {voucher_no!r} đã dùng cho một bút toán khác.",
        "voucher {voucher_no!r} is already used by another entry",
    ),
    "voucher.taken_at": (
        "{org} đã có một bút toán với số phiếu {voucher_no!r}.",
        "{org} already has an entry with voucher {voucher_no!r}",
    ),
    "voucher.already_reversed": (
        "Bút toán của phiếu {voucher_no!r} đã được hủy rồi (lý do: {reason}).",
        "the entry of voucher {voucher_no!r} is already reversed ({reason})",
    ),
    "entry.unknown": (
        "{org} không có bút toán nào với số phiếu {voucher_no!r}.",
        "{org} has no entry with voucher {voucher_no!r}",
    ),
    "entry.not_an_entry": (
        "Sự kiện số {version} của {org_id} không phải một bút toán.",
        "event {version} of {org_id} is not an entry",
    ),
    "entry.not_reversible": (
        "Chỉ hủy được số dư đầu kỳ, phiếu thu, phiếu chi và chuyển quỹ; bút toán này thì không.",
        "{kind} cannot be reversed",
    ),
    # ---- funds ------------------------------------------------------------
    "fund.insufficient": (
        "{fund_name} của {org} chỉ còn {balance:n} đồng; phiếu cần {amount:n} đồng.",
        "fund {fund!r} of {org} holds {balance:n} đồng; {amount:n} đồng asked",
    ),
    "fund.insufficient_on": (
        "{fund_name} của {org} chỉ còn {balance:n} đồng ngày {on}; phiếu cần {amount:n} đồng.",
        "fund {fund!r} of {org} ({account}) holds {balance:n} đồng on {on}; {amount:n} đồng asked",
    ),
    "endowment.principal": (
        "Quỹ {fund!r} của {org} là quỹ bảo toàn vốn: giữ nguyên vốn {principal:n} đồng, chỉ được chi {spendable:n} đồng.",
        "fund {fund!r} of {org} is an endowment: its principal of {principal:n} đồng is kept, {spendable:n} đồng may be spent",
    ),
    "year.not_over": ("Năm {year} chưa kết thúc.", "{year} is not over yet"),
    "year.before_registration": (
        "{org} được thành lập năm {registered}.",
        "{org} was registered in {registered}",
    ),
    "year.out_of_order": (
        "Phải khóa sổ năm {first} trước năm {year}.",
        "close {first} before {year}",
    ),
    "year.not_last_closed": (
        "Chỉ mở lại được năm khóa sổ gần nhất ({closed}).",
        "only the last closed year ({closed}) can be reopened",
    ),
    "payment.not_pending": (
        "Phiếu chi {voucher_no} không chờ duyệt (đã duyệt, đã từ chối, hoặc không cần duyệt).",
        "payment {voucher_no} is not waiting for approval (approved, rejected, or below the threshold)",
    ),
    "payment.self_approval": (
        "Người lập phiếu chi {voucher_no} không được tự duyệt hay từ chối nó; cần người duyệt khác.",
        "whoever recorded payment {voucher_no} may not approve or reject it; another approver must",
    ),
    "year.pending_payments": (
        "Còn {count} phiếu chi năm {year} chờ duyệt: hãy duyệt hoặc từ chối trước khi khóa sổ.",
        "{count} payments dated {year} are waiting for approval: approve or reject them before closing",
    ),
    "year.closed": (
        "{org} đã khóa sổ đến hết năm {closed}: không ghi được chứng từ ngày {on}; hãy ghi điều chỉnh vào năm đang mở.",
        "{org} has closed {closed}: nothing may be dated {on}; record the correction in the open year",
    ),
    "fund.unknown": ("{org} không có quỹ {fund!r}.", "{org} has no fund {fund!r}"),
    "fund.duplicate": (
        "{org} đã có quỹ {fund!r} với thông tin khác.",
        "{org} already has a fund {fund!r} with other details",
    ),
    "fund.opening_exists": (
        "{fund_name} của {org} đã có số dư đầu kỳ.",
        "fund {fund!r} of {org} already has an opening balance",
    ),
    "fund.restricted_transfer": (
        "{fund_name} của {org} là quỹ có mục đích riêng: tiền chỉ được chuyển sang một quỹ có cùng mục đích, mà quỹ {to_fund!r} của {to} thì không.",
        "fund {fund!r} of {org} is restricted; its money may only go to a fund restricted to the same purpose, and {to_fund!r} of {to} is not",
    ),
    "fund.merge_mismatch": (
        "Quỹ {fund!r} của {org} và của {target} khác nhau về mục đích: tiền cho một mục đích phải giữ đúng mục đích đó.",
        "fund {fund!r} of {org} and of {target} differ in restriction or purpose; money given for a purpose stays with it",
    ),
    "fund.needs_purpose": (
        "Quỹ có mục đích riêng cần ghi rõ mục đích.",
        "a restricted fund needs a purpose",
    ),
    "membership.exceeds": (
        "Số hội viên ({members:n}) vượt quá dân số ({population:n}).",
        "members ({members:n}) exceed the population ({population:n})",
    ),
    # ---- organisations and campaigns -----------------------------------------
    "organisation.unknown": ("Không có tổ chức mã {org}.", "no organisation {org!r}"),
    "organisation.unknown_id": (
        "Không có tổ chức với định danh {org_id}.",
        "no organisation with id {org_id}",
    ),
    "organisation.duplicate": (
        "Tổ chức {org} đã được đăng ký với thông tin khác.",
        "organisation {org} is already registered with other details",
    ),
    "organisation.closed": (
        "{org} đã {status:status} ngày {on}: không ghi thêm được.",
        "{org} was {status:status} on {on}",
    ),
    "organisation.has_money": (
        "{org} vẫn còn {total:n} đồng: hãy chuyển tiền đi, hoặc sáp nhập tổ chức thay vì giải thể.",
        "{org} still holds money ({total:n} đồng); transfer it or merge the organisation instead",
    ),
    "organisation.has_children": (
        "{org} còn {n:n} tổ chức trực thuộc đang hoạt động; hãy chuyển chúng đi trước khi {becoming:status}.",
        "{org} has {n:n} active organisations under it; move them before it is {becoming:status}",
    ),
    "hierarchy.rank": (
        "{child} ({child_level:level}) không trực thuộc {parent} ({parent_level:level}) được.",
        "a {child_level:level} ({child}) cannot sit under a {parent_level:level} ({parent})",
    ),
    "hierarchy.move_self": (
        "{org} không chuyển về dưới {parent} được: đó là chính nó, hoặc đã là cấp trên của nó.",
        "{org} cannot move under {parent}: it is itself or already its parent",
    ),
    "hierarchy.merge_self": (
        "{org} không sáp nhập vào chính nó được.",
        "{org} cannot merge into itself",
    ),
    "hierarchy.merge_rank": (
        "{org} ({level:level}) không sáp nhập vào {target} ({target_level:level}) được.",
        "a {level:level} ({org}) cannot merge into a {target_level:level} ({target})",
    ),
    "campaign.unknown": (
        "Không có đợt vận động mã {campaign}.",
        "no campaign {campaign!r}",
    ),
    "campaign.duplicate": (
        "Đợt vận động {campaign} đã có, với thông tin khác.",
        "campaign {campaign} already exists with other details",
    ),
    "campaign.closed": (
        "Đợt vận động {campaign} đã kết thúc ngày {closed_on}.",
        "campaign {campaign} closed on {closed_on}",
    ),
    "split.own_successor": (
        "{org} không thể là một trong những tổ chức kế thừa chính nó.",
        "{org} cannot be one of its own successors",
    ),
    "split.rank": (
        "{org} ({level:level}) không chia thành {successor} ({successor_level:level}) được.",
        "a {level:level} ({org}) cannot split into a {successor_level:level} ({successor})",
    ),
    "split.no_fund": (
        "{org} không có quỹ {fund!r} để chia cho {successor}.",
        "{org} has no fund {fund!r} to give {successor}",
    ),
    "split.unbalanced": (
        "Các phần chia của quỹ {fund!r} của {org} cộng lại {given:n} đồng, nhưng quỹ đang có {balance:n} đồng.",
        "the parts of fund {fund!r} of {org} add up to {given:n} đồng, but it holds {balance:n}",
    ),
    "split.too_few": (
        "Chia tách cần ít nhất {minimum} tổ chức kế thừa.",
        "a split names at least {minimum} successors",
    ),
    "split.part_shape": (
        "Phần của {successor} phải ghi số tiền cho từng quỹ.",
        "the part of {successor} maps funds to amounts",
    ),
    "level.sink_with_children": (
        "{org} còn {n:n} tổ chức trực thuộc đang hoạt động: không hạ từ {level:level} xuống {new_level:level} được.",
        "{org} has {n:n} active organisations under it; it cannot sink from {level:level} to {new_level:level}",
    ),
    # ---- learning models ---------------------------------------------------
    "learning.year_too_early": (
        "Mục {field:field} phải là một năm từ 1900 trở đi, không phải {value!r}.",
        "{field:field} must be a year from 1900 on, not {value!r}",
    ),
    "learning.registered_exceeds": (
        "Số đăng ký ({registered:n}) vượt quá tổng số ({eligible:n}).",
        "registered ({registered:n}) exceeds eligible ({eligible:n})",
    ),
    "learning.recognised_exceeds": (
        "Số được công nhận ({recognised:n}) vượt quá số đăng ký ({registered:n}).",
        "recognised ({recognised:n}) exceeds registered ({registered:n})",
    ),
    "learning.percent": (
        "Chỉ tiêu là một số nguyên phần trăm từ 0 đến 100, không phải {value!r}.",
        "a target is a whole percent from 0 to 100, not {value!r}",
    ),
    "learning.years_reversed": (
        "Năm cuối ({last_year}) trước năm đầu ({first_year}).",
        "the last year ({last_year}) is before the first ({first_year})",
    ),
    "learning.target_span": (
        "Một chỉ tiêu kéo dài tối đa {maximum} năm.",
        "a target covers at most {maximum} years",
    ),
    "learning.year_ahead": (
        "Năm {year} chưa tới: chỉ báo cáo được đến năm {this_year}.",
        "{year} has not come yet: reports go up to {this_year}",
    ),
    "learning.year_before_registration": (
        "Năm {year} trước khi {org} được thành lập (năm {founded}).",
        "{year} is before {org} was registered, in {founded}",
    ),
    "recognition.year": (
        "Năm công nhận {year} phải từ {first} đến {this_year}.",
        "the year of a recognition, {year}, must fall between {first} and {this_year}",
    ),
    "recognition.citizen_named": (
        "Công dân học tập chỉ được đếm, không ghi tên từng người.",
        "learning citizens are counted, not named one by one",
    ),
    "recognition.decision_before_year": (
        "Quyết định ngày {on} trước năm {year}.",
        "a decision dated {on} is before {year}",
    ),
    # ---- writing and reading -----------------------------------------------
    "update.concurrent": (
        "Đã thử {attempts} lần mà người khác vẫn đang ghi vào {keys}; hãy gửi lại.",
        "gave up after {attempts} attempts: other writers kept changing {keys}; try again",
    ),
    "store.needs_database": (
        "Việc này cần một cơ sở dữ liệu (sqlite:/// hoặc postgresql+psycopg://).",
        "this needs a database (sqlite:/// or postgresql+psycopg://)",
    ),
    "batch.already_open": (
        "Một lô ghi đang mở trong luồng này.",
        "a batch is already open in this thread",
    ),
    "batch.read_through": (
        "Một lô ghi đang mở trong luồng này: hãy đọc qua lô đó.",
        "a batch is open in this thread: read through the batch",
    ),
    "readmodels.still_moving": (
        "Sổ tổng hợp vẫn thay đổi trong cả {attempts} lần so; hãy chạy kiểm tra lại khi ít người ghi hơn.",
        "the read models moved on during {attempts} comparisons; run verify again when fewer writes are coming in",
    ),
    "readmodels.out_of_step": (
        "Các sổ tổng hợp đứng ở những vị trí khác nhau của nhật ký ({positions}); hãy chạy 'khuyenhoc rebuild'.",
        "the read models stand at different log positions ({positions}); run 'khuyenhoc rebuild'",
    ),
    "readmodels.lag": (
        "Sổ tổng hợp mới đến vị trí {current}, chưa đến {position}, sau {timeout} giây.",
        "the read models reached position {current}, not {position}, within {timeout} s",
    ),
    "query.year": (
        "Năm phải từ 1900 đến 9999, không phải {year}.",
        "year must be between 1900 and 9999, not {year}",
    ),
    "query.known_at": (
        "Thời điểm ghi sổ {moment} nằm ngoài khoảng cho phép.",
        "known_at {moment} is out of range",
    ),
    "query.limit": (
        "Số dòng mỗi trang phải từ 1 đến {maximum:n}.",
        "limit must be between 1 and {maximum:n}",
    ),
    "query.cursor": (
        "{cursor!r} không phải chỗ đánh dấu trang của sổ nhật ký.",
        "not a journal cursor: {cursor!r}",
    ),
    # ---- import files (api/books/csv_import) -----------------------------
    "csv.digits": (
        "Phải viết bằng chữ số (1000000 hoặc 1.000.000), không phải {value!r}.",
        "{what} is written with digits only (1000000 or 1.000.000), not {value!r}",
    ),
    "csv.no_such_day": (
        "{value!r} không phải một ngày có thật trên lịch.",
        "{value!r} is not a date in the calendar",
    ),
    "csv.day_format": (
        "Ngày viết theo dạng dd/mm/yyyy hoặc yyyy-mm-dd, không phải {value!r}.",
        "a date is yyyy-mm-dd or dd/mm/yyyy, not {value!r}",
    ),
    "csv.required": ("Ô này cần được điền.", "{what} is required"),
    "csv.choice": (
        "Ô này chỉ nhận một trong các mã {quoted}, không nhận {value!r}.",
        "{what} is one of {choices}, not {value!r}",
    ),
    "csv.too_many_cells": (
        "Dòng có {cells:n} ô, nhưng dòng tiêu đề chỉ đặt tên {width:n} cột.",
        "{cells} cells, but the header names {width}",
    ),
    "csv.not_utf8": (
        "Tệp không phải văn bản UTF-8 (hãy lưu dưới dạng 'CSV UTF-8').",
        "the file is not UTF-8 text (save it as 'CSV UTF-8')",
    ),
    "csv.malformed": (
        "Dòng CSV viết sai cấu trúc ({problem!r}).",
        "not a well-formed CSV row ({problem})",
    ),
    "csv.duplicate_columns": (
        "Dòng tiêu đề đặt tên các cột {quoted} hơn một lần.",
        "the header names {names} more than once",
    ),
    "csv.unknown_header": (
        "Không phải tệp nhập được: dòng tiêu đề phải đặt tên các cột của một trong các loại tệp sau — {quoted}.",
        "not an import file: its header must name the columns of one of {kinds}",
    ),
    "csv.export_only": (
        "Dòng loại {kind!r} do bản xuất ghi để lưu vết, không nhập được (muốn đảo một bút toán, hãy dùng HTTP API hoặc sổ cái).",
        "{kind} rows are written by the export for the record and cannot be imported (reverse an entry with the HTTP API or the Ledger)",
    ),
    "csv.recipients_elsewhere": (
        "Chỉ khoản chi mới ghi số người nhận.",
        "recipients are counted for disbursements only",
    ),
    "csv.transfer_needs_receiver": (
        "Khoản chuyển phải ghi mã hội nhận ở ô này.",
        "a transfer names the receiving organisation here",
    ),
    "csv.transfer_only": (
        "Ô {column!r} là bên nhận của một khoản chuyển; dòng này không phải khoản chuyển.",
        "{column} is the receiving side of a transfer",
    ),
    "csv.donation_only": (
        "Thông tin người ủng hộ chỉ ghi cho khoản ủng hộ.",
        "donation details belong to donations only",
    ),
    "csv.no_account_here": (
        "Khoản {kind!r} chuyển tiền giữa tiền mặt và ngân hàng: để trống ô {column!r}.",
        "a {kind} moves money between cash and bank: no {column}",
    ),
    "csv.no_category": (
        "Khoản {kind!r} không có phân loại: để trống ô này.",
        "a {kind} has no category",
    ),
    "csv.listed_twice": (
        "Phiếu số {number!r} của {org!r} có mặt hơn một lần trong lần nhập này (lần đầu ở {first!r} dòng {first_line}).",
        "voucher {number} of {org} is listed more than once in this import (first on {first} line {first_line})",
    ),
    "csv.names_no": (
        "Khoản {kind!r} không ghi {what:field}.",
        "a {kind} names no {what}",
    ),
    "csv.errors": (
        "{count:n} lỗi; chưa nhập gì cả.",
        "{errors}; nothing was imported",
    ),
}
"""Key → (Vietnamese, English)."""

FIELDS: dict[str, tuple[str, str]] = {
    "amount": ("Số tiền", "amount"),
    "business_date": ("Ngày chứng từ", "business_date"),
    "campaign": ("Đợt vận động", "campaign"),
    "category": ("Loại chi", "category"),
    "closed_on": ("Ngày kết thúc", "closed_on"),
    "code": ("Mã", "code"),
    "counterparty": ("Bên đối tác", "counterparty"),
    "donor": ("Người nộp tiền", "donor"),
    "donor_kind": ("Loại nhà hảo tâm", "donor_kind"),
    "edition": ("Lần thứ", "edition"),
    "effective_on": ("Ngày có hiệu lực", "effective_on"),
    "ends_on": ("Ngày kết thúc", "ends_on"),
    "exchange_rate": ("Tỷ giá", "exchange_rate"),
    "fund": ("Quỹ", "fund"),
    "in_kind_description": ("Hiện vật (mô tả)", "in_kind_description"),
    "into_code": ("Sáp nhập vào", "into_code"),
    "kind": ("Loại", "kind"),
    "level": ("Cấp", "level"),
    "members": ("Số hội viên", "members"),
    "method": ("Hình thức", "method"),
    "name": ("Tên", "name"),
    "new_parent_code": ("Cấp trên mới", "new_parent_code"),
    "note": ("Ghi chú", "note"),
    "org": ("Tổ chức", "org"),
    "organiser_code": ("Tổ chức phát động", "organiser_code"),
    "original_amount": ("Số tiền ngoại tệ", "original_amount"),
    "original_currency": ("Ngoại tệ", "original_currency"),
    "parent_code": ("Cấp trên", "parent_code"),
    "population": ("Dân số", "population"),
    "purpose": ("Mục đích", "purpose"),
    "reason": ("Lý do", "reason"),
    "threshold": ("Mức chi phải duyệt", "approval threshold"),
    "recipient": ("Người nhận tiền", "recipient"),
    "recipients": ("Số người nhận", "recipients"),
    "account": ("Tiền mặt hay ngân hàng", "account"),
    "to_account": ("Bên nhận: tiền mặt hay ngân hàng", "to_account"),
    "income_kind": ("Loại thu", "income_kind"),
    "payer": ("Người nộp", "payer"),
    "recorded_by": ("Người ghi", "recorded_by"),
    "registered_on": ("Ngày thành lập", "registered_on"),
    "restricted": ("Quỹ có mục đích riêng", "restricted"),
    "starts_on": ("Ngày bắt đầu", "starts_on"),
    "target_vnd": ("Chỉ tiêu (đồng)", "target_vnd"),
    "to_code": ("Chuyển đến", "to_code"),
    "to_fund": ("Vào quỹ", "to_fund"),
    "valuation_basis": ("Cách định giá", "valuation_basis"),
    "voucher_no": ("Số phiếu", "voucher_no"),
    "year": ("Năm", "year"),
    "parts": ("Phần chia", "parts"),
    "successor": ("Tổ chức kế thừa", "successor"),
    "model": ("Mô hình học tập", "model"),
    "eligible": ("Tổng số", "eligible"),
    "registered": ("Số đăng ký", "registered"),
    "recognised": ("Số được công nhận", "recognised"),
    "first_year": ("Năm đầu", "first_year"),
    "last_year": ("Năm cuối", "last_year"),
    "percent": ("Chỉ tiêu (%)", "percent"),
    "decision_no": ("Số quyết định", "decision_no"),
    "decision_date": ("Ngày quyết định", "decision_date"),
    "village": ("Thôn, xóm", "village"),
    "published": ("Công khai bảng vàng", "published"),
}
"""A command field → its label (Vietnamese), or its name (English)."""

WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "level": {
        "central": ("Trung ương", "central association"),
        "province": ("cấp tỉnh", "province"),
        "district": ("cấp huyện", "district"),
        "commune": ("cấp xã", "commune"),
        "branch": ("chi hội", "branch"),
        "clan": ("dòng họ", "clan"),
        "agency": ("cơ quan, đơn vị", "agency"),
        "hometown": ("hội đồng hương", "hometown association"),
    },
    "status": {
        "merged": ("sáp nhập", "merged"),
        "dissolved": ("giải thể", "dissolved"),
        "active": ("hoạt động", "active"),
    },
    "what": {
        "entry": ("Ngày chứng từ", "entry date"),
        "rename": ("Ngày đổi tên", "rename date"),
        "move": ("Ngày chuyển cấp", "move date"),
        "merge": ("Ngày sáp nhập", "merge date"),
        "dissolution": ("Ngày giải thể", "dissolution date"),
        "registration": ("Ngày thành lập", "registration date"),
        "split": ("Ngày chia tách", "split date"),
        "level_change": ("Ngày đổi cấp", "change of level date"),
        "decision": ("Ngày quyết định", "decision date"),
    },
}
"""Words a value stands for, by the format spec that asks for them."""


class _Filler(string.Formatter):
    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self.index = 0 if lang == "vi" else 1

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "field":
            return FIELDS.get(str(value), (str(value), str(value)))[self.index]
        if format_spec in WORDS:
            found = WORDS[format_spec].get(str(value))
            return found[self.index] if found else str(value)
        if format_spec == "n" and isinstance(value, int):
            return f"{value:,}".replace(",", "." if self.lang == "vi" else ",")
        if isinstance(value, date) and not isinstance(value, datetime):
            return (
                value.strftime("%d/%m/%Y") if self.lang == "vi" else value.isoformat()
            )
        return format(value, "" if format_spec == "n" else format_spec)


@dataclass(frozen=True, slots=True)
class Saying:
    """A phrase of ``PHRASES`` and its values, said in either language."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: Language = "vi") -> str:
        vi, en = PHRASES[self.key]
        return _Filler(lang).format(vi if lang == "vi" else en, **self.values)


def says(key: str, **values: object) -> Saying:
    """The phrase ``key`` with ``values``; a key not in ``PHRASES`` is a
    ``KeyError`` here, where it is raised, not when a page shows it."""
    if key not in PHRASES:
        raise KeyError(f"no phrase {key!r}")
    return Saying(key, values)
