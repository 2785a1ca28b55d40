"""The ``filmcrawl`` command line: crawl, then query and export what was crawled.

Every command has help text with an example (``filmcrawl COMMAND --help``).

Each command's module is imported only when that command is asked for (click's lazy
loading of subcommands): ``filmcrawl films`` does not import Scrapy, and ``filmcrawl
crawl`` does not import the extraction stack that ``eval`` and ``extract`` need.
``filmcrawl --help`` lists every command with its short help, so it imports them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

# A command: its name, then "module:attribute" of its click command. One line each.
COMMANDS = {
    "comments": "crawler.cli.query:comments",
    "conflicts": "crawler.cli.query:conflicts",
    "crawl": "crawler.cli.crawl:crawl",
    "datasette-metadata": "crawler.cli.serve:datasette_metadata",
    "eval": "crawler.cli.quality:eval_command",
    "export": "crawler.cli.export:export",
    "extract": "crawler.cli.extract:extract",
    "film": "crawler.cli.query:film",
    "films": "crawler.cli.query:films",
    "merge": "crawler.cli.scaleout:merge",
    "report": "crawler.cli.report:report",
    "runs": "crawler.cli.query:runs",
    "schema": "crawler.cli.export:schema",
    "serve": "crawler.cli.serve:serve",
    "shards": "crawler.cli.scaleout:shards",
}


class LazyGroup(click.Group):
    """A group whose commands are named up front and imported when first asked for."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.list_commands(ctx):
            # Not a command: click's error suggests the closest names ("Did you mean
            # 'comments'?") among the commands the group holds, so it holds them all.
            for name in self.lazy_commands:
                self.add_command(self._load(name), name)
        return super().resolve_command(ctx, args)

    def _load(self, name: str) -> click.Command:
        module_name, attribute = self.lazy_commands[name].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command) or command.name != name:
            raise TypeError(f"{self.lazy_commands[name]} is not the click command {name!r}")
        return command


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="filmcrawl")
def main() -> None:
    """filmcrawl: crawl film pages into a clean, queryable SQLite database.

    \b
    Example:
        filmcrawl crawl                      # the bundled sample site
        filmcrawl crawl https://asianwiki.com/Miracle_in_Cell_No.7 --db films.db
    """
