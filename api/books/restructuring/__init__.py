"""Restructuring plans: a whole reform as one CSV file, previewed (nothing
recorded) or applied all or nothing through ``Ledger.batch()``.

``plan`` reads the file into commands, each with its plan line; ``order``
works out a safe order; ``run`` previews or applies; ``text`` prints the
outcome for people (Vietnamese by default). See ``docs/restructuring.md``.
"""

from api.books.restructuring.plan import PLAN_COLUMNS, PlanError, PlanStep, read_plan
from api.books.restructuring.run import PlanOutcome, apply_plan, preview_plan

__all__ = [
    "PLAN_COLUMNS",
    "PlanError",
    "PlanOutcome",
    "PlanStep",
    "apply_plan",
    "preview_plan",
    "read_plan",
]
