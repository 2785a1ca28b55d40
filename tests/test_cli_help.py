"""Every filmcrawl command explains itself: help text with an example (STYLE.md, the
sqlite-utils habit), and exit codes that tell failures apart."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from crawler.cli.main import COMMANDS as LAZY_COMMANDS
from crawler.cli.main import main
from crawler.run import status as runstatus

# The group loads its commands lazily: asked for by name, not held in main.commands.
CONTEXT = click.Context(main)
COMMANDS = main.list_commands(CONTEXT)


def command_named(name: str) -> click.Command:
    command = main.get_command(CONTEXT, name)
    assert command is not None, name
    return command


def test_the_query_and_export_commands_are_registered() -> None:
    for name in (
        "films",
        "film",
        "comments",
        "conflicts",
        "runs",
        "export",
        "schema",
        "datasette-metadata",
        "serve",
    ):
        assert name in COMMANDS
        assert command_named(name).name == name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_text_with_an_example(name: str) -> None:
    command = command_named(name)
    assert command.help, f"filmcrawl {name} has no help text"
    assert command.get_short_help_str(limit=200).strip(), name
    assert "Example" in command.help, f"filmcrawl {name}'s help has no example"
    assert f"filmcrawl {name}" in command.help, f"filmcrawl {name}'s example does not use it"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_of_every_command_is_explained(name: str) -> None:
    for param in command_named(name).params:
        if isinstance(param, click.Option) and param.name != "help":
            assert param.help, f"filmcrawl {name} {param.opts[0]} has no help text"


def test_the_group_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    # Every command, on one line each, with its line from the table (no "..." cut).
    assert [line.split()[0] for line in listed if line.strip()] == COMMANDS
    for name, (_, short_help) in LAZY_COMMANDS.items():
        assert f"  {name}  " in result.output and short_help in result.output
        assert len(short_help) <= 56 and not short_help.endswith(".")


def test_exit_codes_are_distinct() -> None:
    codes = {name: getattr(runstatus, name) for name in dir(runstatus) if name.startswith("EXIT_")}
    assert len(set(codes.values())) == len(codes), codes
    assert codes["EXIT_NO_DATABASE"] == 4
    assert codes["EXIT_NOT_FOUND"] == 5
    assert codes["EXIT_AMBIGUOUS"] == 6
    # The module docstring documents each code.
    for code in codes.values():
        assert f"\n{code}   " in (runstatus.__doc__ or ""), code
