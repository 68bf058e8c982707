"""How the command line's subcommands are declared, and what they share.

Each group of subcommands lives in its own module of ``api.cli`` with a
``register(subcommands)`` function; ``api.cli.main`` puts them together.
A subcommand reads the database URL from the settings (``database_url``)
and opens the ledger and its read models with ``core_from_settings``.

Exit codes: 0 success, 1 a domain or data error, 2 a usage error (argparse's,
or a bad setting).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.bootstrap import Core

EXIT_OK, EXIT_DATA_ERROR, EXIT_USAGE = 0, 1, 2

Run = Callable[[argparse.Namespace], int]


class BadSettings(Exception):
    """A ``KHUYENHOC_*`` variable the settings refuse: exit 2 with the message."""


class Subcommands:
    """The ``khuyenhoc`` subcommands: each with a summary, a description and an
    example shown by ``--help``."""

    def __init__(
        self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]
    ) -> None:
        self._subparsers = subparsers

    def add(
        self, name: str, *, summary: str, description: str, example: str, run: Run
    ) -> argparse.ArgumentParser:
        parser = self._subparsers.add_parser(
            name,
            help=summary,
            description=description,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.set_defaults(run=run)
        return parser


def database_url() -> str:
    """The ledger's database: ``KHUYENHOC_DATABASE_URL``, read through the
    settings each time (a test or script may change the environment).

    Settings (pydantic) are imported when first read, not with the command
    line, so that ``--help`` loads none of them."""
    from pydantic import ValidationError  # noqa: PLC0415

    from api.settings import Settings, describe_problems  # noqa: PLC0415

    try:
        return Settings().database_url
    except ValidationError as error:
        raise BadSettings(f"bad settings: {describe_problems(error)}") from None


@contextlib.contextmanager
def core_from_settings() -> Iterator[Core]:
    """The ledger and its read models on the settings' database, closed on exit."""
    from api.bootstrap import open_core  # noqa: PLC0415

    with open_core(database_url()) as core:
        yield core
