"""How the command line's commands are declared: each group of commands lives
in its own module with a ``register(commands)`` function, and ``api.cli``
puts them together.

Exit codes: 0 success, 1 a domain or data error, 2 a usage error (argparse's).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

EXIT_OK, EXIT_DATA_ERROR, EXIT_USAGE = 0, 1, 2

Run = Callable[[argparse.Namespace], int]


class Commands:
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
