"""A safe order for a plan's steps, worked out whatever order the file has.

Registrations first, parents before children (by rank); then renames and
changes of level; then moves, so children have left before their parent
ends; then the endings — merges, splits, dissolutions — deepest level first,
and an organisation that receives money (a merge's target, a split's
successor) ending only after those that hand it money. A ring of endings
(A into B, B into A) has no safe order: each of its lines is an error.
"""

from __future__ import annotations

from collections.abc import Callable

from api.books.restructuring.plan import CLOSING, PlanError, PlanStep

PHASES = {"register": 0, "rename": 1, "level": 1, "move": 2}


def safe_order(
    steps: list[PlanStep], rank_of: Callable[[PlanStep], int]
) -> tuple[list[PlanStep], list[PlanError]]:
    """``rank_of``: the level's rank of the step's organisation (0: central)."""
    ranks = {id(step): rank_of(step) for step in steps}
    early = sorted(
        (s for s in steps if s.op not in CLOSING),
        key=lambda s: (PHASES[s.op], ranks[id(s)] if s.op == "register" else 0, s.line),
    )
    endings = {s.code: s for s in steps if s.op in CLOSING}
    # Y waits for every X that hands it money: an edge X → Y.
    waiting = dict.fromkeys(endings, 0)
    for step in endings.values():
        for target in set(step.targets):
            if target in endings and target != step.code:
                waiting[target] += 1
    ready = [code for code, count in waiting.items() if count == 0]
    ordered: list[PlanStep] = []
    while ready:
        ready.sort(key=lambda code: (-ranks[id(endings[code])], endings[code].line))
        step = endings[ready.pop(0)]
        ordered.append(step)
        for target in set(step.targets):
            if target in waiting and target != step.code:
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
    done = {s.code for s in ordered}
    ring = [
        PlanError(
            s.line,
            "into_code",
            "plan_contradiction",
            f"{s.code} hands money to an organisation that hands it back",
        )
        for s in sorted(endings.values(), key=lambda s: s.line)
        if s.code not in done
    ]
    return [*early, *ordered], ring
