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

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from projections.change import handles
from projections.hierarchy import HierarchyView
from projections.journal import JournalView
from projections.movements import LINE_EVENTS, Line
from projections.tree import Tree
from projections.view import View, Views


class FlowView(View):
    """A view of sums over lines, rolled up along the hierarchy of their date.

    It reads the hierarchy's tree and, on a move, the journal's stored lines.
    """

    flush_before = frozenset({Organisation.Moved})

    def connect(self, earlier: Views) -> None:
        self.hierarchy = earlier[HierarchyView]
        self.journal = earlier[JournalView]

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

    @handles(*LINE_EVENTS)
    def count(self, session: Session, event: object, lines: Sequence[Line]) -> None:
        self.add_lines(lines, self.hierarchy.tree)

    @handles(Organisation.Moved)
    def recount_moved(
        self, session: Session, event: Organisation.Moved, lines: Sequence[Line]
    ) -> None:
        before, after = self.hierarchy.before_move, self.hierarchy.tree
        moved = self.journal.lines_moved_by(session, event, after)
        self.add_lines(moved, before, subtree_only=True, sign=-1)
        self.add_lines(moved, after, subtree_only=True)
