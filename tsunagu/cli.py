"""The `tsunagu` command. Each feature package contributes its own commands."""

from __future__ import annotations

import importlib

import click

# (module, attribute) of the click commands added to `tsunagu`. A new feature adds a line.
_COMMANDS = [
    ("tsunagu.commands", "serve"),
    ("tsunagu.commands", "worker"),
    ("tsunagu.commands", "db_group"),
    ("intents.cli", "classify"),
    ("routing.cli", "route"),
    ("routing.cli", "directory"),
    ("console.cli", "staff"),
    ("bots.telegram_cli", "telegram"),
]


@click.group()
def cli() -> None:
    """Tsunagu (つなぐ): the chat entrance for 重層的支援."""


def _register() -> None:
    for module_name, attr in _COMMANDS:
        cli.add_command(getattr(importlib.import_module(module_name), attr))


_register()


def main() -> None:
    cli(prog_name="tsunagu")


if __name__ == "__main__":
    main()
