"""Commands on the hierarchy: register, rename, move, merge, dissolve, and an
organisation's membership reports and funds.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ledger import errors
from ledger.base import SYSTEM, LedgerBase
from ledger.entries import coerce
from ledger.organisation import Organisation
from ledger.types import FundName, Level, OrgCode
from ledger.validation import (
    check_code,
    check_date,
    check_text,
    check_whole,
    required_text,
)


class HierarchyCommands(LedgerBase):
    """The organisations, where they sit, and what they report."""

    def register_organisation(
        self,
        code: OrgCode,
        *,
        name: str,
        level: Level | str,
        registered_on: date,
        parent_code: OrgCode | None = None,
        recorded_by: str = SYSTEM,
    ) -> UUID:
        """Register an organisation; re-sending the same registration is a no-op."""
        check_code(code, "organisation")
        name = required_text(name, "name")
        level = coerce(Level, level, "level")
        recorded_by = required_text(recorded_by, "recorded_by")
        check_date(registered_on, "registered_on")
        if parent_code is not None:
            check_code(parent_code, "parent organisation")
        org_id = Organisation.id_for(code)

        def attempt() -> UUID:
            parent = self._org(parent_code) if parent_code is not None else None
            registered = self._first_event(org_id, Organisation.Registered)
            if registered is not None:
                asked = (name, level, parent.id if parent else None, registered_on)
                if (
                    registered.name,
                    registered.level,
                    registered.parent_id,
                    registered.registered_on,
                ) != asked:
                    raise errors.DuplicateOrganisation(
                        f"organisation {code} is already registered with other details",
                        org=code,
                    )
                return org_id
            org = Organisation.register(
                code=code,
                name=name,
                level=level,
                parent=parent,
                registered_on=registered_on,
                today=self.today(),
                recorded_by=recorded_by,
            )
            self.save(org, parent)
            return org_id

        return self._retrying(attempt, parent_code, code)

    def ancestors(self, code: OrgCode) -> list[OrgCode]:
        """The codes above ``code`` in today's hierarchy, nearest first, as the
        write model knows them (never behind, unlike a read model)."""
        found: list[OrgCode] = []
        parent_id = self._org(code).parent_id
        while parent_id is not None:
            parent = self._org_by_id(parent_id)
            found.append(parent.code)
            parent_id = parent.parent_id
        return found

    def is_within(self, code: OrgCode, top: OrgCode) -> bool:
        """Is ``code`` ``top`` or below it in today's hierarchy, as the write
        model knows it? Walks up only until ``top`` (ids derive from codes, so
        a parent is recognised without loading it): one load for an
        organisation and its direct parent, however deep the tree above."""
        org = self._org(code)
        if code == top:
            return True
        wanted = Organisation.id_for(top)
        parent_id = org.parent_id
        while parent_id is not None:
            if parent_id == wanted:
                return True
            parent_id = self._org_by_id(parent_id).parent_id
        return False

    def rename(
        self,
        code: OrgCode,
        *,
        name: str,
        effective_on: date | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        name = required_text(name, "name")
        if effective_on is not None:
            check_date(effective_on, "effective_on")
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> None:
            org = self._org(code)
            if org.name == name:
                return
            today = self.today()
            org.rename(
                name=name,
                effective_on=effective_on or today,
                today=today,
                recorded_by=recorded_by,
            )
            self.save(org)

        self._retrying(attempt, code)

    def move(
        self,
        code: OrgCode,
        *,
        new_parent_code: OrgCode,
        effective_on: date,
        recorded_by: str = SYSTEM,
    ) -> None:
        check_date(effective_on, "effective_on")
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> None:
            org = self._org(code)
            new_parent = self._org(new_parent_code)
            old_parent = self._get(Organisation, org.parent_id)
            org.move(
                old_parent=old_parent,
                new_parent=new_parent,
                effective_on=effective_on,
                today=self.today(),
                recorded_by=recorded_by,
            )
            self.save(org, old_parent, new_parent)

        self._retrying(attempt, code, new_parent_code)

    def merge(
        self,
        code: OrgCode,
        *,
        into_code: OrgCode,
        effective_on: date,
        recorded_by: str = SYSTEM,
    ) -> None:
        """Merge ``code`` into ``into_code``: its balances move across, atomically."""
        check_date(effective_on, "effective_on")
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> None:
            org = self._org(code)
            target = self._org(into_code)
            # Merging into its own parent: one object takes both events.
            parent = (
                target
                if target.id == org.parent_id
                else self._get(Organisation, org.parent_id)
            )
            org.merge_into(
                target,
                parent,
                effective_on=effective_on,
                today=self.today(),
                recorded_by=recorded_by,
            )
            self.save(org, target, parent)

        self._retrying(attempt, code, into_code)

    def dissolve(
        self, code: OrgCode, *, effective_on: date, recorded_by: str = SYSTEM
    ) -> None:
        check_date(effective_on, "effective_on")
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> None:
            org = self._org(code)
            parent = self._get(Organisation, org.parent_id)
            org.dissolve(
                parent,
                effective_on=effective_on,
                today=self.today(),
                recorded_by=recorded_by,
            )
            self.save(org, parent)

        self._retrying(attempt, code)

    def report_membership(
        self,
        code: OrgCode,
        *,
        year: int,
        members: int,
        population: int | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        check_whole(year, "year", minimum=1900)
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> None:
            org = self._org(code)
            org.report_membership(
                year=year,
                members=members,
                population=population,
                today=self.today(),
                recorded_by=recorded_by,
            )
            self.save(org)

        self._retrying(attempt, code)

    def open_fund(
        self,
        code: OrgCode,
        fund: FundName,
        *,
        name: str,
        restricted: bool = False,
        purpose: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        check_code(fund, "fund")
        name = required_text(name, "fund name")
        purpose = check_text(purpose, "purpose", required=False)
        recorded_by = required_text(recorded_by, "recorded_by")

        def attempt() -> None:
            org = self._org(code)
            org.open_fund(
                fund=fund,
                name=name,
                restricted=bool(restricted),
                purpose=purpose,
                recorded_by=recorded_by,
            )
            self.save(org)

        self._retrying(attempt, code)
