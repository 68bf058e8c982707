"""The desk's four forms at ``/desk/{code}/{kind}``: show one, take it back.

A submitted form goes the API's way (``api.web.forms``): the API's schema,
then the ``Ledger``'s command; a refusal comes back as the form with each
problem beside its field. A success leads, by a redirect, to the desk with
the entry and its voucher (post/redirect/get: a reload sends nothing again),
and a form sent twice records once (``api.web.submissions``).

Access is ``api.auth.access``'s: ``may_record`` for the page's organisation and,
for a reversal, ``reverser`` (a transfer's two sides both in scope).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.auth import access
from api.auth.tokens import Principal
from api.http.deps import ServiceDep
from api.http.idempotency import Seen
from api.http.problems import STATUS, ApiError
from api.http.schemas.common import EntryBody
from api.http.service import HttpService
from api.web import forms, submissions
from api.web.desk import PostedDep
from api.web.forms import FORM, FORMS, EntryForm
from api.web.numbers import day
from api.web.pages import NotFound, page, render
from api.web.problem import FormProblem
from api.web.session import WebPrincipalDep, language, token_of
from ledger import LedgerError
from ledger.types import today_in_vietnam

router = APIRouter()


@router.get("/desk/{code}/{kind}")
@page
def entry_form(
    request: Request,
    code: str,
    kind: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
    voucher_no: str = "",
) -> Response:
    access.may_record(service, principal, code)
    form = _form(kind)
    today = day(today_in_vietnam(), language(request))
    values = forms.values_of(form, {"voucher_no": voucher_no, **_defaults(kind, today)})
    return FormPage(request, service, principal, code, form, values).show({})


@router.post("/desk/{code}/{kind}")
@page
def submit(
    request: Request,
    code: str,
    kind: str,
    service: ServiceDep,
    principal: WebPrincipalDep,
    fields: PostedDep,
) -> Response:
    access.may_record(service, principal, code)
    form = _form(kind)
    values = forms.values_of(form, fields)
    secret, key = token_of(request), fields.get("form_key", "")
    desk = FormPage(request, service, principal, code, form, values, key)
    if not submissions.is_ours(secret, key):  # not a page of ours for this token
        stale = FormProblem(
            "form_expired",
            "this form is out of date or was not made for this sign-in: check it "
            "and send it again",
        )
        return desk.show({FORM: stale})
    sent = submissions.submission(principal, key, request.url.path, values)
    return desk.submit(sent)


@dataclass(frozen=True)
class FormPage:
    """One form of one organisation, as filled in."""

    request: Request
    service: HttpService
    principal: Principal
    code: str
    form: EntryForm
    values: dict[str, str]
    form_key: str = ""

    def submit(self, sent: submissions.Submission | None) -> Response:
        parsed = forms.parse(self.form, self.values)
        if isinstance(parsed, dict):
            return self.show(parsed, keep_key=True)
        if sent is not None:
            first = submissions.claim(self.service.idempotency, sent)
            if first is not None:
                return self._earlier(sent, first)
        head = self.service.read_models.head()
        try:
            recorded = self._record(parsed)
        except BaseException:
            if sent is not None:
                submissions.forget(self.service.idempotency, sent)
            raise
        if isinstance(recorded, Response):
            if sent is not None:
                submissions.forget(self.service.idempotency, sent)
            return recorded
        response = RedirectResponse(f"/desk/{self.code}", status_code=303)
        position = self.service.written(response)
        # ``after``: with a separate projection worker, the desk waits (a few
        # seconds at most) until the read models hold this entry. ``again``:
        # nothing new was written, the same entry was recorded before.
        location = f"/desk/{self.code}?done={recorded}&after={position}"
        if self.service.read_models.head() == head:
            location += "&again=1"
        response.headers["location"] = location
        if sent is not None:
            submissions.remember(self.service.idempotency, sent, location, position)
        return response

    def _earlier(self, sent: submissions.Submission, first: Seen) -> Response:
        """Where this key's first submission led; the form anew if it was
        another form's key, or says the first is still being recorded."""
        if first.request_digest != sent.request_digest:
            reused = FormProblem("idempotency_key_reused", "this form was already sent")
            return self.show({FORM: reused})
        if first.answer is None:
            first = submissions.finished(
                self.service.idempotency,
                sent,
                first,
                self.service.settings.read_wait_seconds,
            )
        if first.answer is None:
            running = FormProblem(
                "idempotency_key_in_progress",
                "this form is being recorded; look at the journal before sending "
                "it again",
            )
            return self.show({FORM: running}, keep_key=True)
        if first.answer.location and first.scope == sent.scope:
            again = first.answer.location.removesuffix("&again=1") + "&again=1"
            return RedirectResponse(again, status_code=303)
        raise ApiError("forbidden", "this sign-in may no longer see that entry")

    def _record(self, body: EntryBody) -> UUID | Response:
        """The entry's id, or the page that says why there is none."""
        service, principal = self.service, self.principal
        try:
            if self.form.kind == "reversal":
                access.reverser(
                    self.code, self.values["voucher_no"], service, principal
                )
            command = body.to_command(self.code, principal.name)
            return access.record(service, principal, command)
        except ApiError as refused:
            return self.show({FORM: FormProblem(refused.code, refused.detail)})
        except LedgerError as error:
            if self._same_reversal(error):
                return UUID(str(error.details["reversal_id"]))
            return self.show(forms.refusal(self.form, error), keep_key=True)

    def _same_reversal(self, error: LedgerError) -> bool:
        """A reversal sent twice: the second finds the first, for the same reason."""
        return (
            self.form.kind == "reversal"
            and error.code == "already_reversed"
            and error.details.get("reason") == self.values["reason"]
            and "reversal_id" in error.details
        )

    def show(
        self, problems: dict[str, FormProblem], *, keep_key: bool = False
    ) -> Response:
        """The form, filled with its values, each problem beside its field; a
        new key unless ``keep_key`` (a form refused is the same form)."""
        queries = self.service.queries
        info = queries.organisation(self.code)
        status = 200
        if problems:
            status = STATUS.get(next(iter(problems.values())).code, 422)
        parent = [queries.organisation(info.parent)] if info.parent else []
        return render(
            self.request,
            "entry_form.html",
            principal=self.principal,
            private=True,
            status=status,
            org=info,
            form=self.form,
            values=self.values,
            problems=problems,
            form_key=self.form_key
            if keep_key and self.form_key
            else submissions.new_key(token_of(self.request)),
            campaigns=queries.campaigns_of(self.code, queries.ancestors(self.code)),
            funds=[fund.fund for fund in queries.balance(self.code).funds],
            targets=[*parent, *queries.children(self.code)],
            reversing=queries.entry_by_voucher(self.code, self.values["voucher_no"])
            if self.form.kind == "reversal" and self.values.get("voucher_no")
            else None,
            FORM=FORM,
            open_more=[name for name, value in self.values.items() if value]
            + list(problems),
        )


def _form(kind: str) -> EntryForm:
    form = FORMS.get(kind)
    if form is None:
        raise NotFound(f"there is no form {kind!r}")
    return form


def _defaults(kind: str, today: str) -> dict[str, str]:
    if kind == "reversal":
        return {}
    defaults = {"business_date": today}
    if kind == "disbursement":
        defaults |= {"recipients": "1", "category": "scholarship"}
    return defaults
