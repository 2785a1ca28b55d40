"""The ``filmcrawl`` command line: crawl, then query and export what was crawled.

Every command has help text with an example (``filmcrawl COMMAND --help``).

Each command's module is imported only when that command is asked for (click's lazy
loading of subcommands): ``filmcrawl films`` does not import Scrapy, and ``filmcrawl
crawl`` does not import the extraction stack that ``eval`` and ``extract`` need.
``filmcrawl --help`` lists every command with the line :data:`COMMANDS` gives it, and
imports none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

# A command: its name, then "module:attribute" of its click command and the line
# ``filmcrawl --help`` lists it with (so that listing them imports none: 0.45 s).
COMMANDS = {
    "comments": ("crawler.cli.query:comments", "List or search audience comments"),
    "conflicts": ("crawler.cli.query:conflicts", "What sources disagree on, per film and field"),
    "crawl": ("crawler.cli.crawl:crawl", "Crawl film pages into the database"),
    "datasette-metadata": (
        "crawler.cli.serve:datasette_metadata",
        "Print Datasette metadata for the database",
    ),
    "eval": ("crawler.cli.quality:eval_command", "Score extraction against labelled pages"),
    "export": ("crawler.cli.export:export", "Export the database for other tools"),
    "extract": ("crawler.cli.extract:extract", "Show what filmcrawl reads from one page"),
    "film": ("crawler.cli.query:film", "Show everything known about one film"),
    "films": ("crawler.cli.query:films", "List the films"),
    "merge": ("crawler.cli.scaleout:merge", "Merge crawl spools (shard databases) into one"),
    "report": ("crawler.cli.report:report", "Write an HTML report of a crawl run"),
    "runs": ("crawler.cli.query:runs", "List the last crawl runs"),
    "schema": ("crawler.cli.export:schema", "Write a JSON Schema for each exported record"),
    "serve": ("crawler.cli.serve:serve", "Browse the database in Datasette"),
    "shards": ("crawler.cli.scaleout:shards", "Split a URL list or sitemap into shard files"),
}


class LazyGroup(click.Group):
    """A group whose commands are named up front and imported when first asked for."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = {name: target for name, (target, _) in lazy_commands.items()}
        self.short_helps = {name: short for name, (_, short) in lazy_commands.items()}

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the lines the table gives: no command is imported."""
        rows = [(name, self.short_helps[name]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
