"""What the flow read models share: counting lines along the hierarchy of their
date, and re-counting them when an organisation moves.

A move effective on a date changes the ancestors, from that date on, of the
moved organisation and of everything that ever sat below it. The lines whose
flows it can change are those dated from then on with either side in that
set; a flow view takes each off as the hierarchy was before the move and adds
it as it is after (contributions to an organisation's own rows cancel, so
only subtree rows are touched).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.organisation import Organisation
from projections.hierarchy import HierarchyView
from projections.journal import JournalView
from projections.movements import Line
from projections.tree import Tree
from projections.view import View


class FlowView(View):
    """A view of sums over lines, rolled up along the hierarchy of their date."""

    def __init__(
        self,
        *args: Any,
        hierarchy: HierarchyView,
        journal: JournalView,
        **kwargs: Any,
    ) -> None:
        self.hierarchy = hierarchy
        self.journal = journal
        super().__init__(*args, **kwargs)

    def add_lines(
        self,
        lines: Iterable[Line],
        tree: Tree,
        *,
        subtree_only: bool = False,
        sign: int = 1,
    ) -> None:
        """Add what ``lines`` contribute, along ``tree`` (or take it off: sign -1)."""
        raise NotImplementedError

    def recount_moved(self, event: Organisation.Moved) -> None:
        before, after = self.hierarchy.before_move, self.hierarchy.tree
        lines = self.journal.lines_moved_by(event, after)
        self.add_lines(lines, before, subtree_only=True, sign=-1)
        self.add_lines(lines, after, subtree_only=True)
