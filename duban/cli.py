"""The `duban` command. Each domain package adds its own commands through a
`register(app)` function in its `commands.py`; this module only assembles them
and turns user errors into one clean line on stderr."""

from __future__ import annotations

import importlib
import sys

import typer

from duban.errors import DubanError

app = typer.Typer(
    name="duban",
    help="督办 duban: extract tasks from action plans, keep the ledger, run supervision.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Domain packages that contribute commands, in the order their help is listed.
COMMAND_MODULES = [
    "duban.extract.commands",
    "duban.ledger.commands",
    "duban.indicators.commands",
    "duban.web.commands",
    "duban.supervise.commands",
    "duban.compare.commands",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    try:
        app()
    except DubanError as e:
        typer.echo(f"duban: {e}", err=True)
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
